"""The HTML report renders in headless Chromium, and a #conclusion link highlights its proof."""
import os
import shutil
import subprocess

import pytest

from engine import consult, load_case, rule_by_id
from explain import dot_available
from ptkb.explaining import case_report_html
from tests.helpers import ROOT

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if shutil.which("apt-get") and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], capture_output=True, timeout=600)
        return shutil.which("chromium")
    return None


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    if not dot_available():
        pytest.skip("Graphviz 'dot' not installed")
    chromium = find_chromium()
    if chromium is None:
        pytest.skip("Chromium not found and cannot be installed here (not root)")
    result = consult(load_case(ROOT / "scenarios/hamstring/case-study-hamstring-strain.yaml"))
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(case_report_html(result, rule_by_id()), encoding="utf-8")
    return chromium, path, tmp_path_factory.mktemp("profile")


def test_report_renders_with_graph(report):
    chromium, path, profile = report
    shot = path.with_suffix(".png")
    subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", "--window-size=1600,1000",
                    f"--screenshot={shot}", f"{path.as_uri()}#grade_2"], capture_output=True, timeout=120)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert int.from_bytes(data[16:20], "big") == 1600 and int.from_bytes(data[20:24], "big") == 1000
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes


def test_link_to_conclusion_highlights_its_proof(report):
    chromium, path, profile = report
    done = subprocess.run([chromium, *FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                           f"{path.as_uri()}#grade_2"], capture_output=True, text=True, timeout=120)
    dom = done.stdout
    assert 'class="conclusion grade active"' in dom
    assert 'class="dim"' in dom and 'id="c_grade_2" class="node hl"' in dom
    assert 'id="c_hyp_hamstring_strain" class="node hl"' in dom
    assert 'id="c_tx_shorten_stride" class="node"' in dom  # not part of grade_2's proof
