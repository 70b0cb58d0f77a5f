"""What was heard and how it was judged: speech, its words, the verdicts, what was ignored or asked back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from assistant.core.events.base import Event
from models.state_tokens import StateName


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
    confidence: float = 0.0  # the ear's mean token log-probability of them (low: it was guessing; 0: not known)
    level_db: float = 0.0  # dBFS, the level of its speech (0: not measured)
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
    # "noise" / "not addressed" / "unsure" (leaned to query, below the bar) / "not an enrolled voice" (the speaker gate)
    reason: str
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
class SpeakerOf(Event):
    """Whose enrolled voice a segment is in ("" none of them), when the profile gates on enrolled voices."""

    segment: int
    name: str
    similarity: float  # cosine to the closest enrolled voice
    kind: ClassVar[str] = "speaker"
