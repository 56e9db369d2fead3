"""SARIF 2.1.0 logs for code-review tools (GitHub code scanning, IDEs): `ptkb lint` and `ptkb verify`
write their findings through here.

>>> import json
>>> log = json.loads(sarif_log("ptkb lint", "0.1.0", [result("bad-value", "error", "x", "kb/a.py:3:5")]))
>>> log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
{'startLine': 3, 'startColumn': 5}
"""
from __future__ import annotations

import json

__all__ = ["sarif_log", "result"]

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def result(rule_id: str, level: str, text: str, location: str = "", suppressed: str = "") -> dict:
    """One SARIF result: `level` error / warning / note, `location` 'path:line:col' (or none), and
    `suppressed` the reviewed reason when the finding is acknowledged."""
    out = {"ruleId": rule_id, "level": level, "message": {"text": text}}
    path, _, rest = location.partition(":")
    if path and rest:
        line, _, column = rest.partition(":")
        region = {"startLine": int(line)} | ({"startColumn": int(column)} if column else {})
        out["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": path}, "region": region}}]
    if suppressed:
        out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": suppressed}]
    return out


def sarif_log(tool: str, version: str, results: list[dict], descriptions: dict | None = None) -> str:
    """The log of one run of `tool`; every rule id used is declared (with its description, if given)."""
    rules = [{"id": r} | ({"shortDescription": {"text": descriptions[r]}} if descriptions and r in descriptions else {})
             for r in sorted({r["ruleId"] for r in results})]
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0",
                       "runs": [{"tool": {"driver": {"name": tool, "version": version, "rules": rules}},
                                 "results": results}]}, indent=2, ensure_ascii=False) + "\n"
