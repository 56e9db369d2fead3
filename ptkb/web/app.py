"""The explorer's ASGI application (Starlette): pages rendered on the server, htmx for in-place updates.

The whole state of a page is in its URL, so every state is a permalink and the server keeps no
session: `/case?_id=..&_title=..&FINDING=VALUE..` is a case (a finding left out was not examined);
`/ask?...&_a=NAME=VALUE..` adds the answers given in Ask mode, in order (undo drops the last one).
Every finding goes through the case-file validator; its messages are shown in the page (422).

experta is not thread-safe: all knowledge work (consult, explain, the ask session) runs under one lock
per process; drawing (Graphviz, cached by DOT text) and templating run outside it.
"""
from __future__ import annotations

import functools
import threading
import urllib.parse
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from engine.errors import CaseError, Problem, PtkbError, UsageError
from engine.yamlio import MAX_BYTES
from explain.render import PAGE_ASSETS, page_asset
from kb.conditions import value_text
from kb.vocabulary import (CLINICAL_ORDER, CONCLUSIONS, FINDING_GROUPS, FINDINGS, KIND_INFO, RED_FLAG_SCREEN,
                           FindingType, Kind)

__all__ = ["create_app", "ScenarioIndex", "state_query", "SECURITY_HEADERS", "UPLOAD_LIMIT"]

UPLOAD_LIMIT = MAX_BYTES  # the case-file limit (1 MiB)
DEFAULT_ID = "classroom-case"
RESERVED = ("_id", "_title", "_was", "_a", "_q", "_v", "_c")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {"content-security-policy": CSP, "x-content-type-options": "nosniff",
                    "referrer-policy": "no-referrer", "x-frame-options": "DENY"}
STATIC = ("htmx.min.js", "explorer.js", "explorer.css")  # ptkb/web/static; the graph view's are explain's PAGE_ASSETS
ENGINE_LOCK = threading.Lock()


# -- the state in the URL ----------------------------------------------------------------------------
def state_query(case) -> str:
    """The permalink query of a case: its id, title and findings (vocabulary order)."""
    order = {fid: i for i, fid in enumerate(FINDINGS)}
    pairs = [("_id", case.id)] + ([("_title", case.title)] if case.title else [])
    pairs += [(f, value_text(v)) for f, v in sorted(case.findings, key=lambda fv: order.get(fv[0], 0))]
    return urllib.parse.urlencode(pairs)


def _mapping(params) -> dict:
    """The case document a query stands for; a finding's text is read as in `ptkb ask` and checked by the
    case-file validator (an empty value: not examined; an unknown name: the validator's message)."""
    from ptkb.session import parse_answer
    findings = {}
    for key, text in params.multi_items():
        if key in RESERVED or not text.strip():
            continue
        findings[key] = parse_answer(key, text.strip()) if key in FINDINGS else text
    return {"id": params.get("_id", "").strip() or DEFAULT_ID, "title": params.get("_title", ""), "findings": findings}


def read_state(params):
    """The validated case of a query (CaseError lists every problem)."""
    from engine.case import case_from_mapping
    return case_from_mapping(_mapping(params), "<form>")


def _problem_finding(problem: Problem) -> str:
    parts = problem.path.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "findings" else ""


# -- the scenario directory ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    key: str
    area: str
    case: object = None
    problem: str = ""


class ScenarioIndex:
    """The case files under one directory, read once at start-up; a request names an entry by key, so no
    request path ever reaches the file system. Links that lead outside the directory are left out."""

    def __init__(self, directory):
        from engine.case import find_case_files, load_case
        self.directory = Path(directory).resolve()
        self.entries: dict[str, Entry] = {}
        if not self.directory.is_dir():
            raise UsageError(f"{directory}: not a folder of scenario files")
        for path in find_case_files([self.directory]):
            if not path.resolve().is_relative_to(self.directory):
                continue
            key = path.relative_to(self.directory).with_suffix("").as_posix()
            area = key.split("/")[0] if "/" in key else "(top level)"
            try:
                self.entries[key] = Entry(key, area, load_case(path))
            except PtkbError as exc:
                self.entries[key] = Entry(key, area, problem=str(exc))

    def areas(self, query: str = "") -> list[tuple[str, list[Entry]]]:
        wanted = query.strip().lower()
        grouped: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            text = f"{entry.key} {entry.case.title if entry.case else ''}".lower()
            if all(word in text for word in wanted.split()):
                grouped.setdefault(entry.area, []).append(entry)
        return sorted(grouped.items())


# -- knowledge work (under the lock) ----------------------------------------------------------------------
def _rules():
    from engine import rule_by_id
    return rule_by_id()


@functools.lru_cache(maxsize=32)
def _svg(dot: str) -> str:
    """Graphviz's SVG of a DOT text (the same states recur in a class: toggled back and forth)."""
    from explain import render
    svg = render(dot, "svg").decode("utf-8")
    return svg[svg.find("<svg"):]


@functools.lru_cache(maxsize=64)
def _consult(case):
    """The consultation of a case (cached: a change's previous state was consulted by the request before)."""
    from engine import consult
    return consult(case)


def case_view_context(case, was_query: str = "") -> tuple[dict, str]:
    """Everything the result pane shows of a case, and the DOT of its drawing; with the previous
    state's query, what was gained and lost since it."""
    from explain import diff
    from explain.graph import node_id
    from engine.textsafe import printable
    from explain.render import proof_marks, step_rows
    from ptkb.explaining import case_view
    from ptkb.report import consultation_plan
    with ENGINE_LOCK:
        result = _consult(case)
        dot, explanations = case_view(result, _rules())
        proofs = {cid: proof_marks(explanation) for cid, explanation in explanations.items()}
        sections, closing = consultation_plan(result)
        change = None
        if was_query:
            try:
                before = read_state(_params(was_query))
            except PtkbError:
                before = None
            if before is not None and before.findings != case.findings:
                change = diff(_consult(before), result, _rules(), drawable=False)
    concluded = result.ids()
    absent = [(KIND_INFO[kind].heading, [c for c in CONCLUSIONS.values() if c.kind == kind and c.shown
                                        and c.id not in concluded]) for kind in CLINICAL_ORDER]
    plan = [{"heading": section.heading, "kind": section.kind, "fill": KIND_INFO[Kind(section.kind)].border,
             "entries": [{"id": item.conclusion.id, "label": item.conclusion.label, "kind": item.conclusion.kind,
                          "reasons": item.reasons, "not_yet": item.not_yet,
                          "steps": step_rows(explanations[item.conclusion.id]) if item.conclusion.id in explanations
                          else []} for item in section.items]}
            for section in sections]
    context = {"title": printable(result.title or result.case_id), "proofs": proofs, "plan": plan,
               "closing": closing, "absent": [(heading, items) for heading, items in absent if items],
               "change": change, "gained": set(change.gained) if change else set(),
               "marks": {"gained": [node_id("c", c) for c in change.gained] if change else []}}
    return context, dot


def _params(query: str):
    from starlette.datastructures import QueryParams
    return QueryParams(query)


def build_session(params):
    """The Ask-mode session of a query: the case's findings, then each `_a` answer in order."""
    from ptkb.session import Session
    case = read_state(params)
    with ENGINE_LOCK:
        session = Session.from_case(case)
        for step in params.getlist("_a"):
            name, _, text = step.partition("=")
            session.answer_text(name, text)
    return session


# -- pages ------------------------------------------------------------------------------------------------
_TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader("ptkb.web", "templates"), autoescape=True, auto_reload=False,
                                undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_TEMPLATES.filters["value_text"] = value_text


def _controls(raw: dict, problems: dict) -> list[tuple[str, list[dict]]]:
    """The findings as form controls, grouped: the red-flag screen, each examination block, the rest."""
    screen = [fid for fid, _ in RED_FLAG_SCREEN]
    grouped = [("Red-flag screen", screen)] + [(question, list(members)) for question, members in FINDING_GROUPS.values()]
    seen = {fid for _, members in grouped for fid in members}
    grouped.append(("History and examination", [fid for fid in FINDINGS if fid not in seen]))
    sections = []
    for heading, members in grouped:
        controls = []
        for fid in members:
            d = FINDINGS[fid]
            controls.append({"id": fid, "meaning": d.meaning, "type": d.type.value, "choices": _value_choices(d),
                             "low": d.low, "high": d.high, "unit": d.unit, "value": raw.get(fid, ""),
                             "problem": problems.get(fid, "")})
        sections.append((heading, controls))
    return sections


def _page(name: str, request: Request, status: int = 200, headers=None, **context) -> HTMLResponse:
    context.setdefault("title", "ptkb explorer")
    context.setdefault("back", "")
    body = _TEMPLATES.get_template(name).render(path=request.url.path, **context)
    return HTMLResponse(body, status_code=status, headers=headers)


def _is_fragment(request: Request) -> bool:
    return request.headers.get("hx-request") == "true" and request.headers.get("hx-history-restore-request") != "true"


def home(request: Request):
    index: ScenarioIndex = request.app.state.index
    query = request.query_params.get("q", "")
    return _page("browser.html.j2", request, areas=index.areas(query), q=query, total=len(index.entries),
                 directory=index.directory.name, limit_kib=UPLOAD_LIMIT // 1024)


def scenario(request: Request):
    index: ScenarioIndex = request.app.state.index
    entry = index.entries.get(request.path_params["key"])
    if entry is None:
        raise HTTPException(404, f"no scenario {request.path_params['key']!r} in {index.directory.name}/")
    if entry.case is None:
        return _page("problems.html.j2", request, 422, heading=f"{entry.key} cannot be read",
                     problems=entry.problem.splitlines())
    return RedirectResponse(f"/case?{state_query(entry.case)}", 303)


def case_page(request: Request):
    params = request.query_params
    raw = {k: v for k, v in params.multi_items() if k not in RESERVED}
    try:
        case = read_state(params)
    except CaseError as exc:
        problems = [(_problem_finding(p), p.message if _problem_finding(p) else str(p)) for p in exc.problems]
        context = {"problems": problems, "query": "", "change": None}
        if _is_fragment(request):
            return _page("result.html.j2", request, 422, **context)
        return _page("case.html.j2", request, 422, sections=_controls(raw, dict(problems)), form_id=params.get("_id", ""),
                     form_title=params.get("_title", ""), **context)
    context, dot = case_view_context(case, params.get("_was", ""))
    query = state_query(case)
    context.update(svg=_svg(dot), query=query, problems=[])
    if _is_fragment(request):
        return _page("result.html.j2", request, headers={"HX-Push-Url": f"/case?{query}"}, **context)
    context["title"] = f"ptkb explorer: {context['title']}"
    return _page("case.html.j2", request, sections=_controls(raw, {}), form_id=case.id, form_title=case.title, **context)


def answer_page(request: Request):
    """Why a conclusion was reached, or why not: the numbered steps and the drawing."""
    from explain import why, why_not
    params = request.query_params
    cid = params.get("_c", "")
    case = read_state(params)
    if cid not in CONCLUSIONS:
        from engine.case import suggest
        raise UsageError(f"unknown conclusion {cid!r}{suggest(cid, CONCLUSIONS)}")
    with ENGINE_LOCK:
        result = _consult(case)
        concluded = cid in result.ids()
        answer = why(result, cid, _rules()) if concluded else why_not(result, cid, _rules())
        text, title, dot = answer.text(), answer.title(), answer.to_dot("clinical")
    context = {"cid": cid, "concluded": concluded, "text": text, "heading": title, "svg": _svg(dot),
               "query": state_query(case), "label": CONCLUSIONS[cid].label}
    if _is_fragment(request):
        return _page("answer.html.j2", request, **context)
    return _page("answer_page.html.j2", request, **context)


def ask_page(request: Request):
    params = request.query_params
    if "_q" in params:  # an answer from the form: append it as a step, then show the new state (undo: back)
        from ptkb.session import EXAM_BLOCKS, SCREEN_BLOCK
        pairs = [(k, v) for k, v in params.multi_items() if k not in ("_q", "_v")]
        lists = (EXAM_BLOCKS, SCREEN_BLOCK)  # ticked boxes; the screen's answers, one per question
        value = ",".join(params.getlist("_v")) if params["_q"] in lists else params.get("_v", "")
        pairs.append(("_a", f"{params['_q']}={value}"))
        return RedirectResponse(f"/ask?{urllib.parse.urlencode(pairs)}", 303)
    steps = params.getlist("_a")
    base = [(k, v) for k, v in params.multi_items() if k != "_a"]
    undo = f"/ask?{urllib.parse.urlencode(base + [('_a', s) for s in steps[:-1]])}" if steps else ""
    try:
        session = build_session(params)
    except PtkbError as exc:
        return _page("problems.html.j2", request, 422, heading="This answer cannot be recorded",
                     problems=str(exc).splitlines(), back=undo)
    with ENGINE_LOCK:
        questions = session.next_questions(1)
        question = questions[0] if questions else None
        waiting = session.why_question(question) if question is not None else ()
        result = session.result()
        shown = [c for c in result.conclusions if CONCLUSIONS[c.id].shown]
    here = urllib.parse.urlencode(params.multi_items())
    case_query = state_query(session.case())
    return _page("ask.html.j2", request, question=question, waiting=waiting, shown=shown, steps=steps,
                 state=params.multi_items(), undo=undo, here=here, case_query=case_query,
                 choices=_choices(question), blocks=[(name, FINDING_GROUPS[name][0]) for name in
                                                     (question.blocks if question else ())],
                 screen=_screen_rows(session, question),
                 title="ptkb explorer: ask")


def _choices(question) -> list[tuple[str, str]]:
    """The answers offered as buttons (value, label); a number is typed instead (empty list)."""
    if question is None or question.blocks:
        return []  # nothing, or the examinations question's boxes
    if question.group:
        from ptkb.session import SCREEN_BLOCK
        if question.group == SCREEN_BLOCK:
            return [("yes", "yes: all negative"), ("no", "no: ask them one by one")]
        return [("examined", "yes, examined"), ("skip", "not examined")]
    values = _value_choices(FINDINGS[question.finding])
    return [*values, ("skip", "not examined")] if values else []


def _screen_rows(session, question) -> list[tuple[str, str]]:
    """The red-flag screen question's open questions (finding, meaning), answered in one form."""
    from ptkb.session import SCREEN_BLOCK
    if question is None or question.group != SCREEN_BLOCK:
        return []
    return [(fid, FINDINGS[fid].meaning) for fid in session.block_members(SCREEN_BLOCK)]


def _value_choices(definition) -> list[tuple[str, str]]:
    """A finding's values as (value, label) choices for a select or buttons; none for a number."""
    if definition.type is FindingType.BOOL:
        return [("true", "yes"), ("false", "no")]
    return [(v, v.replace("_", " ")) for v in definition.values]


def export(request: Request):
    """The current case (and Ask answers) as a scenario file that `ptkb consult` and `ptkb regress` read."""
    session = build_session(request.query_params)
    with ENGINE_LOCK:
        text = session.to_yaml(how="ptkb serve")
    name = "".join(ch for ch in session.case_id if ch.isalnum() or ch in "-_") or DEFAULT_ID
    return Response(text, media_type="application/yaml; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{name}.yaml"'})


async def upload(request: Request):
    """A case file sent from the browser (multipart, at most 1 MiB): validated like any case file, then
    opened as a permalink; a bad file shows the validator's messages."""
    from starlette.concurrency import run_in_threadpool

    from engine.case import case_from_bytes
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise HTTPException(411, "an upload must say its length")
    if int(length) > UPLOAD_LIMIT + 64 * 1024:
        raise HTTPException(413, f"the upload is larger than {UPLOAD_LIMIT // 1024} KiB")
    try:
        form = await request.form(max_files=1, max_fields=4, max_part_size=64 * 1024)
    except MultiPartException as exc:  # a malformed body, too many parts (Starlette may say 400 itself)
        raise HTTPException(400, f"the upload could not be read: {exc.message}") from None
    sent = form.get("case")
    if sent is None or isinstance(sent, str):
        raise HTTPException(400, "choose a case file to upload (form field 'case')")
    raw = await sent.read(UPLOAD_LIMIT + 1)
    name = Path(sent.filename or "upload.yaml").name
    if len(raw) > UPLOAD_LIMIT:
        raise HTTPException(413, f"{name}: larger than {UPLOAD_LIMIT // 1024} KiB")
    try:
        case = await run_in_threadpool(case_from_bytes, raw, name)
    except CaseError as exc:
        return _page("problems.html.j2", request, 422, heading=f"{name} is not a valid case file",
                     problems=[str(p) for p in exc.problems], back="/")
    return RedirectResponse(f"/case?{state_query(case)}", 303)


def static(request: Request):
    name = request.path_params["name"]
    if name not in STATIC and name not in PAGE_ASSETS:
        raise HTTPException(404, f"no file {name!r}")
    media_type = "text/css" if name.endswith(".css") else "text/javascript"
    return Response(_asset(name), media_type=media_type, headers={"cache-control": "max-age=3600"})


@functools.lru_cache(maxsize=None)
def _asset(name: str) -> bytes:
    if name in PAGE_ASSETS:
        return page_asset(name).encode("utf-8")
    return (files("ptkb.web") / "static" / name).read_bytes()


def _error_page(request: Request, status: int, heading: str, problems) -> HTMLResponse:
    if _is_fragment(request):
        return _page("problems_fragment.html.j2", request, status, heading=heading, problems=problems)
    return _page("problems.html.j2", request, status, heading=heading, problems=problems, back="")


async def _http_error(request: Request, exc: HTTPException):
    return _error_page(request, exc.status_code, f"{exc.status_code}: {exc.detail}", [])


async def _ptkb_error(request: Request, exc: PtkbError):
    problems = [str(p) for p in exc.problems] if isinstance(exc, CaseError) else str(exc).splitlines()
    return _error_page(request, 422, "This request cannot be answered", problems)


async def _server_error(request: Request, exc: Exception):
    return _error_page(request, 500, "500: the explorer failed on this request (a bug: please report it with the URL)",
                       [])


class SecurityHeaders:
    """Pure ASGI middleware: the security headers on every response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode("latin-1").lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)
        return await self.app(scope, receive, send_with_headers)


def create_app(scenarios="scenarios", allowed_hosts=None) -> Starlette:
    """The explorer on one scenario directory. `allowed_hosts` (e.g. localhost names) refuses requests
    for other host names, which keeps a page on another site from reaching a localhost server."""
    index = ScenarioIndex(scenarios)
    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    routes = [Route("/", home), Route("/scenario/{key:path}", scenario), Route("/case", case_page),
              Route("/answer", answer_page), Route("/ask", ask_page), Route("/export", export),
              Route("/upload", upload, methods=["POST"]), Route("/static/{name}", static),
              Route("/favicon.ico", lambda request: Response(status_code=204))]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={HTTPException: _http_error, PtkbError: _ptkb_error, 500: _server_error})
    app.state.index = index
    return app


def create_app_from_env() -> Starlette:
    """The app a uvicorn worker process builds (`ptkb serve --workers N`): settings from the environment."""
    import os
    hosts = [h for h in os.environ.get("PTKB_SERVE_HOSTS", "").split(",") if h]
    return create_app(os.environ.get("PTKB_SERVE_SCENARIOS", "scenarios"), hosts or None)
