"""Where an answer comes from: a tool's exact sentence (assistant/tools) when the user's words ask
for one; a host function's result when the words touch one and the LLM's constrained call picks it
(assistant/tools/host.py); else the generator replica's LLM over the conversation (which, for words
that ask what is written, first has the camera read the text on its frame)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from assistant.core.actions import NOT_SURE_FOR_ME
from assistant.core.clauses import speakable
from assistant.core.conversation import Conversation
from assistant.core.events import AskedBack, Bus, Consulted, Event, ToolCall, ToolUsed
from assistant.core.policy import PolicyOptions
from assistant.core.prompt import Turn, with_camera, with_document, with_reference
from assistant.core.replicas import Replica
from assistant.core.scene_words import asks_to_read, asks_to_solve, read_text
from assistant.core.speaker import Generate
from assistant.text import is_chinese
from assistant.tools import Toolbox
from assistant.tools.arithmetic import written
from assistant.tools.host import Choice, HostTool, ToolFailed, choose, done_sentence, failed_sentence, relevant
from assistant.tools.knowledge import Knowledge, quote
from models.llm import OnText

log = logging.getLogger(__name__)
NOT_IN_DOCUMENTS = "Sorry, I have no information about that here. Please ask at the information desk."
NOT_IN_DOCUMENTS_ZH = "抱歉，这里没有这方面的信息，请到咨询台询问。"
ASK_BACK = "Sorry, I didn't catch that. Could you say it again?"
ASK_BACK_ZH = "抱歉，我没听清，您能再说一遍吗？"
ASK_IF_FOR_ME = "Sorry, were you asking me? I didn't quite catch that."
ASK_IF_FOR_ME_ZH = "抱歉，您是在问我吗？我没听清。"
NO_WORDS = "Sorry, I lost my words there. Could you ask me again?"
NO_WORDS_ZH = "抱歉，我刚才没答上来，您能再问一遍吗？"
RELEASE_POLL_S = 0.05  # s between looks at a dropped draft while its host call waits for the user's turn to end


class _Gate:
    """A host call's wait for its user turn: released (the turn is over) or ended (dropped, cut)."""

    def __init__(self) -> None:
        self.released, self.ended = threading.Event(), threading.Event()

    def wait(self) -> bool:
        """True once released; False if the reply ended first (blocking: the LLM lane's thread)."""
        while not self.released.wait(RELEASE_POLL_S):
            if self.ended.is_set():
                return False
        return not self.ended.is_set()


def worded(generate: Generate, fallback: str) -> Generate:
    """An answer with no word in it says `fallback` instead of nothing: after an LLM server died mid-answer
    (the cluster test) the history held cut replies nobody heard ("…") and the 0.5B answered "…" too."""
    def run(on_text: OnText) -> str:
        out = generate(on_text)
        if speakable(out):
            return out
        log.warning("an answer with no word in it (%r): said %r instead", out, fallback)
        on_text(fallback)
        return f"{out}{fallback}"
    return run


def saying(text: str) -> Generate:
    """A 'generation' that is a fixed sentence (one delta, as an LLM would stream it)."""
    def run(on_text: OnText) -> str:
        on_text(text)
        return text
    return run


class Answers:
    def __init__(self, conversation: Conversation, policy: PolicyOptions, bus: Bus, tools: Toolbox | None = None,
                 tool_slot: int | None = None, now: Callable[[], float] = lambda: 0.0,
                 knowledge: Knowledge | None = None, strict: bool = False, quote: bool = True) -> None:
        self.conversation, self.policy, self.bus, self.now = conversation, policy, bus, now
        self.knowledge, self.strict = knowledge, strict  # the operator's documents; whether only they answer
        self.quote = quote  # a found passage is quoted (its best sentences), not rephrased by the LLM
        self.tools = tools or Toolbox()
        self.tool_slot = tool_slot  # the engine slot the host-function chooser uses (None: the generator's)
        self._gates: dict[int, _Gate] = {}  # replies whose host call waits for their user turn
        self._asking: dict[int, AskedBack] = {}  # drafted ask-backs, said once their user turn is released

    def released(self, reply: int) -> None:
        """The user's turn is over: a host call drafted for it may act."""
        if (g := self._gates.get(reply)) is not None:
            g.released.set()
        if (asked := self._asking.pop(reply, None)) is not None:
            self.bus.publish(AskedBack(self.now(), asked.segment, reply, asked.why, asked.heard))

    def ended(self, reply: int) -> None:
        """The reply was dropped, cut or withdrawn: its host call never acts."""
        if (g := self._gates.pop(reply, None)) is not None:
            g.ended.set()
        self._asking.pop(reply, None)

    def ask_back(self, t: float, seg: int, reply: int, text: str, why: str, language: str = "") -> tuple[Turn, Generate]:
        """The turn was heard badly (assistant/core/unclear.py): the reply asks for it again, in the language
        it was heard in. The words heard stay in the history, so the LLM sees the repeat as the same question
        asked again."""
        _, turn = self.conversation.begin(reply, text)
        self._asking[reply] = AskedBack(t, seg, reply, why, text)  # (published when the user's turn is released)
        zh = _zh(text, language)
        if why == NOT_SURE_FOR_ME:  # (a lone question the monitor did not take for the assistant's)
            return turn, saying(ASK_IF_FOR_ME_ZH if zh else ASK_IF_FOR_ME)
        return turn, saying(ASK_BACK_ZH if zh else ASK_BACK)

    def draft(self, t: float, reply: int, text: str, seen: str | None, replica: Replica,
              read: Callable[[], str] | None = None, seg: int = -1, language: str = "") -> tuple[Turn, Generate]:
        """The user's turn `text` (and what the camera `seen` then) joins the conversation: the reply's
        turn and how its words are made (by `replica`'s LLM unless a tool answers). `read` (blocking)
        is the camera line with the text read, for words that ask what is written. `language`: the one
        the words were heard in ("": typed, their script says it)."""
        zh = _zh(text, language)
        tool = self.tools.route(text, self.conversation.last_answer())
        context, turn = self.conversation.begin(reply, text if seen is None else with_camera(text, seen))
        if tool is not None and tool.asks_back:  # (a word the tool needs was not heard: it asks, nothing is guessed)
            self._asking[reply] = AskedBack(t, seg, reply, tool.asks_back, text)
            return turn, saying(tool.said)
        if tool is not None:
            if tool.source:  # a fact read from packaged data: the source is named
                self.bus.publish(Consulted(t, reply, True, tool.source, tool.entry, 1.0))
            self.bus.publish(ToolUsed(t, reply, tool.tool, tool.said))
            return turn, saying(tool.said)
        loop = asyncio.get_running_loop()

        def publish(e: Event) -> None:  # (safe from the answer's worker thread too)
            loop.call_soon_threadsafe(self.bus.publish, e)

        def answer() -> Generate:
            return self._answer(reply, text, zh, context, seen, replica, read, publish)
        if touched := relevant(self.tools.host_tools(), text):  # (the rest only if no function is chosen)
            return turn, self._host_turn(reply, text, zh, touched, replica, answer, publish)
        return turn, answer()

    def _answer(self, reply: int, text: str, zh: bool, context: list[Turn], seen: str | None, replica: Replica,
                read: Callable[[], str] | None, publish: Callable[[Event], None]) -> Generate:
        """The answer when no tool does it: from the operator's documents, from what the camera reads,
        or the LLM's."""
        def generate_on(turns: list[Turn]) -> Generate:
            return worded(partial(replica.generate, turns, max_tokens=self.policy.max_reply_tokens,
                                  temperature=self.policy.temperature), NO_WORDS_ZH if zh else NO_WORDS)
        generate = generate_on(context)
        found = self.knowledge.find(text) if self.knowledge is not None else None
        if self.knowledge is not None:
            if found is None:
                publish(Consulted(self.now(), reply, False))
                if self.strict:
                    return saying(NOT_IN_DOCUMENTS_ZH if zh else NOT_IN_DOCUMENTS)
            else:
                p = found.passage
                publish(Consulted(self.now(), reply, True, p.source, p.title, round(found.score, 2)))
                if self.quote:
                    return saying(quote(p, text, weight=self.knowledge.weights()))
                context[-1].text = with_document(context[-1].text, p.source, p.text)  # (kept in the history)
                return generate
        if read is None or seen is None or not (asks_to_read(text) or asks_to_solve(text)):
            if not zh and (ref := self.tools.passage(text)) is not None:  # (one passage, checked)
                publish(Consulted(self.now(), reply, True, ref.source, ref.title, 1.0))
                context[-1].text = with_reference(context[-1].text, ref.source, ref.text)  # (kept in the history)
            return generate
        asked, loop = context[-1], asyncio.get_running_loop()

        def reading(on_text: OnText) -> str:  # (in the answer's worker: OCR before the first token)
            line = read()
            seen_now = with_camera(text, line)
            loop.call_soon_threadsafe(setattr, asked, "text", seen_now)  # (the history: written on the loop only)
            solved = written(read_text(line)) if asks_to_solve(text) else None
            if solved is None:  # (nothing to work out on the page: the LLM answers from what was read)
                return generate_on([*context[:-1], replace(asked, text=seen_now)])(on_text)
            publish(ToolUsed(self.now(), reply, "arithmetic", solved))
            on_text(solved)
            return solved
        return reading

    def _host_turn(self, reply: int, text: str, zh: bool, touched: list[HostTool], replica: Replica,
                   answer: Callable[[], Generate], publish: Callable[[Event], None]) -> Generate:
        """The LLM picks a host function (or none: then it answers as it would have); the call waits
        for the user's turn to be released, and its result or failure is what the assistant says."""
        gate = self._gates[reply] = _Gate()
        slot = replica.slot if self.tool_slot is None else self.tool_slot
        loop = asyncio.get_running_loop()

        def done() -> None:  # (the gates are written on the loop only)
            loop.call_soon_threadsafe(self._gates.pop, reply, None)

        def run(on_text: OnText) -> str:  # (in the LLM lane's thread)
            choice: Choice | None = choose(replica.engine, slot, touched, text)
            if choice is None:
                done()
                return answer()(on_text)
            if not gate.wait():
                return ""
            done()
            publish(ToolCall(self.now(), reply, choice.tool.name, choice.args))
            try:
                said = done_sentence(choice, choice.tool.call(choice.args), zh)
                ok = True
            except ToolFailed as e:
                log.warning("host function %s failed: %s", choice.tool.name, e)
                said, ok = failed_sentence(choice, str(e), zh), False
            publish(ToolUsed(self.now(), reply, choice.tool.name, said, ok))
            on_text(said)
            return said
        return run


def _zh(text: str, language: str) -> bool:
    """Whether to answer in Mandarin: the language the words were heard in, or typed words' script."""
    return language == "zh" if language else is_chinese(text)
