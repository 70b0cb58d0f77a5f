"""A scene report in a few plain words for the generator: what the camera's encoders found in the
latest frame (people and whether they look at the device, raised hands, objects, text read), or that
they found nothing. The model answers questions about the scene from this line only."""

from __future__ import annotations

import re
from collections import Counter

from models.vision import SceneReport

MAX_OBJECT_KINDS = 6
MAX_TEXT_CHARS = 80
IRREGULAR = {"person": "people", "knife": "knives", "mouse": "mice", "bus": "buses", "couch": "couches",
             "sandwich": "sandwiches", "glass": "glasses", "wine glass": "wine glasses", "skis": "skis"}
# words that ask what is written: only then is the (slow) OCR run on the frame ([vision] text_on_demand)
ASKS_TO_READ = re.compile(r"\b(read|reads|written|writing|text|sign|signs|label|menu|poster|letters|screen|"
                          r"page|title|headline)\b|\bwhat does (it|this|that|the \w+) say\b", re.I)
ASKS_TO_SOLVE = re.compile(r"\b(solve|calculate|work out|sum|sums|maths?|equation|add up|adds up|"
                           r"homework|(answer|result) (to|of) (this|that|it))\b", re.I)
EXPRESSED = {"happy": "smiling", "neutral": "a calm face"}  # how an expression is said (else "looking sad", …)
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _count(n: int, label: str) -> str:
    if n == 1:
        return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"
    return f"{NUMBERS[n] if n < len(NUMBERS) else n} {IRREGULAR.get(label, label + 's')}"


def _people(r: SceneReport) -> str:
    n = r.people
    parts = ["exactly one person" if n == 1 else f"exactly {_count(n, 'person')}"]  # counts, not "a person"
    looking = sum(f.looking for f in r.faces)
    if r.faces:
        if looking == len(r.faces):
            parts.append("looking at you" if n == 1 else f"{'both' if n == 2 else 'all'} looking at you")
        elif looking:
            parts.append(f"{looking} of them looking at you")
        else:
            parts.append("not looking at you")
    elif n:
        parts.append("faces not visible")
    if r.expression and r.faces:
        said = EXPRESSED.get(r.expression, f"looking {r.expression}")
        parts.append(said if n == 1 else f"one {said}")
    if r.clothing and n:
        parts.append(f"{'wearing' if n == 1 else 'one wearing'} {r.clothing}")
    if r.hands_up:
        parts.append("one hand raised" if r.hands_up == 1 else "both hands raised")
    elif r.hands_up == 0:
        parts.append("hands down")
    return ", ".join(parts)


def asks_to_read(words: str) -> bool:
    """Do the user's words ask about text the camera may see?"""
    return ASKS_TO_READ.search(words) is not None


def asks_to_solve(words: str) -> bool:
    """Do the user's words ask to work out a sum the camera may see written ("solve this", "what's this sum")?"""
    return ASKS_TO_SOLVE.search(words) is not None


def read_text(line: str) -> str:
    """The text a camera line says was read (`text: "…"`), or ""."""
    m = re.search(r'text: "([^"]*)"', line)
    return m.group(1) if m else ""


def describe(r: SceneReport | None) -> str:
    """`camera: …` for the latest report, or that there is no picture."""
    if r is None:
        return "camera: no picture yet"
    things = [d for d in r.objects if d.label != "person"]
    kinds = Counter(d.label for d in things)
    # no positions: with "a cup in the middle, a dining table in the middle" the 0.5B answered
    # "what is on the table?" with the cup 2 times in 8, without them 19 in 20 (measured)
    objects = [_count(n, label) for label, n in kinds.most_common(MAX_OBJECT_KINDS)]
    text = " / ".join(t.text for t in r.text)[:MAX_TEXT_CHARS]
    # only what is there: with "no people; objects: a cat; no text" the 0.5B once answered "no
    # people, no objects"; listing only what was found it named the cat 12/12 (measured)
    parts = ([_people(r)] if r.people else []) + ([", ".join(objects)] if objects else []) + \
        ([f'text: "{text}"'] if text else [])
    if not parts:
        return f"camera: nothing I can recognise (no people, no objects{', no text' if r.read else ''})"
    return "camera: " + "; ".join(parts)
