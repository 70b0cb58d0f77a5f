"""The host API's commands: JSON text messages in, each validated into one typed command.

Every message is an object with a `type` and, optionally, an `id` the reply echoes. A bad one gets
`CommandError` with one line for the host (the session is never touched by it).

| type | fields | does |
|---|---|---|
| mute / unmute | — | the mic is heard as silence / heard again |
| push_to_talk | on: bool | while on, speech that begins is for the assistant (a muted mic opens) |
| stop_speaking | — | cut the answer that plays |
| say | text | speak the host's sentence now (kept in the history as the assistant's) |
| ask | text | a user turn as text: answered now |
| register_tool | name, description, parameters (JSON schema), timeout_s? | the LLM may call it |
| unregister_tool | name | |
| tool_result | call (the tool_request's id), result? or error? | the host's answer to a call |
| set_profile | profile | go on with another profile on the same models (a new session: the history goes) |
| set_language | language | "en", "zh" or "auto" (both, each segment in its own): zh, auto need a profile hearing Mandarin |
| enrol_speaker | name, seconds? | the next `seconds` of speech are that speaker's voice |
| status | — | the state word and the daemon's health |
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 1000  # characters of a `say` or `ask` text
TOOL_TIMEOUT_S = 5.0  # s a host has to answer a tool call, unless its registration says otherwise
MAX_TOOL_TIMEOUT_S = 60.0
LANGUAGES = ("en", "zh", "auto")  # what `set_language` accepts (the session says if its models cannot)
ENROL_S = (2.0, 30.0)  # s of speech an enrolment may ask for (min, max)
ENROL_DEFAULT_S = 6.0


class CommandError(ValueError):
    """A host message that is not a valid command (one line, sent back as an error reply)."""


@dataclass(frozen=True)
class Command:
    type: str
    id: Any = None  # echoed in the reply
    on: bool = True  # mute / push_to_talk
    text: str = ""  # say / ask
    name: str = ""  # register_tool / unregister_tool / enrol_speaker
    description: str = ""
    parameters: dict[str, Any] | None = None
    timeout_s: float = TOOL_TIMEOUT_S
    call: str = ""  # tool_result: the id of the tool_request it answers
    result: Any = None
    error: str = ""
    language: str = ""
    seconds: float = ENROL_DEFAULT_S


def _text(msg: dict[str, Any], key: str, limit: int = MAX_TEXT) -> str:
    v = msg.get(key)
    if not isinstance(v, str) or not v.strip():
        raise CommandError(f"{msg['type']}: '{key}' must be a non-empty string")
    if len(v) > limit:
        raise CommandError(f"{msg['type']}: '{key}' is longer than {limit} characters")
    return v.strip()


def _number(msg: dict[str, Any], key: str, default: float, lo: float, hi: float) -> float:
    v = msg.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not lo <= v <= hi:
        raise CommandError(f"{msg['type']}: '{key}' must be a number from {lo:g} to {hi:g}")
    return float(v)


def _mute(m: dict[str, Any]) -> Command:
    return Command("mute", m.get("id"), on=m["type"] == "mute")


def _push_to_talk(m: dict[str, Any]) -> Command:
    if not isinstance(m.get("on"), bool):
        raise CommandError("push_to_talk: 'on' must be true or false")
    return Command("push_to_talk", m.get("id"), on=m["on"])


def _register(m: dict[str, Any]) -> Command:
    params = m.get("parameters", {"type": "object", "properties": {}})
    if not isinstance(params, dict):
        raise CommandError("register_tool: 'parameters' must be a JSON schema object")
    return Command("register_tool", m.get("id"), name=_text(m, "name", 48), description=_text(m, "description", 400),
                   parameters=params, timeout_s=_number(m, "timeout_s", TOOL_TIMEOUT_S, 0.1, MAX_TOOL_TIMEOUT_S))


def _tool_result(m: dict[str, Any]) -> Command:
    error = m.get("error", "")
    if not isinstance(error, str) or len(error) > MAX_TEXT:
        raise CommandError(f"tool_result: 'error' must be a string of at most {MAX_TEXT} characters")
    if "result" not in m and not error:
        raise CommandError("tool_result: give 'result' or 'error'")
    return Command("tool_result", m.get("id"), call=_text(m, "call", 64), result=m.get("result"), error=error)


def _language(m: dict[str, Any]) -> Command:
    lang = _text(m, "language", 16)
    if lang not in LANGUAGES:
        raise CommandError(f"set_language: {lang!r} is not available here (languages: {', '.join(LANGUAGES)})")
    return Command("set_language", m.get("id"), language=lang)


PARSERS = {
    "mute": _mute, "unmute": _mute, "push_to_talk": _push_to_talk,
    "stop_speaking": lambda m: Command("stop_speaking", m.get("id")),
    "say": lambda m: Command("say", m.get("id"), text=_text(m, "text")),
    "ask": lambda m: Command("ask", m.get("id"), text=_text(m, "text")),
    "register_tool": _register,
    "unregister_tool": lambda m: Command("unregister_tool", m.get("id"), name=_text(m, "name", 48)),
    "tool_result": _tool_result,
    "set_language": _language,
    "set_profile": lambda m: Command("set_profile", m.get("id"), name=_text(m, "profile", 200)),
    "enrol_speaker": lambda m: Command("enrol_speaker", m.get("id"), name=_text(m, "name", 64),
                                       seconds=_number(m, "seconds", ENROL_DEFAULT_S, *ENROL_S)),
    "status": lambda m: Command("status", m.get("id")),
}


def parse(raw: str | bytes) -> Command:
    """One host message → its command, or CommandError saying what is wrong."""
    if isinstance(raw, bytes):
        raise CommandError("binary messages are not commands: send JSON text")
    try:
        msg = json.loads(raw)
    except json.JSONDecodeError as e:
        raise CommandError(f"not JSON: {e.msg} at character {e.pos}") from None
    if not isinstance(msg, dict):
        raise CommandError("a command is a JSON object with a 'type'")
    kind = msg.get("type")
    if not isinstance(kind, str) or kind not in PARSERS:
        raise CommandError(f"unknown command {kind!r} (commands: {', '.join(PARSERS)})")
    return PARSERS[kind](msg)
