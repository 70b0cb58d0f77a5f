"""The shared vision encoder stack: every sampled camera frame is encoded once (objects, faces with
head pose and gaze, raised hands, text) into a `SceneReport`; both replicas
and the monitor read the session's latest report (assistant/core/camera.py), never the frame.

Encoders are optional per profile (`[vision] objects / faces / text`); each one's cost per frame
is kept in the report (`ms`), for the bench and the closing notes.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field, replace

import numpy as np

from models.expressions import ExpressionReader
from models.faces import Face, FaceReader
from models.objects import Detection, ObjectDetector
from models.text_reader import TextLine, TextReader

COSTS_KEPT = 10_000  # per-frame costs kept for the bench (bounded: a server runs for days)


def check_frame(rgb: np.ndarray) -> None:
    """A camera frame is H×W×3 uint8 RGB; anything else is a ValueError with one line."""
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"a camera frame must be H×W×3 uint8 RGB, got {rgb.shape} {rgb.dtype}")


@dataclass(frozen=True)
class SceneReport:
    t: float  # s, the frame's time on the session clock
    objects: tuple[Detection, ...] = ()
    faces: tuple[Face, ...] = ()
    hands_up: int | None = None  # raised hands of the most prominent person; None = no body seen
    text: tuple[TextLine, ...] = ()
    ms: dict[str, float] = field(default_factory=dict)  # encoder → ms spent on this frame
    read: bool = False  # OCR ran on this frame (else `text` says nothing about it)
    clothing: str | None = None  # the colour of the most prominent person's top; None = not seen
    expression: str | None = None  # the largest face's expression (models/expressions.py LABELS); None = not named

    @property
    def people(self) -> int:
        return max(sum(d.label == "person" for d in self.objects), len(self.faces))

    @property
    def looking(self) -> bool:
        return any(f.looking for f in self.faces)


class VisionEncoder:
    """`objects`: COCO objects (CenterNet); `faces`: faces, head pose, gaze, raised hands (MediaPipe);
    `text`: OCR (PP-OCRv4). `threads`: onnxruntime threads per encoder (the other core stays with
    the audio loop)."""

    def __init__(self, objects: bool = True, faces: bool = True, text: bool = True, threads: int = 1) -> None:
        self._objects = ObjectDetector(threads=threads) if objects else None
        self._faces = FaceReader() if faces else None
        self._expressions = ExpressionReader(threads=threads) if faces else None
        self._text = TextReader(threads=threads) if text else None
        self._lock = threading.Lock()  # one encode at a time: the MediaPipe graphs are not reentrant
        self.encode_calls = 0
        self.costs: deque[dict[str, float]] = deque(maxlen=COSTS_KEPT)  # ms per encoder per frame (bench)

    @property
    def reads(self) -> bool:
        """It has an OCR encoder."""
        return self._text is not None

    def read(self, r: SceneReport, rgb: np.ndarray) -> SceneReport:
        """Report `r` of frame `rgb` with the text on it read (OCR), if it was not read yet."""
        if r.read or self._text is None:
            return r
        with self._lock:
            t0 = time.perf_counter()
            text = self._text.read(rgb)
            ms = {**r.ms, "text": (time.perf_counter() - t0) * 1000}
            self.costs.append({"text": ms["text"]})
            return replace(r, text=tuple(text), ms=ms, read=True)

    def encode(self, t: float, rgb: np.ndarray, read: bool = True) -> SceneReport:
        """The report of one frame taken at `t` (`read`: with OCR, the slowest encoder)."""
        with self._lock:
            check_frame(rgb)
            self.encode_calls += 1
            ms: dict[str, float] = {}
            objects: list[Detection] = []
            faces: list[Face] = []
            hands: int | None = None
            clothing: str | None = None
            expression: str | None = None
            text: list[TextLine] = []
            if self._objects:
                t0 = time.perf_counter()
                objects = self._objects.detect(rgb)
                ms["objects"] = (time.perf_counter() - t0) * 1000
            if self._faces:
                t0 = time.perf_counter()
                faces = self._faces.faces(rgb)
                hands, clothing = self._faces.body(rgb)
                if faces and self._expressions is not None:
                    big = max(faces, key=lambda f: (f.box[2] - f.box[0]) * (f.box[3] - f.box[1]))
                    expression = self._expressions.expression(rgb, big.box)
                ms["faces"] = (time.perf_counter() - t0) * 1000
            if self._text and read:
                t0 = time.perf_counter()
                text = self._text.read(rgb)
                ms["text"] = (time.perf_counter() - t0) * 1000
            self.costs.append(ms)
            return SceneReport(t, tuple(objects), tuple(faces), hands, tuple(text), ms, bool(self._text and read),
                               clothing, expression)
