"""Measuring a drawing as a reader sees it: how much of a PNG is legend and empty margin."""
from __future__ import annotations

import io

from explain.render import LEGEND_BACKGROUND


def legend_and_margin(png: bytes) -> float:
    """The share of the image that is legend or empty margin: everything outside the bounding box of
    the drawn content (non-white pixels, the legend panel excluded), plus the legend panel inside it."""
    from PIL import Image, ImageChops
    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    panel = tuple(int(LEGEND_BACKGROUND[i:i + 2], 16) for i in (1, 3, 5))
    mask = ImageChops.difference(image, Image.new("RGB", image.size, panel)).convert("L").point(
        lambda v: 255 if v == 0 else 0)
    # the panel's rows and columns (a stray anti-aliased pixel of that colour does not count), counted
    # in the mask's bytes: row by row, then column by column in its transpose
    by_row, by_col = mask.tobytes(), mask.transpose(Image.Transpose.TRANSPOSE).tobytes()
    rows = [y for y in range(height) if by_row.count(255, y * width, (y + 1) * width) >= 10]
    cols = [x for x in range(width) if by_col.count(255, x * height, (x + 1) * height) >= 5]
    legend = (cols[0], rows[0], cols[-1] + 1, rows[-1] + 1) if rows and cols else None
    ink = ImageChops.difference(image, Image.new("RGB", image.size, (255, 255, 255))).convert("L").point(
        lambda v: 255 if v > 8 else 0)
    if legend:
        ink.paste(0, legend)
    content = ink.getbbox() or (0, 0, 0, 0)
    area = (content[2] - content[0]) * (content[3] - content[1])
    if legend:
        x0, y0 = max(legend[0], content[0]), max(legend[1], content[1])
        x1, y1 = min(legend[2], content[2]), min(legend[3], content[3])
        area -= max(0, x1 - x0) * max(0, y1 - y0)
    return 1 - area / (width * height)


# The same share from Graphviz's own layout (`dot -Tjson`: every drawing operation with its
# coordinates) instead of the pixels: exact for shapes and lines, text boxes from the font size.
# Laying out is ~20x cheaper than rasterising, so the whole-KB sweep measures this way;
# tests/test_drawings.py checks on the case studies that both measures agree.

def layouts(dots: list[str]) -> list[dict]:
    """Graphviz's JSON layout of each DOT text, all in one `dot` process."""
    import json
    import shutil
    import subprocess
    done = subprocess.run([shutil.which("dot"), "-Tjson"], input="\n".join(dots).encode("utf-8"),
                          capture_output=True, timeout=600, check=True)
    text, decoder, out, at = done.stdout.decode("utf-8"), json.JSONDecoder(), [], 0
    while len(out) < len(dots):
        while text[at].isspace():
            at += 1
        layout, at = decoder.raw_decode(text, at)
        out.append(layout)
    return out


_INVISIBLE = {"#ffffff", "white", "transparent", "#fffffe00"}


def _op_boxes(ops):
    """(x0, y0, x1, y1) of each drawing operation, and the legend panel's fill rectangle (or None)."""
    boxes, panel, fill, pen = [], None, "", ""
    size = 14.0
    for op in ops:
        kind = op["op"]
        if kind == "C":
            fill = op["color"].lower()
        elif kind == "c":
            pen = op["color"].lower()
        elif kind == "P" and {fill, pen} <= _INVISIBLE:
            continue  # the white page itself
        elif kind == "F":
            size = op["size"]
        elif kind in "PpLBb":
            xs, ys = [p[0] for p in op["points"]], [p[1] for p in op["points"]]
            box = (min(xs), min(ys), max(xs), max(ys))
            if kind == "P" and fill == LEGEND_BACKGROUND.lower() and panel is None:
                panel = box
            else:
                boxes.append(box)
        elif kind in "Ee":
            (x, y), (rx, ry) = op["rect"][:2], op["rect"][2:]
            boxes.append((x - rx, y - ry, x + rx, y + ry))
        elif kind == "T":
            (x, y), width = op["pt"], op["width"]
            left = {"l": x, "c": x - width / 2, "r": x - width}[op["align"]]
            boxes.append((left, y - 0.25 * size, left + width, y + 0.75 * size))
    return boxes, panel


def layout_legend_and_margin(layout: dict) -> float:
    """`legend_and_margin` from a layout: the page is the bounding box plus the pad; what is drawn
    outside the legend panel is the content."""
    keys = ("_draw_", "_ldraw_", "_hdraw_", "_tdraw_", "_hldraw_", "_tldraw_")
    boxes, panel = _op_boxes([op for key in keys for op in layout.get(key, [])])
    for item in [*layout.get("objects", []), *layout.get("edges", [])]:
        boxes += _op_boxes([op for key in keys for op in item.get(key, [])])[0]
    if panel:
        inside = lambda b: panel[0] <= b[0] and panel[1] <= b[1] and b[2] <= panel[2] and b[3] <= panel[3]  # noqa: E731
        boxes = [b for b in boxes if not inside(b)]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    area = (x1 - x0) * (y1 - y0)
    if panel:
        area -= max(0, min(panel[2], x1) - max(panel[0], x0)) * max(0, min(panel[3], y1) - max(panel[1], y0))
    pad = 72 * float(layout.get("pad", 0.0555))
    _, _, width, height = map(float, layout["bb"].split(","))
    return 1 - area / ((width + 2 * pad) * (height + 2 * pad))
