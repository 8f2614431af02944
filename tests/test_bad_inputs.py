"""Every bad input of the transcription, translation and agenda issues, in one table.

Each case builds its input, runs the command line through click's CliRunner, and expects
a non-zero exit, exactly one line starting "Error: " that holds the expected words, and
every file of the session folder it ran against exactly as it was before.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner
from helpers.marian import english_session

from pipeline.cli import main

TEXTS = ["The committee adopts the report on migration today.",
         "The delegation welcomes the draft resolution before the vote.",
         "The chair presents the budget for next year in Geneva."]


@dataclass
class Ctx:
    """What a case builds its command from: a fresh session folder and shared inputs."""

    tmp: Path
    session: Path
    samples: Path
    asr: Path
    marian: Callable[[str], Path]
    holder_pid: int = 0

    def file(self, name: str, data: bytes | str) -> Path:
        path = self.tmp / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path

    def agenda(self, edit: Callable[[str], str]) -> Path:
        text = (self.samples / "agenda.yaml").read_text().replace("glossary: glossary.yaml\n", "")
        return self.file("agenda.yaml", edit(text))

    def run(self, agenda: Path) -> list[str]:
        return ["run", str(self.samples / "session.ogg"), "--agenda", str(agenda), "--out",
                str(self.session), "--asr-model", str(self.asr), "--to", "none", "--quiet"]

    def transcribe(self, recording: Path | str, *extra: str) -> list[str]:
        return ["transcribe", str(recording), "--out", str(self.session), "--asr-model",
                str(self.asr), "--quiet", *extra]

    def translate(self, *extra: str, to: str = "fr") -> list[str]:
        models = [f"--mt-model={lang}={self.marian(lang)}" for lang in to.split(",")
                  if lang in ("fr", "es")]
        return ["translate", str(self.session), "--to", to, *models, "--quiet", *extra]

    def transcript(self, text: str) -> None:
        (self.session / "en" / "transcript.json").write_text(text)


def _silence(ctx: Ctx) -> list[str]:
    path = ctx.tmp / "silence.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono",
                    "-t", "8", str(path)], check=True)
    return ctx.transcribe(path)


def _noise(ctx: Ctx) -> list[str]:
    path = ctx.tmp / "noise.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
                    "anoisesrc=r=16000:a=0.02:c=brown:s=7", "-t", "8", str(path)], check=True)
    return ctx.transcribe(path)


def _truncated(ctx: Ctx) -> list[str]:
    return ctx.transcribe(ctx.file("cut.ogg", (ctx.samples / "session.ogg").read_bytes()[:400]))


def _unwritable(ctx: Ctx) -> list[str]:
    # Tests may run as root, whom permissions do not stop: a folder below a plain file can
    # never be created by anyone.
    blocker = ctx.file("blocker", "a plain file")
    return ["transcribe", str(ctx.samples / "session.ogg"), "--out", str(blocker / "session"),
            "--asr-model", str(ctx.asr), "--quiet"]


def _broken_model(ctx: Ctx) -> list[str]:
    """A model folder whose model.bin is not a model (a download cut short, say)."""
    folder = ctx.tmp / "broken-model"
    shutil.copytree(ctx.asr, folder)
    (folder / "model.bin").write_bytes(b"not a model" * 1000)
    return ctx.transcribe(ctx.samples / "session.ogg", "--asr-model", str(folder))


def _no_english(ctx: Ctx) -> list[str]:
    shutil.rmtree(ctx.session / "en")
    return ctx.translate()


def _programme(ctx: Ctx) -> list[str]:
    text = "# Programme\n\n**Welcome**\n\nOpening by the Chair.\n\n**Closing**\n"
    return ["agenda", "import", str(ctx.file("programme.md", text)),
            "--out", str(ctx.tmp / "draft.yaml")]


def _hold_lock(ctx: Ctx) -> list[str]:
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from pipeline.lock import SessionLock
        with SessionLock(sys.argv[1], "run"):
            print("held", flush=True)
            time.sleep(120)
    """), str(ctx.session)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    ctx.holder_pid = holder.pid
    ctx.tmp.joinpath("holder.pid").write_text(str(holder.pid))
    return ctx.translate()


def _one_item(text: str) -> str:
    return text[:text.index("- id: presentations")]


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Ctx], list[str]]     # makes the input, returns the command line
    expected: str                         # words the error sentence must hold
    env: dict = field(default_factory=dict)


HF_OFFLINE = {"HF_HUB_OFFLINE": "1", "SESSION_PIPELINE_OFFLINE": "1"}

CASES = [
    # transcription
    Case("missing recording", lambda c: c.transcribe(c.tmp / "absent.ogg"), "does not exist"),
    Case("a directory", lambda c: c.transcribe(c.tmp), "is a folder"),
    Case("non-audio file", lambda c: c.transcribe(c.file("notes.ogg", "Minutes of the meeting.\n")),
         "not a readable audio"),
    Case("truncated audio", _truncated, "not a readable audio"),
    Case("corrupt audio", lambda c: c.transcribe(c.file("noise.ogg", bytes(range(256)) * 64)),
         "not a readable audio"),
    Case("zero-length audio", lambda c: c.transcribe(c.file("empty.wav", b"")), "is empty"),
    Case("silence, no speech", _silence, "No speech was found"),
    Case("noise, no speech", _noise, "No speech was found"),
    Case("unwritable output folder", _unwritable, "choose a folder you can write to"),
    Case("unknown speech model", lambda c: c.transcribe(c.samples / "session.ogg", "--asr-model",
                                                        "enormous-v9"), "Unknown speech model"),
    Case("speech model that cannot be loaded", _broken_model, "Cannot load the speech model"),
    Case("speech model not available offline",
         lambda c: c.transcribe(c.samples / "session.ogg", "--asr-model", "small.en"),
         "offline", env=HF_OFFLINE),
    # translation
    Case("no English transcript yet", _no_english, "no en transcript"),
    Case("corrupt transcript JSON", lambda c: (c.transcript('{"schema": "session-pipel'),
                                               c.translate())[1], "not valid JSON"),
    Case("unknown transcript schema", lambda c: (c.transcript(json.dumps(
        {"schema": "session-pipeline/transcript/99", "language": "en", "segments": []})),
        c.translate())[1], "session-pipeline/transcript/99"),
    Case("unknown language code", lambda c: c.translate(to="de"), "Unknown target language 'de'"),
    Case("translation model not available offline",
         lambda c: ["translate", str(c.session), "--to", "fr", "--quiet"],
         "opus-mt-en-fr", env=HF_OFFLINE),
    Case("translation model for another pair",
         lambda c: ["translate", str(c.session), "--to", "fr", f"--mt-model=fr={c.marian('es')}"],
         "translates en→es, not en→fr"),
    Case("empty transcript", lambda c: (c.transcript(json.dumps(
        {"schema": "session-pipeline/transcript/1", "language": "en", "segments": []})),
        c.translate())[1], "nothing to translate"),
    # agenda
    Case("agenda YAML syntax error", lambda c: c.run(c.agenda(
        lambda t: t.replace("- id: questions", "- id: [questions"))), "line 27"),
    Case("agenda item without a start", lambda c: c.run(c.agenda(
        lambda t: t.replace("  start: '15:01:05'\n", ""))), "start"),
    Case("agenda items out of order", lambda c: c.run(c.agenda(
        lambda t: t.replace("start: '15:01:05'", "start: '15:00:30'"))), "order"),
    Case("duplicate agenda ids", lambda c: c.run(c.agenda(
        lambda t: t.replace("- id: questions", "- id: presentations"))), "presentations"),
    Case("agenda time outside the recording", lambda c: c.run(c.agenda(
        lambda t: t.replace("15:02:40", "16:30:00"))), "outside the recording"),
    Case("pinned time outside the recording", lambda c: c.run(c.agenda(
        lambda t: t.replace("- id: closing\n", "- id: closing\n  pinned_start: '01:10:00'\n"))),
        "outside the recording"),
    Case("recording start after the first item", lambda c: c.run(c.agenda(
        lambda t: t.replace("recording_start: '14:59:42'", "recording_start: '15:05:00'"))),
        "recording_start"),
    Case("agenda with one item", lambda c: c.run(c.agenda(_one_item)), "has 1 item"),
    Case("programme with no recognisable times", _programme, "has no timed items"),
    # two runs at once
    Case("two runs at once", _hold_lock, "in use by another run (process {pid}"),
]


def _checksums(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != "lock"}


@pytest.fixture(scope="module")
def existing(tmp_path_factory) -> Path:
    """A session folder with an English transcript, as a finished transcription leaves it."""
    root = tmp_path_factory.mktemp("existing") / "session"
    english_session(root, TEXTS)
    return root


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gives_one_clear_sentence_and_loses_nothing(
        case, existing, tmp_path, samples_dir, tiny_model_dir, tiny_marian_dir, monkeypatch):
    session = tmp_path / "session"
    shutil.copytree(existing, session)
    for name, value in case.env.items():
        monkeypatch.setenv(name, value)
    if case.env:
        monkeypatch.setenv("HF_HOME", str(tmp_path / "empty-hf-cache"))
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    ctx = Ctx(inputs, session, samples_dir, Path(tiny_model_dir), tiny_marian_dir)
    args = case.build(ctx)
    before = _checksums(session) if session.exists() else {}
    try:
        result = CliRunner().invoke(main, args)
    finally:
        if ctx.holder_pid:
            subprocess.run(["kill", str(ctx.holder_pid)], check=False)
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert result.exit_code not in (0, None), result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert len(errors) == 1, result.output
    print(f"{case.name}: {errors[0]}")
    assert case.expected.format(pid=ctx.holder_pid) in errors[0], errors[0]
    after = _checksums(session) if session.exists() else {}
    assert {rel: after.get(rel) for rel in before} == before, "a file of the session changed"
    new = sorted(set(after) - set(before))
    assert new == [], f"files left behind: {new}"
