"""The files the later stages write for the sample meeting, against golden files.

The inputs are the sample's English transcript as tiny.en recognised it (with clips decoded
sequentially, pauses kept whole, one first window and clips grouped in order, as an earlier
version did; kept as the later stages' fixed input: ``recognised.en.json`` is the defaults'
today, ``recognised-sequential.en.json`` that setting's) and a French one
from a tiny random Marian model (``tests/data/golden/sample/input.*.json``). Segmenting,
summarising and exporting them must give ``sections.json``, every transcript format,
``summary.md`` and ``report.html`` byte for byte as in ``tests/data/golden/sample/``, apart
from what changes from run to run (the date, the agenda's absolute path, the update time).
The same session with voices (each sentence labelled with the speaker of the sample's script,
and a speakers.json naming them, as the speaker stage would) must give the summary records and
the Word files (as an outline of styles, bold and italic runs) in ``tests/data/golden/sample-voices/``.
After a deliberate change, regenerate with ``UPDATE_GOLDEN=1 .venv/bin/pytest
tests/test_golden_session.py`` and review the diff before committing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.sessions import put_transcript
from test_writers import assert_matches_golden

from pipeline.agenda import load_agenda
from pipeline.export import export_session
from pipeline.formats.transcript import load
from pipeline.segment import segment_session
from pipeline.session import Session
from pipeline.summarise import summarise_session
from pipeline.transcribe.options import VadSettings

GOLDEN = Path(__file__).parent / "data" / "golden" / "sample"
VOICED = GOLDEN.parent / "sample-voices"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
OUTPUTS = ["sections.json", "report.html"] + [
    f"{lang}/{name}" for lang in ("en", "fr")
    for name in ("transcript.json", "transcript.srt", "transcript.vtt", "transcript.txt",
                 "transcript.md", "summary.md")]


VOICED_OUTPUTS = ["en/summary.md", "fr/summary.md", "en/summary.docx", "fr/summary.docx",
                  "en/transcript.docx"]


def _stable(relpath: str, text: str) -> str:
    """Blank what differs between runs: dates, times of day and absolute paths."""
    text = re.sub(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00", "<time>", text)
    text = re.sub(r"session-pipeline (on|le|el) \d{4}-\d{2}-\d{2}", r"session-pipeline \1 <date>",
                  text)
    if relpath == "sections.json":
        text = re.sub(r'"path": "[^"]*"', '"path": "<agenda>"', text)
    return text


@pytest.fixture(scope="module")
def sample_session(tmp_path_factory) -> Session:
    session = Session.open(tmp_path_factory.mktemp("golden") / "session")
    for language in ("en", "fr"):
        put_transcript(session, load(GOLDEN / f"input.{language}.json"),
                       stage="transcribe" if language == "en" else "translate")
    session.save()
    agenda = load_agenda(SAMPLES / "agenda.yaml")
    segment_session(session, agenda)
    summarise_session(session, agenda)
    export_session(session)
    return session


@pytest.fixture(scope="module")
def voiced_session(tmp_path_factory) -> Session:
    import json

    from pipeline.formats import speakers as speakers_io
    from pipeline.formats.speakers import Speaker

    truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
    english = load(GOLDEN / "input.en.json")
    labels: dict[str, str] = {}
    voice = {}
    for sentence in english.sentences:
        turn = max(truth["turns"], key=lambda t: min(sentence.end, t["end"]) - max(sentence.start, t["start"]))
        voice[sentence.id] = labels.setdefault(turn["speaker"], f"S{len(labels) + 1}")
    session = Session.open(tmp_path_factory.mktemp("golden-voices") / "session")
    for language in ("en", "fr"):
        transcript = load(GOLDEN / f"input.{language}.json")
        transcript = replace(transcript, sentences=tuple(
            replace(s, speaker=voice[s.id]) for s in transcript.sentences))
        put_transcript(session, transcript, stage="transcribe" if language == "en" else "translate")
    # "Ms. Elena Marsh (Chair)" is named; "Delegate of Kenya" is a role without a name.
    people = [re.fullmatch(r"(.*) \((.*)\)", who).groups() if "(" in who else (None, who)
              for who in labels]
    session.write_text(speakers_io.SPEAKERS_FILE, speakers_io.dumps(
        [Speaker(label=label, name=name, role=role)
         for label, (name, role) in zip(labels.values(), people)]), stage="speakers")
    session.save()
    agenda = load_agenda(SAMPLES / "agenda.yaml")
    segment_session(session, agenda)
    summarise_session(session, agenda)
    export_session(session)
    return session


def outline(path: Path) -> str:
    """A Word file as text: its header, then each paragraph's style and its runs, with
    ``**bold**`` and ``*italic*`` marked."""
    import docx

    document = docx.Document(str(path))
    lines = [f"header: {p.text}" for p in document.sections[0].header.paragraphs]
    for paragraph in document.paragraphs:
        runs = "".join(f"**{r.text}**" if r.bold else f"*{r.text}*" if r.italic else r.text
                       for r in paragraph.runs)
        lines.append(f"[{paragraph.style.name}] {runs}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("relpath", VOICED_OUTPUTS)
def test_voiced_output_matches_golden_file(voiced_session, relpath):
    path = voiced_session.path(relpath)
    text = outline(path) if relpath.endswith(".docx") else path.read_text(encoding="utf-8")
    name = relpath.replace("/", ".") + (".txt" if relpath.endswith(".docx") else "")
    assert_matches_golden(_stable(relpath, text), VOICED / name)


@pytest.mark.parametrize("relpath", OUTPUTS)
def test_stage_output_matches_golden_file(sample_session, relpath):
    actual = _stable(relpath, sample_session.path(relpath).read_text(encoding="utf-8"))
    assert_matches_golden(actual, GOLDEN / relpath.replace("/", "."))


@pytest.mark.slow
@pytest.mark.parametrize("clips, golden", [
    ({}, "recognised.en.json"),                                    # the defaults
    ({"clip_decoding": "sequential", "clip_keep_gap_s": None, "first_window_s": 600.0,
      "clip_max_s": 28.0, "clip_fill_s": None,
      "vad_settings": VadSettings(max_speech_duration_s=28.0)},
     "recognised-sequential.en.json"),
])
def test_the_sample_is_recognised_as_the_golden_input(tmp_path, samples_dir, tiny_model_dir,
                                                       clips, golden):
    """The real tiny.en model on the sample gives the golden English byte for byte, with the
    default clips and with the earlier ones (each clip decoded sequentially, long pauses
    kept whole, speech parts of up to 28 s never cut to fill a clip, one ten-minute first
    window): the transcription stage, its checkpoints and its retries are deterministic."""
    from helpers.sessions import transcribe

    from pipeline.transcribe import TranscribeOptions

    session = Session.open(tmp_path / "session")
    transcribe(session, samples_dir / "session.ogg",
               TranscribeOptions(asr_model=str(tiny_model_dir), **clips))
    assert session.transcript_path("en").read_bytes() == (GOLDEN / golden).read_bytes()
