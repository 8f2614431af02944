"""The summary benchmark's ROUGE and its reading of drafts and truth speakers."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from rouge import lcs, rouge, rouge_l, rouge_n, tokens  # noqa: E402
from summary_eval import person, rendered_items, truth_voices  # noqa: E402

from pipeline.formats.transcript import Sentence, Transcript  # noqa: E402

REFERENCE = "the cat was under the bed"
SUMMARY = "the cat was found under the bed"


def test_rouge_by_hand():
    one = rouge_n(SUMMARY, REFERENCE, 1)
    assert one.recall == 1.0 and one.precision == pytest.approx(6 / 7)
    two = rouge_n(SUMMARY, REFERENCE, 2)               # 4 of 6 bigrams, 4 of 5 in the reference
    assert two.precision == pytest.approx(4 / 6) and two.recall == pytest.approx(4 / 5)
    assert two.f1 == pytest.approx(2 * (4 / 6) * (4 / 5) / (4 / 6 + 4 / 5))
    ell = rouge_l(SUMMARY, REFERENCE)
    assert ell.recall == 1.0 and ell.precision == pytest.approx(6 / 7)


def test_rouge_counts_each_reference_ngram_once_and_handles_empty_text():
    assert rouge_n("the the the", "the cat", 1).precision == pytest.approx(1 / 3)
    assert rouge_n("", "the cat", 1).f1 == 0.0 and rouge_l("a b", "").f1 == 0.0
    assert set(rouge(SUMMARY, REFERENCE)) == {"rouge1", "rouge2", "rougeL"}
    assert tokens("Kenya's 4.9% rise, ILO.") == ["kenya", "s", "4", "9", "rise", "ilo"]


def test_lcs():
    assert lcs(list("ABCBDAB"), list("BDCABA")) == 4
    assert lcs([], ["a"]) == 0


def test_truth_speakers_as_speakers_json():
    truth = {"turns": [{"speaker": "Dr. Kwame Mensah (ILO)", "start": 0.0, "end": 10.0},
                       {"speaker": "Helena Varga", "start": 10.0, "end": 20.0}],
             "speakers": [{"name": "Helena Varga", "role": "Deputy Minister"}]}
    transcript = Transcript("en", (Sentence(1, 1.0, 4.0, "a."), Sentence(2, 9.0, 14.0, "b."),
                                   Sentence(3, 15.0, 19.0, "c.")))
    labelled, speakers = truth_voices(transcript, truth)
    assert [s.speaker for s in labelled.sentences] == ["S1", "S2", "S2"]
    assert [(s.label, s.name, s.role) for s in speakers] == [
        ("S1", "Dr. Kwame Mensah", "ILO"), ("S2", "Helena Varga", "Deputy Minister")]
    assert person("Delegate of Kenya", {}) == ("Delegate of Kenya", None)


def test_rendered_items_read_lead_ins_and_bullets():
    text = ("# T\n\n> DRAFT\n\n## Opening\n\n*00:00:00 – 00:01:00*\n\n**Ana Ruiz (OHCHR)** said that:"
            "\n\n- [00:00:05] We met 12 times. (#3, #4)\n")
    item = rendered_items(text)["Opening"]
    assert item.lead_ins == ["Ana Ruiz (OHCHR) said that:"] and item.bullets == ["We met 12 times."]


def test_reference_records_are_measured_against_the_words_said(tmp_path):
    from reference_summaries import main, measure

    build = tmp_path / "meeting" / "build"
    build.mkdir(parents=True)
    turns = [{"text": "Good morning, I open the meeting."},
             {"text": "Rents rose by 27% in three years in Eastbrook, and wages by 11%."},
             {"text": "Thank you."}]
    (build / "truth.json").write_text(json.dumps({
        "turns": turns, "items": [{"id": "opening", "turns": [0]},
                                  {"id": "debate", "turns": [1, 2]}]}))
    (build / "key_terms.json").write_text(json.dumps({"schema": 1, "items": {
        "debate": ["27%", "Eastbrook", "wages", "inflation"]}}))
    (build / "summary.yaml").write_text(
        "schema: 1\nitems:\n  - id: debate\n    interventions:\n"
        "      - speaker: A\n        summary: Rents in Eastbrook rose by 27%.\n")
    result = measure(build)
    (item,) = result["items"]                     # the opening lists no key terms
    assert item["coverage"] == 0.5                # 27% and Eastbrook; not wages, inflation
    assert item["words"] == 6 and item["of_words"] == 15
    assert item["share"] == pytest.approx(6 / 15, abs=1e-3)
    assert main([str(tmp_path / "nowhere")]) == 1
