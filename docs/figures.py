"""The README's drawing, made by `make figures`: the proof of grade_2 in the hamstring case study.

The PNG carries the SHA-256 of the DOT it was drawn from (a `ptkb-dot-sha256` text chunk), so a test
can tell whether the knowledge base or the drawing code changed since (tests/test_docs.py).
"""
from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURE = ROOT / "docs/why-grade_2.png"
CASE = ROOT / "scenarios/hamstring/case-study-hamstring-strain.yaml"


def figure_dot() -> str:
    sys.path.insert(0, str(ROOT))
    import ptkb
    return ptkb.load(CASE).why("grade_2").to_dot(dpi=110)


def dot_hash(dot: str) -> str:
    return hashlib.sha256(dot.encode("utf-8")).hexdigest()


def figure_hash(path: Path = FIGURE) -> str | None:
    from PIL import Image
    with Image.open(path) as image:
        return image.text.get("ptkb-dot-sha256")


def make(path: Path = FIGURE) -> Path:
    from PIL import Image, PngImagePlugin

    from explain import render
    dot = figure_dot()
    image = Image.open(io.BytesIO(render(dot, "png")))
    info = PngImagePlugin.PngInfo()
    info.add_text("ptkb-dot-sha256", dot_hash(dot))
    image.save(path, pnginfo=info, optimize=True)
    return path


if __name__ == "__main__":
    print(f"wrote {make()}")
