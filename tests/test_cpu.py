"""The CTranslate2 instruction-set choice: AVX-512 where the CPU has it, the user's word first."""

from __future__ import annotations

import pytest

from pipeline.cpu import AVX512_FLAGS, ISA_VARIABLE, cpu_flags, ctranslate2_isa, prepare_ctranslate2


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

