"""Unit conversion for spoken questions: "how many centimeters are in a meter", "how many miles is
ten kilometers", "convert five miles to kilometers", "what is 20 celsius in fahrenheit"."""

from __future__ import annotations

import re

from assistant.tools.spoken_numbers import parse, say, tokens

# unit → (dimension, size in the dimension's base unit); names singular, plurals by rule
UNITS: dict[str, tuple[str, float]] = {
    "millimeter": ("length", 0.001), "centimeter": ("length", 0.01), "meter": ("length", 1.0),
    "kilometer": ("length", 1000.0), "inch": ("length", 0.0254), "foot": ("length", 0.3048),
    "yard": ("length", 0.9144), "mile": ("length", 1609.344),
    "milligram": ("mass", 0.001), "gram": ("mass", 1.0), "kilogram": ("mass", 1000.0),
    "ounce": ("mass", 28.349523125), "pound": ("mass", 453.59237), "ton": ("mass", 1_000_000.0),
    "second": ("time", 1.0), "minute": ("time", 60.0), "hour": ("time", 3600.0), "day": ("time", 86400.0),
    "week": ("time", 604800.0),
    "milliliter": ("volume", 0.001), "liter": ("volume", 1.0), "gallon": ("volume", 3.785411784),
    "cup": ("volume", 0.2365882365), "pint": ("volume", 0.473176473),
    "celsius": ("temperature", 0.0), "fahrenheit": ("temperature", 0.0), "kelvin": ("temperature", 0.0),
}
ALIASES = {"metre": "meter", "centimetre": "centimeter", "kilometre": "kilometer", "millimetre": "millimeter",
           "litre": "liter", "millilitre": "milliliter", "feet": "foot", "inches": "inch", "kilo": "kilogram",
           "kilos": "kilogram", "km": "kilometer", "cm": "centimeter", "mm": "millimeter", "kg": "kilogram",
           "lbs": "pound", "lb": "pound", "degrees": "", "degree": ""}
HOW_MANY = re.compile(r"how many (\w+) (?:are |is |are there )?(?:in|per) (.+)")
HOW_MANY_IS = re.compile(r"how many (\w+) (?:is|are|make) (.+)")
CONVERT = re.compile(r"(?:convert |what is |what's |how much is )?(.+?) (?:in|to|into) (\w+)$")


def unit(word: str) -> str | None:
    w = ALIASES.get(word, word)
    if w in UNITS:
        return w
    for cut in ("es", "s"):
        if w.endswith(cut) and w[: -len(cut)] in UNITS:
            return w[: -len(cut)]
    return None


def _amount(phrase: str) -> tuple[float, str] | None:
    """ "ten kilometers" / "a meter" / "an hour" → (10, "kilometer")."""
    words = [w for w in tokens(phrase) if w not in ("degrees", "degree")]
    if words and words[0] in ("a", "an", "one") and len(words) >= 2 and unit(words[1]):
        return 1.0, str(unit(words[1]))
    num = parse(words)
    if num is None or num[1] >= len(words):
        return None
    u = unit(words[num[1]])
    return (num[0], u) if u else None


def convert(x: float, src: str, dst: str) -> float | None:
    (d1, k1), (d2, k2) = UNITS[src], UNITS[dst]
    if d1 != d2:
        return None
    if d1 != "temperature":
        return x * k1 / k2
    c = {"celsius": x, "fahrenheit": (x - 32) * 5 / 9, "kelvin": x - 273.15}[src]
    return {"celsius": c, "fahrenheit": c * 9 / 5 + 32, "kelvin": c + 273.15}[dst]


def _plural(u: str, x: float) -> str:
    if u in ("celsius", "fahrenheit", "kelvin"):
        return f"degrees {u.capitalize()}" if u != "kelvin" else "kelvin"
    if abs(x - 1) < 1e-9:
        return u
    return {"foot": "feet", "inch": "inches"}.get(u, u + "s")


def answer(text: str) -> str | None:
    """The sentence to say, or None when `text` asks for no conversion this module knows."""
    t = re.sub(r"[?.!,]", "", text.lower()).strip()
    for pattern, reverse in ((HOW_MANY, False), (HOW_MANY_IS, False), (CONVERT, True)):
        m = pattern.search(t)
        if not m:
            continue
        if reverse:
            amount, dst = _amount(m.group(1)), unit(m.group(2))
        else:
            amount, dst = _amount(m.group(2)), unit(m.group(1))
        if amount is None or dst is None or amount[1] == dst:
            continue
        x, src = amount
        y = convert(x, src, dst)
        if y is None:
            continue
        exact = abs(y - round(y, 2)) < 1e-9
        return (f"{say(x) if x != 1 else 'One'} {_plural(src, x)} is {'' if exact else 'about '}"
                f"{say(y if exact else round(y, 1 if abs(y) >= 1 else 2))} {_plural(dst, y)}.")
    return None
