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
    # the panel's rows and columns (a stray anti-aliased pixel of that colour does not count)
    rows = [y for y in range(height) if mask.crop((0, y, width, y + 1)).histogram()[255] >= 10]
    cols = [x for x in range(width) if mask.crop((x, 0, x + 1, height)).histogram()[255] >= 5]
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
