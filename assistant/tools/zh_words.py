"""Chinese words for search without a segmenter: what the kiosk's documents and the host functions'
descriptions share with a question."""

from __future__ import annotations

import re

from assistant.text import HAN_RUN

# Chinese function words: they cut a run of characters and count for nothing (怎么/什么/哪里 … go whole)
ZH_FUNCTION_CHARS = "的了吗呢吧啊呀么我你他她它们是在有要想请问怎什哪儿里个几这那就都也还和与或把被给让对从向着过能可以会该需"
_FUNCTION = re.compile(f"[{ZH_FUNCTION_CHARS}]+")


def content_pairs(text: str) -> list[str]:
    """Chinese content words without a segmenter, for search ("身份证丢了" → 身份, 份证, 丢): the character
    pairs of the runs left between function words and anything not Chinese; a run of one counts alone."""
    out: list[str] = []
    for run in HAN_RUN.findall(text):
        for part in _FUNCTION.split(run):
            out += [part] if len(part) == 1 else [part[i : i + 2] for i in range(len(part) - 1)]
    return out

