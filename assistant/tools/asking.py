"""A tool's question back to the user: the question has a tool's shape but a word it needs was not heard
as anything it knows ("what is the capital of me at arm?"), so it asks instead of letting the LLM guess."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AskBack:
    said: str  # the question back ("Sorry, I didn't catch the country. Which one did you mean?")
    why: str  # for the `asked_back` event ("no country heard in 'me at arm'")
