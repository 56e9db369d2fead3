"""Notebooks: every answer type displays itself (rich repr) and says what it is in one line, the
one-call API needs no rules dictionary, and the tutorial notebook runs from top to bottom."""
import pytest

import ptkb
from explain import dot_available
from tests.helpers import ROOT

needs_dot = pytest.mark.skipif(not dot_available(), reason="Graphviz 'dot' not installed")
CASE = ROOT / "scenarios/hamstring/case-study-hamstring-strain.yaml"


@pytest.fixture(scope="module")
def case():
    return ptkb.load(CASE)


def test_load_takes_a_path_a_mapping_or_yaml_text(case):
    assert ptkb.load(str(CASE)).conclusions == case.conclusions
    text = CASE.read_text(encoding="utf-8")
    assert ptkb.load(text).conclusions == case.conclusions
    assert "rf_cauda_equina" in ptkb.load({"id": "x", "findings": {"saddle_numbness": True}}).conclusions
    from engine.errors import CaseError
    with pytest.raises(CaseError):
        ptkb.load({"id": "x", "findings": {"saddle_numbnes": True}})
    with pytest.raises(TypeError):
        ptkb.load(42)


@needs_dot
def test_every_answer_type_has_a_rich_and_a_short_repr(case):
    answers = {"Consultation": case, "WhyAnswer": case.why("grade_2"),
               "WhyNotAnswer": case.why_not("hyp_sciatic_nerve_irritation"), "HowAnswer": case.how("mechanism"),
               "DiffAnswer": case.what_if(slump_reproduces_symptoms=True), "KnowledgeBase": ptkb.knowledge_base("sacroiliac"),
               "plan": case.plan()}
    for name, answer in answers.items():
        short = repr(answer)
        assert short.startswith("<") and short.endswith(">") and len(short) < 160 and "\n" not in short, name
        rich = answer._repr_html_() if hasattr(answer, "_repr_html_") else answer._repr_svg_()
        assert "<svg" in rich and "</svg>" in rich, name


def test_the_what_if_diff_names_the_change(case):
    change = case.what_if(slump_reproduces_symptoms=True, neural_differentiation_positive=True)
    assert ("slump_reproduces_symptoms", False, True) in change.findings_changed
    assert "hyp_neural_involvement" in change.gained
    assert case.what_if(sport_high_speed_running=None).findings_changed == (
        ("sport_high_speed_running", True, "(not examined)"),)


@needs_dot
def test_the_tutorial_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(ROOT / "docs/tutorial.ipynb", as_version=4)
    assert not any(cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), \
        "commit the tutorial without outputs"
    nbclient.NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}}).execute()  # raises on any error
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/svg+xml" in o.get("data", {}) for o in outputs) >= 5
    assert any("text/html" in o.get("data", {}) for o in outputs)
