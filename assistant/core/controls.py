"""The host's controls of a session: mute, push-to-talk, and enrolling a speaker's voice.

They decide nothing about turns; they say what the mic hears (silence while muted), which speech is
addressed whatever the monitor says (begun while push-to-talk was held) and which is no turn at all
(a voice being enrolled). The shell asks `override` for a segment's verdict before the rules see it.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.core import events as ev
from audio.frames import SAMPLE_RATE
from audio.segmenter import Segment

ENROL_WAIT_S = 30.0  # s an enrolment waits for enough speech before it gives up
PTT_LEAD_S = 0.3  # s a push-to-talk press may come after the speech began (the VAD's onset leads the thumb)

Embed = Callable[[np.ndarray], Awaitable[np.ndarray]]  # a voice's speech → its d-vector (in a worker)


@dataclass
class _Enrolling:
    name: str
    wanted_s: float
    since: float  # s, mic timeline
    speech: list[np.ndarray] = field(default_factory=list)

    @property
    def have_s(self) -> float:
        return sum(x.size for x in self.speech) / SAMPLE_RATE


@dataclass(frozen=True)
class Span:
    start: float  # s
    end: float = math.inf  # s (inf: still open)

    def holds(self, t: float) -> bool:
        return self.start <= t <= self.end


class HostControls:
    def __init__(self, bus: ev.Bus, now: Callable[[], float], spawn: Callable[[Coroutine[Any, Any, None]], None],
                 embed: Embed | None) -> None:
        self.bus, self._now, self._spawn, self._embed = bus, now, spawn, embed
        self.muted = False  # the host muted the mic: frames are heard as silence
        self.speakers: dict[str, np.ndarray] = {}  # enrolled voices (name → d-vector), kept in memory only
        self._ptt: Span | None = None  # the push-to-talk window
        self._muted_before_ptt = False
        self._enrolling: _Enrolling | None = None
        self._enrolled = Span(math.inf)  # speech that began in it was a voice being enrolled

    def mute(self, on: bool) -> None:
        """A muted mic hears silence (the timeline goes on; speech in progress ends as if it stopped)."""
        self.muted = on
        self.bus.publish(ev.Control(self._now(), "mute", on))

    def push_to_talk(self, on: bool) -> None:
        """While held, speech that begins is addressed whatever the monitor says (a muted mic opens)."""
        now = self._now()
        if on:
            self._ptt = Span(now)
            self._muted_before_ptt, self.muted = self.muted, False
        elif self._ptt is not None and self._ptt.end == math.inf:
            self._ptt = Span(self._ptt.start, now)
            self.muted = self._muted_before_ptt
        self.bus.publish(ev.Control(now, "push_to_talk", on))

    def enrol(self, name: str, seconds: float) -> None:
        """The next `seconds` of speech are `name`'s voice (not a turn); an `Enrolled` event says when it is done.
        With `[policy] speaker_gate_log_odds`, only enrolled voices are served from then on."""
        now = self._now()
        self._enrolling = _Enrolling(name, seconds, now)
        self._enrolled = Span(now)
        self.bus.publish(ev.Control(now, "enrol_speaker"))

    def heard(self, seg: Segment) -> None:
        """A final segment: while enrolling, its speech is kept; once there is enough it is embedded."""
        e = self._enrolling
        if e is None or not seg.final:
            return
        if seg.speech_start >= e.since:
            e.speech.append(seg.pcm[: seg.voiced])
        if e.have_s < e.wanted_s:
            return
        self._enrolling, self._enrolled = None, Span(e.since, seg.end)
        if self._embed is None:
            self.bus.publish(ev.Enrolled(self._now(), e.name, e.have_s, False, "this monitor has no speaker embedder"))
            return
        self._spawn(self._embedded(e, self._embed))

    async def _embedded(self, e: _Enrolling, embed: Embed) -> None:
        try:
            self.speakers[e.name] = await embed(np.concatenate(e.speech))
        except Exception as x:  # (the session goes on without the voice; the worker logs it)
            self.bus.publish(ev.Enrolled(self._now(), e.name, round(e.have_s, 2), False, f"embedding failed: {x}"))
            raise
        self.bus.publish(ev.Enrolled(self._now(), e.name, round(e.have_s, 2)))

    def tick(self) -> None:
        """An enrolment that heard too little speech in ENROL_WAIT_S gives up."""
        now, e = self._now(), self._enrolling
        if e is not None and now - e.since > ENROL_WAIT_S:
            self._enrolling, self._enrolled = None, Span(e.since, now)
            self.bus.publish(ev.Enrolled(now, e.name, round(e.have_s, 2), False,
                                         f"heard {e.have_s:.1f} s of speech in {ENROL_WAIT_S:g} s, {e.wanted_s:g} s needed"))

    def override(self, speech_start: float) -> dict[str, float] | None:
        """The verdict's probabilities the host imposes on speech begun at `speech_start`, or None."""
        if self._ptt is not None and Span(self._ptt.start - PTT_LEAD_S, self._ptt.end).holds(speech_start):
            return {"query": 1.0, "side": 0.0, "noise": 0.0}  # the user holds the push-to-talk button: addressed
        if self._enrolled.start <= speech_start < self._enrolled.end:
            return {"query": 0.0, "side": 1.0, "noise": 0.0}  # a voice being enrolled: not a turn
        return None
