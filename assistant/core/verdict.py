"""A verdict on a segment — the most likely state token and the distribution — and the arithmetic over it
that needs no model: the guards on words (none heard, the assistant's own), the LM's distribution with
Whisper's no-speech probability folded in, and a cue's log-odds added to p(query)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.text import HAN_RANGE, grams
from models.state_tokens import STATE_TOKENS, StateName
from models.vision import SceneReport
from models.whisper import Transcript

WORD = re.compile(f"[A-Za-z0-9{HAN_RANGE}]")  # a transcript with none of these holds no word
OWN_WORDS_MIN = 3  # words a transcript needs before it can be recognised as the assistant's own
OWN_OVERLAP = 0.6  # share of its words found in what the assistant is saying: own voice
NO_WORDS_P_NOISE = 0.97  # p(noise) when Whisper heard no word at all
P_EPS = 1e-6


@dataclass(frozen=True)
class Verdict:
    token: StateName
    p: float
    probs: dict[str, float]

    @classmethod
    def from_probs(cls, probs: dict[str, float]) -> Verdict:
        """The most likely state token of a distribution over STATE_TOKENS."""
        token: StateName = max(STATE_TOKENS, key=lambda k: probs[k])
        return cls(token, probs[token], {k: float(probs[k]) for k in STATE_TOKENS})


def own_voice_overlap(heard: str, saying: str) -> float:
    """Share of the heard words that are in the assistant's current reply (echo that got through)."""
    words = grams(heard)
    if len(words) < OWN_WORDS_MIN or not saying:
        return 0.0
    said = set(grams(saying))
    return sum(w in said for w in words) / len(words)


def combine(lm_probs: dict[str, float], tr: Transcript, saying: str = "") -> Verdict:
    """The LM's distribution with Whisper's no-speech probability and the own-voice overlap folded in."""
    p_nonspeech = tr.no_speech_prob
    if not WORD.search(tr.text):
        p_nonspeech = max(p_nonspeech, NO_WORDS_P_NOISE)
    own = own_voice_overlap(tr.text, saying)
    if own >= OWN_OVERLAP:  # the assistant's own words, leaking back: noise to the monitor
        p_nonspeech = max(p_nonspeech, own)
    q, s, n = (lm_probs.get(k, 0.0) for k in ("query", "side", "noise"))
    p_noise = 1 - (1 - p_nonspeech) * (1 - n)
    rest = (1 - p_noise) / max(q + s, 1e-9)
    return Verdict.from_probs({"query": q * rest, "noise": p_noise, "side": s * rest})


def with_gaze(v: Verdict, seen: SceneReport | None, weight: float) -> Verdict:
    return v if seen is None else shift_query(v, weight if seen.looking else -weight)


def shift_query(v: Verdict, shift: float) -> Verdict:
    """`shift` log-odds added to p(query); the ratio of the other two is kept."""
    if shift == 0:
        return v
    q = min(max(v.probs["query"], P_EPS), 1 - P_EPS)
    q2 = 1 / (1 + math.exp(-(math.log(q / (1 - q)) + shift)))
    rest = 1 - q
    probs = {"query": q2}
    for k in ("noise", "side"):
        probs[k] = (1 - q2) * (v.probs[k] / rest if rest > P_EPS else 0.5)
    return Verdict.from_probs(probs)


def own_or_silent(tr: Transcript, saying: str) -> Verdict | None:
    """The hard guards before any model reads the words: no words, or the assistant's own words."""
    if not WORD.search(tr.text):  # Whisper heard no words: nothing for the LM to read
        rest = (1 - NO_WORDS_P_NOISE) / 2
        return Verdict.from_probs({"query": rest, "noise": NO_WORDS_P_NOISE, "side": rest})
    own = own_voice_overlap(tr.text, saying)
    if own >= OWN_OVERLAP:
        return Verdict.from_probs({"query": (1 - own) / 2, "noise": own, "side": (1 - own) / 2})
    return None
