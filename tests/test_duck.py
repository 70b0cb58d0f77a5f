"""Duck-then-decide, control logic on the real models with the verdict fixed by a test double."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

import assistant.core.duplex as core_mod
from assistant.core.clock import Clock
from assistant.core.duplex import DuplexCore
from assistant.core.events import Bus, Duck, Ignored, Interrupt, Paused, RolesSwapped, SegmentHeard, SpeechStart, StateToken
from assistant.core.judge import Verdict
from audio import synth
from audio.frames import FRAME_S, FRAME_SAMPLES, AudioFrame

pytestmark = pytest.mark.slow


class ScriptedVerdict:
    """Test double for the monitor rule: state tokens from a script, the last one repeated
    (the real monitor is tested elsewhere)."""

    def __init__(self, *script: tuple[str, float]) -> None:
        self.script = list(script)

    def __call__(self, _lm: object, _tr: object, _saying: str = "") -> Verdict:
        token, p = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        rest = (1 - p) / 2
        probs = {"query": rest, "noise": rest, "side": rest, token: p}
        return Verdict(token, p, probs)  # type: ignore[arg-type]


def _run(models, profile, token: str, monkeypatch, p: float = 0.9,
         script: tuple[tuple[str, float], ...] = (), out: list[tuple[float, float]] | None = None,
         ) -> tuple[DuplexCore, Bus, float]:
    """`out` collects (mic time, peak) of every 20 ms the assistant played."""
    monkeypatch.setattr(models, "monitor", None)  # the rule path, whose `combine` the double replaces
    monkeypatch.setattr(core_mod, "combine", ScriptedVerdict(*(script or ((token, p),))))
    speech = synth.at_level(synth.espeak("Did you remember to buy milk on the way home?"), -24)
    mic = np.concatenate([np.zeros(8000, np.float32), speech, np.zeros(16000 * 2, np.float32)])

    async def scenario() -> tuple[DuplexCore, Bus, float]:
        bus, clock = Bus(), Clock()
        core = DuplexCore(models, profile, bus, clock)
        await core.warm()
        clock.start()
        core.start()
        core._answer("Tell me a long story about a dragon.", seg_id=99)
        while not core.playout.busy:
            await asyncio.sleep(0.02)
        clock.start()  # mic time 0 = the first frame below
        gain_after = 1.0
        for k in range(mic.size // FRAME_SAMPLES):
            await clock.sleep_until((k + 1) * FRAME_S)
            core.on_frame(AudioFrame(k * FRAME_S, mic[k * FRAME_SAMPLES : (k + 1) * FRAME_SAMPLES]))
            played = core.next_output()
            if out is not None:
                out.append((clock.now(), float(np.abs(played).max())))
        gain_after = core.playout.duck_gain
        await core.stop()
        return core, bus, gain_after

    return asyncio.run(scenario())


def test_duck_then_resume_on_side_talk(models, profile, monkeypatch):
    core, bus, gain = _run(models, profile, "side", monkeypatch)
    ev = bus.history
    onset = next(e for e in ev if isinstance(e, SpeechStart) and e.assistant_speaking)
    ducks = [e for e in ev if isinstance(e, Duck)]
    assert ducks and ducks[0].on and ducks[0].t - onset.t <= 0.2, "duck within 200 ms of the onset"
    verdict = next(e for e in ev if isinstance(e, StateToken))
    assert any(not d.on and d.t >= verdict.t for d in ducks), "volume restored after the side-talk verdict"
    assert not [e for e in ev if isinstance(e, Interrupt)]
    assert gain == 1.0


def test_duck_then_pause_then_swap_on_a_query(models, profile, monkeypatch):
    """A confident `query` partial silences the answer at once (paused, not dropped); the verdict
    on the whole utterance interrupts it and swaps the replicas."""
    out: list[tuple[float, float]] = []
    core, bus, gain = _run(models, profile, "query", monkeypatch, out=out)
    ev = bus.history
    kinds = [type(e) for e in ev]
    assert Duck in kinds and Interrupt in kinds and RolesSwapped in kinds
    assert kinds.index(Duck) < kinds.index(Interrupt) < len(kinds) - kinds[::-1].index(RolesSwapped)
    verdicts = [e for e in ev if isinstance(e, StateToken)]
    first, last = verdicts[0], verdicts[-1]
    assert not first.final and last.final
    paused = [e for e in ev if isinstance(e, Paused)]
    assert len(paused) == 1 and paused[0].t - first.t < 0.05 and paused[0].p == first.p, "the pause is an event"
    cut = next(e for e in ev if isinstance(e, Interrupt))
    assert cut.t - last.t < 0.05, "the whole utterance's verdict interrupts at once"
    assert max(a for t, a in out if first.t + 0.04 < t < cut.t) == 0.0, "silent from the confident partial on"
    assert gain == 1.0  # the answer to the barge-in plays at full volume


def test_paused_answer_resumes_when_the_whole_utterance_is_side_talk(models, profile, monkeypatch):
    """A confident `query` partial, then the utterance reads as side talk: the answer stays paused
    while the talk goes on and plays on from where it paused once the speech stops (at the
    tentative end, before the final segment); nothing dropped, no interrupt."""
    out: list[tuple[float, float]] = []
    core, bus, gain = _run(models, profile, "", monkeypatch, script=(("query", 0.9), ("side", 0.9)), out=out)
    ev = bus.history
    assert not [e for e in ev if isinstance(e, Interrupt)]
    verdicts = [e for e in ev if isinstance(e, StateToken)]
    final = next(e for e in verdicts if e.final)
    assert verdicts[0].token == "query" and final.token == "side"
    assert [e.segment for e in ev if isinstance(e, Paused)] == [final.segment]
    resumed = next(e for e in ev if isinstance(e, Duck) and not e.on)
    versions = [e for e in ev if isinstance(e, SegmentHeard)]
    whole = next(e for e in versions if e.final)
    stopped = next(e for e in versions if e.end >= whole.end)  # the tentative end (or, if the final
    # overtook it in the queue, the final itself)
    first_after = next(e for e in verdicts if e.t >= stopped.t)
    assert abs(resumed.t - first_after.t) < 0.05, "resumed at the first verdict after the speech stopped"
    assert max(a for t, a in out if verdicts[0].t + 0.04 < t < resumed.t) == 0.0, "paused while the talk goes on"
    assert max(a for t, a in out if t > resumed.t + 0.04) > 0.05, "then the answer plays on at full volume"
    assert gain == 1.0


def test_side_talk_after_an_unsure_partial_does_not_interrupt(models, profile, monkeypatch):
    """Side talk whose first words lean to a question (below the bar): ducked, then the next verdict clears it."""
    p = profile.policy.barge_in_min_p_query - 0.1
    core, bus, gain = _run(models, profile, "", monkeypatch, script=(("query", p), ("side", 0.9)))
    ev = bus.history
    assert not [e for e in ev if isinstance(e, Interrupt)]
    verdicts = [e for e in ev if isinstance(e, StateToken)]
    assert verdicts[0].token == "query" and verdicts[1].token == "side"
    ducks = [e for e in ev if isinstance(e, Duck)]
    assert not any(not d.on and d.t < verdicts[1].t for d in ducks), "ducked until the second verdict"
    assert gain == 1.0


def test_unsure_query_keeps_the_assistant_talking(models, profile, monkeypatch):
    """A verdict leaning to query below the barge-in bar: no interrupt, ignored as unsure, volume back."""
    p = profile.policy.barge_in_min_p_query - 0.2
    core, bus, gain = _run(models, profile, "query", monkeypatch, p=p)
    ev = bus.history
    assert not [e for e in ev if isinstance(e, Interrupt)]
    ignored = [e for e in ev if isinstance(e, Ignored)]
    assert ignored and ignored[-1].reason == "unsure" and abs(ignored[-1].p - p) < 1e-6
    assert gain == 1.0
