"""What the turn rules remember between calls, as named records, and their bookkeeping of replies.

Times are seconds on the mic timeline; a segment or reply id of -1 means none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TypeVar

import assistant.core.actions as do
from assistant.core.policy import PolicyOptions
from audio.frames import SAME_TALK_DB

T = TypeVar("T")
LIVE_REPLIES_KEPT = 4  # reply ids remembered as not cut or dropped (a draft is released within one segment)
SOFT_MAX_S = 10.0  # s an answer plays on softly over speech whose end never got a verdict
ECHO_TAIL_S = 0.5  # s after the assistant stopped in which speech may still be its own voice coming back
# why a verdict's segment is ignored (else: "not addressed")
REASON = {"noise": "noise", "unsure": "unsure", "stranger": "not an enrolled voice"}
# s of speech over a playing answer before it may count as another voice taking the question up (the echo
# of the answer's first words, 0.36 s heard as "writing.", was once taken for another person's reply)
TAKEN_UP_MIN_S = 1.0
HEARD_KEPT = 6  # recent segments whose level and prior speech are remembered (a lone question looks them up)
# dB: speech this far below a lone question is the room's background, not someone answering it (the level that
# tells whose.py another voice takes part in a talk)
BACKGROUND_DB = SAME_TALK_DB
TALK_KEPT = 8  # speech ends of recent side talk kept (for the idle bar)
ENDLESS = "endless"  # why an idle segment with no pause in max_segment_ms is ignored (babble, a TV)
PTT_LEAD_S = 0.3  # s a push-to-talk press may come after the speech began (the VAD's onset leads the thumb)


def kept(recent: dict[int, T]) -> dict[int, T]:
    """The HEARD_KEPT latest segments' entries of `recent`."""
    return dict(sorted(recent.items())[-HEARD_KEPT:])


@dataclass
class Early:
    """What a tentative end produced, reused when the final brings no new speech."""
    speech_end: float
    text: str
    token: str
    p: float
    reply: int | None = None
    stranger: bool = False  # a voice nobody enrolled, while someone has (the speaker gate serves only them)
    began: float = -math.inf  # s its speech began
    misheard: bool = False  # judged a query, not surely, and its words were heard badly (a guess at both)


@dataclass(frozen=True)
class InHand:
    """The segment whose verdict the rules wait for: how it is judged ("barge", "idle", or "taken": a
    partial judged for its voice alone) and by which replica."""
    seg: int
    mode: str
    by: do.Role


@dataclass(frozen=True)
class Held:
    """The answer is ducked (or softened, or paused) for segment `seg`'s speech, until `until` at most."""
    seg: int
    until: float


@dataclass(frozen=True)
class Mark:
    """Something of segment `seg` at time `t` (an onset, the end of speech heard whole, a gap)."""
    seg: int = -1
    t: float = -math.inf


@dataclass(frozen=True)
class Pair:
    """Segment `seg` and the other id it goes with (the segment it began soon after; the reply it cut;
    the reply drafted for it before its verdict)."""
    seg: int = -1
    other: int = -1


@dataclass(frozen=True)
class Span:
    """From `start` to `end` (inf: still open)."""
    start: float
    end: float = math.inf


@dataclass(frozen=True)
class Asked:
    """The last query released: its segment, the end of its speech and its reply."""
    seg: int = -1
    ended: float = -math.inf
    reply: int = -1


@dataclass(frozen=True)
class Lone:
    """A lone idle turn shaped like a question, not judged for the assistant: asked back if nobody answers it."""
    seg: int
    ended: float  # s its speech ended
    text: str
    db: float  # its speech level (dBFS): speech BACKGROUND_DB below it since is the room's, not a reply


@dataclass(frozen=True)
class Deferred:
    """An answer (segment `seg`'s) waiting to know whose voice segment `waits_on`, begun right after it, is."""
    seg: int
    early: Early
    waits_on: int


@dataclass
class TurnState:
    policy: PolicyOptions
    _next_reply: int = 0
    _reply: int | None = None  # the live reply (the last drafted, not cut or dropped)
    _live: list[int] = field(default_factory=list)  # recent replies not cut or dropped
    _owned: int | None = None  # a segment whose judge already took the generator role
    _barge: set[int] = field(default_factory=set)  # segments that began while the assistant spoke, not yet decided
    _early: dict[int, Early] = field(default_factory=dict)  # tentative ends awaiting their final
    _judging: InHand | None = None
    _hold_until: float = 0.0  # s until which TTS waits
    _tts_held: bool = False
    _ducked: Held | None = None
    _soft: bool = False  # the duck is a soft one (the answer plays on, lower)
    _paused: int | None = None  # segment whose confident query partial paused the answer
    _spec: Pair | None = None  # (segment, reply) drafted before its verdict
    _spoke_until: float = -math.inf  # s, the last tick the assistant was speaking
    _after: Mark = Mark(t=math.inf)  # an idle segment, and s from the assistant's last words to its onset
    _heard: Mark = Mark()  # the last speech heard whole: its segment and the s its speech ended
    _prior: dict[int, Mark] = field(default_factory=dict)  # recent segments → the speech heard whole before each
    _levels: dict[int, float] = field(default_factory=dict)  # recent segments → their speech level (dBFS), latest version
    _lone: Lone | None = None  # a lone question-shaped turn not judged for the assistant, waiting for an answer
    _lone_asked: float = -math.inf  # s a lone question was last asked back
    _talk_over: Mark = Mark()  # the last talk over an answer, long enough to have a voice, judged not for it
    _answers: Pair = Pair()  # an idle segment, and the segment of speech it began soon after
    _onset: Mark = Mark()  # the last onset
    _turns: dict[int, int] = field(default_factory=dict)  # segment → turns of talk right before it (each soon after the last)
    _aside: list[int] = field(default_factory=list)  # recent segments ignored as said to someone else (`side`)
    _talk: list[float] = field(default_factory=list)  # speech ends of recent idle segments ignored as side talk or unsure
    _asked: Asked = Asked()
    _deferred: Deferred | None = None
    _cut_by: Pair = Pair()  # the last barge-in and the answer it cut
    _pressed: Span | None = None  # the host's push-to-talk: speech begun while it was held is addressed
    _enrolled: Span = Span(math.inf)  # speech begun in it was a voice being enrolled: not a turn

    def _new_reply(self) -> int:
        rid, self._next_reply, self._reply = self._next_reply, self._next_reply + 1, self._next_reply
        self._live = [*self._live[-(LIVE_REPLIES_KEPT - 1):], rid]
        return rid

    def _drop(self, rid: int) -> list[do.Action]:
        self._forget(rid)
        return [do.Drop(rid)]

    def _forget(self, rid: int) -> None:
        self._live = [r for r in self._live if r != rid]
        self._reply = None if self._reply == rid else self._reply

    def _sync(self, acts: list[do.Action], now: do.Now) -> list[do.Action]:
        """Append a HoldTts when whether TTS must wait has changed (a barge-in onset, or a pause)."""
        held = now.t < self._hold_until or self._paused is not None
        if held != self._tts_held:
            self._tts_held = held
            acts.append(do.HoldTts(held))
        return acts
