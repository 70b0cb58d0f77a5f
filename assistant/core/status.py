"""What a host screen or the page shows: one word for the session's state, derived on every tick.

listening → hearing (speech) → thinking (a turn is released, no answer audio yet) → speaking →
paused (held while a barge-in is judged) → listening; `ignored` (with its reason) for IGNORED_SHOW_S
after speech that was not for the assistant; `muted` while the host has muted the mic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

IGNORED_SHOW_S = 1.5  # s an "ignored: …" state stays up before the session is "listening" again

State = Literal["listening", "hearing", "thinking", "speaking", "paused", "ignored", "muted"]


@dataclass(frozen=True)
class Observed:
    """What the shell sees of itself at a tick."""

    t: float  # s, mic timeline
    muted: bool
    in_speech: bool  # the listener is inside a segment, or its last version is being judged
    thinking: bool  # a released turn's answer is being made and none of it plays yet
    playing: bool  # answer audio is queued and not held
    paused: bool  # the answer is held in its place
    ignored_at: float | None  # s when speech was last ignored
    ignored_why: str


def status_of(o: Observed) -> tuple[State, str]:
    """The state word and its detail (the reason of an `ignored`)."""
    if o.muted:
        return "muted", ""
    if o.paused:
        return "paused", ""
    if o.playing:
        return "speaking", ""
    if o.thinking:
        return "thinking", ""
    if o.in_speech:
        return "hearing", ""
    if o.ignored_at is not None and o.t - o.ignored_at < IGNORED_SHOW_S:
        return "ignored", o.ignored_why
    return "listening", ""
