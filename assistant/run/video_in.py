"""Camera frames from files, paced on the session clock: a still image (`--image`, repeated like a
camera that films a still scene) or a video file (`--video`, decoded with PyAV, which aiortc
brings). Bad files get one clear line (`VideoInputError`)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.core.clock import Clock

STILL_FPS = 10.0  # frames per second a still image is delivered at (sampling picks from these)

OnFrame = Callable[[float, np.ndarray], None]


class VideoInputError(Exception):
    """A camera file that cannot be read; one line for the user."""


def load_image(path: str | Path) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    p = Path(path)
    if not p.is_file():
        raise VideoInputError(f"no image file {p}")
    try:
        with Image.open(p) as im:
            return np.asarray(im.convert("RGB"))
    except (UnidentifiedImageError, OSError) as e:
        raise VideoInputError(f"{p}: not an image this build can read ({e})") from None


async def feed_still(rgb: np.ndarray, clock: Clock, on_frame: OnFrame, until_s: float) -> None:
    k = 0
    while (t := k / STILL_FPS) < until_s:
        await clock.sleep_until(t)
        on_frame(clock.now(), rgb)
        k += 1


async def feed_video(path: str | Path, clock: Clock, on_frame: OnFrame) -> None:
    import av

    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError) as e:
        raise VideoInputError(f"{path}: not a video this build can read ({e})") from None
    with container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            t = float(frame.time or 0.0)
            await clock.sleep_until(t)
            on_frame(clock.now(), frame.to_ndarray(format="rgb24"))
            await asyncio.sleep(0)


class LocalCamera:
    """A local camera through OpenCV (`assistant run --camera INDEX`), read on a thread of its own."""

    def __init__(self, index: int, fps: float = 5.0) -> None:
        os.environ.setdefault("OPENCV_LOG_LEVEL", "OFF")  # our one-line error, not OpenCV's warnings
        import cv2

        self._cv2 = cv2
        self._cap = cv2.VideoCapture(index)
        if not self._cap.isOpened():
            raise VideoInputError(f"no camera {index} on this machine (try `--image FILE` with replay)")
        self.period = 1.0 / fps

    async def feed(self, clock: Clock, on_frame: OnFrame) -> None:
        loop = asyncio.get_running_loop()
        while True:
            ok, bgr = await loop.run_in_executor(None, self._cap.read)
            if not ok:
                raise VideoInputError("the camera stopped delivering frames")
            on_frame(clock.now(), self._cv2.cvtColor(bgr, self._cv2.COLOR_BGR2RGB))
            await asyncio.sleep(self.period)

    def close(self) -> None:
        self._cap.release()
