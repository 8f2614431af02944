"""``speakers``: who spoke each sentence of a transcribed session, and who they are."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.app import locked_session, main, reporter_for, say
from pipeline.cli.options import (
    agenda_option,
    force_option,
    parse_speakers,
    quiet_option,
    speakers_option,
)


@main.command()
@click.argument("session_dir", type=click.Path(path_type=Path))
@speakers_option(allow_off=False)
@agenda_option(required=False, what="The agenda YAML whose speakers help name the voices. "
               "Default: the one 'segment' recorded in the session, if any.")
@force_option("Find the voices")
@quiet_option
def speakers(session_dir: Path, speakers: str | None, agenda_path: Path | None, force: bool,
             quiet: bool) -> None:
    """Find who spoke each sentence of SESSION_DIR and name the voices.

    Labels every sentence with its voice (S1, S2 ... in the order first heard), splits a
    sentence where the voice changes inside it, and writes speakers.json: each voice's name
    and role where the agenda, a self-introduction or the chair giving the floor says it
    (with that evidence), else "Speaker N". Names in SESSION_DIR/speakers.yaml, an editors'
    file (S2: {name: ..., role: ...}), are applied without listening again.

    Example: session-pipeline speakers out/ --speakers auto
    """
    from pipeline.agenda import recorded_agenda
    from pipeline.audio.recording import recorded_recording
    from pipeline.speakers.stage import speakers_session

    options = parse_speakers(speakers)
    with locked_session(session_dir, "speakers") as session:
        channel = ((session.stage("transcribe") or {}).get("options") or {}).get("channel")
        recording = recorded_recording(session.manifest, channel)
        agenda = recorded_agenda(session, agenda_path)
        result = speakers_session(session, recording, agenda, options=options, channel=channel,
                                  reporter=reporter_for(quiet), force=force)
        found = session.read_speakers()
    for speaker in found:
        role = f" ({speaker.role})" if speaker.role else ""
        click.echo(f"{speaker.label}\t{speaker.display}{role}\t{speaker.talk_s:.0f} s\t"
                   f"{speaker.turns} turns")
    state = "Found" if result.ran else "Up to date:"
    say(f"{state} {len(found)} voices, {sum(1 for s in found if s.name)} named, in "
        f"{session.path('speakers.json')}.")
