"""A replica: one instance of the assistant model with its own KV-cache slot and a role.

Both replicas share the weights (one engine) but never a context: each has its own slot, so
the monitor judging the user's speech does not disturb the generator's cache, and a swap
hands the generator role to the replica that has just read the user's turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from assistant.core.prompt import STOP, Turn, answer_prompt, judge_prompt, system_prompt
from models.llm import Engine
from models.state_tokens import STATE_TOKENS


@dataclass
class Replica:
    name: str
    slot: int  # the engine's KV-cache slot owned by this replica
    engine: Engine
    role: Literal["generator", "monitor"] = "monitor"
    lm_judge: bool = False  # the LM itself gives the verdicts (its prompt then carries the state rules)
    camera: bool = False  # user turns may carry what the camera saw (its prompt then says how to use it)
    documents: bool = False  # user turns may carry a passage of the operator's documents (likewise)
    bilingual: bool = False  # turns may be Mandarin or English (its prompt then says to answer in the turn's language)

    @property
    def system(self) -> str:
        return system_prompt(self.lm_judge, self.camera, self.documents, self.bilingual)

    def state_probs(self, history: list[Turn]) -> dict[str, float]:
        """The model's distribution over the state tokens as its first reply token."""
        return self.engine.next_token_probs(judge_prompt(history, self.camera), slot=self.slot,
                                            candidates=STATE_TOKENS)

    def prefill(self, history: list[Turn]) -> None:
        """Read the conversation into this replica's cache, so its next turn only prefills new words."""
        if self.lm_judge:
            self.state_probs(history)
        else:
            self.engine.next_token_probs(answer_prompt(history, self.system), slot=self.slot, candidates=STATE_TOKENS)

    def generate(self, history: list[Turn], on_text: Callable[[str], bool], max_tokens: int,
                 temperature: float = 0.3) -> str:
        return self.engine.stream(answer_prompt(history, self.system), slot=self.slot, max_tokens=max_tokens,
                                  on_text=on_text, temperature=temperature, stop=STOP)


class ReplicaPair:
    """Replica A starts as the generator, B as the monitor; `swap` hands the roles over."""

    def __init__(self, engine: Engine, slots: tuple[int, int], lm_judge: bool) -> None:
        self.generator = Replica("A", slots[0], engine, "generator", lm_judge)
        self.monitor = Replica("B", slots[1], engine, "monitor", lm_judge)

    def __iter__(self) -> Iterator[Replica]:
        return iter((self.generator, self.monitor))

    def by(self, role: str) -> Replica:
        return self.generator if role == "generator" else self.monitor

    def swap(self) -> None:
        self.generator, self.monitor = self.monitor, self.generator
        self.generator.role, self.monitor.role = "generator", "monitor"

    def consult(self) -> None:
        """User turns may carry a passage of the operator's documents from now on."""
        self.generator.documents = self.monitor.documents = True

    def speak_chinese(self, on: bool = True) -> None:
        """Turns may be Mandarin from now on (both prompts say to answer in the turn's language)."""
        self.generator.bilingual = self.monitor.bilingual = on

    def see(self) -> None:
        """User turns may carry a camera line from now on (both prompts say how to use it)."""
        self.generator.camera = self.monitor.camera = True


class SlotPool:
    """The engine's KV-cache slots, two per session (one per replica), for a server of many sessions."""

    def __init__(self, sessions: int) -> None:
        self.slots = [(2 * i, 2 * i + 1) for i in range(sessions)]
        self._free = list(reversed(self.slots))

    @property
    def free(self) -> int:
        return len(self._free)

    def take(self) -> tuple[int, int] | None:
        return self._free.pop() if self._free else None

    def give(self, pair: tuple[int, int]) -> None:
        self._free.append(pair)

    def warm(self, engine: Engine, lm_judge: bool) -> None:
        """Every session's slots start from the same system prompt: prefill them once, up front."""
        for a, b in self.slots:
            for slot in (a, b):
                Replica("warm", slot, engine, lm_judge=lm_judge).prefill([])
