"""The session around the turns: the camera, the state shown, the host's controls, devices, errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from assistant.core.events.base import Event


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
