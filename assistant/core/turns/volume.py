"""The answer's volume while someone speaks over it: ducked (or held) at the onset, softened while talk
that is not for the assistant goes on, paused on a confident query, back at full volume on a verdict —
each verdict only for its own segment's hold."""

from __future__ import annotations

import math

import assistant.core.actions as do
from assistant.core.turns.state import SOFT_MAX_S, Held, TurnState


class Volume(TurnState):
    def _duck(self, sid: int, now: do.Now) -> list[do.Action]:
        """Lower the playout (or keep it low for another `duck_max_s`; a pause stays until decided)."""
        was, soft = self._ducked, self._soft
        until = math.inf if self._paused is not None else now.t + self.policy.duck_max_s
        self._ducked, self._soft = Held(sid, until), False
        return [do.Duck(sid)] if was is None or soft else []

    def _soften(self, now: do.Now, sid: int | None = None) -> list[do.Action]:
        """The speech goes on and is not (yet) a query: play on lower until it is judged whole (again, if a
        tentative end had restored the volume and the talk went on)."""
        if self._ducked is None:
            if sid is None or not now.speaking:
                return []
            self._ducked = Held(sid, now.t)
        elif self._soft or (sid is not None and self._ducked.seg != sid):  # (another segment's hold stays)
            return []
        self._soft, self._paused = True, None
        self._ducked = Held(self._ducked.seg, now.t + SOFT_MAX_S)
        return [do.Soften(self._ducked.seg)]

    def _pause(self, sid: int, p: float) -> list[do.Action]:
        if self._paused is not None or self._reply is None:
            return []
        self._paused, self._ducked = sid, Held(sid, math.inf)  # the duck no longer times out
        return [do.Pause(sid, self._reply, p)]

    def _unduck(self, sid: int | None = None) -> list[do.Action]:
        """Full volume again — for a verdict on segment `sid`, only if the duck is that segment's: speech that
        began while it was judged holds the answer until its own verdict."""
        if sid is not None and self._ducked is not None and self._ducked.seg != sid:
            return []
        was, self._ducked, self._paused, self._soft = self._ducked, None, None, False
        return [] if was is None else [do.Unduck(was.seg)]
