"""Fault injection on real runs of the sample: kill -9, disk full, no permission, two runs at
once, damaged checkpoints and caches, flipped bytes.

The pipeline runs in a subprocess (``tests/faults/driver.py``: tiny.en with 60-second windows,
tiny local Marian models) that the tests SIGKILL from outside when the session folder shows
a given state (polled every 5 ms), so production code carries no test hooks. After every
kill the folder must hold only whole files, and the run that follows must finish with
exactly the files of an uninterrupted run.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from faults import process
from faults.driver import options as driver_options
from faults.folder import checksums, incomplete_files, is_temporary, outputs

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("FAULT_SEED", "20240514"))


# -- fixtures -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def models(tiny_model_dir, tiny_marian_dir) -> process.Models:
    return process.Models(Path(tiny_model_dir), tiny_marian_dir("fr"), tiny_marian_dir("es"))


@pytest.fixture(scope="module")
def inputs(samples_dir) -> tuple[Path, Path]:
    return samples_dir / "session.ogg", samples_dir / "agenda.yaml"


@pytest.fixture(scope="module")
def reference(tmp_path_factory, inputs, models):
    """An uninterrupted run: the folder every interrupted run must end up equal to."""
    base = tmp_path_factory.mktemp("reference")
    launch = process.start(*inputs, base / "session", models, base / "run.log")
    seconds = process.finish(launch)
    return base / "session", seconds


def _temporaries(root: Path) -> set[Path]:
    return {p for p in root.rglob(".*.tmp") if is_temporary(p)}


def _newer(path: Path, than: Path) -> bool:
    try:
        return path.stat().st_mtime_ns > than.stat().st_mtime_ns
    except FileNotFoundError:
        return False


# Kill points, in the order a run meets them. Each is the state of the folder, seen from
# outside, at which the run is killed; ``old`` holds the temporary files a killed run left.
KILL_POINTS = {
    "transcribing": lambda o, old: (o / ".work/transcribe/checkpoint.json").exists(),
    "transcript-written": lambda o, old: (o / "en/transcript.json").exists(),
    "sections-written": lambda o, old: (o / "sections.json").exists(),
    "tagging-transcript": lambda o, old: _newer(o / "en/transcript.json", o / "sections.json"),
    "translating-fr": lambda o, old: (o / ".work/translate/memory-fr.json").exists(),
    "writing-fr": lambda o, old: (o / "fr/transcript.json").exists(),
    "translating-es": lambda o, old: (o / ".work/translate/memory-es.json").exists(),
    "writing-outputs": lambda o, old: bool(_temporaries(o) - old)
    or (o / "es/transcript.srt").exists(),
    "writing-summaries": lambda o, old: (o / "en/summary.md").exists(),
    "writing-report": lambda o, old: (o / "report.html").exists()
    or any(p.name.startswith(".report.html.") for p in _temporaries(o) - old),
}


@dataclass
class Kill:
    point: str
    landed: bool                      # killed by the signal at that point, not ended before
    incomplete: list[str]             # files visible but not whole right after the kill
    snapshot: Path                    # a copy of the folder right after the kill
    next_log: str = ""                # what the run after the kill logged


@dataclass
class Chain:
    root: Path
    kills: dict[str, Kill] = field(default_factory=dict)
    refused: str = ""                 # what a second run said while the first held the lock
    first_pid: int = 0


@pytest.fixture(scope="module")
def chain(tmp_path_factory, inputs, models, reference) -> Chain:
    """One session folder, killed at every point in turn, each time restarted; then finished.

    Each restart resumes the work of all the interrupted runs before it, so the whole chain
    costs about one run plus the restarts. While the first run holds the lock (stopped
    with SIGSTOP so it cannot finish meanwhile), a second run is tried through the CLI.
    """
    base = tmp_path_factory.mktemp("chain")
    out = base / "session"
    chain = Chain(out)
    launches = []
    for number, (point, reached) in enumerate(KILL_POINTS.items()):
        old = _temporaries(out) if out.exists() else set()
        launch = process.start(*inputs, out, models, base / f"run{number}.log")
        if number == 0:
            chain.first_pid = launch.proc.pid
            chain.refused = _second_run_output(inputs, out, models, launch)
        landed = process.kill_when(launch, lambda: reached(out, old))
        snapshot = base / f"after-{point}"
        shutil.copytree(out, snapshot)
        chain.kills[point] = Kill(point, landed, incomplete_files(snapshot), snapshot)
        launches.append(launch)
    final = process.start(*inputs, out, models, base / "final.log")
    process.finish(final)
    for kill, following in zip(chain.kills.values(), launches[1:] + [final]):
        kill.next_log = following.log
    return chain


def _checkpoint(out: Path) -> dict | None:
    path = out / ".work/transcribe/checkpoint.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _second_run_output(inputs, out: Path, models, first: process.Launch) -> str:
    """Wait until the first run holds the lock, then try a second run through the CLI."""
    lock = out / ".work" / "lock"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and first.proc.poll() is None:
        try:
            if json.loads(lock.read_text()).get("pid") == first.proc.pid:
                break
        except (OSError, ValueError):
            pass
        time.sleep(process.POLL_S)
    os.kill(first.proc.pid, signal.SIGSTOP)     # hold it still: the lock stays held
    try:
        result = _cli_run(inputs, out, models)
    finally:
        os.kill(first.proc.pid, signal.SIGCONT)
    return f"exit {result.exit_code}: {result.output}"


def _cli_run(inputs, out: Path, models, *extra: str):
    from pipeline.cli import main

    recording, agenda = inputs
    return CliRunner().invoke(main, [
        "run", str(recording), "--agenda", str(agenda), "--out", str(out), "--quiet",
        "--asr-model", str(models.asr), "--mt-model", f"fr={models.fr}",
        "--mt-model", f"es={models.es}", *extra])


def _same_outputs(actual_root: Path, expected_root: Path) -> None:
    actual, expected = outputs(actual_root), outputs(expected_root)
    assert sorted(actual) == sorted(expected)
    differing = [rel for rel in expected if actual[rel] != expected[rel]]
    assert not differing, f"differ from the uninterrupted run: {differing}"


def _drafts(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.draft.*"))


# -- kill -9 at chosen points ------------------------------------------------------------

@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_kill_leaves_only_whole_files(chain, point):
    kill = chain.kills[point]
    assert kill.landed, f"the run ended before reaching {point!r}"
    assert kill.incomplete == []
    assert "Traceback" not in kill.next_log, kill.next_log[-3000:]


def test_after_every_kill_the_rerun_equals_an_uninterrupted_run(chain, reference):
    _same_outputs(chain.root, reference[0])


def test_after_every_kill_the_folder_verifies_with_no_false_edits(chain):
    from pipeline.verify import verify_session

    assert _drafts(chain.root) == []            # no interrupted write mistaken for an edit
    report = verify_session(chain.root)
    assert report.ok, report.problems           # no leftover temporary file, no stale record
    assert not (chain.root / ".work/transcribe/checkpoint.json").exists()


def test_a_killed_transcription_resumes_from_its_last_checkpoint(chain):
    kill = chain.kills["transcribing"]
    state = json.loads((kill.snapshot / ".work/transcribe/checkpoint.json").read_text())
    assert (state["next_index"] >= 1 or state["next_clip"] >= 1) and state["words"]
    assert not (kill.snapshot / "en" / "transcript.json").exists()
    where = f"(window {state['next_index'] + 1}, clip {state['next_clip'] + 1})"
    assert f"{where} from the checkpoint" in kill.next_log


def test_a_lock_left_by_a_killed_run_is_taken_over(chain):
    for kill in chain.kills.values():
        assert "Taking over a stale lock" in kill.next_log, kill.point


def test_a_second_run_is_refused_naming_the_first_runs_process(chain):
    assert chain.refused.startswith("exit 1: Error: "), chain.refused
    assert f"process {chain.first_pid}" in chain.refused
    assert len(chain.refused.strip().splitlines()) == 1


def test_a_killed_translation_resumes_from_the_memory(chain, reference, models, tmp_path):
    """The memory a killed run left is reused; only the rest is translated."""
    from helpers.sessions import translate

    from pipeline.session import Session

    folder = tmp_path / "session"
    shutil.copytree(chain.kills["translating-fr"].snapshot, folder)
    memory = json.loads((folder / ".work/translate/memory-fr.json").read_text())
    assert memory["entries"]
    session = Session.open(folder)
    options = driver_options(str(models.asr), str(models.fr), str(models.es)).translate
    translate(session, options)
    counts = session.stage("translate")["languages"]["fr"]["counts"]
    assert counts["reused"] >= 1 and counts["translated"] >= 1
    assert counts["reused"] + counts["translated"] == len(
        json.loads((folder / "en/transcript.json").read_text())["segments"])
    for rel in ("fr/transcript.json", "es/transcript.json"):
        assert (folder / rel).read_bytes() == (reference[0] / rel).read_bytes(), rel


# -- kill -9 at a random moment ------------------------------------------------------------

def test_a_run_killed_at_a_random_moment_finishes_like_a_clean_run(tmp_path, inputs, models,
                                                                   reference):
    from pipeline.verify import verify_session

    out, seconds = reference
    delay = random.Random(SEED).uniform(0.5, seconds)
    killed = process.start(*inputs, tmp_path / "session", models, tmp_path / "killed.log")
    landed = process.kill_after(killed, delay)
    print(f"FAULT_SEED={SEED}: killed after {delay:.2f} s of {seconds:.1f} s (landed: {landed})")
    assert incomplete_files(tmp_path / "session") == [] if (tmp_path / "session").exists() else True
    rerun = process.start(*inputs, tmp_path / "session", models, tmp_path / "rerun.log")
    process.finish(rerun)
    _same_outputs(tmp_path / "session", out)
    assert _drafts(tmp_path / "session") == []
    assert verify_session(tmp_path / "session").ok


# -- disk full and permission denied -------------------------------------------------------

class _FailingOs:
    """``os`` as pipeline.fsio sees it, whose ``replace`` fails after ``after`` successes."""

    def __init__(self, code: int, after: int):
        self.code, self.left, self.failed = code, after, 0

    def __getattr__(self, name):
        return getattr(os, name)

    def replace(self, src, dst):
        if self.left <= 0:
            self.failed += 1
            raise OSError(self.code, os.strerror(self.code), str(dst))
        self.left -= 1
        return os.replace(src, dst)


@pytest.mark.parametrize("code,after", [(errno.ENOSPC, 0), (errno.ENOSPC, 3),
                                        (errno.ENOSPC, 12), (errno.EACCES, 6)])
def test_a_failed_write_keeps_the_good_files_and_the_run_resumes(
        tmp_path, monkeypatch, inputs, models, reference, code, after):
    """Spanish must be redone (its files and memory are gone) when a write fails."""
    from pipeline import fsio
    from pipeline.errors import SessionError
    from pipeline.runner import run_session
    from pipeline.session import Session
    from pipeline.verify import verify_session

    folder = tmp_path / "session"
    shutil.copytree(reference[0], folder)
    shutil.rmtree(folder / "es")
    (folder / ".work/translate/memory-es.json").unlink()
    before = checksums(folder)
    options = driver_options(str(models.asr), str(models.fr), str(models.es))
    failing = _FailingOs(code, after)
    monkeypatch.setattr(fsio, "os", failing)
    with pytest.raises(SessionError) as info:
        run_session(*inputs, folder, options=options)
    monkeypatch.setattr(fsio, "os", os)
    message = str(info.value)
    assert failing.failed == 1 and len(message.splitlines()) == 1
    assert ("disk is full" if code == errno.ENOSPC else "permission denied") in message
    after_failure = checksums(folder)
    kept = [rel for rel in before if not rel.startswith(".work/") and rel != "session.json"]
    assert {rel: after_failure.get(rel) for rel in kept} == {rel: before[rel] for rel in kept}
    assert not [p for p in folder.rglob("*.tmp")]
    assert incomplete_files(folder) == []
    Session.open(folder, create=False)             # the manifest still opens

    run_session(*inputs, folder, options=options)  # space freed: the same run again
    _same_outputs(folder, reference[0])
    assert verify_session(folder).ok


# -- damaged checkpoints, caches and manifest ----------------------------------------------

def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(random.Random(SEED).randbytes(max(64, path.stat().st_size // 4)))


def _retouch(path: Path) -> None:
    """Still valid JSON, but one recognised word (or translation) changed."""
    data = json.loads(path.read_text())
    if "words" in data:
        data["words"][0][2] = "Tampered"
    else:
        key = sorted(data["entries"])[0]
        data["entries"][key] = "Tampered"
    path.write_text(json.dumps(data))


DAMAGE = {"truncated": _truncate, "garbage": _garbage, "retouched": _retouch}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_transcription_checkpoint_is_never_trusted(chain, tmp_path, damage):
    from pipeline.transcribe import checkpoint

    path = tmp_path / "checkpoint.json"
    shutil.copy(chain.kills["transcribing"].snapshot / ".work/transcribe/checkpoint.json", path)
    fingerprint = json.loads(path.read_text())["fingerprint"]
    assert checkpoint.load(path, fingerprint) is not None      # the real one is used
    DAMAGE[damage](path)
    assert checkpoint.load(path, fingerprint) is None


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_translation_memory_is_rebuilt(tmp_path, reference, models, damage):
    from helpers.sessions import translate

    from pipeline.session import Session

    folder = tmp_path / "session"
    shutil.copytree(reference[0], folder)
    DAMAGE[damage](folder / ".work/translate/memory-fr.json")
    session = Session.open(folder)
    options = driver_options(str(models.asr), str(models.fr), str(models.es)).translate
    translate(session, options, force=True)
    fr = session.stage("translate")["languages"]["fr"]["counts"]
    assert fr["memory_rebuilt"] is True and fr["reused"] == 0
    assert (folder / "fr/transcript.json").read_bytes() == \
        (reference[0] / "fr/transcript.json").read_bytes()
    assert json.loads((folder / ".work/translate/memory-fr.json").read_text())["entries"]


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_manifest_stops_the_run_with_what_to_do(tmp_path, reference, inputs, models,
                                                           damage):
    """Rebuilding a manifest from the files would forget which files editors changed, so a
    damaged one is refused with one sentence, and nothing in the folder is touched."""
    folder = tmp_path / "session"
    shutil.copytree(reference[0], folder)
    manifest = folder / "session.json"
    if damage == "retouched":
        data = json.loads(manifest.read_text())
        data["files"]["en/summary.md"]["sha256"] = "0" * 64
        manifest.write_text(json.dumps(data))
    else:
        DAMAGE[damage](manifest)
    before = checksums(folder)
    result = _cli_run(inputs, folder, models)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "session.json" in lines[0]
    assert "backup" in lines[0]
    assert checksums(folder) == before


# -- verify --------------------------------------------------------------------------------

LANGUAGE_FILES = ("transcript.json", "transcript.srt", "transcript.vtt", "transcript.txt",
                  "transcript.md", "transcript.docx", "summary.md", "summary.docx")
OUTPUT_FILES = ([f"{lang}/{name}" for lang in ("en", "fr", "es") for name in LANGUAGE_FILES]
                + [f"{lang}/glossary-report.{ext}" for lang in ("fr", "es") for ext in ("json", "md")]
                + ["sections.json", "speakers.json", "report.html"])


def test_the_manifest_lists_every_output(reference):
    manifest = json.loads((reference[0] / "session.json").read_text())
    assert sorted(manifest["files"]) == sorted(OUTPUT_FILES)


@pytest.mark.parametrize("relpath", OUTPUT_FILES + ["session.json"])
def test_verify_catches_a_flipped_byte(tmp_path, reference, relpath):
    from pipeline.cli import main

    folder = tmp_path / "session"
    shutil.copytree(reference[0], folder)
    clean = CliRunner().invoke(main, ["verify", str(folder)])
    assert clean.exit_code == 0, clean.output
    target = folder / relpath
    data = bytearray(target.read_bytes())
    offset = random.Random(f"{SEED}{relpath}").randrange(len(data))
    data[offset] ^= 0x01
    target.write_bytes(bytes(data))
    result = CliRunner().invoke(main, ["verify", str(folder)])
    assert result.exit_code == 1
    # A flip that breaks the manifest's JSON makes it unreadable: verify says so instead.
    assert any((line.startswith("changed") or line.startswith("Error: ")) and relpath in line
               for line in result.output.splitlines()), result.output
