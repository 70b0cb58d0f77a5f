"""Text in a camera frame (signs, labels, screens): PP-OCRv4 detection + recognition on onnxruntime
(`rapidocr-onnxruntime`, weights inside the package)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.weights import MissingModelError

MIN_SCORE = 0.6  # recognition confidence below which a line is dropped
MAX_SIDE_PX = 960  # frames are scaled down to this before detection (cost grows with area)


@dataclass(frozen=True)
class TextLine:
    text: str
    score: float
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 as fractions of the frame


class TextReader:
    def __init__(self, threads: int = 1) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as e:
            raise MissingModelError(f"OCR needs rapidocr-onnxruntime ({e}): run `make setup`") from e
        self._ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, max_side_len=MAX_SIDE_PX)

    def read(self, rgb: np.ndarray) -> list[TextLine]:
        """Lines of text, top to bottom."""
        h, w = rgb.shape[:2]
        result, _ = self._ocr(np.ascontiguousarray(rgb[..., ::-1]))  # RapidOCR expects BGR like OpenCV
        lines = []
        for quad, text, score in result or []:
            xs, ys = [p[0] for p in quad], [p[1] for p in quad]
            if float(score) >= MIN_SCORE and text.strip():
                lines.append(TextLine(text.strip(), float(score), (min(xs) / w, min(ys) / h, max(xs) / w, max(ys) / h)))
        return sorted(lines, key=lambda t: (round(t.box[1], 2), t.box[0]))
