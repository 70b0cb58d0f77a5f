"""Replaying the real-room scenes (assistant/bench/rooms.py) and scoring what the user gets.

- A request (quiet, far, over babble) is answered when its words became a user turn and answer
  audio followed its end; voice-to-voice is from its last word to the first answer audio.
- It is answered right when the words said (its replies' text) say what the QA bench's right answer says
  (assistant/bench/qa.py `matches`); answered but not right is a wrong answer the user may believe.
- Side talk, a TV quiz or babble is answered when any of it became a user turn (not withdrawn:
  taken up by another voice) or any answer audio played: that is a false answer.
Rates per kind, tune and held halves side by side, + every scene's words heard and verdicts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from assistant.bench import metrics, runner
from assistant.bench.qa import matches
from assistant.bench.qa_items import items
from assistant.bench.rooms import MUST_NOT_ANSWER, SHOULD_ANSWER, RoomScene, room_scenes
from assistant.core.events import AskedBack, ReplyDone, SegmentHeard, StateToken, UserTurn, Withdrawn
from assistant.core.options import Profile
from assistant.core.runtime import Models
from assistant.run.replay import ReplayResult, replay


def score(rs: RoomScene, r: ReplayResult, should_answer: tuple[str, ...] = SHOULD_ANSWER) -> dict[str, Any]:
    first = rs.scene.intervals[0]
    withdrawn = {e.segment for e in r.events if isinstance(e, Withdrawn)}  # questions another voice took up
    turns = [e.text for e in r.events if isinstance(e, UserTurn) and e.t >= first.start and e.segment not in withdrawn]
    row: dict[str, Any] = {"scene": rs.scene.name, "kind": rs.kind, "half": rs.half, "voices": rs.voices,
                           "said": " | ".join(iv.text for iv in rs.scene.intervals),
                           "heard": [e.text for e in r.events if isinstance(e, SegmentHeard) and e.final],
                           "verdicts": [f"{e.token} {e.p:.2f}" for e in r.events if isinstance(e, StateToken)],
                           "user_turns": turns, "withdrawn": len(withdrawn),
                           # "Sorry, I didn't catch that": a request heard badly asked again (not an answer)
                           "asked_back": sum(isinstance(e, AskedBack) for e in r.events)}
    if rs.kind in should_answer:
        start = metrics.first_audio_after(r.assistant, first.end)
        row["answered"] = bool(turns) and start is not None and not row["asked_back"]
        row["v2v_s"] = round(float(start - first.end), 3) if row["answered"] and start is not None else None
        item = next((it for it in items() if it.ask == first.text), None)  # (a request of the QA bench's)
        if item is not None:
            said = " ".join(e.text for e in r.events if isinstance(e, ReplyDone) and e.t >= first.start)
            row["right"] = row["answered"] and matches(item, said, dt.datetime.now())
    else:
        row["answered"] = bool(turns) or metrics.audio_seconds(r.assistant) > 0
    return row


def summary(rows: list[dict[str, Any]], kinds: tuple[str, ...] = (*SHOULD_ANSWER, *MUST_NOT_ANSWER)) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in kinds:
        sel = [r for r in rows if r["kind"] == kind]
        out[f"{kind}_answered"] = f"{sum(r['answered'] for r in sel)}/{len(sel)}"
        out[f"{kind}_asked_back"] = f"{sum(r.get('asked_back', 0) > 0 for r in sel)}/{len(sel)}"
        if kind in SHOULD_ANSWER and any("right" in r for r in sel):  # (answered, not right: wrong)
            out[f"{kind}_right"] = f"{sum(r.get('right', False) for r in sel)}/{len(sel)}"
    v2v = [r["v2v_s"] for r in rows if r.get("v2v_s") is not None]
    out["v2v_n"] = len(v2v)
    out["v2v_p50_s"], out["v2v_p95_s"] = metrics.percentile(v2v, 50), metrics.percentile(v2v, 95)
    return out


def _play(models: Models, profile: Profile, out: Path, rs: RoomScene) -> dict[str, Any]:
    return score(rs, replay(models, profile, rs.scene.save(out / "scenes"), out / rs.scene.name))


def _line(rs: RoomScene, row: dict[str, Any]) -> str:
    bad = row["answered"] != (rs.kind in SHOULD_ANSWER)
    return f"{'BAD' if bad else 'ok '} {rs.scene.name:24s} {rs.kind:20s} heard {row['heard']} → {row['verdicts']}"


ROOMS = runner.SceneBench("real rooms", "rooms.json", _play, _line, summary)


def bench_rooms(profile: Profile, out: Path, per_half: dict[str, int] | None = None) -> int:
    return runner.run(ROOMS, profile, out, room_scenes(per_half))
