"""Tools: exact answers for what a small model gets wrong, and the host's functions (host.py).

A `Tool` is a name, a description, a JSON schema of its arguments and a function that returns the
sentence to say — the shape llama.cpp's JSON-schema constrained output and a host API both use.
The built-in ones (arithmetic, clock, units) are reached by a deterministic router over the user's
words (`Toolbox.route`), which costs microseconds instead of an LLM call and is never wrong about
7 × 8. A host registers its functions with `Toolbox.register_host`; the LLM calls them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.tools import (
    arithmetic,
    clock,
    constants,
    earth,
    elements,
    factbook,
    passages,
    repeat,
    units,
    wordnet,
    world,
    zh_exact,
)
from assistant.tools.asking import AskBack
from assistant.tools.host import MAX_TOOLS, HostTool, HostToolError, validate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    parameters: dict[str, Any]  # JSON schema of the arguments
    run: Callable[[dict[str, Any]], str | tuple[str, str] | AskBack | None]  # arguments → the sentence to say, or
    #   (it, the entry read in `source`), or a question back (a word it needs was not heard); None: not for this tool
    source: str = ""  # the data a fact comes from (a `consulted` event names it)


@dataclass(frozen=True)
class ToolAnswer:
    tool: str
    args: dict[str, Any]
    said: str
    source: str = ""  # the data it was read from ("" for a computed answer)
    entry: str = ""  # what was read there ("France: capital")
    asks_back: str = ""  # why `said` asks the user again instead of answering ("" when it answers)


def _text_schema(what: str) -> dict[str, Any]:
    return {"type": "object", "properties": {"text": {"type": "string", "description": what}},
            "required": ["text"]}


BUILTIN = (
    Tool("repeat", "The last answer said again, word for word ('could you repeat that?', '再说一遍').",
         {**_text_schema("the request"), "properties": {"text": {"type": "string"}, "previous": {"type": "string"}}},
         lambda a: repeat.answer(a["text"], a.get("previous", ""))),
    Tool("arithmetic", "Exact arithmetic on a spoken question (plus, minus, times, divided by, percent of, "
         "squared, square root; 'that' is the previous answer's number).",
         {**_text_schema("the question"), "properties": {"text": {"type": "string"}, "previous": {"type": "string"}}},
         lambda a: arithmetic.answer(a["text"], a.get("previous", ""))),
    Tool("clock", "The current time, weekday, date, month or year from the device's clock.",
         _text_schema("the question"), lambda a: clock.answer(a["text"])),
    Tool("units", "Converts lengths, masses, durations, volumes and temperatures.",
         _text_schema("the question"), lambda a: units.answer(a["text"])),
    Tool("world", "Country facts from the CIA World Factbook: capital, population, currency, languages, "
         "neighbours, highest point, area, continent (English or Mandarin; 'its' is the last answer's country).",
         {**_text_schema("the question"), "properties": {"text": {"type": "string"}, "previous": {"type": "string"}}},
         lambda a: world.answer(a["text"], a.get("previous", "")), factbook.SOURCE),
    Tool("earth", "The Earth's largest, longest and highest: oceans, continents, rivers, mountains, lakes, islands, "
         "deserts, countries by area; how many continents and oceans; the world's population (the Factbook's World; "
         "'and the smallest?' is about the last answer's thing).",
         {**_text_schema("the question"), "properties": {"text": {"type": "string"}, "previous": {"type": "string"}}},
         lambda a: earth.answer(a["text"], a.get("previous", "")), factbook.SOURCE),
    Tool("constants", "Physical constants: the speed of light, gravity, Avogadro, Planck, Boltzmann, the electron's "
         "charge and mass, absolute zero, pi.", _text_schema("the question"), lambda a: constants.answer(a["text"]),
         constants.SOURCE),
    Tool("elements", "Chemical elements: symbol, atomic number, atomic mass.", _text_schema("the question"),
         lambda a: elements.answer(a["text"]), elements.SOURCE),
    Tool("wordnet", "What a word means ('what is a stethoscope?', 'what does ephemeral mean?'), from WordNet.",
         _text_schema("the question"), lambda a: wordnet.answer(a["text"]), wordnet.SOURCE),
    Tool("zh_exact", "Mandarin arithmetic (加, 减, 乘以, 除以) and the clock (几点, 星期几, 几号), exactly.",
         _text_schema("the question"), lambda a: zh_exact.answer(a["text"])),
)


@dataclass
class Toolbox:
    tools: dict[str, Tool] = field(default_factory=lambda: {t.name: t for t in BUILTIN})
    # tried in this order on every user turn
    routed: tuple[str, ...] = ("repeat", "clock", "units", "constants", "arithmetic", "zh_exact", "world", "earth",
                               "elements", "wordnet")
    host: dict[str, HostTool] = field(default_factory=dict)  # the host's functions, by name
    # the LLM gets one checked passage (assistant/tools/passages.py) for a question no tool answers
    reference: bool = True

    def register(self, tool: Tool) -> None:
        self.tools[tool.name] = tool

    def register_host(self, tool: HostTool) -> None:
        """Add (or replace) a host function; HostToolError if it is malformed or one too many."""
        validate(tool.name, tool.description, tool.parameters)
        if tool.name not in self.host and len(self.host) >= MAX_TOOLS:
            raise HostToolError(f"at most {MAX_TOOLS} host functions")
        self.host[tool.name] = tool

    def unregister_host(self, name: str) -> None:
        self.host.pop(name, None)

    def host_tools(self) -> list[HostTool]:
        return list(self.host.values())

    def warm(self) -> None:
        """Load the packaged data the routed tools read (about 1 s, once per process; blocking: run it in a
        worker at start-up), so the first question that needs it does not wait on the event loop."""
        for name, load in (("world", world.warm), ("earth", earth.warm), ("constants", constants.warm),
                           ("elements", elements.warm), ("wordnet", wordnet.warm), ("passages", passages.warm)):
            if name in self.routed or (name == "passages" and self.reference):
                try:
                    load()
                except Exception:  # (missing data: that tool's questions go to the LLM; route logs each)
                    log.exception("tool %s: its data did not load", name)

    def passage(self, text: str) -> passages.Passage | None:
        """The one passage that clearly covers an English question no tool answered, or None."""
        if not self.reference:
            return None
        try:
            return passages.find(text)
        except Exception:  # (missing data: the LLM answers closed-book)
            log.exception("passages: no look-up for %r", text)
            return None

    def route(self, text: str, previous: str = "") -> ToolAnswer | None:
        """A tool's exact answer to the user's words, or None (then the LLM answers)."""
        for name in self.routed:
            tool = self.tools[name]
            args = {"text": text, "previous": previous} if "previous" in tool.parameters["properties"] else {"text": text}
            try:
                said = tool.run(args)
            except Exception:  # (a missing data package, a parse slip: the LLM answers this turn instead)
                log.exception("tool %s failed on %r; the LLM answers", name, text)
                continue
            if isinstance(said, AskBack):
                return ToolAnswer(name, args, said.said, tool.source, asks_back=said.why)
            if isinstance(said, tuple):
                return ToolAnswer(name, args, said[0], tool.source, said[1])
            if said:
                return ToolAnswer(name, args, said)
        return None
