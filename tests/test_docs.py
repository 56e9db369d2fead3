"""The authoring guide's worked example is true: its rule is the real rule, its case gives its output."""
import re

from engine import case_from_text, consult
from ptkb.report import consultation_text
from tests.helpers import ROOT

DOC = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")


def block(language):
    return re.search(rf"```{language}\n(.*?)```", DOC, re.S).group(1)


def test_rule_block_is_the_real_rule():
    assert block("python") in (ROOT / "kb" / "ischiofemoral.py").read_text(encoding="utf-8")


def test_scenario_block_gives_the_documented_output():
    case = case_from_text(block("yaml"), "authoring.md")
    result = consult(case)
    assert {"hyp_ischiofemoral_impingement", "tx_shorten_stride"} <= result.ids()
    text = consultation_text(result)
    for line in block("text").splitlines():
        assert line in text, line
