"""The host's controls of a session: mute, push-to-talk, and enrolling a speaker's voice.

They decide nothing about turns: they say what the mic hears (silence while muted) and keep the voices
enrolled; when push-to-talk is pressed or released and while a voice is being enrolled, they tell the
rules (`pressed`, `enrolling`), which make speech begun then a query, or no turn at all.
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


class HostControls:
    def __init__(self, bus: ev.Bus, now: Callable[[], float], spawn: Callable[[Coroutine[Any, Any, None]], None],
                 embed: Embed | None, pressed: Callable[[bool], None], enrolling: Callable[[float, float], None]) -> None:
        self.bus, self._now, self._spawn, self._embed = bus, now, spawn, embed
        self._pressed, self._enrolling_span = pressed, enrolling
        self.muted = False  # the host muted the mic: frames are heard as silence
        self.speakers: dict[str, np.ndarray] = {}  # enrolled voices (name → d-vector), kept in memory only
        self._held = False  # the push-to-talk button is held
        self._muted_before_ptt = False
        self._enrolling: _Enrolling | None = None

    def mute(self, on: bool) -> None:
        """A muted mic hears silence (the timeline goes on; speech in progress ends as if it stopped)."""
        self.muted = on
        self.bus.publish(ev.Control(self._now(), "mute", on))

    def push_to_talk(self, on: bool) -> None:
        """While held, speech that begins is addressed whatever the monitor says (a muted mic opens)."""
        if on and not self._held:
            self._muted_before_ptt, self.muted = self.muted, False
        elif not on and self._held:
            self.muted = self._muted_before_ptt
        self._held = on
        self._pressed(on)
        self.bus.publish(ev.Control(self._now(), "push_to_talk", on))

    def enrol(self, name: str, seconds: float) -> None:
        """The next `seconds` of speech are `name`'s voice (not a turn); an `Enrolled` event says when it is done.
        With `[policy] speaker_gate_log_odds`, only enrolled voices are served from then on."""
        now = self._now()
        self._enrolling = _Enrolling(name, seconds, now)
        self._enrolling_span(now, math.inf)
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
        self._enrolling = None
        self._enrolling_span(e.since, seg.end)
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
            self._enrolling = None
            self._enrolling_span(e.since, now)
            self.bus.publish(ev.Enrolled(now, e.name, round(e.have_s, 2), False,
                                         f"heard {e.have_s:.1f} s of speech in {ENROL_WAIT_S:g} s, {e.wanted_s:g} s needed"))
