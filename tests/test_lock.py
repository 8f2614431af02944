"""One run per session folder; a lock left by a killed run is taken over."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from pipeline.errors import SessionLockedError
from pipeline.lock import SessionLock

HOLD = textwrap.dedent("""
    import sys, time
    from pipeline.lock import SessionLock
    with SessionLock(sys.argv[1], "holder"):
        print("held", flush=True)
        time.sleep(60)
""")


def _start_holder(folder):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_run_is_refused_naming_the_first(tmp_path):
    holder = _start_holder(tmp_path)
    try:
        with pytest.raises(SessionLockedError) as info:
            SessionLock(tmp_path, "second").acquire()
        message = str(info.value)
        assert f"process {holder.pid}" in message and "holder" in message
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_lock_of_a_killed_run_is_taken_over(tmp_path, caplog):
    holder = _start_holder(tmp_path)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    left = json.loads((tmp_path / ".work" / "lock").read_text())
    assert left["pid"] == holder.pid
    with caplog.at_level("WARNING"):
        with SessionLock(tmp_path, "after"):
            mine = json.loads((tmp_path / ".work" / "lock").read_text())
            assert mine["pid"] == os.getpid() and mine["command"] == "after"
    assert "stale lock" in caplog.text


def test_released_lock_can_be_taken_again(tmp_path):
    with SessionLock(tmp_path, "one"):
        pass
    start = time.monotonic()
    with SessionLock(tmp_path, "two"):
        pass
    assert time.monotonic() - start < 1
