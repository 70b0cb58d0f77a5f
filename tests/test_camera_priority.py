"""Vision never delays an answer: the camera's periodic sampling waits while an answer is being
prepared (the onset's frame, sampled on demand, is what that answer sees). A counting encoder
double stands in for the vision models; the timing is the event loop's, not a measured one."""

from __future__ import annotations

import asyncio

import numpy as np

from assistant.core.camera import Camera
from assistant.core.events import Bus
from assistant.core.options import VisionOptions
from models.vision import SceneReport


class CountingEncoder:
    def __init__(self) -> None:
        self.frames = 0

    def encode(self, t: float, rgb: np.ndarray, read: bool = True) -> SceneReport:
        self.frames += 1
        return SceneReport(t)


def _sampled(answering: bool) -> int:
    enc = CountingEncoder()
    state = {"t": 0.0}

    async def main() -> None:
        cam = Camera(enc, VisionOptions(fps=50.0), Bus(), lambda: state["t"], lambda: answering)  # type: ignore[arg-type]
        task = asyncio.get_running_loop().create_task(cam.run())
        for k in range(10):  # a new frame every 20 ms
            state["t"] = k * 0.02
            cam.push(state["t"], np.zeros((8, 8, 3), np.uint8))
            await asyncio.sleep(0.02)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        cam.close()

    asyncio.run(main())
    return enc.frames


def test_the_camera_samples_while_idle_and_waits_while_an_answer_is_prepared():
    assert _sampled(answering=False) >= 1
    assert _sampled(answering=True) == 0
