"""Explanations: derivation graphs, why / how / why-not / diff, drawings, and no experta in explain/."""
import json
import pickle
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pydot
import pytest

from engine import case_from_mapping, consult, load_case, rule_by_id
from explain import derivation_graph, diff, dot_available, how, kb_graph, render, to_dot, why, why_not
from kb.vocabulary import CONCLUSIONS
from ptkb.explaining import case_report_html
from tests.helpers import ROOT, scenario_results

RULES = rule_by_id()
RESULTS = list(scenario_results())
needs_dot = pytest.mark.skipif(not dot_available(), reason="Graphviz 'dot' not installed")


@pytest.mark.parametrize("result", RESULTS, ids=lambda r: r.case_id)
def test_derivation_graph_is_a_dag_rooted_in_findings(result):
    graph = derivation_graph(result, RULES)
    assert nx.is_directed_acyclic_graph(graph)
    for node, data in graph.nodes(data=True):
        if graph.in_degree(node) == 0:
            assert data["type"] in ("finding", "absence"), node
        if data["type"] == "conclusion":
            assert any(graph.nodes[p]["type"] == "rule" for p in graph.predecessors(node))


@pytest.mark.parametrize("result", RESULTS, ids=lambda r: r.case_id)
def test_every_conclusion_has_a_why_ending_at_findings(result):
    graph = derivation_graph(result, RULES)
    for conclusion in result.conclusions:
        explanation = why(result, conclusion.id, RULES, graph)
        sub = explanation.graph
        assert explanation.steps and explanation.steps[-1].concluded
        assert conclusion.id in explanation.steps[-1].concluded
        leaves = [n for n in sub if sub.in_degree(n) == 0]
        assert all(sub.nodes[n]["type"] in ("finding", "absence") for n in leaves)
        assert nx.is_directed_acyclic_graph(sub)
        assert all(nx.has_path(sub, n, f"c_{conclusion.id}") for n in leaves)
        assert [s.number for s in explanation.steps] == list(range(1, len(explanation.steps) + 1))


@pytest.mark.parametrize("result", RESULTS, ids=lambda r: r.case_id)
def test_why_not_names_a_failing_condition_for_every_unreached_conclusion(result):
    for cid in CONCLUSIONS:
        if cid in result.ids():
            continue
        answer = why_not(result, cid, RULES)
        assert answer.candidates, cid
        for candidate in answer.candidates:
            assert candidate.failed and candidate.reason in ("missing", "contradicted", "blocked", "not concluded")


def test_why_not_distinguishes_missing_from_contradicted():
    base = {"onset_type": "sudden_during_activity", "mechanism": "sprinting"}
    missing = consult(case_from_mapping({"id": "m", "findings": base}))
    candidate = next(c for c in why_not(missing, "hyp_hamstring_strain", RULES).candidates if c.rule_id == "HAM-001")
    assert candidate.reason == "missing" and "resisted_knee_flexion not examined" in candidate.detail
    contradicted = consult(case_from_mapping({"id": "c", "findings": {**base, "resisted_knee_flexion": "painfree_strong"}}))
    candidate = next(c for c in why_not(contradicted, "hyp_hamstring_strain", RULES).candidates if c.rule_id == "HAM-001")
    assert candidate.reason == "contradicted"


def test_why_not_reports_blocking_facts_and_recurses():
    result = consult(load_case(ROOT / "scenarios/hamstring/mixed-strain-and-nerve.yaml"))
    answer = why_not(result, "tx_neural_tensioners", RULES)
    candidate = answer.candidates[0]
    assert "hyp_hamstring_strain" in candidate.blocked_by
    assert candidate.sub and candidate.sub[0].conclusion == "irritability_low"


def test_how_lists_downstream_conclusions():
    result = consult(load_case(ROOT / "scenarios/hamstring/mixed-strain-and-nerve.yaml"))
    answer = how(result, "slump_reproduces_symptoms", RULES)
    assert "hyp_neural_involvement" in answer.conclusions and "NRV-020" in answer.rules
    assert "hyp_hamstring_strain" not in answer.conclusions


def test_diff_what_if_slump_were_negative():
    case = load_case(ROOT / "scenarios/hamstring/mixed-strain-and-nerve.yaml")
    changed = case_from_mapping({"id": "neg", "findings": {**dict(case.findings), "slump_reproduces_symptoms": False}})
    answer = diff(consult(case), consult(changed), RULES)
    assert ("slump_reproduces_symptoms", True, False) in answer.findings_changed
    assert "hyp_neural_involvement" in answer.lost and "NRV-020" in answer.rules_lost
    assert any("hyp_neural_involvement" in r for r in answer.reasons)


def test_node_ids_are_colon_free():
    for result in RESULTS[:10]:
        assert not any(":" in n for n in derivation_graph(result, RULES))


def _tricky_graph():
    graph = nx.DiGraph(title='title: "quoted" & ≥ ö')
    graph.add_node("f_a", type="finding", kind="finding", label='pain: "sharp" & ≥ 7 — Gómez-Höyos', column=0)
    graph.add_node("c_b", type="conclusion", kind="hypothesis", id="hyp_x", label="a: b", column=4)
    graph.add_edge("f_a", "c_b", role="premise")
    return graph


def test_dot_parses_back_and_keeps_tricky_labels():
    dot = to_dot(_tricky_graph())
    parsed = pydot.graph_from_dot_data(dot)[0]
    labels = [n.get_label() for n in parsed.get_nodes() if n.get_name() == "f_a"]
    assert labels and "Gómez-Höyos" in labels[0] and '\\"sharp\\"' in labels[0] and "≥ 7" in labels[0]
    assert {e.get_source() for e in parsed.get_edges()} == {"f_a"}


@needs_dot
def test_svg_is_well_formed_and_keeps_tricky_labels():
    svg = render(to_dot(_tricky_graph()), "svg").decode("utf-8")
    root = ET.fromstring(svg)
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert 'pain: "sharp" & ≥ 7' in texts
    assert render(to_dot(_tricky_graph()), "png").startswith(b"\x89PNG")


def test_missing_graphviz_is_a_clear_error(monkeypatch):
    from engine.errors import RenderError
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(RenderError, match="'dot' was not found"):
        render("digraph {}", "svg")


def test_kb_graph_covers_every_rule_and_reads_left_hand_sides():
    rules = list(RULES.values())
    graph = kb_graph(rules)
    assert sum(1 for _, d in graph.nodes(data=True) if d["type"] == "rule") == len(rules)
    assert graph.has_edge("f_saddle_numbness", "k_RF_003") and graph.has_edge("k_RF_003", "c_rf_cauda_equina")
    assert nx.is_directed_acyclic_graph(graph)


@needs_dot
def test_html_report_is_self_contained():
    result = consult(load_case(ROOT / "scenarios/hamstring/case-study-hamstring-strain.yaml"))
    page = case_report_html(result, RULES)
    assert "<svg" in page and "const PROOFS" in page and "svgPanZoom" in page
    assert "<script src" not in page and "<link" not in page and "url(http" not in page
    proofs = json.loads(page.split("const PROOFS = ")[1].split(";\n")[0])
    assert "c_hyp_hamstring_strain" in proofs["grade_2"]["nodes"]


def test_explain_never_imports_experta(tmp_path):
    result = RESULTS[0]
    (tmp_path / "result.json").write_text(result.to_json())
    (tmp_path / "rules.pickle").write_bytes(pickle.dumps(RULES))
    code = f"""
import pickle, sys
from pathlib import Path
import explain
from engine.records import Consultation
result = Consultation.from_json(Path({str(tmp_path / 'result.json')!r}).read_text())
rules = pickle.loads(Path({str(tmp_path / 'rules.pickle')!r}).read_bytes())
graph = explain.derivation_graph(result, rules)
explain.why(result, result.conclusions[0].id, rules)
explain.to_dot(graph)
assert "experta" not in sys.modules, "explain imported experta"
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


@needs_dot
def test_explanation_displays_itself_as_svg_in_jupyter():
    result = consult(load_case(ROOT / "scenarios/hamstring/case-study-hamstring-strain.yaml"))
    svg = why(result, "grade_2", RULES)._repr_svg_()
    assert "<svg" in svg and "grade_2" in svg


@pytest.mark.parametrize("result", RESULTS[::6], ids=lambda r: r.case_id)
def test_values_print_as_the_case_file_writes_them(result):
    """true / false and enum names, never Python's True / False or quoted strings."""
    import re
    from explain.render import html_report
    from kb.vocabulary import FINDINGS
    from ptkb.explaining import explain_case
    from ptkb.report import consultation_text
    missing = next(c for c in ("grade_3", "rf_dvt", "hyp_sij_pain") if c not in result.ids())
    texts = [consultation_text(result), explain_case(result, RULES, "text"),
             explain_case(result, RULES, "text", why_not_id=missing)]
    for text in texts:
        assert not re.search(r"\b(True|False)\b", text) and not re.search(r"= '[a-z_]+'", text)
    explanations = {c.id: why(result, c.id, RULES) for c in result.conclusions}
    table = html_report(result, "<svg></svg>", explanations).split("<table")[1].split("</table>")[0]
    for fid, value in result.findings:
        if FINDINGS[fid].type in ("bool", "enum"):
            shown = str(value).lower() if isinstance(value, bool) else value
            assert f'<td class="value">{shown}</td>' in table
