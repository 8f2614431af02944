"""``session-pipeline translate`` and ``models``: output, counts, and every bad input."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from helpers.marian import english_session

from pipeline.cli import main

TEXTS = ["The committee adopts the report on migration today.", "Thank you.",
         "The chair welcomes the final declaration in Geneva.",
         "Our parliament supports the rights of migrant workers."]


@pytest.fixture(autouse=True)
def _env(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("SESSION_PIPELINE_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("SESSION_PIPELINE_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path_factory.getbasetemp() / "hf-empty"))


@pytest.fixture
def model_args(tiny_marian_dir):
    return ["--mt-model", f"fr={tiny_marian_dir('fr')}", "--mt-model",
            f"es={tiny_marian_dir('es')}", "--threads", "1", "--beam-size", "2", "-q"]


@pytest.fixture(scope="module")
def translated(tmp_path_factory, tiny_marian_dir):
    """A session already translated into French (the work a bad run must not lose)."""
    root = tmp_path_factory.mktemp("done") / "s"
    english_session(root, TEXTS)
    result = CliRunner().invoke(main, ["translate", str(root), "--to", "fr", "--mt-model",
                                       f"fr={tiny_marian_dir('fr')}", "--threads", "1", "-q"],
                                env={"SESSION_PIPELINE_CACHE": str(root.parent / "cache")})
    assert result.exit_code == 0, result.output
    return root


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*") if p.is_file() and ".work" not in p.parts
            and p.name != "session.json"}


def test_translate_writes_both_languages_and_reports_counts(tmp_path, model_args):
    english_session(tmp_path / "s", TEXTS)
    result = CliRunner().invoke(main, ["translate", str(tmp_path / "s"), "--to", "fr,es",
                                       *model_args])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [str(tmp_path / "s" / "fr" / "transcript.json"),
                                          str(tmp_path / "s" / "es" / "transcript.json")]
    assert "fr: 4 sentences, 4 translated, 0 reused from the translation memory" in result.stderr
    again = CliRunner().invoke(main, ["translate", str(tmp_path / "s"), "--force", *model_args])
    assert "es: 4 sentences, 0 translated, 4 reused from the translation memory" in again.stderr
    manifest = json.loads((tmp_path / "s" / "session.json").read_text())
    assert set(manifest["stages"]["translate"]["languages"]) == {"fr", "es"}
    assert "fr/transcript.srt" in manifest["files"]


def _run_bad(root, *args):
    before = snapshot(root)
    result = CliRunner().invoke(main, ["translate", str(root), *args])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    after = snapshot(root)
    assert {k: v for k, v in after.items() if k in before and not k.startswith("en/")} == \
        {k: v for k, v in before.items() if not k.startswith("en/")}
    json.loads((root / "session.json").read_text())          # the manifest is still sound
    return lines[0]


def _copy(translated, tmp_path):
    return shutil.copytree(translated, tmp_path / "s")


def test_no_english_transcript(tmp_path, translated, model_args):
    root = _copy(translated, tmp_path)
    shutil.rmtree(root / "en")
    message = _run_bad(root, "--to", "fr", *model_args)
    assert "There is no en transcript" in message and "transcribe" in message


def test_not_a_session_folder(tmp_path, model_args):
    result = CliRunner().invoke(main, ["translate", str(tmp_path / "nowhere"), *model_args])
    assert result.exit_code == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("content,expected", [
    ("{\"schema\": ", "is not valid JSON"),
    (json.dumps({"schema": "session-pipeline/transcript/7", "language": "en", "segments": []}),
     "cannot read"),
    (json.dumps({"schema": "session-pipeline/transcript/1", "language": "en", "segments": []}),
     "nothing to translate"),
])
def test_bad_english_transcript(tmp_path, translated, model_args, content, expected):
    root = _copy(translated, tmp_path)
    (root / "en" / "transcript.json").write_text(content, encoding="utf-8")
    assert expected in _run_bad(root, "--to", "fr", *model_args)


def test_unknown_language(tmp_path, translated, model_args):
    message = _run_bad(_copy(translated, tmp_path), "--to", "fr,xx", *model_args)
    assert "Unknown target language 'xx'; choose from es, fr" in message


def test_model_unavailable_offline(tmp_path, translated):
    message = _run_bad(_copy(translated, tmp_path), "--to", "fr", "-q")
    assert "Helsinki-NLP/opus-mt-en-fr" in message and "--mt-model fr=DIR" in message
    assert "session-pipeline models fetch" in message


def test_language_pair_mismatch(tmp_path, translated, tiny_marian_dir):
    message = _run_bad(_copy(translated, tmp_path), "--to", "fr", "--mt-model",
                       f"fr={tiny_marian_dir('es')}", "-q")
    assert "translates en→es, not en→fr" in message


def test_models_list_says_what_is_present(tiny_marian_dir):
    result = CliRunner().invoke(main, ["models", "list", "--to", "fr,es", "--mt-model",
                                       f"fr={tiny_marian_dir('fr')}"])
    assert result.exit_code == 0, result.output
    rows = {line.split("\t")[0]: line.split("\t") for line in result.stdout.splitlines()}
    assert rows["mt-fr"][2] == "yes" and str(tiny_marian_dir("fr")) in rows["mt-fr"][3]
    assert rows["mt-es"][2] == "no" and "models fetch --to es" in rows["mt-es"][3]
    assert "asr" in rows


def test_models_convert_makes_a_ctranslate2_copy(tiny_marian_dir):
    result = CliRunner().invoke(main, ["models", "convert", "--to", "es", "--mt-model",
                                       f"es={tiny_marian_dir('es')}"])
    assert result.exit_code == 0, result.output
    folder = result.stdout.strip().split("\t")[2]
    assert (__import__("pathlib").Path(folder) / "model.bin").is_file()
