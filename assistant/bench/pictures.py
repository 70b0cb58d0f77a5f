"""Real pictures for tests, bench and demos: photos that installed packages ship (scikit-image's
astronaut, cat and coffee; Matplotlib's portrait of Grace Hopper) and frames drawn with PIL (a
sign with text, a blank wall). No network, no files of our own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont


def _skimage(name: str) -> Path:
    import skimage.data

    return Path(skimage.data.__file__).parent / f"{name}.png"


def _matplotlib(name: str) -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / name


PHOTOS = {  # name → (file, what is in it)
    "astronaut": (lambda: _skimage("astronaut"), "a person (Eileen Collins) facing the camera"),
    "cat": (lambda: _skimage("chelsea"), "a cat"),
    "coffee": (lambda: _skimage("coffee"), "a cup of coffee on a table, no people"),
    "hopper": (lambda: _matplotlib("sample_data/grace_hopper.jpg"), "a person (Grace Hopper) facing the camera"),
}


def photo(name: str) -> np.ndarray:
    with Image.open(PHOTOS[name][0]()) as im:
        return np.asarray(im.convert("RGB"))


def sign(text: str = "EXIT 12", size: tuple[int, int] = (640, 480)) -> np.ndarray:
    """A green road sign with white text on a grey wall."""
    im = Image.new("RGB", size, (150, 150, 145))
    d = ImageDraw.Draw(im)
    w, h = size
    d.rectangle((w * 0.15, h * 0.3, w * 0.85, h * 0.7), fill=(20, 110, 50), outline=(255, 255, 255), width=6)
    font = ImageFont.truetype(str(_matplotlib("fonts/ttf/DejaVuSans-Bold.ttf")), int(h * 0.16))
    box = d.textbbox((0, 0), text, font=font)
    d.text(((w - (box[2] - box[0])) / 2, (h - (box[3] - box[1])) / 2 - box[1]), text, fill="white", font=font)
    return np.asarray(im)


def blank(size: tuple[int, int] = (640, 480)) -> np.ndarray:
    """An evenly lit, empty wall."""
    return np.full((size[1], size[0], 3), (182, 176, 168), np.uint8)
