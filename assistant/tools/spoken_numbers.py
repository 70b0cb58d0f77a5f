"""Numbers as people say them and as Whisper writes them: "one hundred forty four", "144",
"1,000", "six point two", "a hundred" → floats; and floats back into short spoken-friendly text.
"""

from __future__ import annotations

import re

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
ORDINAL_PARTS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5}
DIGITS = re.compile(r"^-?\d[\d,]*(\.\d+)?$")
NUMBER_WORDS = {*UNITS, *TENS, *SCALES, "a", "an", "and", "point", "oh"}


def tokens(text: str) -> list[str]:
    """Lower-case words and digit groups; hyphens split ("fifty-six" → "fifty", "six")."""
    return re.findall(r"\d[\d,]*(?:\.\d+)?|[a-z]+(?:'[a-z]+)?|[+*/×÷^%=-]", text.lower().replace("-", " "))


def parse(words: list[str]) -> tuple[float, int] | None:
    """The number at the start of `words` and how many words it took, or None."""
    if not words:
        return None
    if DIGITS.match(words[0]):
        return float(words[0].replace(",", "")), 1
    total, current, used, seen = 0.0, 0.0, 0, False
    i = 0
    while i < len(words):
        w = words[i]
        if w in UNITS:
            current += UNITS[w]
        elif w in TENS:
            current += TENS[w]
        elif w in ("a", "an") and i + 1 < len(words) and words[i + 1] in SCALES:
            current += 1
        elif w in SCALES and seen:
            if SCALES[w] == 100:
                current *= 100
            else:
                total += current * SCALES[w]
                current = 0
        elif w == "and" and seen and i + 1 < len(words) and (words[i + 1] in UNITS or words[i + 1] in TENS):
            pass
        elif w == "point" and seen and i + 1 < len(words) and words[i + 1] in UNITS:
            frac, j = "", i + 1
            while j < len(words) and words[j] in UNITS and UNITS[words[j]] < 10:
                frac += str(UNITS[words[j]])
                j += 1
            return total + current + float("0." + frac), j
        else:
            break
        seen = seen or w != "and"
        i += 1
        used = i
    return (total + current, used) if seen else None


def say(x: float) -> str:
    """A result as it should be spoken: whole numbers plain, others to at most two decimals."""
    if abs(x - round(x)) < 1e-9:
        return f"{int(round(x)):,}" if abs(x) >= 10_000 else str(int(round(x)))
    return f"{x:.2f}".rstrip("0").rstrip(".")
