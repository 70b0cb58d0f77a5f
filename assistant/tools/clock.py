"""The time and the date, read from the device's clock (a 0.5B model only guesses them)."""

from __future__ import annotations

import datetime as dt
import re

TIME = re.compile(r"\b(what(?:'s| is)? the time|what time is it|the time (right )?now|current time|tell me the time|"
                  r"have the time)\b")
WEEKDAY = re.compile(r"\b(what|which) day (is it|is today|of the week is it)\b|\bwhat day of the week\b")
DATE = re.compile(r"\b(what(?:'s| is)? (the |today's )?date|date today|what(?:'s| is) today)\b")
MONTH = re.compile(r"\b(what|which) month\b")
YEAR = re.compile(r"\b(what|which) year\b")
PARTS = ((12, "in the morning"), (17, "in the afternoon"), (21, "in the evening"), (24, "at night"))


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def spoken_time(now: dt.datetime) -> str:
    h = now.hour % 12 or 12
    part = next(p for end, p in PARTS if now.hour < end)
    return f"{h} o'clock {part}" if now.minute == 0 else f"{h}:{now.minute:02d} {part}"


def answer(text: str, now: dt.datetime | None = None) -> str | None:
    """The sentence to say, or None when `text` does not ask for the time or the date."""
    t = text.lower()
    now = now or dt.datetime.now()
    if TIME.search(t):
        return f"It's {spoken_time(now)}."
    if DATE.search(t):
        return f"Today is {now:%A}, {now:%B} {_ordinal(now.day)}, {now.year}."
    if WEEKDAY.search(t):
        return f"Today is {now:%A}."
    if MONTH.search(t):
        return f"It's {now:%B}."
    if YEAR.search(t):
        return f"It's {now.year}."
    return None
