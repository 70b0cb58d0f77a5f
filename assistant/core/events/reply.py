"""The answer: drafted, released, ducked, paused, cut, its tools and sources, its words and audio."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from assistant.core.events.base import Event


@dataclass(frozen=True)
class Duck(Event):
    segment: int
    on: bool  # True: playout ducked at a speech onset (or softened); False: volume restored (not a query)
    gain_db: float  # HELD_DB: held in its place (silent, nothing lost)
    lost_s: float = 0.0  # (when restored) s of answer played too low to be heard since the onset
    again_s: float = 0.0  # (when restored) s of answer played softly under the speech, now said again
    kind: ClassVar[str] = "duck"


@dataclass(frozen=True)
class Paused(Event):
    segment: int
    reply: int  # the reply that fell silent (kept: it resumes unless the whole utterance is a query)
    p: float  # p(query) of the partial verdict that paused it
    kind: ClassVar[str] = "paused"


@dataclass(frozen=True)
class Interrupt(Event):
    segment: int
    reply: int  # the reply that was cut
    kind: ClassVar[str] = "interrupt"


@dataclass(frozen=True)
class RolesSwapped(Event):
    generator: str
    monitor: str
    kind: ClassVar[str] = "roles_swapped"


@dataclass(frozen=True)
class UserTurn(Event):
    segment: int
    text: str
    kind: ClassVar[str] = "user_turn"


@dataclass(frozen=True)
class ReplyProgress(Event):
    """A reply's way to the speaker, for the latency waterfall: `drafted` (generation asked for),
    `first_token` (the LLM's first text), `first_clause` (the first clause goes to TTS)."""

    reply: int
    step: str
    kind: ClassVar[str] = "reply_progress"


@dataclass(frozen=True)
class ToolUsed(Event):
    """A tool answered the user's turn instead of the LLM (assistant/tools), or a host function's
    result (or failure) is what the assistant says."""

    reply: int
    tool: str
    said: str
    ok: bool = True  # False: the host function failed (its error, unknown, a timeout) and `said` says so
    kind: ClassVar[str] = "tool_used"


@dataclass(frozen=True)
class Consulted(Event):
    """The operator's documents were searched for the user's turn: the passage the answer comes from,
    or none (then, in a strict profile, the assistant says it does not know); or a packaged source a
    tool read the fact from (source "CIA World Factbook", title "France: capital", score 1)."""

    reply: int
    found: bool
    source: str = ""  # the document's file name (or the packaged source's name)
    title: str = ""  # its section (or the entry read)
    score: float = 0.0  # BM25
    kind: ClassVar[str] = "consulted"


@dataclass(frozen=True)
class ToolCall(Event):
    """A host function is called (the user's turn is over): its name and the arguments the LLM wrote."""

    reply: int
    tool: str
    args: dict[str, Any]
    kind: ClassVar[str] = "tool_call"


@dataclass(frozen=True)
class ReplyText(Event):
    reply: int
    text: str  # one clause, as sent to TTS
    kind: ClassVar[str] = "reply_text"


@dataclass(frozen=True)
class ReplyAudio(Event):
    reply: int
    seconds: float  # s of audio queued for this clause
    kind: ClassVar[str] = "reply_audio"


@dataclass(frozen=True)
class ReplyDone(Event):
    reply: int
    text: str  # the whole answer as generated
    kind: ClassVar[str] = "reply_done"


@dataclass(frozen=True)
class ReplyHeard(Event):
    reply: int
    text: str  # what the user heard before the interruption: what the history keeps
    kind: ClassVar[str] = "reply_heard"
