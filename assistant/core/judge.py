"""The monitor's verdict on a segment: a distribution over the state tokens.

Default (`[models] monitor = "head"`): `TrainedMonitor`, the trained state head
(models/state_head.py) reading the LM's hidden state for the words, the shared encoder's output
for the sound, and the context (is the assistant speaking, is it hearing its own words).

Baseline (`monitor = "lm"`, the issue-3 rule, kept for comparison): the replica's language model
gives p(query|side|noise) as its first reply token and Whisper's no-speech probability moves
mass to `noise` (`combine`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.events import StateName
from assistant.core.prompt import STATE_TOKENS
from models.lm_state import LmStateEncoder
from models.state_head import LABELS, Context, StateHead, feature_vector
from models.whisper import Encoded, Transcript

_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Verdict:
    token: StateName
    p: float
    probs: dict[str, float]


OWN_WORDS_MIN = 3  # words a transcript needs before it can be recognised as the assistant's own
OWN_OVERLAP = 0.6  # share of its words found in what the assistant is saying: own voice


def own_voice_overlap(heard: str, saying: str) -> float:
    """Share of the heard words that are in the assistant's current reply (echo that got through)."""
    words = re.findall(r"[a-z0-9']+", heard.lower())
    if len(words) < OWN_WORDS_MIN or not saying:
        return 0.0
    said = set(re.findall(r"[a-z0-9']+", saying.lower()))
    return sum(w in said for w in words) / len(words)


def combine(lm_probs: dict[str, float], tr: Transcript, saying: str = "") -> Verdict:
    """`saying`: the reply the assistant is speaking now (context for its own voice)."""
    p_nonspeech = tr.no_speech_prob
    if not _WORD.search(tr.text):
        p_nonspeech = max(p_nonspeech, 0.97)
    own = own_voice_overlap(tr.text, saying)
    if own >= OWN_OVERLAP:  # the assistant's own words, leaking back: noise to the monitor
        p_nonspeech = max(p_nonspeech, own)
    q, s, n = (lm_probs.get(k, 0.0) for k in STATE_TOKENS)
    p_noise = 1 - (1 - p_nonspeech) * (1 - n)
    rest = (1 - p_noise) / max(q + s, 1e-9)
    probs = {"query": q * rest, "noise": p_noise, "side": s * rest}
    token = max(probs, key=lambda k: probs[k])
    return Verdict(token, probs[token], {k: round(v, 4) for k, v in probs.items()})  # type: ignore[arg-type]


class TrainedMonitor:
    """The trained state head over the LM's hidden state, the shared encoder output and the context."""

    def __init__(self, state: LmStateEncoder, head: StateHead) -> None:
        self.state = state
        self.head = head

    def verdict(self, enc: Encoded, tr: Transcript, saying: str = "") -> Verdict:
        if not _WORD.search(tr.text):  # Whisper heard no words: nothing for the LM to read
            return Verdict("noise", 0.97, {"query": 0.015, "noise": 0.97, "side": 0.015})
        own = own_voice_overlap(tr.text, saying)
        if own >= OWN_OVERLAP:  # mostly the words it is saying: its own voice got through (a hard guard)
            return Verdict("noise", own, {"query": round((1 - own) / 2, 4), "noise": own, "side": round((1 - own) / 2, 4)})
        ctx = Context(own, bool(saying))
        p = self.head.probs(feature_vector(self.state.state(tr.text), enc, tr, ctx))[0]
        probs = {k: round(float(v), 4) for k, v in zip(LABELS, p, strict=True)}
        token = max(probs, key=lambda k: probs[k])
        return Verdict(token, probs[token], probs)  # type: ignore[arg-type]
