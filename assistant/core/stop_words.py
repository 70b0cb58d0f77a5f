"""Words that ask the assistant to stop talking ("Stop.", "Wait!", "Hold on.", "Enough.", "停", "等一下"):
the one kind of barge-in said in a breath. Over a playing answer, shorter speech than `[policy]
barge_in_min_query_ms` is otherwise not taken for a query: the bits of its own echo that get past the
canceller are that short ("Let's go!", "Jump!", "Sorry." at 0.24–0.34 s over a slipping 0 dB echo, each
cutting the answer), every real barge-in on the echo bench 1.8 s or longer. A pure rule over the words."""

from __future__ import annotations

import re

MAX_WORDS = 4  # longer speech is not a bit of echo anyway
_EN = re.compile(r"^(?:(?:ok(?:ay)?|please|hey|no|oh|sorry)\W+)*"
                 r"(?:stop(?: it| that| talking| please)?|wait(?: a (?:sec(?:ond)?|minute|moment))?|hold on|"
                 r"pause|quiet|enough|shut up|be quiet|cancel|never ?mind|shh+|hang on)\W*(?:please\W*)?$")
_ZH_WORDS = "停|停下|停一下|等等|等一下|等一等|别说了|不要说了|闭嘴|够了|暂停|算了|安静"
_ZH = re.compile(rf"^(?:好了?|哎|喂)?[，,\s]*(?:{_ZH_WORDS})[。！!，,\s吧]*$")


def asks_to_stop(text: str) -> bool:
    """The words, said alone, ask the assistant to stop (English or Mandarin)."""
    low = text.strip().lower()
    if len(low.split()) > MAX_WORDS:
        return False
    return _EN.match(low) is not None or _ZH.match(text.strip()) is not None
