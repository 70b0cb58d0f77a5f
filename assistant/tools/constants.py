"""Physical constants from SciPy's CODATA table (`scipy.constants`), said as a sentence.

"What is the speed of light?", "what's the acceleration due to gravity?", "Avogadro's number?",
"Planck's constant?", "the charge of an electron?", "what is absolute zero?". Each constant has the
words that name it, the CODATA key (or a SciPy attribute) and how its value is said: plain digits
with thousands separators, or "6.022 times ten to the 23" for the very large and very small.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import cache

SOURCE = "CODATA 2022 (scipy.constants)"
SIGNIFICANT = 4  # digits said of a value in powers of ten
NAMED = {"avogadro": "Avogadro constant", "planck": "Planck constant", "boltzmann": "Boltzmann constant"}  # people's
#   names a constant goes by: a misheard one ("Avocadro's umber") is still that constant when it is this close
NAME_CUTOFF = 0.8  # difflib ratio
ASKING = r"\?\s*$|^(?:(?:and|so|ok|okay|well|then)\W+)*(?:what|what's|whats|how|tell|do you know|give)\b"


@dataclass(frozen=True)
class Constant:
    words: str  # a regex over the lower-case question
    name: str  # as said: "the speed of light in a vacuum"
    key: str  # the CODATA name in scipy.constants.physical_constants, or "attr:<name>" for a SciPy attribute
    unit: str  # as said after the value
    extra: str = ""  # a rounder figure people know, said after it ("about 300,000 kilometres a second")


CONSTANTS = (
    Constant(r"\bspeed of light\b|\bhow fast (?:is|does) light\b|\blight travel", "The speed of light in a vacuum",
             "speed of light in vacuum", "metres per second", "about 300,000 kilometres a second"),
    Constant(r"\b(?:acceleration (?:due to|of) gravity|gravitational acceleration|standard gravity|"
             r"gravity on earth|earth'?s gravity)\b", "The standard acceleration due to gravity on Earth",
             "standard acceleration of gravity", "metres per second squared", "about 9.8"),
    Constant(r"\b(?:gravitational constant|newton'?s constant|constant of gravitation|big g)\b",
             "The gravitational constant", "Newtonian constant of gravitation", "cubic metres per kilogram second squared"),
    Constant(r"\bavogadro'?s? (?:number|constant)\b", "Avogadro's number", "Avogadro constant", "per mole"),
    Constant(r"\bplanck'?s? constant\b", "Planck's constant", "Planck constant", "joule seconds"),
    Constant(r"\bboltzmann'?s? constant\b", "Boltzmann's constant", "Boltzmann constant", "joules per kelvin"),
    Constant(r"\b(?:elementary charge|charge (?:of|on) (?:an|the) (?:electron|proton))\b", "The elementary charge",
             "elementary charge", "coulombs"),
    Constant(r"\b(?:mass of (?:an|the) electron|electron(?:'s)? mass)\b", "The mass of an electron",
             "electron mass", "kilograms"),
    Constant(r"\b(?:mass of (?:a|the) proton|proton(?:'s)? mass)\b", "The mass of a proton", "proton mass", "kilograms"),
    Constant(r"\babsolute zero\b", "Absolute zero", "attr:absolute_zero", "degrees Celsius", "zero kelvin"),
    Constant(r"\bvalue of pi\b|\bwhat is pi\b|\bpi equals?\b", "Pi", "attr:pi", "", "about 3.14"),
)


@cache
def _values() -> dict[str, float]:
    import scipy.constants as sc  # (imported on first use: a few hundred milliseconds)
    table = {k: v[0] for k, v in sc.physical_constants.items()}
    table["attr:absolute_zero"] = -sc.zero_Celsius
    table["attr:pi"] = math.pi
    return table


def warm() -> None:
    _values()


def said(x: float) -> str:
    """How a value is said: '299,792,458', '9.80665', '6.022 times ten to the power of 23', '-273.15'."""
    if x != 0 and not 1e-3 <= abs(x) < 1e12:
        exp = math.floor(math.log10(abs(x)))
        return f"{x / 10 ** exp:.{SIGNIFICANT - 1}f} times ten to the power of {'minus ' if exp < 0 else ''}{abs(exp)}"
    if x < 0:
        return "minus " + said(-x)
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.10g}" if abs(x) < 1000 else f"{x:,.2f}"


def answer(text: str) -> tuple[str, str] | None:
    """(the sentence, the constant read) for a question naming a known constant, or None."""
    low = text.lower().strip()
    if not re.search(ASKING, low):
        return None
    c = next((c for c in CONSTANTS if re.search(c.words, low)), None)
    if c is None and re.match(r"(?:what|what's|whats)\b", low) and re.search(r"\bis\b|'s\b", low) and \
            not re.search(r"\b(?:who|born|died|life)\b", low):
        # (a person's name the constant goes by, heard a little wrong)
        near = {w for word in re.findall(r"[a-z]{5,}", low) for w in difflib.get_close_matches(word, NAMED, 1, NAME_CUTOFF)}
        c = next((c for c in CONSTANTS if len(near) == 1 and c.key == NAMED[next(iter(near))]), None)
    if c is None:
        return None
    value = _values()[c.key]
    if c.key == "attr:pi":
        return f"Pi is {value:.5f}, {c.extra}.", "pi"
    sentence = f"{c.name} is {said(value)} {c.unit}".rstrip() + (f", {c.extra}." if c.extra else ".")
    return sentence, c.key.removeprefix("attr:")
