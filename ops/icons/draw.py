"""The app icons in static/icons/, drawn from the favicon's strokes (static/favicon.svg).

Drawn once and committed: `uv run python -m ops.icons.draw` after the favicon changes.
"""

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = (30, 91, 184, 255)
WHITE = (255, 255, 255, 255)
# The favicon's 후 on its 64-unit grid: straight strokes, then the ellipse (centre, radii).
STROKES = [((18, 20), (46, 20)), ((32, 14), (32, 20)), ((14, 44), (50, 44)), ((32, 44), (32, 52))]
ELLIPSE = ((32, 30), (10, 7))
STROKE_WIDTH = 5
SUPERSAMPLE = 4  # drawn four times larger, then scaled down: smooth edges


def draw(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        # Full bleed; the glyph inside the 80% safe circle that every mask keeps.
        pen.rectangle((0, 0, big, big), fill=ACCENT)
        scale, offset = big * 0.62 / 64, big * 0.19
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 14 / 64, fill=ACCENT)
        scale, offset = big / 64, 0

    def at(x, y):
        return offset + x * scale, offset + y * scale

    width = STROKE_WIDTH * scale
    for start, end in STROKES:
        pen.line([at(*start), at(*end)], fill=WHITE, width=round(width))
        for x, y in (start, end):  # round caps
            cx, cy = at(x, y)
            pen.ellipse(
                (cx - width / 2, cy - width / 2, cx + width / 2, cy + width / 2), fill=WHITE
            )
    (cx, cy), (rx, ry) = ELLIPSE
    left, top = at(cx - rx, cy - ry)
    right, bottom = at(cx + rx, cy + ry)
    pen.ellipse((left, top, right, bottom), outline=WHITE, width=round(width))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    folder = Path(__file__).resolve().parents[2] / "static" / "icons"
    folder.mkdir(exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(folder / f"hugi-{size}.png", optimize=True)
    draw(512, maskable=True).save(folder / "hugi-maskable-512.png", optimize=True)
    draw(180, maskable=True).convert("RGB").save(folder / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
