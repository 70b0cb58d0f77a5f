"""Words of English and Chinese text, for the counts and overlaps the monitor and the clause cutter use.

English words are runs of letters, digits and apostrophes (or, counted, what spaces split); Chinese has
no spaces, so each character counts as a unit and a word is taken as 1.5 characters (the mean length
of a Mandarin word).
"""

from __future__ import annotations

import re

UNIT = re.compile(r"[A-Za-z0-9']+|[\u3400-\u9fff]")
HAN = re.compile(r"[\u3400-\u9fff]")
HAN_PER_WORD = 1.5  # characters per Mandarin word


def units(text: str) -> list[str]:
    """Lower-case English words and single Chinese characters, in order."""
    return [u.lower() for u in UNIT.findall(text)]


def grams(text: str) -> list[str]:
    """What two texts share when one repeats the other: lower-case English words, and pairs of adjacent
    Chinese characters (single characters are too common to tell a new question from an answer's words:
    的 是 一 有 个 …)."""
    out: list[str] = []
    for run in re.findall(r"[A-Za-z0-9']+|[\u3400-\u9fff]+", text):
        if HAN.match(run):
            out += [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]
        else:
            out.append(run.lower())
    return out


# Chinese function words: they cut a run of characters and count for nothing (怎么/什么/哪里 … go whole)
ZH_FUNCTION_CHARS = "的了吗呢吧啊呀么我你他她它们是在有要想请问怎什哪儿里个几这那就都也还和与或把被给让对从向着过能可以会该需"
_FUNCTION = re.compile(f"[{ZH_FUNCTION_CHARS}]+")


def content_pairs(text: str) -> list[str]:
    """Chinese content words without a segmenter, for search ("身份证丢了" → 身份, 份证, 丢): the character
    pairs of the runs left between function words and anything not Chinese; a run of one counts alone."""
    out: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff]+", text):
        for part in _FUNCTION.split(run):
            out += [part] if len(part) == 1 else [part[i : i + 2] for i in range(len(part) - 1)]
    return out


def has_words(text: str) -> bool:
    return UNIT.search(text) is not None


def is_chinese(text: str) -> bool:
    """The text holds Chinese characters."""
    return HAN.search(text) is not None


def word_count(text: str) -> float:
    """Words split by spaces (as the English monitor head was trained to count them), with each run of
    Chinese characters counted as its length / 1.5 instead."""
    han = len(HAN.findall(text))
    return len(HAN.sub(" ", text).split()) + han / HAN_PER_WORD
