"""The host's functions: a kiosk's queue numbers, a car's climate and windows, called by voice.

A host (over the WebSocket API, or in-process) registers a function by name, description and JSON
schema. When the user's words touch a registered function (`relevant`: a word of its name,
description or parameters), the generator's LLM turns them into a call through
llama.cpp's JSON-schema constrained output (`choose`) — it can only write a registered name with
arguments that fit the schema, or `none` (then it answers as usual). The call waits until the
user's turn is released (a draft made while the user may still be talking acts on nothing), goes
to the host, and what is said comes back: the host's own sentence, "Done: …", or the failure
(host error, unknown function, timeout) as such.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from assistant.tools.zh_words import content_pairs

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,47}$")  # a function's name: snake case, as LLM tool calls write it
MAX_DESCRIPTION = 400  # characters of a function's description
MAX_TOOLS = 32  # host functions per session (each one lengthens the chooser's prompt)
CHOICE_TOKENS = 96  # tokens the constrained call may write ({"name": …, "arguments": {…}})
NONE = "none"
STOPWORDS = frozenset(
    "a an the to of in on at for and or is are be it its my me i you your we us our this that these those "
    "please can could would will do does did what whats how when where which who why set get make turn put "
    "give tell show let some any all up down off with from by as so just now then there here".split())
CHOOSER_SYSTEM = (
    "You turn what the user says into a call of one of these functions, with arguments taken from "
    "their words (spoken numbers as digits). Call a function only when the user asks for exactly what it "
    "does, now. A question about how, when or where something is done is not a call. "
    'If no function does what the user asks for, write {"name": "none"}. Functions:\n')


class HostToolError(ValueError):
    """A function the host tried to register is malformed (one line for the host)."""


class ToolFailed(Exception):
    """The host could not do it: an error it reported, an unknown function, a timeout."""


class JsonCompleter(Protocol):
    """The part of an LLM engine (models/llm.py) the chooser uses."""

    def complete_json(self, prompt: str, *, slot: int, schema: dict[str, Any], max_tokens: int) -> str: ...


HostCall = Callable[[dict[str, Any]], Any]  # arguments → the host's result (blocking); raises ToolFailed


@dataclass(frozen=True)
class HostTool:
    name: str
    description: str
    parameters: dict[str, Any]  # JSON schema of the arguments (an object)
    call: HostCall

    def spec(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "parameters": self.parameters}


def validate(name: Any, description: Any, parameters: Any) -> None:
    """Raise HostToolError unless this is a function the chooser can be constrained to."""
    if not isinstance(name, str) or not NAME_RE.match(name) or name == NONE:
        raise HostToolError(f"tool name must match {NAME_RE.pattern} (and not be 'none'), got {name!r}")
    if not isinstance(description, str) or not 0 < len(description) <= MAX_DESCRIPTION:
        raise HostToolError(f"tool {name}: description must be 1–{MAX_DESCRIPTION} characters")
    if not isinstance(parameters, dict) or parameters.get("type") != "object":
        raise HostToolError(f"tool {name}: parameters must be a JSON schema of type 'object'")
    props = parameters.get("properties", {})
    if not isinstance(props, dict) or not all(isinstance(v, dict) for v in props.values()):
        raise HostToolError(f"tool {name}: parameters.properties must map names to schemas")
    required = parameters.get("required", [])
    if not isinstance(required, list) or not set(required) <= set(props):
        raise HostToolError(f"tool {name}: parameters.required must list names of its properties")


def _words(text: str) -> set[str]:
    """Content words, lower case, a plural's s dropped ("windows" meets "window"); Chinese as
    character pairs (assistant/tools/zh_words.py: "我要取号" meets a description saying 取号)."""
    out = set(content_pairs(text))
    for w in re.findall(r"[a-z]+", text.lower().replace("_", " ")):
        if w not in STOPWORDS and len(w) > 2:
            out.add(w[:-1] if w.endswith("s") and len(w) > 3 else w)
    return out


def _vocabulary(tool: HostTool) -> set[str]:
    """Its name's, description's and parameters' words (not enum values: a kiosk's "passport" service
    would send every question about passports to the chooser)."""
    said = [tool.name, tool.description]
    for pname, schema in tool.parameters.get("properties", {}).items():
        said += [pname, str(schema.get("description", ""))]
    return _words(" ".join(said))


def relevant(tools: list[HostTool], text: str) -> list[HostTool]:
    """The functions the user's words touch (microseconds; most turns touch none and cost nothing)."""
    heard = _words(text)
    return [t for t in tools if heard & _vocabulary(t)]


def choice_schema(tools: list[HostTool]) -> dict[str, Any]:
    calls = [{"type": "object", "properties": {"name": {"const": t.name}, "arguments": t.parameters},
              "required": ["name", "arguments"]} for t in tools]
    return {"anyOf": [*calls, {"type": "object", "properties": {"name": {"const": NONE}}, "required": ["name"]}]}


def choice_prompt(tools: list[HostTool], text: str) -> str:
    listing = "\n".join(json.dumps(t.spec()) for t in tools)
    return (f"<|im_start|>system\n{CHOOSER_SYSTEM}{listing}<|im_end|>\n"
            f"<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n")


@dataclass(frozen=True)
class Choice:
    tool: HostTool
    args: dict[str, Any]


def choose(engine: JsonCompleter, slot: int, tools: list[HostTool], text: str) -> Choice | None:
    """The call the user's words ask for, or None. Blocking: one constrained LLM call."""
    raw = engine.complete_json(choice_prompt(tools, text), slot=slot, schema=choice_schema(tools),
                               max_tokens=CHOICE_TOKENS)
    try:
        picked = json.loads(raw)
    except json.JSONDecodeError:
        return None  # (cut at CHOICE_TOKENS: no call rather than a guessed one)
    by_name = {t.name: t for t in tools}
    if not isinstance(picked, dict) or picked.get("name") not in by_name:
        return None
    args = picked.get("arguments")
    return Choice(by_name[picked["name"]], args if isinstance(args, dict) else {})


def _spoken(name: str) -> str:
    return name.replace("_", " ")


def done_sentence(choice: Choice, result: Any, chinese: bool = False) -> str:
    """What the assistant says after the host did it: the host's sentence if it gave one (else a
    plain "Done: …", in Chinese when the user spoke Chinese)."""
    if isinstance(result, str) and result.strip():
        return result.strip()
    if isinstance(result, dict) and isinstance(result.get("say"), str) and result["say"].strip():
        return str(result["say"]).strip()
    args = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in choice.args.items())
    if chinese:
        return f"好的，已完成：{_spoken(choice.tool.name)}{'（' + args + '）' if args else ''}。"
    return f"Done: {_spoken(choice.tool.name)}{', ' + args if args else ''}."


def failed_sentence(choice: Choice, why: str, chinese: bool = False) -> str:
    if chinese:
        return f"抱歉，{_spoken(choice.tool.name)}没有成功：{why.rstrip('.')}。"
    return f"Sorry, {_spoken(choice.tool.name)} did not work: {why.rstrip('.')}."
