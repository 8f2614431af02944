"""A voice for every word, and sentences split at the word where the voice changes.

Sentence ids: a sentence said by one voice keeps its id. A sentence with a change of voice
inside is cut at the word where the voice changes; its first piece keeps the sentence's id
and each later piece takes a new id, above every id of the transcript, handed out in time
order. Each piece records the id it was cut from (``split_from``). Translation runs on the
pieces, so every language has the same ids, times and speakers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from pipeline.formats.transcript import Sentence, Word
from pipeline.speakers.cluster import Clustering
from pipeline.speakers.embed import VoiceWindows
from pipeline.speakers.model import SpokenSentence, Turn
from pipeline.speakers.options import SpeakerOptions


def label(index: int) -> str:
    """The label of voice ``index``: S1, S2, …"""
    return f"S{index + 1}"


def sentence_vectors(windows: VoiceWindows, count: int) -> tuple[np.ndarray, np.ndarray]:
    """(mean unit vector, seconds of speech its windows span) of each of ``count`` sentences."""
    sums = np.zeros((count, windows.vectors.shape[1]))
    np.add.at(sums, windows.sentence, windows.vectors)
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    first = np.full(count, np.inf)
    last = np.full(count, -np.inf)
    np.minimum.at(first, windows.sentence, windows.starts)
    np.maximum.at(last, windows.sentence, windows.ends)
    seconds = np.where(np.isfinite(first), last - first, 0.0)
    return sums / np.where(norms == 0, 1, norms), seconds


def word_voices(sentences: Sequence[Sentence], windows: VoiceWindows, clustering: Clustering,
                options: SpeakerOptions = SpeakerOptions()) -> list[np.ndarray]:
    """A voice index for every word of every sentence (the sentence's own voice where it has
    no words): the most likely sequence given each word's likeness to each voice, where a
    change of voice costs ``switch_penalty`` inside a sentence and a quarter of it between
    two sentences."""
    scores = windows.vectors @ clustering.centroids.T
    emissions, switch = [], []
    for index, sentence in enumerate(sentences):
        mine = np.flatnonzero(windows.sentence == index)
        for k, (start, end) in enumerate(_word_spans(sentence)):
            emissions.append(_emission(scores, windows, mine, (start + end) / 2, clustering.count))
            switch.append(options.switch_penalty * (0.25 if k == 0 else 1.0))
    path = _viterbi(np.array(emissions).reshape(-1, clustering.count), np.array(switch))
    voices, at = [], 0
    for sentence in sentences:
        size = max(1, len(sentence.words))
        voices.append(path[at:at + size])
        at += size
    return voices


def split(sentences: Sequence[Sentence], voices: Sequence[np.ndarray],
          options: SpeakerOptions = SpeakerOptions()) -> list[SpokenSentence]:
    """Sentences of one voice each: a sentence whose words change voice is cut there (see the
    module docstring for ids); a piece shorter than ``min_split_s`` or ``min_split_words``
    stays with its neighbour, so one odd word never makes a sentence."""
    next_id = max((s.id for s in sentences), default=0) + 1
    out: list[SpokenSentence] = []
    for sentence, voice in zip(sentences, voices):
        runs = _runs(sentence, voice, options)
        if len(runs) == 1 or not _splittable(sentence):
            out.append(SpokenSentence(sentence, label(_dominant(sentence, voice))))
            continue
        for number, (lo, hi, index) in enumerate(runs):
            ident = sentence.id if number == 0 else next_id
            next_id += number > 0
            out.append(SpokenSentence(_piece(sentence, lo, hi, ident), label(index),
                                      split_from=sentence.id))
    return out


def pieces(spoken: Sequence[SpokenSentence]) -> dict[int, int]:
    """Id of every later piece of a cut sentence -> the id of the sentence it was cut from."""
    return {s.sentence.id: s.split_from for s in spoken
            if s.split_from is not None and s.sentence.id != s.split_from}


def rejoin(sentences: Sequence[Sentence], cut: Mapping[int, int]) -> list[Sentence]:
    """The sentences as they were before :func:`split` cut them (``cut``: :func:`pieces`):
    each later piece joined again to the piece before it, when that is where it was cut from,
    so that listening again starts from the recognised sentences (and a cut can be undone)."""
    out: list[Sentence] = []
    origin: list[int] = []
    for sentence in sentences:
        if out and cut.get(sentence.id) == origin[-1]:
            before = out[-1]
            out[-1] = replace(before, end=max(before.end, sentence.end),
                              text=f"{before.text} {sentence.text}",
                              words=before.words + sentence.words)
        else:
            out.append(sentence)
            origin.append(sentence.id)
    return out


def turns(spoken: Sequence[SpokenSentence], gap_s: float) -> list[Turn]:
    """Consecutive sentences of one voice, less than ``gap_s`` apart, as turns."""
    found: list[Turn] = []
    for item in spoken:
        s = item.sentence
        last = found[-1] if found else None
        if last and last.speaker == item.speaker and s.start - last.end < gap_s:
            found[-1] = replace(last, end=max(last.end, s.end), sentences=last.sentences + (s.id,))
        else:
            found.append(Turn(item.speaker, s.start, s.end, (s.id,)))
    return found


def _word_spans(sentence: Sentence) -> list[tuple[float, float]]:
    if sentence.words:
        return [(w.start, w.end) for w in sentence.words]
    return [(sentence.start, sentence.end)]


def _emission(scores, windows: VoiceWindows, mine: np.ndarray, at: float, count: int):
    """Mean likeness to each voice of the sentence's windows that cover time ``at`` (the
    nearest window when none does)."""
    if not len(mine):
        return np.zeros(count)
    cover = mine[(windows.starts[mine] <= at) & (windows.ends[mine] >= at)]
    if not len(cover):
        cover = mine[[int(np.argmin(np.abs(windows.centres[mine] - at)))]]
    return scores[cover].mean(axis=0)


def _viterbi(emissions: np.ndarray, switch: np.ndarray) -> np.ndarray:
    """The voice sequence maximising likeness minus ``switch[t]`` for each change before t."""
    steps, count = emissions.shape
    if steps == 0:
        return np.zeros(0, np.int64)
    back = np.zeros((steps, count), np.int64)
    best = emissions[0].copy()
    for t in range(1, steps):
        stay = best
        move = best.max() - switch[t]
        back[t] = np.where(stay >= move, np.arange(count), int(np.argmax(best)))
        best = np.maximum(stay, move) + emissions[t]
    path = np.zeros(steps, np.int64)
    path[-1] = int(np.argmax(best))
    for t in range(steps - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def _runs(sentence: Sentence, voice: np.ndarray, options: SpeakerOptions):
    """(first word, end word, voice) of each stretch of one voice, short ones merged away,
    each cut moved to the longest pause near it."""
    if len(sentence.words) < 2:
        return [(0, len(voice), int(voice[0]))]
    runs = [[k, k + 1, int(v)] for k, v in enumerate(voice)]
    runs = _joined(runs)
    while len(runs) > 1:
        weakest = min(range(len(runs)), key=lambda r: _length(sentence, runs[r]))
        if _long_enough(sentence, runs[weakest], options):
            break
        other = _neighbour(sentence, runs, weakest)
        runs[other][0] = min(runs[other][0], runs[weakest][0])
        runs[other][1] = max(runs[other][1], runs[weakest][1])
        del runs[weakest]
        runs = _joined(runs)
    for r in range(1, len(runs)):
        cut = _at_pause(sentence.words, runs[r][0], runs[r - 1][0] + options.min_split_words,
                        runs[r][1] - options.min_split_words)
        runs[r - 1][1] = runs[r][0] = cut
    return [tuple(run) for run in runs]


def _joined(runs):
    out = []
    for run in runs:
        if out and out[-1][2] == run[2]:
            out[-1][1] = run[1]
        else:
            out.append(list(run))
    return out


def _length(sentence: Sentence, run) -> float:
    return sentence.words[run[1] - 1].end - sentence.words[run[0]].start


def _long_enough(sentence: Sentence, run, options: SpeakerOptions) -> bool:
    return (run[1] - run[0] >= options.min_split_words
            and _length(sentence, run) >= options.min_split_s)


def _neighbour(sentence: Sentence, runs, index: int) -> int:
    """The longer of the runs beside ``index``."""
    sides = [i for i in (index - 1, index + 1) if 0 <= i < len(runs)]
    return max(sides, key=lambda i: _length(sentence, runs[i]))


def _at_pause(words: Sequence[Word], cut: int, lo: int, hi: int) -> int:
    """The word boundary within two words of ``cut`` (and within [lo, hi]) after the
    longest silence: voices change in pauses."""
    choices = [k for k in range(cut - 2, cut + 3) if max(lo, 1) <= k <= min(hi, len(words) - 1)]
    if not choices:
        return cut
    return max(choices, key=lambda k: (round(words[k].start - words[k - 1].end, 2), -abs(k - cut)))


def _dominant(sentence: Sentence, voice: np.ndarray) -> int:
    spans = _word_spans(sentence)
    seconds = np.bincount(voice, weights=[max(e - s, 0.01) for s, e in spans])
    return int(np.argmax(seconds))


def _splittable(sentence: Sentence) -> bool:
    """A sentence can be cut by words only while its text is still its words' (not edited)."""
    return " ".join(sentence.text.split()) == " ".join("".join(w.text for w in sentence.words).split())


def _piece(sentence: Sentence, lo: int, hi: int, ident: int) -> Sentence:
    words = sentence.words[lo:hi]
    return replace(sentence, id=ident, start=words[0].start if lo else sentence.start,
                   end=words[-1].end if hi < len(sentence.words) else sentence.end,
                   text="".join(w.text for w in words).strip(), words=tuple(words))
