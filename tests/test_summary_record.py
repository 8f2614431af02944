"""The draft summary record: interventions, lead-ins in three languages, the first-person rule,
the length budget, cut sentences, no repeats, procedure left out, and the command line."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from helpers.hearing import LINES, hearing_agenda, hearing_session, hearing_transcript

from pipeline.cli import main
from pipeline.formats.summary import parse_markdown
from pipeline.formats.transcript import Sentence
from pipeline.glossary import Glossary
from pipeline.summarise import SummariseOptions, summarise_session
from pipeline.summarise.extractive import select
from pipeline.summarise.interventions import first_person, interventions, passages
from pipeline.summarise.options import Length, parse_length

IDS = re.compile(r"\(#(\d+(?:, #\d+)*)\)$", re.M)


def _summaries(tmp_path, length="1.0", voices=True, languages=("en", "fr", "es")):
    session = hearing_session(tmp_path / "s", languages=languages, voices=voices)
    summarise_session(session, hearing_agenda(), options=SummariseOptions(length=length))
    return {lang: session.path(f"{lang}/summary.md").read_text(encoding="utf-8")
            for lang in languages}


def _ids(text: str) -> list[tuple[int, ...]]:
    return [tuple(int(i) for i in m.group(1).split(", #")) for m in IDS.finditer(text)]


def _statement(text: str) -> str:
    return text.split("## ")[2]


def test_interventions_fold_short_interruptions():
    sentences = [s for s in hearing_transcript().sentences if 4 <= s.id <= 13]
    groups = interventions(sentences, interruption_words=15)
    assert [g.speaker for g in groups] == ["S2", "S3", "S1"]
    assert [s.id for s in groups[0].sentences] == [4, 5, 6, 7, 8, 9, 11]    # "Please go on." out
    assert [g.speaker for g in interventions(sentences, interruption_words=2)] == \
        ["S2", "S1", "S2", "S3", "S1"]


def test_without_voices_the_item_is_one_group_and_has_no_lead_in(tmp_path):
    unlabelled = [s for s in hearing_transcript(voices=False).sentences if s.id >= 4]
    assert len(interventions(unlabelled, 15)) == 1
    text = _summaries(tmp_path, voices=False, languages=("en",))["en"]
    assert "**" not in text and "said that" not in text
    assert _ids(_statement(text))


def test_lead_ins_in_three_languages(tmp_path):
    texts = _summaries(tmp_path)
    en, fr, es = (_statement(texts[lang]) for lang in ("en", "fr", "es"))
    assert "**Samuel Kipchumba (National Assembly of Kenya)** said that:" in en
    assert "**Samuel Kipchumba (Assemblée nationale du Kenya)** a déclaré :" in fr
    assert "**Samuel Kipchumba (Asamblea Nacional de Kenia)** declaró:" in es
    assert "**Speaker 3**:" in en and "**Intervenant 3** :" in fr and "**Orador 3**:" in es
    assert "**Ms. Elena Marsh (Présidente)** :" in texts["fr"]          # speakers.json's roles
    assert "**Ms. Elena Marsh (Presidenta)**:" in texts["es"]
    assert en.count("Samuel Kipchumba") == 1                            # one intervention


def test_same_passages_in_every_language(tmp_path):
    texts = _summaries(tmp_path, length="0.5")
    assert _ids(texts["en"]) == _ids(texts["fr"]) == _ids(texts["es"]) != []
    bullets = [b.text for b in parse_markdown(texts["fr"]) if b.kind == "bullet"]
    assert all("[fr] " in b for b in bullets)


def test_first_person_rule():
    assert first_person("Our National Assembly adopted the Act.")
    assert first_person("I will be brief.") and first_person("We trained 450 inspectors.")
    assert not first_person("The US and Kenya signed the agreement.")
    assert not first_person("The Act caps recruitment fees at 10%.")
    assert not first_person("i")          # a stray letter is not the pronoun


def test_third_person_sentences_get_a_plain_lead_in(tmp_path):
    texts = _summaries(tmp_path)
    opening = texts["en"].split("## ")[1]
    assert "**Ms. Elena Marsh (Chair)**:" in opening        # "The Committee has received ..."
    assert "Good morning" not in opening and "give the floor" not in opening


def test_procedure_is_left_out(tmp_path):
    text = _statement(_summaries(tmp_path)["en"])
    for procedural in ("Thank you, Madam Chair.", "Please go on.", "You have the floor."):
        assert procedural not in text
    closing = _summaries(tmp_path / "c", languages=("en",))["en"].split("## ")[3]
    assert "Nothing but procedure was said in this item." in closing and "- [" not in closing


def test_cut_sentence_is_never_chosen_alone(tmp_path):
    for length in ("1.0", "0.5", "0.3", "0.15", "20w"):
        ids = [i for bullet in _ids(_summaries(tmp_path / length, length, languages=("en",))["en"])
               for i in bullet]
        assert (8 in ids) == (9 in ids), length
    whole = _ids(_summaries(tmp_path / "whole", "1.0", languages=("en",))["en"])
    assert (8, 9) in whole                               # one bullet, both ids
    text = _summaries(tmp_path / "w2", "1.0", languages=("en",))["en"]
    assert "cover the coast and twelve counties of the Rift Valley with 450 visits a year. (#8, #9)" in text


def test_passages_join_cut_and_lower_case_sentences():
    sentences = [Sentence(1, 0, 1, "We trained inspectors who cover"),
                 Sentence(2, 1, 2, "the coast."), Sentence(3, 2, 3, "Then we stopped."),
                 Sentence(4, 3, 4, "and started again.")]
    group = interventions(sentences, 15)[0]
    assert [p.ids for p in passages(group)] == [(1, 2), (3, 4)]


def test_budget_share_and_words():
    assert parse_length("0.15") == Length(share=0.15) == parse_length("15%")
    assert parse_length("120w") == Length(words=120) == parse_length("120 words")
    for bad in ("0", "1.5", "abc", "0w", "-0.2"):
        with pytest.raises(ValueError, match="is not a summary length"):
            parse_length(bad)
    with pytest.raises(ValueError, match="is not a summary length"):
        SummariseOptions(length="a third")


def _long_item(count=60):
    facts = [f"Delegation {k} reported {100 + k} inspections in region {k} during {2000 + k}."
             for k in range(count)]
    return [Sentence(id=k, start=4.0 * k, end=4.0 * k + 3.5, text=text, speaker=f"S{k % 3 + 1}")
            for k, text in enumerate(facts)]


@pytest.mark.parametrize("length, most", [("0.15", 0.15), ("0.2", 0.2), ("0.05", 0.05)])
def test_drafts_keep_within_the_share(length, most):
    sentences = _long_item()
    draft = select(sentences, sentences, "Inspections", Glossary(), SummariseOptions(length=length))
    words = sum(len(s.text.split()) for s in sentences)
    kept = sum(len(p.text.split()) for _, ps in draft.chosen for p in ps)
    assert 0 < kept <= most * words and draft.budget == int(most * words + 1e-9)
    assert draft.ids == sorted(draft.ids) and len(set(draft.ids)) == len(draft.ids)


def test_drafts_keep_within_words():
    sentences = _long_item()
    draft = select(sentences, sentences, "Inspections", Glossary(), SummariseOptions(length="40w"))
    assert 0 < sum(len(p.text.split()) for _, ps in draft.chosen for p in ps) <= 40


def test_no_sentence_or_text_is_repeated():
    said = ["Kenya adopted the Labour Migration Act in March 2023.",
            "Kenya adopted the Labour Migration Act in March 2023.",
            "The Act caps recruitment fees at 10% of the first wage."]
    sentences = [Sentence(id=k, start=k, end=k + 0.9, text=t, speaker="S1") for k, t in enumerate(said)]
    draft = select(sentences, sentences, "", Glossary(), SummariseOptions(length="1.0"))
    assert draft.ids in ([0, 2], [1, 2])


def test_a_short_item_keeps_its_best_sentence():
    said = ["Good morning.", "The Committee has received 14 written submissions since January 2024."]
    sentences = [Sentence(id=k, start=k, end=k + 0.9, text=t, speaker="S1") for k, t in enumerate(said)]
    draft = select(sentences, sentences, "", Glossary(), SummariseOptions())
    assert draft.ids == [1] and draft.budget == 1


def test_edited_summary_is_kept_and_the_draft_goes_beside_it(tmp_path):
    session = hearing_session(tmp_path / "s", languages=("en", "es"))
    summarise_session(session, hearing_agenda())
    path = session.path("es/summary.md")
    edited = path.read_text(encoding="utf-8").replace("BORRADOR", "REVISADO")
    path.write_text(edited, encoding="utf-8")
    result = summarise_session(session, hearing_agenda(), options=SummariseOptions(length="0.3"))
    assert path.read_text(encoding="utf-8") == edited
    assert result.kept_edits == ("es/summary.md",) and "es/summary.draft.md" in result.written


def test_speakers_json_changes_rerun_the_stage(tmp_path):
    from pipeline.formats import speakers as speakers_io
    from pipeline.formats.speakers import Speaker

    session = hearing_session(tmp_path / "s", languages=("en",))
    everything = SummariseOptions(length="1.0")
    summarise_session(session, hearing_agenda(), options=everything)
    assert not summarise_session(session, hearing_agenda(), options=everything).ran
    session.write_text(speakers_io.SPEAKERS_FILE, speakers_io.dumps(
        [Speaker(label="S3", name="Kofi Mensah", role="Ghana")]), stage="speakers")
    assert summarise_session(session, hearing_agenda(), options=everything).ran
    assert "**Kofi Mensah (Ghana)**:" in session.path("en/summary.md").read_text(encoding="utf-8")


def test_cli_length(tmp_path):
    session = hearing_session(tmp_path / "s", languages=("en",))
    agenda = tmp_path / "hearing.yaml"
    from helpers.hearing import AGENDA
    agenda.write_text(AGENDA, encoding="utf-8")
    runner = CliRunner()
    bad = runner.invoke(main, ["summarise", str(session.root), "--agenda", str(agenda),
                               "--length", "half"])
    assert bad.exit_code == 2 and "'half' is not a summary length" in bad.output
    good = runner.invoke(main, ["summarise", str(session.root), "--agenda", str(agenda),
                                "--length", "40w", "-q"])
    assert good.exit_code == 0, good.output
    assert good.stdout.strip().endswith("en/summary.md")


def test_every_line_of_the_hearing_has_a_voice():
    assert {voice for _, voice, _ in LINES} == {"S1", "S2", "S3"}
