"""The explorer in a real browser: Playwright driving the system Chromium against `ptkb serve` on
127.0.0.1 (a free port; the server stops itself after at most five minutes). Open a scenario, toggle a
finding, see a conclusion vanish and the change marked, ask why-not, run three steps of Ask, export
and re-validate the file, upload hostile files; keyboard use and the large-text mode.

Skipped with the reason when Chromium or Graphviz is missing (`make test` installs Chromium as root)."""
import re
import threading
import time

import pytest

import ptkb
from tests.helpers import ROOT

LIFETIME_S = 300


@pytest.fixture(scope="module")
def server():
    import uvicorn

    from ptkb.web import create_app
    config = uvicorn.Config(create_app(ROOT / "scenarios", ["127.0.0.1"]), host="127.0.0.1", port=0,
                            log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    stop = threading.Timer(LIFETIME_S, lambda: setattr(instance, "should_exit", True))
    stop.daemon = True
    stop.start()
    for _ in range(200):
        if instance.started:
            break
        time.sleep(0.05)
    assert instance.started, "the explorer did not start"
    port = instance.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    stop.cancel()
    instance.should_exit = True
    thread.join(10)


@pytest.fixture
def page(new_page, server):
    problems = []
    page = new_page(  # in the module's context: what a test leaves in the explorer's storage is cleared
        pageerror=lambda exc: problems.append(f"error: {exc}"),
        console=lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
        dialog=lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.problems, page.base = problems, server
    yield page
    page.evaluate("() => { try { localStorage.clear(); } catch (e) { /* not on the explorer's origin */ } }")


def open_case(page, key="nerve/case-study-sciatic-nerve"):
    page.goto(f"{page.base}/")
    page.click(f'a[href="/scenario/{key}"]')
    page.wait_for_selector("#graph svg")


def test_toggle_a_finding_and_see_a_conclusion_vanish_with_the_change_marked(page, screenshot):
    open_case(page)
    assert page.is_visible("#c-stage_subacute_loading")
    screenshot(page, "before")
    page.select_option("#f-saddle_numbness", "true")
    page.wait_for_selector("#change")
    assert page.locator("#c-stage_subacute_loading").count() == 0
    assert page.is_visible("#c-rf_cauda_equina.gained")
    assert "stage_subacute_loading" in page.inner_text("#change .lost >> nth=0") or \
        "stage_subacute_loading" in page.inner_text("#change")
    page.wait_for_selector("#graph svg g.node.gained", timeout=5000)  # marked in the drawing too
    assert "saddle_numbness=true" in page.url and "_was" not in page.url  # the permalink follows
    screenshot(page, "after")
    page.go_back()
    page.wait_for_selector("#c-stage_subacute_loading")
    assert not page.problems


def test_why_not_a_lost_conclusion_and_why_a_present_one(page):
    open_case(page)
    page.select_option("#f-saddle_numbness", "true")
    page.wait_for_selector("#change")
    page.click("#change .lost .why-not >> nth=0")
    page.wait_for_selector("#answer .answer-pane")
    assert "Why not" in page.inner_text("#answer")
    page.click("#c-rf_cauda_equina")
    steps = page.locator("#c-rf_cauda_equina + .steps")
    assert steps.is_visible() and "RF-003" in steps.inner_text()
    assert page.locator("#graph svg text.stepno").count() >= 1  # the proof badged with its step numbers
    page.click("details.absent >> nth=3")
    page.click("details.absent[open] a[data-absent] >> nth=0")
    page.wait_for_function("document.querySelector('#answer').innerText.includes('Why not')")
    assert not page.problems


def test_three_steps_of_ask(page):
    page.goto(f"{page.base}/ask")
    assert "red-flag screen" in page.inner_text("#question-text")
    page.click("text=yes: all negative")
    for number in (2, 3):  # each answer loads the next question's page
        page.wait_for_selector(f"#question:has-text('Question {number}')")
        text = page.inner_text("#question-text")
        assert re.search(r"I am asking about \w+ because", page.inner_text("details.why")) or "examined" in text
        page.click("#question .choices button >> nth=0")
    page.wait_for_selector("#question:has-text('Question 4')")
    assert page.locator(".steps-given li").count() == 3
    page.click("#undo")
    page.wait_for_function("document.querySelectorAll('.steps-given li').length === 2", timeout=10000)
    assert "Question 3" in page.inner_text("#question")
    assert not page.problems


def test_export_then_revalidate_and_regress(page, tmp_path):
    open_case(page)
    page.select_option("#f-night_pain", "true")
    page.wait_for_selector("#change")
    with page.expect_download() as download:
        page.click("#export")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    case = ptkb.read_case(path)
    assert dict(case.findings)["night_pain"] is True
    report = ptkb.regress([str(tmp_path)])
    assert not report.errors and report.passed == 1


def upload(page, path, text: str, wait_for: str) -> None:
    path.write_text(text)
    page.goto(f"{page.base}/")
    page.set_input_files("#upload-file", str(path))
    page.click("form.upload button")
    page.wait_for_selector(wait_for)


def test_hostile_uploads_show_the_validators_message_and_run_no_script(page, tmp_path):
    title = "title: '<script>alert(1)</script><img src=x onerror=alert(2)>'\n"
    upload(page, tmp_path / "hostile.yaml", f"id: hostile\n{title}findings:\n  saddle_numbness: true\n"
           "  pain_worst_nrs: 11\n", ".problems")
    assert "expected a number from 0 to 10 (NRS), got 11" in page.inner_text(".problems")
    upload(page, tmp_path / "script-title.yaml", f"id: script-title\n{title}findings:\n  saddle_numbness: true\n",
           "#graph svg")
    assert page.input_value("#f-_title").startswith("<script>")  # shown as text, never run
    page.wait_for_timeout(300)
    assert not page.problems  # no dialog, no page error, no CSP violation


def test_keyboard_and_large_text(page):
    open_case(page)
    page.focus("#f-bladder_or_bowel_change")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-saddle_numbness"
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.findings')).fontSize)")
    page.focus("#large-mode")
    page.keyboard.press("Enter")
    assert page.get_attribute("#large-mode", "aria-pressed") == "true"
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.findings')).fontSize)") > size
    page.focus("#c-hyp_deep_gluteal_syndrome")
    page.keyboard.press("Enter")
    assert page.get_attribute("#c-hyp_deep_gluteal_syndrome", "aria-expanded") == "true"
    page.reload()
    assert page.get_attribute("#large-mode", "aria-pressed") == "true"  # kept for the session
    assert not page.problems


def test_the_scenario_browser_filters_as_you_type(page):
    page.goto(f"{page.base}/")
    total = page.locator("li.scenario").count()
    page.fill("#scenario-search", "deep gluteal")
    shown = page.locator("li.scenario:not([hidden])")
    assert 0 < shown.count() < total
    assert all("deep gluteal" in shown.nth(i).inner_text().lower() or "dgs" in shown.nth(i).inner_text()
               for i in range(shown.count()))
    assert page.inner_text("#search-status") == f"{shown.count()} found"
    nerve = page.locator('section.area[data-area="nerve"] h2 small')
    assert nerve.inner_text() == f"({page.locator('section.area[data-area=nerve] li.scenario:not([hidden])').count()})"
    assert not page.problems
