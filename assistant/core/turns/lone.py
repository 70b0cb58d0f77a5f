"""A lone question nobody answered: a person across the room asks the idle assistant something, and waits.

The monitor reads distance as "not for me" (far, reverberant speech sounds like people talking to each
other) and Whisper mishears the words, so such a request was met with silence. What tells it from side
talk is what happens around it: people take turns within a second or two, a TV or radio talks on, and a
question to someone names them. A turn shaped like a question or a request (assistant/core/asks.py),
judged not for the assistant by a monitor that was not sure (p ≤ `lone_max_p`) — or judged a query, not surely,
whose words Whisper was unsure of (however they read: "Oh, man it really does melt hard." was "How many moons
does Mars have?" over babble; `misheard`: assistant/core/unclear.py) — with no other speech for
`lone_quiet_s` before it (nor the assistant's own), naming no one, that nobody answers for
`lone_ask_back_s` is asked back: "Sorry, were you asking me?" (not a voice the speaker gate keeps out: the
cockpit serves its enrolled driver, not the passengers) — never answered as heard (its words are a
guess), never for babble or a TV (their speech has no such gaps, and a capped segment is never a turn).
The room's background is not someone speaking: speech `BACKGROUND_DB` or more below the question (babble
around a request: 10 dB down) neither makes it part of a talk nor answers it.
"""

from __future__ import annotations

import math

import assistant.core.actions as do
from assistant.core.addressee import addressee
from assistant.core.asks import asks_something, enough_words
from assistant.core.turns.others import PeopleTalking
from assistant.core.turns.state import BACKGROUND_DB, Early, Lone, Mark

# s after a lone question was asked back before another is, unless a query came since: a person on the phone
# pauses to listen as one who waits for the assistant does — asked once and not answered, they were not asking it
LONE_AGAIN_S = 60.0
# s after an onset since the lone question that its level may take to be known (the segmenter's first
# partial comes 0.3 s in): unheard by then, it counts as someone answering
LEVEL_WAIT_S = 1.0


class LoneQuestion(PeopleTalking):
    def _wait_lone(self, sid: int, rec: Early) -> None:
        """Segment `sid` is over and ignored: remember it if it is a lone question (see the module)."""
        pol, prior, level = self.policy, self._prior.get(sid, Mark()), self._levels.get(sid, -math.inf)
        quiet = rec.began - prior.t >= pol.lone_quiet_s or self._background(prior.seg, level)
        answers = self._answers.seg == sid and not self._background(self._answers.other, level)
        lone = not answers and quiet and rec.began - self._spoke_until >= pol.lone_quiet_s and \
            (rec.began - self._lone_asked >= LONE_AGAIN_S or self._asked.ended > self._lone_asked)
        shaped = rec.p <= pol.lone_max_p and asks_something(rec.text)
        if pol.lone_ask_back_s > 0 and lone and not rec.stranger and rec.token != "query" and \
                addressee(rec.text) is None and (shaped or rec.misheard and enough_words(rec.text)):
            self._lone = Lone(sid, rec.speech_end, rec.text, level)

    def _background(self, sid: int, under: float) -> bool:
        """Is segment `sid`'s speech the room's background, BACKGROUND_DB below level `under`? (Not if unheard.)"""
        return self._levels.get(sid, math.inf) <= under - BACKGROUND_DB

    def _lone_due(self, now: do.Now) -> list[do.Action]:
        """Ask the lone question back once `lone_ask_back_s` passed with nobody speaking (any speech since at a
        voice's level, or the assistant speaking, lets it go: that speech is judged on its own; the room's
        background — babble 10 dB down — does not)."""
        lone = self._lone
        if lone is None:
            return []
        since = range(lone.seg + 1, self._onset.seg + 1)
        loud = [s for s in since if not self._background(s, lone.db)]
        unheard = loud == [self._onset.seg] and self._onset.seg not in self._levels and \
            now.t - self._onset.t < LEVEL_WAIT_S  # (its first words are not in yet)
        if now.speaking or self._deferred is not None or (loud and not unheard):
            self._lone = None
            return []
        if unheard or now.t - lone.ended < self.policy.lone_ask_back_s or self._judging is not None:
            return []
        self._lone, self._lone_asked = None, now.t
        rid = self._new_reply()
        return [do.Draft(rid, lone.seg, lone.text, "generator", ask=do.NOT_SURE_FOR_ME), do.Release(lone.seg, rid, lone.text)]
