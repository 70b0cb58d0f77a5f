"""The judge: one segment version → its transcript and the monitor's verdict, in one worker call.

encode (the shared Whisper encoder, once) → transcribe → verdict → the camera's addressee cue.

- `HeadJudge` (default, `[models] monitor = "head"`): the trained state head
  (models/state_head.py) over the LM's hidden state for the words, the encoder output for the
  sound, and the context (is the assistant speaking, is it hearing its own words).
- `LmJudge` (`monitor = "lm"`, the baseline): the judging replica's LM gives p(query|side|noise)
  as its first reply token; Whisper's no-speech probability moves mass to `noise` (`combine`).
- Gaze: a face turned toward the device adds `[vision] gaze_weight` log-odds to `query`, a camera
  that sees nobody looking subtracts it; the ratio of `noise` to `side` is kept. Speech that
  began soon after an answer adds `[policy] followup_log_odds` the same way (a follow-up); words
  that name someone else ("Sam, when does your train leave?", assistant/core/addressee.py)
  subtract `[policy] addressee_log_odds`, words that name the assistant add it; speech that
  answers other speech just heard (`JudgeContext.before`) in another voice (a speaker d-vector,
  models/voices.py) subtracts `[policy] exchange_log_odds`: people talking to each other; words
  that ask nothing ("Thanks.", "Okay.", assistant/core/backchannel.py) from an idle user outside
  the follow-up window subtract `[policy] backchannel_log_odds`; words that take up the last answer
  ("and its population?", "why?", assistant/core/refers_back.py) inside it add `[policy] refers_back_log_odds`.
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from assistant.core.addressee import addressee
from assistant.core.backchannel import asks_nothing
from assistant.core.ears import Ears
from assistant.core.prompt import Turn
from assistant.core.refers_back import refers_back
from assistant.core.replicas import Replica
from assistant.text import HAN_RANGE, grams
from audio.frames import SAMPLE_RATE
from models.lm_state import LmStateEncoder
from models.state_head import Context, StateHead, feature_vector
from models.state_tokens import STATE_TOKENS, StateName
from models.vision import SceneReport
from models.voices import SAME_VOICE_MIN, VoiceEmbedder, same_voice
from models.whisper import Encoded, SharedAudioEncoder, Transcript
from models.whisper_multi import MultilingualWhisper

_WORD = re.compile(f"[A-Za-z0-9{HAN_RANGE}]")  # a transcript with none of these holds no word
OWN_WORDS_MIN = 3  # words a transcript needs before it can be recognised as the assistant's own
OWN_OVERLAP = 0.6  # share of its words found in what the assistant is saying: own voice
NO_WORDS_P_NOISE = 0.97  # p(noise) when Whisper heard no word at all
P_EPS = 1e-6
VOICES_KEPT = 4  # segments whose d-vector is remembered
# s of voiced speech after which a reply's voice is decided for good: later versions of the segment keep
# it (the next turn's first words, merged into it across a short gap, would blend the two voices)
VOICE_DECIDE_S = 1.0
# another voice this close in level (dB) to the speech it answers is taking part in that conversation
# (people talking to each other: ±2 dB in the real-room bench; babble under a request: 10 dB down)
ANSWER_LEVEL_DB = 6.0
LEVEL_FRAME = 320  # samples (20 ms) per frame of the speech level
LEVEL_PERCENTILE = 95.0  # the speech level: this percentile of its frames' levels (pauses and room left out)


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


@dataclass(frozen=True)
class JudgeContext:
    """What a judge knows besides the sound: taken on the loop, read in the worker."""

    saying: str = ""  # the reply the assistant is speaking now
    history: list[Turn] = field(default_factory=list)  # the settled conversation (for the LM judge)
    replica: Replica | None = None  # the replica that judges (the LM judge reads its cache slot)
    seen: SceneReport | None = None  # the camera's latest report
    gaze_weight: float = 0.0
    # told the transcript (from the worker thread) before the verdict is worked out, so the next
    # generator can read the words while the judge decides (the head judge; the LM judge's own
    # verdict reads them into its slot anyway)
    heard: Callable[[str, float], None] | None = None  # (the words, Whisper's confidence: `Transcript.confidence`)
    recent: str = ""  # the conversation's last words: Whisper's previous text
    voiced: int | None = None  # samples of the version up to its last voiced frame (None: all)
    followup: float = 0.0  # log-odds added to p(query): the speech began soon after an answer
    addressee_weight: float = 0.0  # log-odds words naming the assistant add (naming another person: subtract)
    before: tuple[int, np.ndarray] | None = None  # (segment, its voiced pcm): other speech this one began soon after
    exchange_weight: float = 0.0  # log-odds subtracted when that speech was another voice
    speakers: dict[str, np.ndarray] = field(default_factory=dict)  # enrolled voices (name → d-vector): only they are served
    speaker_weight: float = 0.0  # log-odds subtracted from speech in none of the enrolled voices
    languages: tuple[str, ...] = ("en",)  # what the session hears (each segment's language read among them)
    segment: int | None = None  # the segment judged (its reply voice, once decided, is kept for its later versions)
    backchannel_weight: float = 0.0  # log-odds subtracted from words that ask nothing (backchannel.py)
    refers_back_weight: float = 0.0  # log-odds added to words that take up the last answer (refers_back.py)


@dataclass(frozen=True)
class Judged:
    text: str  # what the segment says so far
    verdict: Verdict
    asr_s: float = 0.0  # s spent encoding and transcribing (wall clock)
    # another voice, at the level of the speech it began soon after (`JudgeContext.before`): someone
    # taking part in that talk (the rules let a question go that someone else took up)
    other_voice: bool = False
    speaker: str = ""  # the enrolled voice it is in ("" none, or nobody enrolled)
    speaker_sim: float = 0.0  # its cosine to the closest enrolled voice
    language: str = "en"  # the language the words were heard in
    confidence: float = 0.0  # Whisper's mean token log-probability of `text` (how sure it was of the words)
    ear: str = "tiny.en"  # the model whose words `text` is (models/whisper.py `Transcript.ear`)


class Judge(Protocol):
    def judge(self, pcm: np.ndarray, ctx: JudgeContext) -> Judged: ...  # blocking: run in a worker
    def hear(self, pcm: np.ndarray, context: str = "", voiced: int | None = None,
             languages: tuple[str, ...] = ("en",)) -> Transcript: ...  # the words only
    def warm(self) -> None: ...  # the first verdict is as fast as the next ones


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
    if not _WORD.search(tr.text):
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


def _own_or_silent(tr: Transcript, saying: str) -> Verdict | None:
    """The hard guards before any model reads the words: no words, or the assistant's own words."""
    if not _WORD.search(tr.text):  # Whisper heard no words: nothing for the LM to read
        rest = (1 - NO_WORDS_P_NOISE) / 2
        return Verdict.from_probs({"query": rest, "noise": NO_WORDS_P_NOISE, "side": rest})
    own = own_voice_overlap(tr.text, saying)
    if own >= OWN_OVERLAP:
        return Verdict.from_probs({"query": (1 - own) / 2, "noise": own, "side": (1 - own) / 2})
    return None


def _with_cues(v: Verdict, tr: Transcript, ctx: JudgeContext, other_voice: bool = False) -> Verdict:
    """The verdict with the context's cues: gaze, and (on words) a follow-up's lean to query, whom
    the words name, and whether they are another voice answering the speech just before."""
    v = with_gaze(v, ctx.seen, ctx.gaze_weight)
    if not _WORD.search(tr.text):
        return v
    named = {"assistant": ctx.addressee_weight, "other": -ctx.addressee_weight}.get(addressee(tr.text) or "", 0.0)
    idle_words = ctx.backchannel_weight if ctx.backchannel_weight and asks_nothing(tr.text) else 0.0
    back = ctx.refers_back_weight if ctx.refers_back_weight and refers_back(tr.text) else 0.0
    return shift_query(v, ctx.followup + back + named - (ctx.exchange_weight if other_voice else 0.0) - idle_words)


def speech_level_db(pcm: np.ndarray) -> float:
    """The level of speech (dBFS): a high percentile of its 20 ms frames' levels, so pauses do not count."""
    n = pcm.size // LEVEL_FRAME
    if n == 0:
        return -120.0
    frames = pcm[: n * LEVEL_FRAME].astype(np.float64).reshape(n, LEVEL_FRAME)
    return float(np.percentile(10 * np.log10(np.mean(frames**2, axis=1) + 1e-12), LEVEL_PERCENTILE))


def _tell(ctx: JudgeContext, tr: Transcript) -> Transcript:
    """Hand the words to whoever reads them before the verdict (if they hold a word)."""
    if ctx.heard is not None and _WORD.search(tr.text):
        ctx.heard(tr.text, tr.confidence)
    return tr


class HeadJudge:
    """The trained state head over the LM's hidden state, the shared encoder output and the context."""

    def __init__(self, encoder: SharedAudioEncoder, state: LmStateEncoder, head: StateHead,
                 voices: VoiceEmbedder | None = None, multilingual: MultilingualWhisper | None = None,
                 zh_head: StateHead | None = None, second_ear: MultilingualWhisper | None = None,
                 second_below: float | None = None) -> None:
        self.encoder, self.ears = encoder, Ears(encoder, multilingual, second_ear, second_below)
        self.state = state
        self.head = head
        self.zh_head = zh_head  # judges segments heard as Mandarin (None: the English head does)
        self.voices = voices
        self._voice_of: OrderedDict[int, np.ndarray] = OrderedDict()  # recent segments' d-vectors
        self._other_of: OrderedDict[tuple[int, int], bool] = OrderedDict()  # (segment, before) → another voice

    def verdict(self, enc: Encoded, tr: Transcript, saying: str = "") -> Verdict:
        guard = _own_or_silent(tr, saying)
        if guard is not None:
            return guard
        ctx = Context(own_voice_overlap(tr.text, saying), bool(saying))
        head = self.zh_head if tr.language == "zh" and self.zh_head is not None else self.head
        p = head.probs(feature_vector(self.state.state(tr.text), enc, tr, ctx))[0]
        return Verdict.from_probs(dict(zip(STATE_TOKENS, (float(x) for x in p), strict=True)))

    def warm(self) -> None:
        self.state.state("hello")

    def hear(self, pcm: np.ndarray, context: str = "", voiced: int | None = None,
             languages: tuple[str, ...] = ("en",)) -> Transcript:
        tr = self.ears.words(pcm, context, voiced, languages)
        if voiced is not None and voiced < pcm.size and _WORD.search(tr.text):
            self.state.state(tr.text)  # heard at a pause: the version that ends the turn is judged on these words
        return tr

    def judge(self, pcm: np.ndarray, ctx: JudgeContext) -> Judged:
        t0 = time.perf_counter()
        known = self.ears.known(pcm, ctx.recent, ctx.voiced)
        if known is not None and known.language not in ctx.languages:
            known = None
        if known is not None:  # the words first: the answer is drafted while this version is encoded
            _tell(ctx, known)
        enc = self.encoder.encode(pcm)
        tr = known or _tell(ctx, self.ears.transcribe(pcm, enc, ctx.recent, ctx.languages, ctx.voiced))
        asr_s = time.perf_counter() - t0
        voiced = pcm[: ctx.voiced] if ctx.voiced else pcm
        other = self._other_voice(voiced, ctx)
        near = other and ctx.before is not None and \
            abs(speech_level_db(voiced) - speech_level_db(ctx.before[1])) <= ANSWER_LEVEL_DB
        v = _with_cues(self.verdict(enc, tr, ctx.saying), tr, ctx, other)
        who, sim = self.speaker(voiced, ctx.speakers)
        if ctx.speakers and not who:  # the gate: a voice nobody enrolled is not served
            v = shift_query(v, -ctx.speaker_weight)
        return Judged(tr.text, v, asr_s, near, who, sim, tr.language, tr.confidence, tr.ear)

    def speaker_vector(self, pcm: np.ndarray) -> np.ndarray:
        """The d-vector of an enrolled speaker's speech (blocking: the judge lane)."""
        if self.voices is None:
            raise ValueError("no speaker embedder")
        return self.voices.embed(pcm)

    def speaker(self, pcm: np.ndarray, enrolled: dict[str, np.ndarray]) -> tuple[str, float]:
        """The enrolled voice `pcm` is in ("" if none), and its cosine to the closest (~0.05 s a second)."""
        if not enrolled or self.voices is None:
            return "", 0.0
        d = self.voices.embed(pcm)
        name, sim = max(((n, same_voice(v, d)) for n, v in enrolled.items()), key=lambda x: x[1])
        return (name if sim >= SAME_VOICE_MIN else ""), sim

    def _other_voice(self, pcm: np.ndarray, ctx: JudgeContext) -> bool:
        """Is this another voice than the speech it began soon after? (Only asked then: ~0.1 s; decided
        once on VOICE_DECIDE_S of it, kept by the segment's later versions.)"""
        if ctx.before is None or self.voices is None:
            return False
        seg, before = ctx.before
        key = None if ctx.segment is None else (ctx.segment, seg)
        if key is not None and key in self._other_of:
            return self._other_of[key]
        if seg not in self._voice_of:
            self._voice_of[seg] = self.voices.embed(before)
            while len(self._voice_of) > VOICES_KEPT:
                self._voice_of.popitem(last=False)
        other = same_voice(self._voice_of[seg], self.voices.embed(pcm)) < SAME_VOICE_MIN
        if key is not None and pcm.size >= VOICE_DECIDE_S * SAMPLE_RATE:
            self._other_of[key] = other
            while len(self._other_of) > VOICES_KEPT:
                self._other_of.popitem(last=False)
        return other


class LmJudge:
    """The untrained LM judging the transcript in the conversation (the judging replica's slot)."""

    def __init__(self, encoder: SharedAudioEncoder, multilingual: MultilingualWhisper | None = None,
                 second_ear: MultilingualWhisper | None = None, second_below: float | None = None) -> None:
        self.encoder, self.ears = encoder, Ears(encoder, multilingual, second_ear, second_below)

    def warm(self) -> None:
        pass  # the replicas' warm-up prefills its prompt

    def hear(self, pcm: np.ndarray, context: str = "", voiced: int | None = None,
             languages: tuple[str, ...] = ("en",)) -> Transcript:
        return self.ears.words(pcm, context, voiced, languages)

    def judge(self, pcm: np.ndarray, ctx: JudgeContext) -> Judged:
        if ctx.replica is None:
            raise ValueError("the LM judge needs the judging replica")
        t0 = time.perf_counter()
        tr = self.ears.words(pcm, ctx.recent, ctx.voiced, ctx.languages)
        asr_s = time.perf_counter() - t0
        probs = ctx.replica.state_probs([*ctx.history, Turn("user", tr.text)])
        return Judged(tr.text, _with_cues(combine(probs, tr, ctx.saying), tr, ctx), asr_s, language=tr.language,
                      confidence=tr.confidence, ear=tr.ear)
