"""Where an answer comes from: a tool's exact sentence (assistant/tools) when the user's words ask
for one, else the generator replica's LLM over the conversation (which, for words that ask what is
written, first has the camera read the text on its frame)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from assistant.core.conversation import Conversation
from assistant.core.events import Bus, ToolUsed
from assistant.core.options import PolicyOptions
from assistant.core.prompt import Turn, with_camera
from assistant.core.replicas import Replica
from assistant.core.scene_words import asks_to_read
from assistant.core.speaker import Generate
from assistant.tools import Toolbox
from models.llm import OnText


def saying(text: str) -> Generate:
    """A 'generation' that is a fixed sentence (one delta, as an LLM would stream it)."""
    def run(on_text: OnText) -> str:
        on_text(text)
        return text
    return run


class Answers:
    def __init__(self, conversation: Conversation, policy: PolicyOptions, bus: Bus, tools: Toolbox | None = None) -> None:
        self.conversation, self.policy, self.bus = conversation, policy, bus
        self.tools = tools or Toolbox()

    def draft(self, t: float, reply: int, text: str, seen: str | None, replica: Replica,
              read: Callable[[], str] | None = None) -> tuple[Turn, Generate]:
        """The user's turn `text` (and what the camera `seen` then) joins the conversation: the reply's
        turn and how its words are made (by `replica`'s LLM unless a tool answers). `read` (blocking)
        is the camera line with the text read, for words that ask what is written."""
        tool = self.tools.route(text, self.conversation.last_answer())
        context, turn = self.conversation.begin(reply, text if seen is None else with_camera(text, seen))
        if tool is not None:
            self.bus.publish(ToolUsed(t, reply, tool.tool, tool.said))
            return turn, saying(tool.said)
        generate = partial(replica.generate, context, max_tokens=self.policy.max_reply_tokens,
                           temperature=self.policy.temperature)
        if read is None or seen is None or not asks_to_read(text):
            return turn, generate
        asked = context[-1]

        def reading(on_text: OnText) -> str:  # (in the answer's worker: OCR before the first token)
            asked.text = with_camera(text, read())
            return generate(on_text)
        return turn, reading
