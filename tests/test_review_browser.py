"""The workspace end to end in a real headless browser (Debian's chromium, driven by Playwright).

A session is made from the bundled sample by the real commands (tiny.en, the sample agenda,
a tiny local Marian model for French); ``session-pipeline review`` serves it; the browser
plays a clicked sentence, follows the keys, saves a sentence, a summary and an item's start,
is refused a stale save, and keeps all of it after a reload. Then ``verify`` lists the
corrections as accepted edits, and ``export`` and a forced ``run`` rebuild the derived files
from them. A screenshot of the page is kept in tests/artifacts/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers.review import sample_session

from pipeline.cli import main
from pipeline.session import Session

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"
CORRECTED = "My name is Elena Marsh, and I will chair this session of the IPU."
SUMMARY = "*00:00:00 – 00:00:38*\n\n- Ms. Elena Marsh opened the panel on parliaments and migration."


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def made(tmp_path_factory, samples_dir, tiny_model_dir, tiny_marian_dir):
    """The sample made into a session by the commands a member of staff would run."""
    out = tmp_path_factory.mktemp("browser") / "session"
    recording, agenda = str(samples_dir / "session.ogg"), str(samples_dir / "agenda.yaml")
    french = f"fr={tiny_marian_dir('fr')}"
    cli("transcribe", recording, "--out", str(out), "--asr-model", str(tiny_model_dir), "-q")
    cli("segment", str(out), "--agenda", agenda, "-q")
    cli("translate", str(out), "--to", "fr", "--mt-model", french, "--beam-size", "1", "-q")
    cli("summarise", str(out), "-q")
    cli("export", str(out))
    return {"out": out, "recording": recording, "agenda": agenda, "french": french,
            "asr": str(tiny_model_dir)}


@contextmanager
def review(folder: Path):
    """``session-pipeline review FOLDER`` in its own process; its printed address."""
    command = [sys.executable, "-m", "pipeline", "review", str(folder), "--no-browser",
               "--editor", "Browser Test"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), process.stderr.read()
        yield url
    finally:
        process.terminate()
        process.communicate(timeout=30)


@pytest.fixture(scope="module")
def served(made):
    with review(made["out"]) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is needed at /usr/bin/chromium (.ci/run installs it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def open_page(browser, url):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    wait_until(page, "document.getElementById('player').readyState >= 1")
    return page, errors


def wait_until(page, expression: str, timeout_s: float = 20.0) -> None:
    """Poll ``expression`` in the page (the page's security policy forbids Playwright's own
    wait_for_function, which evaluates strings inside the page)."""
    from playwright.sync_api import Error

    clock = time.monotonic()
    while True:
        try:
            if page.evaluate(expression):
                return
        except Error:                 # the page is reloading: ask the new one
            pass
        assert time.monotonic() - clock < timeout_s, f"still false: {expression}"
        page.wait_for_timeout(50)


def current_time(page) -> float:
    return page.evaluate("document.getElementById('player').currentTime")


def test_an_editor_hears_corrects_and_keeps_the_corrections(made, served, browser):
    session = Session.open(made["out"])
    english = {s.id: s for s in session.read_transcript("en").sentences}
    page, errors = open_page(browser, served)

    # Click a sentence: the player goes there and the row is marked as heard.
    page.click("#s5 td.text[lang=en] .words")
    wait_until(page, "document.getElementById('player').currentTime > 0")
    assert english[5].start - 0.05 <= current_time(page) < english[5].start + 3
    page.wait_for_selector("#s5.current")
    page.keyboard.press("k")                                          # pause
    assert page.evaluate("document.getElementById('player').paused")
    page.keyboard.press("n")                                          # the next sentence
    assert current_time(page) == pytest.approx(english[6].start, abs=0.05)
    page.keyboard.press("ArrowLeft")                                  # back 5 s
    assert current_time(page) == pytest.approx(english[6].start - 5, abs=0.05)
    page.keyboard.press("]")                                          # faster
    assert page.evaluate("document.getElementById('player').playbackRate") == pytest.approx(1.1)
    assert page.inner_text("#rate") == "1.1×"

    # Correct a sentence; a second tab that read it before is refused and keeps its text.
    other, _ = open_page(browser, served)
    page.hover("#s2")
    page.click("#s2 td.text[lang=en] .edit")
    page.fill("#s2 td.text[lang=en] textarea", CORRECTED)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#s2 td.text[lang=en] .badge.corrected")
    assert page.inner_text("#s2 td.text[lang=en] .words") == CORRECTED
    assert page.is_visible("#s2 td.text[lang=fr] .badge.outdated")
    other.hover("#s2")
    other.click("#s2 td.text[lang=en] .edit")
    other.fill("#s2 td.text[lang=en] textarea", "The other tab's text.")
    other.click("#s2 td.text[lang=en] .editor .save")
    other.wait_for_selector("#s2 td.text[lang=en] .editor .message:has-text('changed elsewhere')")
    assert other.input_value("#s2 td.text[lang=en] textarea") == "The other tab's text."
    other.close()

    # Correct the first item's English summary.
    summary = "section#item-opening .summary[data-language=en]"
    page.click(f"{summary} .edit-summary")
    page.fill(f"{summary} textarea", SUMMARY)
    page.click(f"{summary} .editor .save")
    page.wait_for_selector(f"{summary} .badge.corrected")

    # The questions start one sentence later (the page reloads, keeping its place).
    first = page.get_attribute("section#item-questions tr.sentence", "data-id")
    page.click("section#item-questions .start-later")
    wait_until(page, f"document.querySelector('section#item-questions tr.sentence')"
                     f".dataset.id !== '{first}'")

    # The closing remarks start with their second sentence (from the sentence's tools).
    second = page.get_attribute("section#item-closing tr.sentence:nth-child(2)", "data-id")
    page.click(f"#s{second} .more")
    page.select_option("#tools select[name=item]", "closing")
    page.click("#tools .set-start")
    wait_until(page, f"document.querySelector('section#item-closing tr.sentence')"
                     f".dataset.id === '{second}'")

    # Translate again: the French of the corrected sentence, from the tiny model.
    page.click("#translate-again")
    wait_until(page, "document.readyState === 'complete' && "
                     "!document.getElementById('translate-again')", timeout_s=120)
    assert not page.is_visible("#s2 td.text[lang=fr] .badge.outdated")

    # Everything is kept after a reload.
    page.reload()
    page.wait_for_selector("#s2 td.text[lang=en] .badge.corrected")
    assert page.inner_text("#s2 td.text[lang=en] .words") == CORRECTED
    assert "opened the panel on parliaments" in page.inner_text(f"{summary} .summary-text")
    assert "start set by an editor" in page.inner_text("section#item-questions .boundary")
    page.click("#s2 td.text[lang=en] .words")
    page.wait_for_selector("#s2.current")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "review-page.png"
    page.screenshot(path=str(shot))
    print(f"\nScreenshot of the workspace: {shot}")
    assert errors == []
    page.close()

    # verify lists the corrections as accepted edits.
    result = CliRunner().invoke(main, ["verify", str(made["out"])])
    assert result.exit_code == 0, result.output
    assert "accepted-edit  en/transcript.json  (edits.json: 1 corrected sentence (2))" \
        in result.output
    assert "accepted-edit  en/summary.md" in result.output
    assert "accepted-edit  sections.json  (edits.json: an editor starts item 'questions'" \
        in result.output

    # export and a forced run rebuild the derived files from the corrections.
    out = made["out"]
    cli("export", str(out))
    assert CORRECTED in (out / "en" / "transcript.txt").read_text()
    assert CORRECTED in (out / "report.html").read_text()
    cli("run", made["recording"], "--agenda", made["agenda"], "--out", str(out), "--to", "fr",
        "--mt-model", made["french"], "--asr-model", made["asr"], "--force", "-q")
    assert CORRECTED in (out / "en" / "transcript.txt").read_text()
    assert "I will chair this session of the IPU." in (out / "en" / "transcript.vtt").read_text()
    assert SUMMARY in (out / "en" / "summary.md").read_text()
    assert (out / "en" / "summary.draft.md").exists()
    assert CORRECTED in (out / "report.html").read_text()
    sections = {s.id: s for s in Session.open(out).read_sections()}
    assert sections["questions"].method == "pinned"
    assert CliRunner().invoke(main, ["verify", str(out)]).exit_code == 0


def test_an_editor_names_a_voice_and_corrects_a_sentences_speaker(tmp_path, browser):
    session = sample_session(tmp_path, voices=True)
    with review(session.root) as url:
        page, errors = open_page(browser, url)
        page.click("li.speaker[data-label=S3] .rename")
        page.fill("#rename input[name=name]", "Tomas Lindqvist")
        page.fill("#rename input[name=role]", "OHCHR")
        page.click("#rename .save")
        wait_until(page, "document.querySelector('li.speaker[data-label=S3] .name')"
                         ".textContent === 'Tomas Lindqvist'")
        row = page.get_attribute("tr.sentence[data-speaker=S3]", "data-id")
        assert page.inner_text(f"#s{row} td.who") == "Tomas Lindqvist"
        page.click(f"#s{row} .more")
        page.select_option("#tools select[name=speaker]", "S2")
        page.click("#tools .set-sentence")
        wait_until(page, f"document.querySelector('#s{row} td.who').textContent === 'David Okafor'")
        page.click("#export")
        page.wait_for_selector("#status.ok:has-text('Exported')")
        assert errors == []
    assert "Tomas Lindqvist" in session.path("fr/transcript.txt").read_text()
    assert Session.open(session.root).read_transcript("fr").sentences[int(row) - 1].speaker == "S2"


def test_the_static_report_plays_a_clicked_sentence_when_the_recording_is_beside_it(
        tmp_path, browser):
    session = sample_session(tmp_path, voices=True)       # the recording next to the folder
    fifth = session.read_transcript("en").sentences[4]
    start, voice = fifth.start, {"S1": "Elena Marsh", "S2": "David Okafor"}[fifth.speaker]
    page = browser.new_page()
    page.goto(session.path("report.html").as_uri())
    wait_until(page, "document.getElementById('rec').readyState >= 1")
    page.click("tr#s5 td.who")
    wait_until(page, "document.getElementById('rec').currentTime > 0")
    assert start - 0.05 <= page.evaluate("document.getElementById('rec').currentTime") < start + 3
    assert page.inner_text("tr#s5 td.who") == voice
    (tmp_path / "session.ogg").unlink()
    page.reload()
    page.wait_for_selector("#rec-missing", state="visible")
    assert "copy it into this folder" in page.inner_text("#rec-missing")
    page.close()
