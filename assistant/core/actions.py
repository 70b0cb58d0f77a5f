"""What the turn-taking rules say to do (intents), and what the shell tells them (`Now`).

Actions are carried out by the shell's `_do` (assistant/core/duplex.py), which publishes the event
that says it happened (Duck, Paused, Interrupt, ReplyHeard, RolesSwapped, Ignored, UserTurn, …).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["monitor", "generator"]
# why a lone question nobody answered is asked back (assistant/core/turns/lone.py): not sure it was for the assistant
NOT_SURE_FOR_ME = "a lone question"


@dataclass(frozen=True)
class Now:
    """What the shell tells the rules at each call."""

    t: float  # s, mic timeline: the end of the last frame pushed
    speaking: bool  # a reply is generating (not held) or its audio is queued


@dataclass(frozen=True)
class Duck:
    seg: int  # lower the playout at once while the speech is judged


@dataclass(frozen=True)
class Soften:
    seg: int  # the speech goes on and is not (yet) a query: play on, a little lower, until it ends


@dataclass(frozen=True)
class Unduck:
    seg: int  # full volume again; a paused answer plays on from where it stopped


@dataclass(frozen=True)
class Pause:
    seg: int
    reply: int  # silence this reply without losing it
    p: float  # p(query) of the partial that paused it


@dataclass(frozen=True)
class HoldTts:
    on: bool  # TTS waits (the verdict gets the CPU; nothing is synthesised while paused)


@dataclass(frozen=True)
class Judge:
    seg: int
    by: Role  # which replica judges this segment version
    followup: float = 0.0  # log-odds added to p(query): the speech began soon after an answer ended
    own_voice: bool = True  # it may hold the assistant's own voice (it began over an answer or its echo)
    after_voice: int | None = None  # a segment of other speech it answers (began soon after it, nothing said between)
    conversation: bool = False  # that speech itself answered other speech: people are in a conversation


@dataclass(frozen=True)
class Read:
    """Transcribe this partial of an idle user's turn and read it into the next generator's cache."""

    seg: int
    by: Role  # the replica that judges this segment (and generates on a query)


@dataclass(frozen=True)
class Extend:
    """The user's sentence sounds unfinished: the segment ends only after `hangover_ms` of silence."""

    seg: int
    hangover_ms: int


@dataclass(frozen=True)
class Heard:
    """The final adds only silence to a tentative end: its transcript stands, no new verdict."""

    seg: int
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Swap:
    pass


@dataclass(frozen=True)
class Draft:
    reply: int  # the new reply's id
    seg: int
    text: str  # the user's words it answers (held back until released)
    by: Role = "generator"  # the replica that generates it (the judging one, when drafted before the verdict)
    ask: str = ""  # why it asks the words back instead of answering them ("": answered, unless heard badly)


@dataclass(frozen=True)
class Say:
    reply: int
    text: str  # a host's sentence, spoken as is and kept in the history as the assistant's


@dataclass(frozen=True)
class Release:
    seg: int
    reply: int  # the user's turn is over: this reply may be heard
    text: str


@dataclass(frozen=True)
class Drop:
    reply: int  # forget a draft nobody heard (the user went on talking)


@dataclass(frozen=True)
class Interrupt:
    seg: int
    reply: int  # cut this reply; the history keeps what was heard


@dataclass(frozen=True)
class Resume:
    reply: int  # a new reply: the rest of `cut`, from the sentence it was cut in
    cut: int  # the answer a barge-in cut, whose question another voice then took up


@dataclass(frozen=True)
class Withdraw:
    seg: int  # the question someone else took up
    reply: int  # cut (if playing) and forget this reply and the user turn it answered
    by: int  # the segment of the other voice that took it up


@dataclass(frozen=True)
class Ignore:
    seg: int
    reason: str  # "noise" / "not addressed" / "unsure" / "not an enrolled voice"
    p: float


Action = (Duck | Soften | Unduck | Pause | HoldTts | Judge | Read | Extend | Heard | Swap | Draft | Say | Release | Drop
          | Interrupt | Withdraw | Resume | Ignore)
