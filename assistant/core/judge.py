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

import time
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
from assistant.core.verdict import WORD, Verdict, combine, own_or_silent, own_voice_overlap, shift_query, with_gaze
from assistant.core.whose import Voices
from models.lm_state import LmStateEncoder
from models.state_head import Context, StateHead, feature_vector
from models.state_tokens import STATE_TOKENS
from models.vision import SceneReport
from models.voices import VoiceEmbedder
from models.whisper import Encoded, SharedAudioEncoder, Transcript
from models.whisper_multi import MultilingualWhisper


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
    heard: Callable[[Transcript], None] | None = None  # (the words, Whisper's confidence, their language)
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


def _with_cues(v: Verdict, tr: Transcript, ctx: JudgeContext, other_voice: bool = False) -> Verdict:
    """The verdict with the context's cues: gaze, and (on words) a follow-up's lean to query, whom
    the words name, and whether they are another voice answering the speech just before."""
    v = with_gaze(v, ctx.seen, ctx.gaze_weight)
    if not WORD.search(tr.text):
        return v
    named = {"assistant": ctx.addressee_weight, "other": -ctx.addressee_weight}.get(addressee(tr.text) or "", 0.0)
    idle_words = ctx.backchannel_weight if ctx.backchannel_weight and asks_nothing(tr.text) else 0.0
    back = ctx.refers_back_weight if ctx.refers_back_weight and refers_back(tr.text) else 0.0
    return shift_query(v, ctx.followup + back + named - (ctx.exchange_weight if other_voice else 0.0) - idle_words)


def _tell(ctx: JudgeContext, tr: Transcript) -> Transcript:
    """Hand the words to whoever reads them before the verdict (if they hold a word)."""
    if ctx.heard is not None and WORD.search(tr.text):
        ctx.heard(tr)
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
        self.voices = Voices(voices)

    def verdict(self, enc: Encoded, tr: Transcript, saying: str = "") -> Verdict:
        guard = own_or_silent(tr, saying)
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
        if voiced is not None and voiced < pcm.size and WORD.search(tr.text):
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
        whose = self.voices.whose(voiced, ctx.segment, ctx.before, ctx.speakers)
        v = _with_cues(self.verdict(enc, tr, ctx.saying), tr, ctx, whose.other)
        if ctx.speakers and not whose.speaker:  # the gate: a voice nobody enrolled is not served
            v = shift_query(v, -ctx.speaker_weight)
        return Judged(tr.text, v, asr_s, whose.other_near, whose.speaker, whose.speaker_sim, tr.language, tr.confidence,
                      tr.ear)

    def speaker_vector(self, pcm: np.ndarray) -> np.ndarray:
        """The d-vector of an enrolled speaker's speech (blocking: the judge lane)."""
        return self.voices.vector(pcm)


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
