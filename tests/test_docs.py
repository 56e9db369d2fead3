"""The authoring guide's worked example is true: its rule is the real rule, its case gives its output."""
import re

from engine import case_from_text, consult
from ptkb.report import consultation_text
from tests.helpers import ROOT

DOC = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")


def block(language, index=0):
    return re.findall(rf"```{language}\n(.*?)```", DOC, re.S)[index]


def test_rule_block_is_the_real_rule():
    assert block("yaml") in (ROOT / "kb" / "rules" / "ischiofemoral.yaml").read_text(encoding="utf-8")


def test_scenario_block_gives_the_documented_output():
    case = case_from_text(block("yaml", 1), "authoring.md")
    result = consult(case)
    assert {"hyp_ischiofemoral_impingement", "tx_shorten_stride"} <= result.ids()
    text = consultation_text(result)
    for line in block("text").splitlines():
        assert line in text, line


def test_rule_catalogue_is_generated_and_current():
    """docs/rules.md is `ptkb rules --format md` (regenerate with `make docs`)."""
    from engine import catalogue
    from ptkb.regression import run_suite
    from ptkb.report import catalogue_markdown
    fired_in = run_suite([ROOT / "scenarios"], seed=0).coverage()["rules_fired_in"]
    current = catalogue_markdown(catalogue(), fired_in)
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == current, "run `make docs`"


def test_rule_catalogue_reads_without_python():
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    entry = text.split("#### RF-030:")[1].split("####")[0]
    assert "**When**: possible cauda equina syndrome" in entry and "BMJ Best Practice" in entry
    assert "Scenarios that fire it" in entry and "ces-saddle-numbness" in entry
    # where to edit: the area's rule file, and the rules generated in Python named by id
    assert "Written in `kb/rules/red_flags.yaml`; RF-040, RF-041" in text and "in `kb/red_flags.py`" in text


def test_readme_drawing_is_current():
    """docs/why-grade_2.png was drawn from the DOT today's code makes (`make figures` redraws it)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("figures", ROOT / "docs/figures.py")
    figures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(figures)
    assert "docs/why-grade_2.png" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert figures.figure_hash() == figures.dot_hash(figures.figure_dot()), "run 'make figures'"


def test_rule_catalogue_page_has_every_rule_with_its_drawing():
    from explain import dot_available
    from ptkb.api import rules
    from ptkb.report import catalogue_html
    metas = rules("red_flags")
    page = catalogue_html(metas, drawings=dot_available())
    for m in metas:
        assert f'id="{m.id}"' in page
    assert "Red flag -&gt; referral" in page  # its table, escaped
    assert page.count("<svg") == (len(metas) if dot_available() else 0)
    assert "<script src" not in page
