"""Draw the installable app's icons (static/img/app-icon-*.png) from the favicon's helmet
(static/img/favicon.svg): a blue dome over a brim on the mission blue, with room around it
for the masks Android lays over "maskable" icons. Run again after changing the drawing."""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "src/bluehelmet/static/img"
BACKGROUND = "#0b3d6b"
DOME = "#4da3e8"
BRIM = "#ffffff"


def draw(size: int) -> Image.Image:
    image = Image.new("RGB", (size, size), BACKGROUND)
    pen = ImageDraw.Draw(image)
    unit = size / 32  # the favicon's 32-unit grid, drawn inside the maskable safe zone (80 %)
    scale, offset = 0.6, size * 0.2

    def at(x: float, y: float) -> tuple[float, float]:
        return offset + x * unit * scale, offset + y * unit * scale

    left, top = at(4, 8)
    right, bottom = at(28, 32)
    pen.pieslice([left, top, right, bottom], 180, 360, fill=DOME, outline=BRIM, width=max(2, size // 64))
    pen.rectangle([*at(4, 20), *at(28, 22)], fill=DOME)
    pen.rounded_rectangle([*at(2, 22), *at(30, 26)], radius=2 * unit * scale, fill=BRIM)
    return image


if __name__ == "__main__":
    for size in (192, 512):
        draw(size).save(OUT / f"app-icon-{size}.png", optimize=True)
