"""duplex: a full-duplex voice assistant. `from assistant import Duplex` embeds its session in a host's
Python process (assistant/host/embed.py); the CLI is `assistant` (assistant/cli.py)."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:  # (lazy: importing the package loads no model and no audio library)
    if name == "Duplex":
        from assistant.host.embed import Duplex

        return Duplex
    raise AttributeError(name)
