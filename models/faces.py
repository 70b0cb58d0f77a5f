"""Faces and bodies in a camera frame: MediaPipe FaceMesh with irises (head pose, gaze) and Pose
(raised hands), weights inside `mediapipe==0.10.14`.

Head pose comes from the mesh geometry: yaw from where the nose tip sits between the two sides
of the face, pitch from where it sits between forehead and chin (a frontal face has the nose a
little below the middle). Gaze: where each iris sits between its eye corners. A face "looks at
the device" when it is turned toward the camera and its irises are near the middle of the eyes.
"""

from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.weights import MissingModelError

MAX_FACES = 4
LOOKING_YAW_DEG = 25.0  # |yaw| up to this counts as turned toward the camera
LOOKING_PITCH_DEG = 25.0
IRIS_CENTRE = (0.3, 0.7)  # iris position between the eye corners (0..1) that counts as looking ahead
PITCH_NEUTRAL = 0.12  # nose-tip offset below the forehead–chin midpoint on a frontal face (frac of half height)

# FaceMesh landmark ids (468 mesh points + 10 iris points with refine_landmarks)
NOSE, FACE_L, FACE_R, FOREHEAD, CHIN = 1, 234, 454, 10, 152
EYE_L, EYE_R = (33, 133), (362, 263)  # outer/inner corners of each eye
IRIS_L, IRIS_R = 468, 473
# Pose landmark ids
SHOULDERS, WRISTS, HIPS = (11, 12), (15, 16), (23, 24)
TORSO_INSET = 0.2  # share of the torso box left out on each side (arms, background, a collar)
MIN_TORSO_PX = 6  # a torso box smaller than this (pixels a side) says nothing about its colour
HUES = ((70, "yellow"), (170, "green"), (200, "light blue"), (260, "blue"), (300, "purple"), (345, "pink"))  # deg
MIN_VISIBILITY = 0.5


@dataclass(frozen=True)
class Face:
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 as fractions of the frame
    yaw_deg: float  # + = turned to the camera's right
    pitch_deg: float  # + = looking down
    gaze: float  # iris position between the eye corners, 0.5 = straight ahead
    looking: bool  # turned toward the camera and looking at it


def _asin_deg(r: float) -> float:
    return math.degrees(math.asin(max(-1.0, min(1.0, r))))


def _face(lm: Any) -> Face:
    p = np.array([(q.x, q.y) for q in lm.landmark], np.float32)
    half_w = (p[FACE_R, 0] - p[FACE_L, 0]) / 2
    yaw = _asin_deg((p[NOSE, 0] - (p[FACE_L, 0] + p[FACE_R, 0]) / 2) / half_w) if half_w > 0 else 90.0
    half_h = (p[CHIN, 1] - p[FOREHEAD, 1]) / 2
    off = (p[NOSE, 1] - (p[CHIN, 1] + p[FOREHEAD, 1]) / 2) / half_h if half_h > 0 else 0.0
    pitch = _asin_deg(off - PITCH_NEUTRAL)
    gazes = []
    for (a, b), iris in ((EYE_L, IRIS_L), (EYE_R, IRIS_R)):
        span = p[b, 0] - p[a, 0]
        if len(p) > iris and abs(span) > 1e-6:
            gazes.append(float((p[iris, 0] - p[a, 0]) / span))
    gaze = float(np.mean(gazes)) if gazes else 0.5
    looking = abs(yaw) <= LOOKING_YAW_DEG and abs(pitch) <= LOOKING_PITCH_DEG and \
        IRIS_CENTRE[0] <= gaze <= IRIS_CENTRE[1]
    box = (float(p[:, 0].min()), float(p[:, 1].min()), float(p[:, 0].max()), float(p[:, 1].max()))
    return Face(tuple(float(np.clip(v, 0, 1)) for v in box), round(yaw, 1), round(pitch, 1), round(gaze, 2), looking)  # type: ignore[arg-type]


class FaceReader:
    """Faces (pose + gaze) and raised hands. One instance per thread: MediaPipe graphs are stateful."""

    def __init__(self) -> None:
        try:
            import mediapipe as mp
        except ImportError as e:
            raise MissingModelError(f"faces need mediapipe==0.10.14 ({e}): run `make setup`") from e
        self._mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=MAX_FACES,
                                                     refine_landmarks=True, min_detection_confidence=0.5)
        # model_complexity=1: the full pose model ships in the wheel (0 and 2 would be downloaded)
        self._pose = mp.solutions.pose.Pose(static_image_mode=True, model_complexity=1, min_detection_confidence=0.5)

    def faces(self, rgb: np.ndarray) -> list[Face]:
        res = self._mesh.process(np.ascontiguousarray(rgb))
        return [_face(lm) for lm in (res.multi_face_landmarks or [])]

    def hands_up(self, rgb: np.ndarray) -> int | None:
        """How many hands are raised above the shoulders of the most prominent person (None: no body seen)."""
        return self.body(rgb)[0]

    def body(self, rgb: np.ndarray) -> tuple[int | None, str | None]:
        """The most prominent person's raised hands and the colour of their top (None: not seen)."""
        res = self._pose.process(np.ascontiguousarray(rgb))
        if res.pose_landmarks is None:
            return None, None
        lm = res.pose_landmarks.landmark
        up = 0
        for s, w in zip(SHOULDERS, WRISTS, strict=True):
            if lm[w].visibility >= MIN_VISIBILITY and lm[s].visibility >= MIN_VISIBILITY and lm[w].y < lm[s].y:
                up += 1
        return up, torso_colour(rgb, lm)


def torso_colour(rgb: np.ndarray, lm: Any) -> str | None:
    """The colour name of the cloth between the shoulders and the hips (or a shoulder-width below the
    shoulders when the hips are out of view): the median of its inner part."""
    if any(lm[i].visibility < MIN_VISIBILITY for i in SHOULDERS):
        return None
    h, w = rgb.shape[:2]
    xs = sorted(lm[i].x * w for i in SHOULDERS)
    top = max(lm[i].y for i in SHOULDERS) * h
    width = xs[1] - xs[0]
    hips = [lm[i].y * h for i in HIPS if lm[i].visibility >= MIN_VISIBILITY]
    bottom = min(hips) if hips else top + width
    x0, x1 = xs[0] + width * TORSO_INSET, xs[1] - width * TORSO_INSET
    y0, y1 = top + (bottom - top) * TORSO_INSET, bottom - (bottom - top) * TORSO_INSET
    x0, x1, y0, y1 = (int(np.clip(v, 0, lim)) for v, lim in ((x0, w), (x1, w), (y0, h), (y1, h)))
    if x1 - x0 < MIN_TORSO_PX or y1 - y0 < MIN_TORSO_PX:
        return None
    return colour_name(np.median(rgb[y0:y1, x0:x1].reshape(-1, 3), axis=0))


def colour_name(rgb: np.ndarray) -> str:
    """A plain colour word for an RGB triple (0–255)."""
    r, g, b = (float(x) / 255 for x in rgb)
    hue, sat, val = colorsys.rgb_to_hsv(r, g, b)
    if val < 0.2:
        return "black"
    if sat < 0.18:
        return "white" if val > 0.8 else "grey"
    deg = hue * 360
    if deg < 10 or deg >= 345:
        return "red" if val > 0.45 else "dark red"
    if deg < 40:
        return "orange" if val > 0.6 else "brown"
    return next(name for limit, name in HUES if deg < limit)
