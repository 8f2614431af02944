"""Translate a list of texts through an engine: memory first, then length-sorted batches.

Each text is split to fit the model's input, translated, checked for repetition loops
(re-translated with stronger settings, then trimmed if still looping) and joined back;
the translation memory is saved after every batch, so it doubles as the checkpoint.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from pipeline.progress import Bar
from pipeline.translate.engines import Engine
from pipeline.translate.memory import TranslationMemory
from pipeline.translate.options import TranslateOptions
from pipeline.translate.repetition import find_loop, trim_loop
from pipeline.translate.split import join_parts, split_to_fit

log = logging.getLogger(__name__)


@dataclass
class Counts:
    """What happened to the sentences of one language in one run."""

    translated: int = 0
    reused: int = 0
    split: int = 0
    repetition_suppressed: int = 0
    repetition_trimmed: int = 0
    untranslated: int = 0
    extra: dict = field(default_factory=dict)

    def to_record(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "extra"} | self.extra


@dataclass
class _Part:
    owner: str           # the full source text this part belongs to
    index: int
    text: str
    tokens: int


def translate_texts(texts: list[str], engine: Engine, memory: TranslationMemory,
                    options: TranslateOptions, bar: Bar, counts: Counts) -> dict[str, str]:
    """The translation of every distinct text in ``texts`` (empty text → empty text)."""
    done: dict[str, str] = {"": ""}
    uses: dict[str, int] = {}
    for text in texts:
        uses[text] = uses.get(text, 0) + 1
    todo = []
    for text, n in uses.items():
        if not text.strip():
            done[text] = ""
            continue
        cached = memory.get(text)
        if cached is not None:
            done[text] = cached
            counts.reused += n
        else:
            todo.append(text)
    bar.set_total(sum(uses[t] for t in todo))
    parts = _split_all(todo, engine, options, counts)
    pieces: dict[str, dict[int, str]] = {t: {} for t in todo}
    needed = {t: sum(1 for p in parts if p.owner == t) for t in todo}
    for start in range(0, len(parts), options.batch_size):
        batch = parts[start:start + options.batch_size]
        for part, out in zip(batch, _translate_batch(batch, engine, options, counts)):
            pieces[part.owner][part.index] = out
        finished = [t for t in {p.owner for p in batch} if len(pieces[t]) == needed[t]]
        for text in finished:
            done[text] = join_parts([pieces[text][i] for i in range(needed[text])])
            memory.put(text, done[text])
            counts.translated += uses[text]
        memory.save()                     # the checkpoint: a killed run resumes from here
        bar.advance(sum(uses[t] for t in finished))
    return done


def _split_all(texts: list[str], engine: Engine, options: TranslateOptions,
               counts: Counts) -> list[_Part]:
    """Every text's parts that fit the model, sorted by length so batches pad little."""
    limit = options.max_input_tokens or engine.max_input_tokens
    limit = min(limit, engine.max_input_tokens)
    count = engine.count_tokens
    parts = []
    for text in texts:
        pieces = split_to_fit(text, count, limit)
        if len(pieces) > 1:
            counts.split += 1
            log.info("A sentence of %d characters is over the model's %d-token input; "
                     "translated in %d parts", len(text), limit, len(pieces))
        lengths = count(pieces)
        parts.extend(_Part(text, i, p, n) for i, (p, n) in enumerate(zip(pieces, lengths)))
    return sorted(parts, key=lambda p: p.tokens)


def _translate_batch(batch: list[_Part], engine: Engine, options: TranslateOptions,
                     counts: Counts) -> list[str]:
    outputs = engine.translate([p.text for p in batch])
    flagged = [i for i, (p, out) in enumerate(zip(batch, outputs))
               if not out or find_loop(p.text, out, options.max_length_ratio)]
    if not flagged:
        return outputs
    retried = engine.translate([batch[i].text for i in flagged],
                               no_repeat_ngram_size=options.retry_no_repeat_ngram_size,
                               min_output_tokens=1)
    for i, out in zip(flagged, retried):
        source, first = batch[i].text, outputs[i]
        if first:
            counts.repetition_suppressed += 1
            log.info("Repetition loop (%s) in the translation of %r; re-translated",
                     find_loop(source, first, options.max_length_ratio), source[:60])
        if out and find_loop(source, out, options.max_length_ratio):
            out = trim_loop(source, out, options.max_length_ratio)
            counts.repetition_trimmed += 1
        if not out:
            log.warning("No translation for %r; the English text is kept", source[:60])
            counts.untranslated += 1
            out = source
        outputs[i] = out
    return outputs
