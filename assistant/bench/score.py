"""Scoring one replayed bench scene into a running tally (metric definitions in the README)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.bench import metrics
from assistant.bench.scenes import Scene
from assistant.core.events import Duck, Interrupt, Paused, ReplyAudio, SpeechStart, StateToken, UserTurn
from assistant.run.replay import ReplayResult

KEPT_WINDOW_S = 1.5  # s after the side talk ends in which the answer must still be heard
LOST_WORDS_S = 0.2  # s of answer unheard under a duck that count as words lost


def _talking_at(r: ReplayResult, t: float) -> bool:
    return bool(metrics.audio_seconds(r.assistant, t - 0.5, t) > 0)


def _interrupts(r: ReplayResult) -> list[Interrupt]:
    return [e for e in r.events if isinstance(e, Interrupt)]


def _first_p_query(r: ReplayResult, after: float) -> float | None:
    """p(query) of the first verdict on speech after `after` (the one that may interrupt)."""
    v = next((e for e in r.events if isinstance(e, StateToken) and e.t >= after), None)
    return None if v is None else v.probs["query"]


def _mean(xs: list[float]) -> float | None:
    return round(sum(xs) / len(xs), 3) if xs else None


def _planned_end(r: ReplayResult, after: float) -> float:
    """When the first answer after `after` would have ended if nothing cut it: its first audible
    moment plus all the audio queued for it."""
    start = metrics.first_audio_after(r.assistant, after) or after
    first = next((e.reply for e in r.events if isinstance(e, ReplyAudio)), None)
    return start + sum(e.seconds for e in r.events if isinstance(e, ReplyAudio) and e.reply == first)


@dataclass
class Tally:
    c: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("queries", "answered", "noise", "false", "barge_real", "barge_cut", "barge_answered", "side_real",
         "side_kept", "side_lost", "side_short", "side_paused", "echo", "echo_cut", "echo_heard"), 0))
    v2v: list[float] = field(default_factory=list)
    stops: list[float] = field(default_factory=list)
    decisions: list[float] = field(default_factory=list)
    silenced: list[float] = field(default_factory=list)  # onset → first pause or interrupt
    p_query: dict[str, list[float]] = field(default_factory=lambda: {"query": [], "barge_in": [], "side_talk": []})
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, sc: Scene, r: ReplayResult) -> None:
        c = self.c
        row: dict[str, Any] = {"scene": sc.name}
        kind = sc.name.rsplit("_", 1)[0]
        if kind == "quiet_query":
            q = sc.intervals[0]
            start = metrics.first_audio_after(r.assistant, q.end)
            c["queries"] += 1
            self._p(r, "query", q.start)
            c["answered"] += start is not None
            if start is not None:
                self.v2v.append(start - q.end)
            row["voice_to_voice_s"] = None if start is None else round(float(start - q.end), 3)
        elif kind.startswith("noise"):
            spoke = bool(metrics.audio_seconds(r.assistant) > 0)
            c["noise"] += 1
            c["false"] += spoke
            row["false_response"] = spoke
        elif kind == "barge_in":
            _, barge = sc.intervals
            ans = metrics.first_audio_after(r.assistant, barge.end) is not None
            row.update(talking_at_onset=_talking_at(r, barge.start), answered=ans)
            self._p(r, "barge_in", barge.start)
            if row["talking_at_onset"]:  # only a real barge-in counts: the answer may have ended before it
                c["barge_real"] += 1
                stop = metrics.stop_time_after(r.assistant, barge.start) - barge.start
                self.stops.append(stop)
                hits = [e for e in _interrupts(r) if e.t >= barge.start]
                c["barge_cut"] += bool(hits)
                c["barge_answered"] += ans
                if hits:
                    self.decisions.append(hits[0].t - barge.start)
                held = [e for e in r.events if isinstance(e, Interrupt | Paused) and e.t >= barge.start]
                if held:
                    self.silenced.append(held[0].t - barge.start)
                row.update(stop_latency_s=round(float(stop), 3), interrupted=bool(hits))
        elif kind == "side_talk":
            ask, side = sc.intervals
            row["talking_at_onset"] = _talking_at(r, side.start)
            self._p(r, "side_talk", side.start)
            cut = bool([e for e in _interrupts(r) if e.t >= side.start])
            answered = bool([e for e in r.events if isinstance(e, UserTurn) and e.t >= side.start])
            # an answer that ends by itself before the side talk is over cannot show "kept speaking"
            short = bool(_planned_end(r, ask.end) < side.end + KEPT_WINDOW_S)
            paused = bool([e for e in r.events if isinstance(e, Paused) and e.t >= side.start])
            row.update(interrupted=cut, answered_side_talk=answered, answer_too_short=short, paused=paused)
            c["side_paused"] += paused
            if row["talking_at_onset"] and (cut or answered or not short):
                c["side_real"] += 1
                kept = not cut and not answered and \
                    bool(metrics.audio_seconds(r.assistant, side.end, side.end + KEPT_WINDOW_S) > 0.3)
                c["side_kept"] += kept
                row["kept_speaking"] = kept
                # words of the answer lost: played under a deep duck, or cut
                lost = sum(e.lost_s for e in r.events if isinstance(e, Duck) and e.t >= side.start)
                row["lost_s"] = round(lost, 2)
                c["side_lost"] += cut or lost > LOST_WORDS_S
            elif row["talking_at_onset"]:
                c["side_short"] += 1
        else:  # echo
            cut_echo = bool(_interrupts(r))
            heard = any(isinstance(e, SpeechStart) and e.assistant_speaking for e in r.events)
            c["echo"] += 1
            c["echo_cut"] += cut_echo
            c["echo_heard"] += heard
            row.update(echo=str(sc.echo), false_interrupt=cut_echo, heard_itself=heard)
        self.rows.append(row)

    def _p(self, r: ReplayResult, kind: str, after: float) -> None:
        p = _first_p_query(r, after)
        if p is not None:
            self.p_query[kind].append(p)

    def summary(self) -> dict[str, Any]:
        c = self.c
        return {
            "query_answered": f"{c['answered']}/{c['queries']}",
            "voice_to_voice_p50_s": metrics.percentile(self.v2v, 50),
            "voice_to_voice_p95_s": metrics.percentile(self.v2v, 95),
            "voice_to_voice_n": len(self.v2v),
            "noise_false_response": f"{c['false']}/{c['noise']}",
            "barge_in_interrupted": f"{c['barge_cut']}/{c['barge_real']}",  # of scenes where it was talking
            "barge_in_answered": f"{c['barge_answered']}/{c['barge_real']}",
            "stop_latency_p50_s": metrics.percentile(self.stops, 50),  # audible stop (the duck counts)
            "stop_latency_p95_s": metrics.percentile(self.stops, 95),
            "decision_latency_p50_s": metrics.percentile(self.decisions, 50),  # onset → interrupt event
            # onset → the first verdict that silenced the answer (pause on a partial, or interrupt)
            "silenced_decision_p50_s": metrics.percentile(self.silenced, 50),
            "silenced_decision_p95_s": metrics.percentile(self.silenced, 95),
            "stop_latency_n": len(self.stops),
            "side_talk_kept_speaking": f"{c['side_kept']}/{c['side_real']}",
            "side_talk_words_lost": f"{c['side_lost']}/{c['side_real']}",  # cut, or > LOST_WORDS_S unheard under a duck
            "side_talk_answer_too_short": c["side_short"],  # answer ended by itself, side talk not answered
            "side_talk_paused": c["side_paused"],  # scenes whose answer paused on a side-talk partial
            # how sure the monitor is, on average, at its first verdict (the cue the camera moves)
            "first_p_query_mean_query": _mean(self.p_query["query"]),
            "first_p_query_mean_barge_in": _mean(self.p_query["barge_in"]),
            "first_p_query_mean_side_talk": _mean(self.p_query["side_talk"]),
            "echo_false_interrupts": f"{c['echo_cut']}/{c['echo']}",
            "echo_heard_as_speech": f"{c['echo_heard']}/{c['echo']}",
        }
