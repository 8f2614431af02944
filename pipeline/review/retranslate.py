""""Translate again": the translation stage, with its memory, for the languages out of date.

Only the sentences whose English changed are translated (the others come from the
translation memory); an editor's own translation of a sentence is kept. Models are found
as the translate command finds them, never downloaded: a missing one is named.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace
from typing import Mapping

from pipeline.agenda import recorded_agenda
from pipeline.errors import ModelUnavailableError
from pipeline.formats import edits as edits_io
from pipeline.formats.edits import EDITS_FILE, Edits
from pipeline.review.state import SessionState
from pipeline.review.workspace import Workspace
from pipeline.translate.models import MarianModel, resolve_marian_model
from pipeline.translate.options import TranslateOptions
from pipeline.translate.stage import STAGE, translate_session

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retranslated:
    """What "translate again" did: sentences translated per language, and models missing."""

    translated: dict[str, int]
    missing: dict[str, str]          # language → why its model cannot be had

    @property
    def message(self) -> str:
        done = [f"{language}: {n} sentence{'' if n == 1 else 's'} translated again"
                for language, n in self.translated.items()]
        return "; ".join(done + list(self.missing.values())) or "Nothing was out of date."


def translate_again(ws: Workspace) -> Retranslated:
    """Translate again the languages with sentences out of date since their English changed."""
    state = ws.state()
    languages = list(state.outdated_counts())
    if not languages:
        return Retranslated({}, {})
    options = {language: recorded_options(state, language, ws.options.mt_models)
               for language in languages}
    models, missing = find_models(options)
    if not models:
        return Retranslated({}, missing)
    translated = {}
    with ws.writing() as session:
        agenda = recorded_agenda(session)
        for language, model in models.items():
            chosen = options[language]
            if agenda is not None:
                chosen = chosen.with_glossary(agenda.glossary)
            result = translate_session(session, {language: model}, options=chosen)
            translated[language] = sum(p.counts.get("translated", 0) for p in result.parts)
        edits = _without_marks(session.read_edits(), list(models))
        session.write_edit(EDITS_FILE, edits_io.dumps(edits), by=ws.options.editor)
    return Retranslated(translated, missing)


def recorded_options(state: SessionState, language: str,
                     models: Mapping[str, str]) -> TranslateOptions:
    """The options ``language`` was last translated with (engine and decoding, so that the
    memory serves every unchanged sentence) and the model it named, unless ``models`` names
    another; the translation stage's defaults for what the manifest does not record."""
    record = ((state.session.stage(STAGE) or {}).get("languages") or {}).get(language) or {}
    recorded = record.get("options") or {}
    known = {f.name for f in fields(TranslateOptions)} - {"targets", "models", "glossary"}
    options = TranslateOptions(**{k: v for k, v in recorded.items() if k in known})
    named = models.get(language) or (record.get("model") or {}).get("name")
    return replace(options, targets=(language,), models={language: named} if named else {})


def find_models(options: Mapping[str, TranslateOptions]
                ) -> tuple[dict[str, MarianModel], dict[str, str]]:
    """Each language's model, found on this machine only (nothing is downloaded from the
    workspace), and for the others the sentence saying which model is missing and how to
    provide it."""
    models, missing = {}, {}
    for language, chosen in options.items():
        try:
            models[language] = resolve_marian_model(chosen.model_for(language), language,
                                                    offline=True)
        except ModelUnavailableError as exc:
            missing[language] = f"No {language} translation: {exc}"
    return models, missing


def _without_marks(edits: Edits, languages: list[str]) -> Edits:
    """The English corrections no longer mark ``languages`` as out of date."""
    for edit in [e for e in edits.sentences if e.language == "en" and e.outdated]:
        left = {k: v for k, v in edit.outdated.items() if k not in languages}
        edits = edits.with_sentence(replace(edit, outdated=left))
    return edits
