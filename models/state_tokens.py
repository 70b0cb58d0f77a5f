"""The state tokens: the monitor's three labels for a speech segment, in one place.

The same words are the replicas' vocabulary for the verdict (read as the model's first reply
token), the trained head's output order and the events' `token`.
"""

from __future__ import annotations

from typing import Literal

StateName = Literal["query", "noise", "side"]
STATE_TOKENS: tuple[StateName, ...] = ("query", "noise", "side")  # output order of every judge
