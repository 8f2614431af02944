"""The CTranslate2 instruction-set choice: AVX-512 where the CPU has it, the user's word first."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipeline.cpu import (
    AVX512_FLAGS,
    ISA_VARIABLE,
    cpu_flags,
    ctranslate2_isa,
    prepare_ctranslate2,
)


@pytest.fixture
def no_choice(monkeypatch):
    """No choice made yet; whatever a test sets is undone after it."""
    monkeypatch.setenv(ISA_VARIABLE, "")              # recorded, so restored afterwards
    monkeypatch.delenv(ISA_VARIABLE)


def test_flags_are_read_from_cpuinfo(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nmodel name\t: Example CPU\n"
                    "flags\t\t: fpu sse4_1 avx avx2 avx512f avx512bw\n\nprocessor\t: 1\n"
                    "flags\t\t: something else\n", encoding="ascii")
    assert cpu_flags(info) == {"fpu", "sse4_1", "avx", "avx2", "avx512f", "avx512bw"}
    assert cpu_flags(tmp_path / "missing") == frozenset()


def test_avx512_is_asked_for_only_with_every_flag_ctranslate2_needs(no_choice):
    assert prepare_ctranslate2(frozenset({"avx2", "avx512f", "avx512bw"})) == "default"
    assert ctranslate2_isa() == "default"
    assert prepare_ctranslate2(AVX512_FLAGS | {"avx2"}) == "AVX512"
    assert ctranslate2_isa() == "AVX512"


def test_the_users_setting_is_kept(monkeypatch):
    monkeypatch.setenv(ISA_VARIABLE, "AVX2")
    assert prepare_ctranslate2(AVX512_FLAGS) == "AVX2"
    assert ctranslate2_isa() == "AVX2"



_LOAD = """
import os, sys
from faster_whisper import WhisperModel
from pipeline import cpu

cpu.prepare_ctranslate2(cpu.AVX512_FLAGS)          # this module's choice ...
os.environ[cpu.ISA_VARIABLE] = sys.argv[2]          # ... which CTranslate2 will refuse
model = cpu.load_ctranslate2(lambda: WhisperModel(sys.argv[1], device="cpu",
                                                  compute_type="int8"))
print("loaded", cpu.ctranslate2_isa())
"""


def _load(model_dir, isa: str, *, users: bool) -> subprocess.CompletedProcess:
    code = _LOAD if not users else _LOAD.replace("cpu.prepare_ctranslate2(cpu.AVX512_FLAGS)",
                                                 "pass")
    env = {k: v for k, v in os.environ.items() if k != ISA_VARIABLE}   # nothing inherited
    return subprocess.run([sys.executable, "-c", code, str(model_dir), isa],
                          capture_output=True, text=True, timeout=120, env=env)


def test_a_refused_choice_of_ours_falls_back_to_ctranslate2s_own(tiny_model_dir):
    """A fresh process (the instruction set is fixed once per process): CTranslate2 refuses
    the set chosen here, and the model is loaded with CTranslate2's own choice instead."""
    done = _load(tiny_model_dir, "AVX1024", users=False)       # no such instruction set
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["loaded", "default"]
    assert "using its own choice" in done.stderr


def test_a_refused_setting_of_the_users_is_an_error(tiny_model_dir):
    done = _load(tiny_model_dir, "AVX1024", users=True)
    assert done.returncode != 0
    assert "AVX1024" in done.stderr
