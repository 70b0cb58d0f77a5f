"""Vision as an addressee cue: a face turned toward the device when speech starts makes `query`
more likely; a camera that sees nobody looking makes it less likely. The cue shifts the log-odds of
`query` against the other two tokens by `[vision] gaze_weight` (a kiosk trusts it more, a car
cockpit, where the driver looks at the road, less); the ratio of `noise` to `side` is kept.
With no camera, or no recent frame, the verdict is unchanged."""

from __future__ import annotations

import math

from assistant.core.judge import Verdict
from models.vision import SceneReport

P_EPS = 1e-6


def with_gaze(v: Verdict, seen: SceneReport | None, weight: float) -> Verdict:
    if seen is None or weight == 0:
        return v
    shift = weight if seen.looking else -weight
    q = min(max(v.probs["query"], P_EPS), 1 - P_EPS)
    q2 = 1 / (1 + math.exp(-(math.log(q / (1 - q)) + shift)))
    rest = 1 - q
    probs = {"query": q2}
    for k in ("noise", "side"):
        probs[k] = (1 - q2) * (v.probs[k] / rest if rest > P_EPS else 0.5)
    token = max(probs, key=lambda k: probs[k])
    return Verdict(token, probs[token], probs)  # type: ignore[arg-type]
