"""The conversation: the turns both replicas render, and the heard-part truncation of a cut reply.

Each user turn and the reply that answers it carry the reply's id, so a draft that is dropped
takes its user turn with it, and a reply that is cut keeps only the words the user heard.
A window of the latest turns is kept: a session may last for hours, a prompt may not.
"""

from __future__ import annotations

from assistant.core.prompt import Turn
from assistant.text import HAN

MAX_TURNS = 24  # turns kept (12 exchanges); older ones fall out of the prompt and out of memory
# tokens of history kept, estimated (a Han character ~1 token, 4 other characters ~1): the passages turns were
# answered from stay in them (a Chinese document's ~900 characters), and the prompt must fit a 2048-token slot
MAX_HISTORY_TOKENS = 1400
RECENT_TURNS = 2  # turns given to Whisper as the conversation's recent words
CUT_MARK = "…"  # ends a reply the user cut off (the system prompt says what it means)


class Conversation:
    def __init__(self, max_turns: int = MAX_TURNS, max_tokens: int = MAX_HISTORY_TOKENS) -> None:
        self.max_turns, self.max_tokens = max_turns, max_tokens
        self.turns: list[Turn] = []

    def begin(self, reply: int, user_text: str) -> tuple[list[Turn], Turn]:
        """Add the user's turn and an empty reply to it: the context to answer from, and the reply's turn
        (its text grows as the answer is generated)."""
        self.turns.append(Turn("user", user_text, reply))
        context = list(self.turns)
        answer = Turn("assistant", "", reply)
        self.turns.append(answer)
        self._trim()
        return context, answer

    def said(self, reply: int, text: str) -> Turn:
        """The assistant said `text` unasked (a host's announcement): its turn, in the history."""
        turn = Turn("assistant", text, reply)
        self.turns.append(turn)
        self._trim()
        return turn

    def _trim(self) -> None:
        """Older turns fall out past `max_turns` or `max_tokens` (the latest exchange always stays)."""
        del self.turns[: max(0, len(self.turns) - self.max_turns)]
        while len(self.turns) > 2 and (sum(tokens(t.text) for t in self.turns) > self.max_tokens
                                       or self.turns[0].role == "assistant"):  # (it starts with a user turn)
            del self.turns[0]

    def last_answer(self) -> str:
        """What the assistant said last (a follow-up may refer to it: "and what is that times two?")."""
        return next((t.text for t in reversed(self.turns) if t.role == "assistant" and t.text), "")

    def recent(self, live: int | None, turns: int = RECENT_TURNS) -> str:
        """The last settled turns' words (no camera lines): what Whisper is told was said before."""
        texts = (t.text.split("\n")[-1] if t.text.startswith("[") else t.text for t in self.settled(live)[-turns:])
        return " ".join(x.removesuffix(CUT_MARK).strip() for x in texts if x.strip())

    def settled(self, live: int | None) -> list[Turn]:
        """The history without the reply still being spoken (what the monitor reads into its cache:
        leaving the live reply out keeps its cached prefix valid while the generator talks)."""
        return [t for t in self.turns if not (t.role == "assistant" and t.reply == live)]

    def answer(self, reply: int) -> str:
        """The words of reply `reply` so far ("" if it is not in the history)."""
        return next((t.text for t in self.turns if t.role == "assistant" and t.reply == reply), "")

    def cut(self, reply: int, heard: str) -> None:
        """The reply was interrupted: keep only what was heard."""
        for t in self.turns:
            if t.role == "assistant" and t.reply == reply:
                t.text = f"{heard} {CUT_MARK}" if heard else CUT_MARK

    def remove(self, reply: int) -> None:
        """Forget a drafted reply nobody heard, and the user turn it answered."""
        self.turns = [t for t in self.turns if t.reply != reply]


def tokens(text: str) -> int:
    """About how many tokens `text` is (Qwen's tokenizer: a Han character ~1, an English word ~1.3)."""
    han = len(HAN.findall(text))
    return han + (len(text) - han + 3) // 4
