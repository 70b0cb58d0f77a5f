"""Words of English and Chinese text: the one place the Han range is defined, a leaf every layer may import
(audio, models, tools, core; it imports nothing of ours).

English words are runs of letters, digits and apostrophes (or, counted, what spaces split); Chinese has
no spaces, so each character counts as a unit and a word is taken as 1.5 characters (the mean length
of a Mandarin word).
"""

from __future__ import annotations

import re

HAN_RANGE = "\u3400-\u9fff"  # CJK Unified Ideographs and Extension A, for a regex character class
HAN = re.compile(f"[{HAN_RANGE}]")
HAN_RUN = re.compile(f"[{HAN_RANGE}]+")
UNIT = re.compile(f"[A-Za-z0-9']+|[{HAN_RANGE}]")
HAN_PER_WORD = 1.5  # characters per Mandarin word


def units(text: str) -> list[str]:
    """Lower-case English words and single Chinese characters, in order."""
    return [u.lower() for u in UNIT.findall(text)]


def grams(text: str) -> list[str]:
    """What two texts share when one repeats the other: lower-case English words, and pairs of adjacent
    Chinese characters (single characters are too common to tell a new question from an answer's words:
    的 是 一 有 个 …)."""
    out: list[str] = []
    for run in re.findall(f"[A-Za-z0-9']+|[{HAN_RANGE}]+", text):
        if HAN.match(run):
            out += [run[i : i + 2] for i in range(len(run) - 1)] if len(run) > 1 else [run]
        else:
            out.append(run.lower())
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
