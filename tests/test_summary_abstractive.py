"""The abstractive pass through the real transformers code, on a tiny T5 built here: a
paragraph per intervention, written from the extractive draft, under the draft's lead-in."""

from __future__ import annotations

import pytest
from helpers.hearing import hearing_agenda, hearing_session
from helpers.seq2seq import build_tiny_t5

from pipeline.errors import ModelUnavailableError, SessionError
from pipeline.formats.summary import parse_markdown
from pipeline.summarise import SummariseOptions, summarise_session

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny_t5_dir(tmp_path_factory):
    return build_tiny_t5(tmp_path_factory.mktemp("tiny-t5"))


def test_a_paragraph_per_intervention_under_the_extractive_lead_in(tmp_path, tiny_t5_dir):
    session = hearing_session(tmp_path / "s", languages=("en", "fr"))
    options = SummariseOptions(method="abstractive", summary_model=str(tiny_t5_dir),
                               length="1.0", summary_max_tokens=12)
    result = summarise_session(session, hearing_agenda(), options=options)
    assert result.ran
    blocks = parse_markdown(session.path("en/summary.md").read_text(encoding="utf-8"))
    kinds = [(b.kind, b.text) for b in blocks]
    lead_ins = [k for k, (kind, text) in enumerate(kinds)
                if kind == "paragraph" and any(r.bold for r in blocks[k].runs)]
    assert [kinds[k][1] for k in lead_ins] == [
        "Ms. Elena Marsh (Chair):", "Samuel Kipchumba (National Assembly of Kenya) said that:",
        "Speaker 3:"]
    for k in lead_ins:                       # lead-in, the model's paragraph, then the bullets
        assert kinds[k + 1][0] == "paragraph" and kinds[k + 1][1]
        assert kinds[k + 2][0] == "bullet"
    assert "written by the model" in blocks[1].text
    french = session.path("fr/summary.md").read_text(encoding="utf-8")
    assert "Samuel Kipchumba (Assemblée nationale du Kenya)" in french
    record = session.stage("summarise")
    assert record["models"] == {"summary": {"name": str(tiny_t5_dir)}}
    assert record["options"]["method"] == "abstractive"


def test_no_model_is_a_clear_error(tmp_path):
    session = hearing_session(tmp_path / "s", languages=("en",))
    with pytest.raises(SessionError, match="needs a model: give --summary-model"):
        summarise_session(session, hearing_agenda(), options=SummariseOptions(method="abstractive"))
    with pytest.raises(ModelUnavailableError, match="cannot be loaded"):
        summarise_session(session, hearing_agenda(), options=SummariseOptions(
            method="abstractive", summary_model=str(tmp_path / "no-such-model")))
