"""Everything that happens is a typed event on one bus; CLI, page, logs and replay observe it.

Every event carries `t`, its time on the mic timeline in seconds.
"""

from __future__ import annotations

import dataclasses
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from models.state_tokens import StateName

HISTORY_EVENTS = 2000  # events the bus keeps for late readers (a window: a session may last for days)


def _rounded(v: Any) -> Any:
    """Floats to 4 decimals for the wire and the logs (also inside a dict of them)."""
    if isinstance(v, float):
        return round(v, 4)
    if isinstance(v, dict):
        return {k: _rounded(x) for k, x in v.items()}
    return v


@dataclass(frozen=True)
class Event:
    t: float  # s on the mic timeline
    kind: ClassVar[str] = "event"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"type": self.kind}
        d.update({k: _rounded(v) for k, v in dataclasses.asdict(self).items()})
        return d


@dataclass(frozen=True)
class SpeechStart(Event):
    segment: int
    assistant_speaking: bool
    kind: ClassVar[str] = "speech_start"


@dataclass(frozen=True)
class SegmentHeard(Event):
    """A version of a segment was transcribed: a partial (speech goes on), a tentative end or the final."""

    segment: int
    start: float  # s, speech onset
    end: float  # s, end of the audio judged
    final: bool  # False for a partial or tentative version (speech may go on)
    text: str  # transcript of the segment so far
    judge_s: float = 0.0  # s on the mic timeline the judge took (encode → transcribe → verdict)
    asr_s: float = 0.0  # s of it spent encoding and transcribing
    language: str = "en"  # the language it was heard in ("en" / "zh")
    ear: str = ""  # the model whose words these are ("base": heard again by the second ear, assistant/core/ears.py)
    kind: ClassVar[str] = "segment"


@dataclass(frozen=True)
class Waiting(Event):
    """The user's words sound unfinished: their turn ends only after `hangover_s` of silence."""

    segment: int
    hangover_s: float
    kind: ClassVar[str] = "waiting"


@dataclass(frozen=True)
class StateToken(Event):
    segment: int
    token: StateName  # the monitor's verdict
    p: float  # its probability
    probs: dict[str, float]  # the full distribution over the state tokens
    replica: str  # which replica judged
    final: bool
    latency_s: float  # s from the segment's audio end to the verdict
    kind: ClassVar[str] = "state_token"


@dataclass(frozen=True)
class Ignored(Event):
    segment: int
    reason: str  # "noise" / "not addressed" / "unsure" (leaned to query, below the barge-in bar)
    p: float
    kind: ClassVar[str] = "ignored"


@dataclass(frozen=True)
class AskedBack(Event):
    """The turn was for the assistant but heard badly: it asks the user to say it again (no guess)."""

    segment: int
    reply: int
    why: str  # "unsure words" (Whisper's confidence) / "a fragment" (the words stop where more must follow)
    heard: str  # what the transcript said
    kind: ClassVar[str] = "asked_back"


@dataclass(frozen=True)
class Withdrawn(Event):
    segment: int  # a question another voice took up: not for the assistant after all
    reply: int  # its answer, let go before it played (or cut): it leaves the history with the question
    by: int  # the other voice's segment
    kind: ClassVar[str] = "withdrawn"


@dataclass(frozen=True)
class Resumed(Event):
    reply: int  # the rest of the answer `cut`, said again from the sentence it was cut in
    cut: int  # (cut by a question another voice then took up: it was not for the assistant)
    text: str
    kind: ClassVar[str] = "resumed"


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


@dataclass(frozen=True)
class Seen(Event):
    frame_t: float  # s, when the encoded frame was taken
    text: str  # what the encoders found, in the words the generator gets
    people: int
    looking: bool  # a face is turned toward the device and looking at it
    ms: float  # ms all vision encoders spent on this frame
    kind: ClassVar[str] = "seen"


@dataclass(frozen=True)
class Status(Event):
    """The session's state changed (assistant/core/status.py): what a host screen or the page shows."""

    state: str  # listening / hearing / thinking / speaking / paused / ignored / muted
    detail: str = ""  # why, for "ignored" ("noise", "not addressed", …)
    kind: ClassVar[str] = "status"


@dataclass(frozen=True)
class Enrolled(Event):
    """A speaker's voice was enrolled from the speech heard since `enrol_speaker` (or it was not: `ok` False)."""

    name: str
    seconds: float  # s of speech the d-vector was made from
    ok: bool = True
    message: str = ""
    kind: ClassVar[str] = "enrolled"


@dataclass(frozen=True)
class SpeakerOf(Event):
    """Whose enrolled voice a segment is in ("" none of them), when the profile gates on enrolled voices."""

    segment: int
    name: str
    similarity: float  # cosine to the closest enrolled voice
    kind: ClassVar[str] = "speaker"


@dataclass(frozen=True)
class Control(Event):
    """A host's command took effect: mute / unmute, push_to_talk on / off, stop, say, ask."""

    command: str
    on: bool = True  # (mute, push_to_talk) the new state
    kind: ClassVar[str] = "control"


@dataclass(frozen=True)
class LanguageSet(Event):
    """What the session hears now: "en", "zh" or "auto" (both: each segment's language is read as it is said)."""

    language: str
    hears: tuple[str, ...]
    kind: ClassVar[str] = "language"


@dataclass(frozen=True)
class AudioDevice(Event):
    """The audio input failed (it raised, or stalled) and is being reopened, or it is open again."""

    state: str  # "failed" / "reopened"
    device: str
    message: str = ""  # what went wrong (for "failed")
    failures: int = 0  # failures so far in this process
    kind: ClassVar[str] = "audio_device"


@dataclass(frozen=True)
class Error(Event):
    message: str
    kind: ClassVar[str] = "error"


@dataclass(frozen=True)
class ClockDrift(Event):
    behind_s: float  # s the mic timeline lags the wall clock since the first frame (the loop stalled)
    kind: ClassVar[str] = "clock_drift"


Observer = Callable[[Event], None]


class Bus:
    """Synchronous fan-out: publish calls each observer in subscription order. `history` is a
    window of the latest events; an observer that needs all of them subscribes."""

    def __init__(self, keep: int = HISTORY_EVENTS) -> None:
        self._observers: list[Observer] = []
        self.history: deque[Event] = deque(maxlen=keep)

    def subscribe(self, fn: Observer) -> None:
        self._observers.append(fn)

    def publish(self, ev: Event) -> None:
        self.history.append(ev)
        for fn in self._observers:
            fn(ev)


def to_json(ev: Event) -> str:
    return json.dumps(ev.to_dict())
