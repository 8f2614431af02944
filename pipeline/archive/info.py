"""What a bag's bag-info.txt says about a session: meeting, agenda, recording, models, bag."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.formats.timestamps import format_timestamp
from pipeline.fsio import sha256_file
from pipeline.session import Session

Fields = dict[str, "str | list[str]"]


def session_fields(session: Session, *, recording_included: str | None) -> Fields:
    """The bag-info.txt fields that describe ``session`` (``recording_included``: where the
    recording lies in the bag, or None when it is left out)."""
    manifest = session.manifest
    fields: Fields = {}
    fields.update(_meeting(session))
    fields.update(_recording(manifest.get("input") or {}, recording_included))
    fields.update(_pipeline(manifest))
    fields["Languages"] = ", ".join(session.languages())
    fields["Session-Created"] = str(manifest.get("created", ""))
    fields["Session-Updated"] = str(manifest.get("updated", ""))
    return fields


def default_description(fields: Fields) -> str:
    """A one-sentence External-Description from the meeting's fields."""
    date = f" of {fields['Meeting-Date']}" if fields.get("Meeting-Date") else ""
    return (f"Transcripts ({fields.get('Languages') or 'none'}), agenda sections and draft "
            f"summaries of the meeting '{fields.get('Meeting-Title', 'untitled')}'{date}, made "
            f"by {fields['Pipeline-Version']} from the recording "
            f"{fields.get('Recording-File', '(unknown)')}.")


def recorded_agenda_file(session: Session) -> Path | None:
    """The agenda file 'segment' used, if it is still there unchanged (else None)."""
    record = session.manifest.get("agenda") or {}
    path = record.get("path")
    if not path or not Path(path).is_file():
        return None
    return Path(path) if sha256_file(path) == record.get("sha256") else None


def _meeting(session: Session) -> Fields:
    record = session.manifest.get("agenda") or {}
    fields: Fields = {"Meeting-Title": str(record.get("title") or "")}
    date = _agenda_date(session)
    if date:
        fields["Meeting-Date"] = date
    if record:
        fields["Agenda-File"] = Path(record["path"]).name if record.get("path") else "(not kept)"
        fields["Agenda-SHA256"] = str(record.get("sha256", ""))
    items = _items(session)
    if items:
        fields["Agenda-Item"] = items
    return {key: value for key, value in fields.items() if value}


def _agenda_date(session: Session) -> str | None:
    from pipeline.agenda import load_agenda

    path = recorded_agenda_file(session)
    if path is None:
        return None
    try:
        return load_agenda(path).date
    except PipelineError:
        return None


def _items(session: Session) -> list[str]:
    """One line per agenda item: id, time range in the recording, English title."""
    if not session.path("sections.json").exists():
        return []
    return [f"{s.id} {_time(s.start)}-{_time(s.end)} {s.title_in('en')}"
            for s in session.read_sections()]


def _time(seconds: float) -> str:
    return format_timestamp(seconds, "vtt")


def _recording(record: dict, included: str | None) -> Fields:
    if not record:
        return {}
    seconds = float(record.get("duration_s") or 0.0)
    return {"Recording-File": str(record.get("name", "")),
            "Recording-SHA256": str(record.get("sha256", "")),
            "Recording-Duration": f"{_time(seconds)} ({seconds:.3f} s)",
            "Recording-Channels": str(record.get("channels", "")),
            "Recording-Sample-Rate": f"{record.get('sample_rate', '')} Hz",
            "Recording-Included": f"yes, {included}" if included else "no"}


def _pipeline(manifest: dict) -> Fields:
    pipeline = manifest.get("pipeline") or {}
    stages = manifest.get("stages") or {}
    fields: Fields = {"Pipeline-Version": f"{pipeline.get('name', 'session-pipeline')} "
                                          f"{pipeline.get('version', '')}".strip()}
    asr = ((stages.get("transcribe") or {}).get("models") or {}).get("asr")
    if asr:
        fields["Speech-Model"] = _model(asr)
    languages = (stages.get("translate") or {}).get("languages") or {}
    translation = [f"{lang}: {_model(rec['model'])}" for lang, rec in sorted(languages.items())
                   if rec.get("model")]
    if translation:
        fields["Translation-Model"] = translation
    summarise = (stages.get("summarise") or {}).get("options") or {}
    if summarise.get("method"):
        model = summarise.get("summary_model")
        fields["Summary-Method"] = summarise["method"] + (f" ({model})" if model else "")
    return fields


def _model(record: dict) -> str:
    """A model as one line: its name, where it came from and the checksum of its weights."""
    name = str(record.get("name", ""))
    details = ", ".join(part for part in (
        str(record.get("source") or ""), f"sha256 {record['sha256']}" if record.get("sha256")
        else "") if part)
    return f"{name} ({details})" if details else name
