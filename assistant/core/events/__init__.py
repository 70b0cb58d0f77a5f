"""Everything that happens is a typed event on one bus (base.py); the events by what they are about:
heard.py (speech and verdicts), reply.py (the answer), session.py (camera, status, host, devices, errors)."""

from assistant.core.events.base import HISTORY_EVENTS, Bus, Event, to_json
from assistant.core.events.heard import (
    AskedBack,
    Ignored,
    Resumed,
    SegmentHeard,
    SpeakerOf,
    SpeechStart,
    StateToken,
    Waiting,
    Withdrawn,
)
from assistant.core.events.reply import (
    Consulted,
    Duck,
    Interrupt,
    Paused,
    ReplyAudio,
    ReplyDone,
    ReplyHeard,
    ReplyProgress,
    ReplyText,
    RolesSwapped,
    ToolCall,
    ToolUsed,
    UserTurn,
)
from assistant.core.events.session import AudioDevice, ClockDrift, Control, Enrolled, Error, LanguageSet, Seen, Status

__all__ = [
    "AskedBack", "AudioDevice", "Bus", "ClockDrift", "Consulted", "Control", "Duck", "Enrolled", "Error",
    "Event", "HISTORY_EVENTS", "Ignored", "Interrupt", "LanguageSet", "Paused", "ReplyAudio", "ReplyDone",
    "ReplyHeard", "ReplyProgress", "ReplyText", "Resumed", "RolesSwapped", "Seen", "SegmentHeard",
    "SpeakerOf", "SpeechStart", "StateToken", "Status", "ToolCall", "ToolUsed", "UserTurn", "Waiting",
    "Withdrawn", "to_json",
]
