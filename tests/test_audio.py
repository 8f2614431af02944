"""Reading recordings: probe, 16 kHz streaming, exact seeking, quiet-point windows, bad inputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import wave
from pathlib import Path

import av
import numpy as np
import pytest

from pipeline import audio
from pipeline.errors import InputError

RATE = 44100
SR = audio.SAMPLE_RATE
# Speech bursts of 5.5 s separated by 1.5 s of near silence, so known quiet stretches exist.
PERIOD_S, TALK_S = 7.0, 5.5


def speechlike(seconds: float, rate: int, seed: int = 0) -> np.ndarray:
    """A voiced, syllable-modulated signal with regular pauses (float32, mono)."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    phase = 2 * np.pi * np.cumsum(130 + 25 * np.sin(2 * np.pi * 0.7 * t)) / rate
    voice = sum(np.sin(k * phase) / k for k in range(1, 9)) * 0.25
    syllables = np.sin(2 * np.pi * 3.1 * t) > -0.4
    talking = (t % PERIOD_S) < TALK_S
    noise = 0.001 * rng.standard_normal(len(t))
    return (voice * syllables * talking + noise).astype(np.float32)


def tone(seconds: float, rate: int, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def write_audio(path: Path, data: np.ndarray, rate: int, codec: str, *, fmt: str | None = None,
                video: bool = False) -> Path:
    """Encode ``data`` (channels x samples, float) with PyAV; optionally add a video track."""
    data = np.atleast_2d(data).astype(np.float32)
    layout = {1: "mono", 2: "stereo"}[data.shape[0]]
    with av.open(str(path), "w", format=fmt) as out:
        if video:
            picture = out.add_stream("mpeg4", rate=5)
            picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        sound = out.add_stream(codec, rate=rate)
        sound.layout = layout
        for start in range(0, data.shape[1], 4096):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(data[:, start:start + 4096]),
                                               format="fltp", layout=layout)
            frame.sample_rate, frame.pts = rate, start
            for packet in sound.encode(frame):
                out.mux(packet)
        for packet in sound.encode(None):
            out.mux(packet)
        if video:
            for i in range(int(data.shape[1] / rate * 5)):
                image = np.full((48, 64, 3), i * 7 % 255, np.uint8)
                frame = av.VideoFrame.from_ndarray(image, format="rgb24")
                frame.pts = i
                for packet in picture.encode(frame):
                    out.mux(packet)
            for packet in picture.encode(None):
                out.mux(packet)
    return path


FORMATS = {  # name: (file name, codec, container format, sample rate)
    "wav": ("a.wav", "pcm_s16le", None, RATE),
    "flac": ("a.flac", "flac", None, RATE),
    "mp3": ("a.mp3", "libmp3lame", None, RATE),
    "opus": ("a.ogg", "libopus", None, 48000),
    "m4a": ("a.m4a", "aac", None, RATE),
    "mp4": ("a.mp4", "aac", None, RATE),
    "mkv": ("a.mkv", "flac", None, 22050),
    "webm": ("a.webm", "libopus", None, 48000),
}
SECONDS = 12.0


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> dict[str, Path]:
    """One stereo recording per format (video formats carry a video track too)."""
    folder = tmp_path_factory.mktemp("media")
    made = {}
    for name, (file_name, codec, fmt, rate) in FORMATS.items():
        data = np.stack([speechlike(SECONDS, rate), 0.5 * speechlike(SECONDS, rate, seed=1)])
        made[name] = write_audio(folder / file_name, data, rate, codec, fmt=fmt,
                                 video=name in ("mp4", "mkv", "webm") and name != "webm")
    return made


@pytest.mark.parametrize("name", list(FORMATS))
def test_probe_reports_duration_channels_and_codec(media, name):
    info = audio.probe(media[name])
    assert abs(info.duration_s - SECONDS) < 0.05
    assert (info.channels, info.sample_rate) == (2, FORMATS[name][3])
    assert info.codec and info.container
    assert info.size_bytes == media[name].stat().st_size
    with pytest.raises(Exception):
        info.duration_s = 1.0  # frozen


@pytest.mark.parametrize("name", list(FORMATS))
def test_stream_yields_16k_mono_float_blocks(media, name):
    blocks = list(audio.stream(media[name], block_s=5.0))
    assert all(b.dtype == np.float32 and b.ndim == 1 for b in blocks)
    assert [len(b) for b in blocks[:-1]] == [5 * SR] * (len(blocks) - 1)
    whole = np.concatenate(blocks)
    assert abs(len(whole) / SR - SECONDS) < 0.05
    assert -1.0 <= whole.min() and whole.max() <= 1.0
    assert np.sqrt(np.mean(whole ** 2)) > 0.05  # real signal, not silence


def reference_decode(path: Path) -> np.ndarray:
    """Decode the whole file at once with PyAV and resample it in one call: the reference."""
    with av.open(str(path)) as container:
        rate = container.streams.audio[0].sample_rate
        to_float = av.AudioResampler(format="fltp", layout="stereo", rate=rate)
        frames = [g.to_ndarray() for f in container.decode(audio=0) for g in to_float.resample(f)]
    data = np.concatenate(frames, axis=1).mean(axis=0, keepdims=True)
    frame = av.AudioFrame.from_ndarray(data, format="flt", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SR)
    parts = [f.to_ndarray()[0] for f in resampler.resample(frame) + resampler.resample(None)]
    return np.concatenate(parts)


@pytest.mark.parametrize("name", ["wav", "opus", "mp3"])
def test_stream_matches_decoding_whole(media, name):
    streamed = np.concatenate(list(audio.stream(media[name], block_s=0.37)))
    whole = reference_decode(media[name])
    assert abs(len(streamed) - len(whole)) <= SR * 0.03
    n = min(len(streamed), len(whole)) - SR // 10
    assert np.max(np.abs(streamed[:n] - whole[:n])) < 1e-3


@pytest.mark.parametrize("name", list(FORMATS))
@pytest.mark.parametrize("start_s", [0.6, 3.3, 7.77])
def test_seeking_gives_the_samples_decoding_from_the_start_gives(media, name, start_s):
    full = audio.read(media[name])
    part = audio.read(media[name], start_s=start_s)
    offset = round(start_s * SR)
    assert abs(len(part) - (len(full) - offset)) <= 1
    n = min(len(part), len(full) - offset)
    diff = part[:n] - full[offset:offset + n]
    if FORMATS[name][1] == "aac":
        # AAC noise substitution draws from the decoder's random state, so only the
        # noise-filled bands differ after a seek: the signal itself must match closely.
        assert np.sqrt(np.mean(diff ** 2)) < 0.05 * np.sqrt(np.mean(part[:n] ** 2))
    else:
        limit = 1e-4 if FORMATS[name][1] in ("flac", "pcm_s16le") else 1e-3
        assert np.abs(diff).max() < limit, f"{name} at {start_s}: {np.abs(diff).max()}"


def test_starting_past_the_end_yields_nothing(media):
    assert list(audio.stream(media["opus"], start_s=SECONDS + 5)) == []


def test_read_returns_the_requested_range(media):
    full = audio.read(media["flac"])
    part = audio.read(media["flac"], start_s=2.0, end_s=4.5)
    assert len(part) == int(2.5 * SR)
    assert np.allclose(part, full[2 * SR:int(4.5 * SR)], atol=1e-4)


def dominant_hz(x: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / SR)[np.argmax(spectrum)])


@pytest.fixture(scope="module")
def two_channel(tmp_path_factory) -> Path:
    """A floor tone (440 Hz) on channel 0 and speech with pauses on channel 1."""
    folder = tmp_path_factory.mktemp("channels")
    data = np.stack([tone(8.0, RATE), speechlike(8.0, RATE)])
    return write_audio(folder / "booths.flac", data, RATE, "flac")


def test_channel_selection_picks_the_right_channel(two_channel):
    left = audio.read(two_channel, channel=0)
    right = audio.read(two_channel, channel=1)
    mixed = audio.read(two_channel, channel="mix")
    assert abs(dominant_hz(left) - 440) < 2
    assert abs(dominant_hz(right) - 440) > 20
    pause = slice(int(6.0 * SR), int(6.9 * SR))  # the speech channel pauses here
    assert np.sqrt(np.mean(right[pause] ** 2)) < 0.01 < np.sqrt(np.mean(left[pause] ** 2))
    assert np.allclose(mixed, (left + right) / 2, atol=1e-4)
    assert np.array_equal(mixed, audio.read(two_channel))


def test_each_of_four_channels_can_be_chosen(tmp_path):
    """Packed 16-bit WAV with four booths: channel k carries a tone of 300 * (k + 1) Hz."""
    tones = np.stack([tone(3.0, SR, 300.0 * (k + 1)) for k in range(4)])
    path = tmp_path / "four.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(4)
        out.setsampwidth(2)
        out.setframerate(SR)
        out.writeframes((tones.T * 32767).astype("<i2").tobytes())
    assert audio.probe(path).channels == 4
    for k in range(4):
        assert abs(dominant_hz(audio.read(path, channel=k)) - 300.0 * (k + 1)) < 2
    assert audio.read(path, channel="2").shape == audio.read(path, channel=2).shape
    with pytest.raises(InputError, match="from 0 to 3"):
        audio.probe(path) and audio.read(path, channel=4)


@pytest.mark.parametrize("channel", [2, -1, "left", 1.0])
def test_a_channel_outside_the_recording_is_refused(two_channel, channel):
    with pytest.raises(InputError, match="0 to 1") as caught:
        audio.read(two_channel, channel=channel)
    assert_one_sentence(caught.value, two_channel)


def assert_one_sentence(error: Exception, path: Path | None = None) -> None:
    text = str(error)
    assert "\n" not in text and text.endswith(".")
    assert text[0].isupper() or text[0] == "/"
    if path is not None:
        assert str(path) in text


def bad_inputs(folder: Path, media: dict[str, Path]) -> dict[str, Path]:
    made = {"missing": folder / "nothing-here.wav", "folder": folder}
    made["text"] = folder / "notes.mp3"
    made["text"].write_text("Minutes of the meeting.\n" * 40)
    made["random"] = folder / "noise.wav"
    made["random"].write_bytes(np.random.default_rng(3).bytes(40_000))
    made["empty file"] = folder / "empty.wav"
    made["empty file"].write_bytes(b"")
    made["zero-length wav"] = folder / "zero.wav"
    with wave.open(str(made["zero-length wav"]), "wb") as header_only:
        header_only.setnchannels(1)
        header_only.setsampwidth(2)
        header_only.setframerate(SR)
    made["png"] = folder / "slide.png"
    with av.open(str(made["png"]), "w", format="image2") as out:
        picture = out.add_stream("png", rate=1)
        picture.width, picture.height, picture.pix_fmt = 8, 8, "rgb24"
        for packet in picture.encode(av.VideoFrame.from_ndarray(np.zeros((8, 8, 3), np.uint8))):
            out.mux(packet)
    made["silent video"] = folder / "silent.mp4"
    with av.open(str(made["silent video"]), "w") as out:
        picture = out.add_stream("mpeg4", rate=5)
        picture.width, picture.height, picture.pix_fmt = 64, 48, "yuv420p"
        for i in range(5):
            frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            frame.pts = i
            for packet in picture.encode(frame):
                out.mux(packet)
        for packet in picture.encode(None):
            out.mux(packet)
    made["header only"] = folder / "cut.m4a"
    made["header only"].write_bytes(media["m4a"].read_bytes()[:400])
    return made


BAD = ["missing", "folder", "text", "random", "empty file", "zero-length wav", "png",
       "silent video", "header only"]


@pytest.fixture(scope="module")
def bad(tmp_path_factory, media) -> dict[str, Path]:
    return bad_inputs(tmp_path_factory.mktemp("bad"), media)


@pytest.mark.parametrize("kind", BAD)
def test_bad_inputs_raise_one_clear_sentence(bad, kind):
    with pytest.raises(InputError) as caught:
        audio.probe(bad[kind])
    assert_one_sentence(caught.value, bad[kind])
    with pytest.raises(InputError):
        list(audio.stream(bad[kind]))


@pytest.mark.parametrize("kind, words", [
    ("missing", "does not exist"), ("folder", "folder"), ("text", "not a readable audio"),
    ("png", "no audio track"), ("silent video", "no audio track"),
    ("zero-length wav", "no audio"), ("empty file", "empty"),
])
def test_bad_inputs_say_what_is_wrong(bad, kind, words):
    with pytest.raises(InputError, match=words):
        audio.probe(bad[kind])


@pytest.mark.parametrize("name, header_knows", [
    ("mp3", True), ("flac", True),
    ("opus", False),  # Ogg takes its duration from the last complete page: nothing to warn of
    ("wav", False),  # FFmpeg sizes a WAV by the bytes present: nothing to warn of
])
def test_a_truncated_file_gives_what_it_holds(media, tmp_path, name, header_knows, caplog):
    data = media[name].read_bytes()
    cut = tmp_path / f"cut{media[name].suffix}"
    cut.write_bytes(data[:int(len(data) * 0.6)])
    info = audio.probe(cut)
    assert 0.4 * SECONDS < info.duration_s < 0.75 * SECONDS
    decoded = np.concatenate(list(audio.stream(cut)))
    assert abs(len(decoded) / SR - info.duration_s) < 0.03
    assert ("truncated" in caplog.text) == header_knows


@pytest.fixture(scope="module")
def long_media(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("long")
    data = speechlike(30.0, 48000)[None]
    return {"opus": write_audio(folder / "l.ogg", data, 48000, "libopus"),
            "mp3": write_audio(folder / "l.mp3", data[:, ::3].repeat(1, axis=0), 16000,
                               "libmp3lame"),
            "flac": write_audio(folder / "l.mkv", data, 48000, "flac")}


@pytest.mark.parametrize("name", ["opus", "mp3", "flac"])
def test_corruption_in_the_middle_is_reported_with_its_time(long_media, tmp_path, name):
    data = bytearray(long_media[name].read_bytes())
    middle = len(data) // 2
    data[middle:middle + 3000] = np.random.default_rng(7).bytes(3000)
    bad = tmp_path / f"bad{long_media[name].suffix}"
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"corrupt at 00:00:(1\d|0[89])") as caught:
        for _ in audio.stream(bad):
            pass
    assert_one_sentence(caught.value, bad)


def test_sha256_matches_the_file(media):
    import hashlib

    assert audio.sha256(media["wav"]) == hashlib.sha256(media["wav"].read_bytes()).hexdigest()
    with pytest.raises(InputError):
        audio.sha256(media["wav"].parent / "absent.wav")


# ---- windows -------------------------------------------------------------------------------

def in_pause(t: float, margin: float = 0.15) -> bool:
    """True where the speechlike signal is in one of its pauses (with a safety margin)."""
    phase = t % PERIOD_S
    return TALK_S + margin <= phase <= PERIOD_S - margin


@pytest.fixture(scope="module")
def meeting(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("meeting")
    return write_audio(folder / "meeting.ogg", speechlike(95.0, 48000, seed=5)[None], 48000,
                       "libopus")


def test_windows_cut_in_pauses_and_cover_the_recording(meeting):
    found = list(audio.windows(meeting, target_s=20.0, search_s=4.0))
    assert [w.index for w in found] == list(range(len(found)))
    assert len(found) >= 4
    assert found[0].start_s == 0.0
    for before, after in zip(found, found[1:]):
        assert before.end_s == after.start_s
        assert in_pause(before.end_s), f"cut at {before.end_s:.2f} s is not in a pause"
        assert 16.0 <= before.end_s - before.start_s <= 24.0
    for w in found:
        assert len(w.samples) == round(w.end_s * SR) - round(w.start_s * SR)
    whole = audio.read(meeting)
    assert abs(found[-1].end_s - len(whole) / SR) < 1e-6
    assert np.array_equal(np.concatenate([w.samples for w in found]), whole)


def test_resumed_windows_are_cut_identically(meeting):
    first = list(audio.windows(meeting, target_s=20.0, search_s=4.0))
    for k in (1, 3):
        resumed = list(audio.windows(meeting, target_s=20.0, search_s=4.0, start_index=k,
                                     start_s=first[k].start_s))
        assert [(w.index, w.start_s, w.end_s) for w in resumed] == \
            [(w.index, w.start_s, w.end_s) for w in first[k:]]
        for a, b in zip(resumed, first[k:]):
            assert np.max(np.abs(a.samples - b.samples)) < 1e-3


def test_a_shorter_first_window_then_full_ones_resumed_identically(meeting):
    found = list(audio.windows(meeting, target_s=30.0, search_s=4.0, first_s=12.0))
    assert 8.0 <= found[0].end_s <= 16.0 and in_pause(found[0].end_s)
    for before in found[1:-1]:
        assert 26.0 <= before.end_s - before.start_s <= 34.0 and in_pause(before.end_s)
    assert np.array_equal(np.concatenate([w.samples for w in found]), audio.read(meeting))
    resumed = list(audio.windows(meeting, target_s=30.0, search_s=4.0, first_s=12.0,
                                 start_index=1, start_s=found[1].start_s))
    assert [(w.index, w.start_s, w.end_s) for w in resumed] == \
        [(w.index, w.start_s, w.end_s) for w in found[1:]]


def test_window_arguments_are_checked(meeting):
    with pytest.raises(ValueError, match="search_s"):
        next(audio.windows(meeting, target_s=10.0, search_s=10.0))
    with pytest.raises(ValueError, match="search_s"):
        next(audio.windows(meeting, target_s=30.0, search_s=4.0, first_s=4.0))


# ---- bounded memory -------------------------------------------------------------------------

MEASURE = r"""
import json, sys, time
from pipeline import audio

def status_kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])

path, target = sys.argv[1], float(sys.argv[2])
next(audio.stream(path, block_s=1.0))  # load the codecs before measuring
base = status_kib("VmRSS")
open("/proc/self/clear_refs", "w").write("5")  # restart the peak (VmHWM) from here
started = time.perf_counter()
count = seconds = 0
for window in audio.windows(path, target_s=target, search_s=10.0):
    count += 1
    seconds += len(window.samples) / audio.SAMPLE_RATE
    del window
print(json.dumps({"windows": count, "seconds": seconds,
                  "growth_mb": (status_kib("VmHWM") - base) / 1024,
                  "elapsed_s": time.perf_counter() - started}))
"""


def looped(clip: Path, out: Path, minutes: float) -> Path:
    """Repeat the packets of ``clip`` (re-timed) into ``out``: a long recording in a second."""
    with av.open(str(clip)) as source, av.open(str(out), "w", format="matroska") as target:
        stream = source.streams.audio[0]
        packets = [p for p in source.demux(stream) if p.size]
        copy = target.add_stream_from_template(stream)
        span = packets[-1].pts + packets[-1].duration - packets[0].pts
        for repeat in range(int(minutes * 60 / float(span * stream.time_base)) + 1):
            for packet in packets:
                packet.pts = packet.dts = packet.pts + (span if repeat else 0)
                packet.stream = copy
                target.mux(packet)
    return out


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
def test_forty_minutes_stream_in_bounded_memory(tmp_path):
    clip = write_audio(tmp_path / "clip.mka", speechlike(10.0, 22050)[None], 22050, "flac",
                       fmt="matroska")
    recording = looped(clip, tmp_path / "forty.mka", 40.0)
    assert audio.probe(recording).duration_s >= 2400
    result = subprocess.run([sys.executable, "-c", MEASURE, str(recording), "120"],
                            capture_output=True, text=True, check=True, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
    measured = json.loads(result.stdout)
    decoded_mb = measured["seconds"] * SR * 4 / 2 ** 20
    print(f"\n40-minute recording: {decoded_mb:.0f} MiB decoded, peak RSS growth "
          f"{measured['growth_mb']:.1f} MiB, {measured['windows']} windows in "
          f"{measured['elapsed_s']:.1f} s")
    assert measured["seconds"] >= 2400
    assert measured["growth_mb"] < decoded_mb / 4


def test_prefetched_windows_keep_their_order_and_decode_only_one_ahead():
    from pipeline.audio.windows import prefetched

    made = []

    def source():
        for i in range(5):
            made.append(i)
            yield i

    seen = []
    for item in prefetched(source()):
        seen.append(item)
        time.sleep(0.05)                      # the decoder has time to run ahead, if it would
        assert len(made) <= item + 2          # this one and, at most, the next
    assert seen == [0, 1, 2, 3, 4]


def test_prefetched_items_are_prepared_in_the_background_in_order():
    import threading

    from pipeline.audio.windows import prefetched

    where = []

    def prepare(item):
        where.append(threading.current_thread().name)
        if item == 2:
            raise InputError("No speech could be found in window 3.")
        return item * 10

    seen = []
    with pytest.raises(InputError, match="window 3"):
        for item in prefetched(iter(range(5)), prepare=prepare):
            seen.append(item)
    assert seen == [0, 10]
    assert all(name.startswith("window-decoder") for name in where)


def test_prefetched_windows_raise_the_decoders_error_in_order():
    from pipeline.audio.windows import prefetched

    def source():
        yield 0
        yield 1
        raise InputError("The recording is damaged at 20 minutes.")

    seen = []
    with pytest.raises(InputError, match="damaged at 20 minutes"):
        for item in prefetched(source()):
            seen.append(item)
    assert seen == [0, 1]
