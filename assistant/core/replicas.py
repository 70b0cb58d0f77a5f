"""A replica: one instance of the assistant model with its own KV-cache slot and a role.

Both replicas share the weights (one engine) but never a context: each has its own slot, so
the monitor judging the user's speech does not disturb the generator's cache, and a swap
hands the generator role to the replica that has just read the user's turn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.core.prompt import STATE_TOKENS, STOP, Turn, answer_prompt, judge_prompt, system_prompt
from models.llm import Engine


@dataclass
class Replica:
    name: str
    slot: int  # the engine's KV-cache slot owned by this replica
    engine: Engine
    role: str = "monitor"  # "generator" or "monitor"
    lm_judge: bool = False  # the LM itself gives the verdicts (its prompt then carries the state rules)
    camera: bool = False  # user turns may carry what the camera saw (its prompt then says how to use it)

    @property
    def system(self) -> str:
        return system_prompt(self.lm_judge, self.camera)

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
