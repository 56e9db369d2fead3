"""The explorer (`ptkb serve`) through Starlette's test client: pages, the change diff, why / why-not,
Ask mode, export and upload, and every hostile input answered with the validator's message or a 4xx,
never a 500 or an executed script. The real-browser tests are in test_serve_browser.py."""
import re
import time
import urllib.parse
from html.parser import HTMLParser

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

import ptkb
from engine.case import find_case_files, load_case
from kb.vocabulary import CONCLUSIONS, FINDINGS, RED_FLAG_SCREEN, FindingType
from ptkb.web.app import SECURITY_HEADERS, UPLOAD_LIMIT, create_app, read_state, state_query
from tests.helpers import ROOT

NERVE = "nerve/case-study-sciatic-nerve"
HX = {"HX-Request": "true", "HX-Target": "result"}
BAD_CASES = sorted((ROOT / "tests" / "bad_cases").glob("*.yaml"))


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(ROOT / "scenarios"), raise_server_exceptions=False) as c:
        yield c


def case_url(client, key=NERVE) -> str:
    response = client.get(f"/scenario/{key}", follow_redirects=False)
    assert response.status_code == 303
    return response.headers["location"]


def toggled(url: str, **changes) -> str:
    """The query of the page's change request: the new findings, and the previous state as `_was`."""
    query = urllib.parse.urlsplit(url).query
    pairs = [(k, v) for k, v in urllib.parse.parse_qsl(query) if k not in changes]
    pairs += [(k, v) for k, v in changes.items() if v != ""]
    return "/case?" + urllib.parse.urlencode(pairs + [("_was", query)])


class Scripts(HTMLParser):
    """Every <script> element's attributes and every inline event-handler attribute of a page."""

    def __init__(self):
        super().__init__()
        self.scripts, self.handlers = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]


def assert_no_inline_script(html: str) -> None:
    parser = Scripts()
    parser.feed(html)
    for attrs in parser.scripts:
        assert attrs.get("src", "").startswith("/static/") or attrs.get("type") == "application/json", attrs
    assert not parser.handlers


# -- pages ---------------------------------------------------------------------------------------------
def test_the_browser_lists_every_scenario_by_area_and_searches(client):
    page = client.get("/")
    assert page.status_code == 200
    keys = {p.relative_to(ROOT / "scenarios").with_suffix("").as_posix() for p in find_case_files([ROOT / "scenarios"])}
    assert set(re.findall(r'href="/scenario/([^"]+)"', page.text)) == keys
    assert '<h2>hamstring <small>' in page.text and '<h2>nerve <small>' in page.text
    found = client.get("/?q=sciatic+nerve")
    listed = set(re.findall(r'href="/scenario/([^"]+)"', found.text))
    assert NERVE in listed and len(listed) < len(keys)
    assert all("sciatic" in k or "sciatic" in (load_case(ROOT / "scenarios" / f"{k}.yaml").title.lower()) for k in listed)


def test_a_scenario_opens_as_a_permalink_that_round_trips(client):
    url = case_url(client)
    case = load_case(ROOT / "scenarios" / f"{NERVE}.yaml")
    assert read_state(client.get(url).request.url.params) .findings == case.findings
    page = client.get(url)
    assert page.status_code == 200
    for cid in ptkb.load(ROOT / "scenarios" / f"{NERVE}.yaml").conclusions:
        assert f'data-id="{cid}"' in page.text


def test_every_scenario_round_trips_through_its_permalink():
    from starlette.datastructures import QueryParams
    for path in find_case_files([ROOT / "scenarios"]):
        case = load_case(path)
        again = read_state(QueryParams(state_query(case)))
        assert (again.id, again.title, again.findings) == (case.id, case.title, case.findings), path


def test_the_findings_are_controls_generated_from_the_vocabulary(client):
    page = client.get(case_url(client)).text
    for fid, definition in FINDINGS.items():
        control = re.search(rf'<(select|input) id="f-{fid}" name="{fid}"[^>]*>', page)
        assert control, fid
        if definition.type is FindingType.NUMBER:
            assert f'min="{definition.low}" max="{definition.high}"' in control.group(0)
        else:
            options = page[control.end():page.index("</select>", control.end())]
            assert '<option value="">not examined</option>' in options
            wanted = ("true", "false") if definition.type is FindingType.BOOL else definition.values
            assert all(f'<option value="{v}"' in options for v in wanted), fid


def test_a_change_updates_the_result_pane_and_marks_what_was_gained_and_lost(client):
    url = case_url(client)
    before = set(ptkb.load(ROOT / "scenarios" / f"{NERVE}.yaml").conclusions)
    response = client.get(toggled(url, saddle_numbness="true"), headers=HX)
    assert response.status_code == 200
    pane = response.text
    assert pane.startswith('<div id="result"') and "<form" not in pane  # the pane only, not the page
    assert '<li class="changed"><code>saddle_numbness</code>: false → true</li>' in pane
    assert '<li class="gained">+ <code>rf_cauda_equina</code> gained</li>' in pane
    assert 'class="conclusion red_flag gained"' in pane and """data-marks='{"gained": ["c_rf_cauda_equina",""" in pane
    lost = re.findall(r'<li class="lost">− <code>([a-z_0-9]+)</code>', pane)
    assert "stage_subacute_loading" in lost and set(lost) <= before
    assert 'data-id="stage_subacute_loading"' not in pane
    push = response.headers["hx-push-url"]  # the address bar gets the new permalink, without `_was`
    assert "saddle_numbness=true" in push and "_was" not in push
    assert '<input type="hidden" id="was" name="_was"' in pane and 'hx-swap-oob="true"' in pane


def test_not_examined_leaves_a_finding_out(client):
    url = case_url(client)
    response = client.get(toggled(url, slump_reproduces_symptoms=""), headers=HX)
    assert "<code>slump_reproduces_symptoms</code>: true → (not examined)" in response.text
    assert "slump_reproduces_symptoms" not in response.headers["hx-push-url"]


def test_why_and_why_not_answer_in_a_pane_and_as_a_page(client):
    query = urllib.parse.urlsplit(case_url(client)).query
    why = client.get(f"/answer?{query}&_c=hyp_deep_gluteal_syndrome", headers=HX)
    assert why.status_code == 200 and "Why <code>hyp_deep_gluteal_syndrome</code>" in why.text
    assert "NRV-003" in why.text
    why_not = client.get(f"/answer?{query}&_c=rf_cauda_equina", headers=HX)
    assert "Why not <code>rf_cauda_equina</code>" in why_not.text and "RF-003" in why_not.text
    page = client.get(f"/answer?{query}&_c=rf_cauda_equina")
    assert page.status_code == 200 and "<svg" in page.text and 'id="graph"' in page.text
    unknown = client.get(f"/answer?{query}&_c=rf_cauda_equin")
    assert unknown.status_code == 422 and "did you mean" in unknown.text.lower()


def test_every_absent_conclusion_is_one_click_from_why_not(client):
    page = client.get(case_url(client)).text
    absent = set(re.findall(r'data-absent="([a-z_0-9]+)"', page))
    shown = {c.id for c in CONCLUSIONS.values() if c.shown}
    present = set(re.findall(r'data-id="([a-z_0-9]+)"', page))
    assert absent == shown - present and absent


def test_ask_mode_runs_three_steps_with_why_and_undo(client):
    first = client.get("/ask")
    assert "red-flag screen" in first.text and "Were all red-flag screen questions answered no" in first.text
    step = client.get("/ask?_q=red_flag_screen&_v=yes")  # the form's answer: a redirect to the new state
    assert step.history[0].status_code == 303 and "_a=red_flag_screen%3Dyes" in str(step.url)
    question = re.search(r'name="_q" value="([a-z_0-9]+)"', step.text).group(1)
    assert question in FINDINGS or question in ("irritability_history",)
    assert re.search(r"I am asking about \w+ because:\n  [A-Z]{2,4}-\d{3}", step.text)  # a rule that waits on it
    value = {"bool": "true", "enum": FINDINGS[question].values[0] if question in FINDINGS else ""}.get(
        FINDINGS[question].type.value if question in FINDINGS else "", "skip")
    second = client.get(f"{step.url}&_q={question}&_v={value}")
    assert second.status_code == 200 and len(re.findall(r"<li><code>", second.text.split("Answers given here")[1])) == 2
    third = client.get(f"{second.url}&_q={re.search(r'name=.?_q.? value=.([a-z_0-9]+)', second.text).group(1)}&_v=skip")
    assert third.status_code == 200 and "Question 4" in third.text
    undo = re.search(r'<a href="([^"]+)" id="undo">', third.text).group(1).replace("&amp;", "&")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(undo).query)["_a"] == \
        urllib.parse.parse_qs(urllib.parse.urlsplit(str(second.url)).query)["_a"]


def test_ask_mode_records_the_screen_in_one_form(client):
    page = client.get("/ask")
    rows = re.findall(r'<option value="([a-z_]+)=false">no</option>', page.text)
    assert rows == [f for f, _ in RED_FLAG_SCREEN]
    done = client.get("/ask?_q=red_flag_screen&_v=saddle_numbness%3Dtrue&_v=calf_or_thigh_swelling_warmth%3Dskip"
                      + "".join(f"&_v={f}%3Dfalse" for f in rows if f not in ("saddle_numbness", "calf_or_thigh_swelling_warmth")))
    assert done.status_code == 200 and 'id="screen"' not in done.text
    assert "rf_cauda_equina" in done.text and "red_flag_screen%3Dsaddle_numbness%3Dtrue" in str(done.url)
    forged = client.get("/ask?_q=red_flag_screen&_v=saddle_numbness%3Dperhaps")
    assert forged.status_code == 422 and "saddle_numbness: expected true or false" in forged.text


def test_ask_mode_asks_which_blocks_were_examined_with_boxes(client):
    url = "/ask?_a=red_flag_screen%3Dyes&_a=onset_type%3Dsudden_during_activity"
    page = client.get(url)
    while 'name="_q" value="examinations"' not in page.text:  # the history questions come first
        question = re.search(r'name="_q" value="([a-z_0-9]+)"', page.text).group(1)
        page = client.get(f"{page.url}&_q={question}&_v=skip")
    boxes = re.findall(r'<input type="checkbox" name="_v" value="([a-z_]+)">', page.text)
    assert {"imaging", "palpation"} <= set(boxes)
    ticked = client.get(f"{page.url}&_q=examinations&_v=imaging&_v=palpation")
    assert "_a=examinations%3Dimaging%2Cpalpation" in str(ticked.url) and ticked.status_code == 200
    assert 'type="checkbox"' not in ticked.text
    assert client.get(f"{page.url}&_q=examinations&_v=imagng").status_code == 422  # a forged name: the message


def test_ask_mode_asks_every_red_flag_question_before_anything_else(client):
    url = "/ask?_q=red_flag_screen&_v=no"
    asked = []
    for _ in range(len(RED_FLAG_SCREEN)):
        page = client.get(url)
        question = re.search(r'name="_q" value="([a-z_0-9]+)"', page.text).group(1)
        asked.append(question)
        url = f"{page.url}&_q={question}&_v=false"
    assert asked == [fid for fid, _ in RED_FLAG_SCREEN]


def test_a_bad_answer_in_ask_mode_gives_the_message_and_a_way_back(client):
    page = client.get("/ask?_a=pain_worst_nrs%3D11")
    assert page.status_code == 422
    assert "expected a number from 0 to 10 (NRS), got 11" in page.text and 'href="/ask?"' in page.text


def test_export_writes_a_scenario_file_that_validates_and_passes_regress(client, tmp_path):
    url = case_url(client)
    query = urllib.parse.urlsplit(url).query
    response = client.get(f"/export?{query}")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="case-study-sciatic-nerve.yaml"'
    assert response.text.startswith("# Captured with ptkb serve on ")
    path = tmp_path / "exported.yaml"
    path.write_text(response.text, encoding="utf-8")
    case = ptkb.read_case(path)
    assert case.findings == load_case(ROOT / "scenarios" / f"{NERVE}.yaml").findings
    import jsonschema
    jsonschema.validate(yaml.safe_load(response.text), ptkb.case_schema(scenario=True))
    report = ptkb.regress([str(tmp_path)])
    assert not report.errors and report.failed == 0 and report.passed == 1


def test_upload_of_a_valid_case_opens_it(client):
    text = (ROOT / "scenarios" / f"{NERVE}.yaml").read_bytes()
    response = client.post("/upload", files={"case": ("mine.yaml", text, "application/yaml")}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/case?_id=case-study-sciatic-nerve")


# -- hostile input ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", BAD_CASES, ids=lambda p: p.name)
def test_every_bad_case_upload_gives_the_validators_message(client, path):
    response = client.post("/upload", files={"case": (path.name, path.read_bytes(), "application/yaml")})
    assert response.status_code == 422
    with pytest.raises(ptkb.CaseError) as expected:
        ptkb.read_case(path)
    from markupsafe import escape  # as the page escapes it
    for problem in expected.value.problems:
        assert str(escape(problem.message.split("\n")[0][:60])) in response.text, problem


def test_an_oversized_upload_is_refused(client):
    big = b"id: x\nfindings: {}\n" + b"#" * (UPLOAD_LIMIT + 10)
    response = client.post("/upload", files={"case": ("big.yaml", big, "application/yaml")})
    assert response.status_code == 413 and "larger than 1024 KiB" in response.text


def test_an_upload_without_a_file_is_a_4xx(client):
    assert client.post("/upload", data={"x": "1"}).status_code == 400
    assert client.post("/upload", content=b"garbage", headers={"content-type": "multipart/form-data; boundary=zz"}
                       ).status_code in (400, 422)
    assert client.get("/upload").status_code == 405


@pytest.mark.parametrize("path", ["/scenario/../../etc/passwd", "/scenario/%2e%2e/%2e%2e/etc/passwd",
                                  "/scenario/..%2f..%2fpyproject", "/scenario//etc/passwd", "/scenario/nerve/../../README",
                                  "/static/..%2fapp.py", "/static/../../pyproject.toml", "/static/app.py", "/nothing"])
def test_path_traversal_finds_nothing(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "[project]" not in response.text and "root:" not in response.text


def test_script_in_a_title_is_shown_as_text_in_the_page_and_the_drawing(client):
    title = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    query = urllib.parse.urlencode({"_id": "hostile", "_title": title, "saddle_numbness": "true"})
    shown = {"page": client.get(f"/case?{query}"), "pane": client.get(f"/case?{query}", headers=HX),
             "answer": client.get(f"/answer?{query}&_c=rf_cauda_equina")}
    for name, response in shown.items():
        assert response.status_code == 200
        assert "<script>alert" not in response.text and "<img src=x" not in response.text
        assert_no_inline_script(response.text)
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;' in shown["page"].text  # the title field
    svg = shown["pane"].text[shown["pane"].text.index("<svg"):]  # the drawing's title
    assert "&lt;script&gt;alert" in svg


def test_bad_values_give_the_validators_messages_inline(client):
    query = urllib.parse.urlencode({"slump_reproduces_symptoms": "maybe", "pain_worst_nrs": "11", "slumpp": "true"})
    page = client.get(f"/case?{query}")
    assert page.status_code == 422
    assert '<div class="problem" id="e-pain_worst_nrs">expected a number from 0 to 10 (NRS), got 11</div>' in page.text
    assert "expected true or false, got &#39;maybe&#39;" in page.text
    assert "unknown finding id &#39;slumpp&#39;" in page.text and "slump_reproduces_symptoms" in page.text
    assert 'aria-invalid="true"' in page.text
    fragment = client.get(f"/case?{query}", headers=HX)
    assert fragment.status_code == 422 and fragment.text.startswith('<div id="result"')


@settings(max_examples=60)
@given(st.lists(st.tuples(st.sampled_from([*list(FINDINGS)[:8], "_id", "_title", "_was", "_c", "x", ""]),
                          st.text(max_size=12)), max_size=5),
       st.sampled_from(["/case", "/answer", "/ask", "/export", "/"]))
def test_no_query_ends_in_a_server_error(client, pairs, path):
    response = client.get(f"{path}?{urllib.parse.urlencode(pairs)}")
    assert response.status_code in (200, 303, 422), (response.status_code, response.text[:300])


def test_every_response_carries_the_security_headers_and_no_inline_script(client):
    url = case_url(client)
    for response in (client.get("/"), client.get(url), client.get("/ask"), client.get("/nothing"),
                     client.get("/static/explorer.js"), client.get(toggled(url, night_pain="true"), headers=HX)):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value
        if response.headers["content-type"].startswith("text/html"):
            assert_no_inline_script(response.text)
    assert "script-src 'self';" in SECURITY_HEADERS["content-security-policy"]
    assert "unsafe-inline" not in SECURITY_HEADERS["content-security-policy"].split("style-src-attr")[0]


def test_only_localhost_names_are_served_when_bound_to_localhost():
    with TestClient(create_app(ROOT / "scenarios", ["127.0.0.1", "localhost"]), base_url="http://evil.example") as c:
        assert c.get("/").status_code == 400
    with TestClient(create_app(ROOT / "scenarios", ["127.0.0.1", "localhost"]), base_url="http://localhost:8000") as c:
        assert c.get("/").status_code == 200


def test_a_scenario_folder_with_a_bad_file_and_an_outside_link_still_serves(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "good.yaml").write_text("id: good\ntitle: '<b>bold</b>'\nfindings: {gait: normal}\n")
    (tmp_path / "a" / "bad.yaml").write_text("id: bad\nfindings: {gait: flying}\n")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text("id: outside\nfindings: {}\n")
    (tmp_path / "a" / "link.yaml").symlink_to(outside)
    (tmp_path / "a" / "odd name #1?.yaml").write_text("id: odd\nfindings: {gait: normal}\n")
    with TestClient(create_app(tmp_path)) as c:
        page = c.get("/")
        odd = re.search(r'href="(/scenario/a/odd[^"]*)"', page.text).group(1)
        assert odd == "/scenario/a/odd%20name%20%231%3F" and c.get(odd, follow_redirects=False).status_code == 303
        assert "&lt;b&gt;bold&lt;/b&gt;" in page.text and "cannot be read" in page.text
        assert "a/link" not in page.text and c.get("/scenario/a/link").status_code == 404
        bad = c.get("/scenario/a/bad")
        assert bad.status_code == 422 and "expected one of" in bad.text


def test_consultations_are_serialised_and_give_the_same_answer_under_concurrency(client):
    from concurrent.futures import ThreadPoolExecutor
    url = case_url(client)
    changes = [toggled(url, **{fid: "true"}) for fid in ("night_pain", "saddle_numbness", "back_pain_present",
                                                         "pain_below_knee")] * 3
    alone = [client.get(u, headers=HX).text for u in changes]
    with ThreadPoolExecutor(6) as pool:
        together = list(pool.map(lambda u: client.get(u, headers=HX).text, changes))
    assert together == alone


def test_serve_warns_when_the_network_can_see_it(monkeypatch):
    import uvicorn

    from ptkb.web import serve
    import contextlib
    import socket
    calls, said = [], []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    monkeypatch.setattr(socket, "create_server", lambda address: contextlib.nullcontext())  # nothing listens
    serve(ROOT / "scenarios", host="0.0.0.0", port=8123, log=said.append)
    assert "warning" in said[0] and "0.0.0.0" in said[0] and calls[0]["host"] == "0.0.0.0"
    said.clear()
    serve(ROOT / "scenarios", host="127.0.0.1", port=8123, log=said.append)
    assert not any("warning" in s for s in said) and calls[1]["host"] == "127.0.0.1"


@pytest.mark.slow
def test_the_load_test_runs_a_real_server_on_loopback_and_stops_it():
    """The harness `make bench` uses (20 users for 30 s there), briefly: a server process on 127.0.0.1,
    simulated users toggling findings, no errors, and the server gone afterwards."""
    import psutil

    from benchmarks.serve_load import run_load
    figures = run_load(users=3, seconds=1.5, warmup=0.5, think=(0.05, 0.1))
    assert figures["errors"] == 0 and figures["requests"] > 10 and 0 < figures["p95_ms"] < 10_000
    mine = " ".join(["serve", "--port", str(figures["port"])])

    def left():
        return [p.pid for p in psutil.process_iter(["cmdline"]) if mine in " ".join(p.info["cmdline"] or ())]
    deadline = time.monotonic() + 5
    while left() and time.monotonic() < deadline:  # the harness has stopped it: it exits within moments
        time.sleep(0.05)
    assert not left()


def test_serve_refuses_a_bad_folder_port_or_a_busy_port_with_a_message(tmp_path):
    import socket

    from tests.helpers import run_cli
    result = run_cli("serve", str(tmp_path / "missing"))
    assert result.returncode == 2 and "not a folder of scenario files" in result.stderr
    result = run_cli("serve", "--port", "70000")
    assert result.returncode == 2 and "expected a port from 1 to 65535" in result.stderr
    with socket.create_server(("127.0.0.1", 0)) as busy:
        result = run_cli("serve", "--port", str(busy.getsockname()[1]))
    assert result.returncode == 2 and "cannot listen on 127.0.0.1" in result.stderr and "--port" in result.stderr


@pytest.mark.parametrize("key", [NERVE, "hamstring/case-study-hamstring-strain", "red_flags/ces-bladder-change",
                                 "screening/undifferentiated-first-visit"])
def test_the_page_shows_the_plan_as_ptkb_consult_prints_it(client, key):
    import html
    page = html.unescape(re.sub(r"<[^>]+>", " ", client.get(case_url(client, key)).text))
    page = re.sub(r"\s+", " ", page)
    printed = ptkb.load(ROOT / "scenarios" / f"{key}.yaml").plan_text().splitlines()[2:]
    for line in filter(str.strip, printed):
        text = re.sub(r"\s+", " ", line.strip().rstrip(":"))
        assert text in page, line
