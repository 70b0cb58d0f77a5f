"""Words already heard: a segment version that only adds silence (no voiced frame, by the VAD) to
audio already transcribed — the tentative end after the pause partial, see audio/segmenter.py —
reuses that transcript instead of decoding again, so the answer can be drafted as soon as the pause
partial was heard. (The monitor's head still encodes each version it judges: it reads the sound's
trailing silence too, and called 1 in 4 quiet questions noise on the pause partial's encoding.)

Keyed by content (the exact samples and Whisper's previous text), so one `Ears` may serve many
sessions: a hit is the same audio, heard the same way.

Languages: a session that hears Chinese too (`languages` holds "zh") has each segment's language
read by Whisper base multilingual (models/whisper_multi.py) the first time its words are wanted —
on the first partial, while the user is still talking — and every later version of that segment
(the same audio, longer) keeps that decision: no language ID after the user stops unless the
segment was too short to have a partial (then it is read at the end, ~0.14 s), or every partial was
unsure (below DECIDE_MIN_P: each version is read again until one is sure). Mandarin segments are
transcribed by the base model; English ones by tiny.en as before.

The second ear: English words tiny.en was unsure of (mean token log-probability below `second_below`)
in a version that ends in silence (`voiced` short of its end: the words that may end the turn) are heard
again by Whisper base, and its words kept when it is surer of them. On the QA bench's tune-half
questions (62, TTS voices) WER 13.8 % → 11.1 %, 22 of 62 heard again at ~0.22 s each ("CalArges, Germany"
→ "How large is Germany?", "which countries borrowed it" → "border it"; base greedy mishears them too). The monitor's head keeps
reading tiny.en's scores (its training cues); only the words and their confidence change.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from dataclasses import replace

import numpy as np

from assistant.text import is_chinese
from audio.frames import SAMPLE_RATE
from models.whisper import Encoded, SharedAudioEncoder, Transcript
from models.whisper_multi import MultilingualWhisper

log = logging.getLogger(__name__)
KEPT = 4  # recent transcripts kept (a few sessions' pause partials)
DECISIONS_KEPT = 8  # recent segments' language decisions kept
DECIDE_MIN_S = 0.6  # s of audio a language decision needs before later versions inherit it
# and its probability (among the languages heard, with the expected one's prior): a short, unsure first
# partial is read again on the next version ("等等，…" is English to Whisper base 1 time in 4 on its first
# 0.6 s, p 0.72–0.82; Mandarin at 0.98 by 0.8 s)
DECIDE_MIN_P = 0.9
ENGLISH = ("en",)
SETTLED_MIN_S = 0.03  # s of trailing silence that make a version one that may end the turn (the pause partial: 40 ms)


class Ears:
    def __init__(self, encoder: SharedAudioEncoder, multilingual: MultilingualWhisper | None = None,
                 second_ear: MultilingualWhisper | None = None, second_below: float | None = None) -> None:
        self.encoder = encoder
        self.multilingual = multilingual  # None: English only
        self.second_ear = second_ear  # Whisper base hearing unsure English again (None: never)
        self.second_below = second_below  # tiny.en confidence under which it does (None: never)
        self._heard: deque[tuple[np.ndarray, str, Transcript]] = deque(maxlen=KEPT)
        self._decided: deque[tuple[np.ndarray, str]] = deque(maxlen=DECISIONS_KEPT)  # (audio, language)
        self._tried: deque[Transcript] = deque(maxlen=KEPT)  # heard again, tiny.en's words kept
        self._lock = threading.Lock()
        self.reused = 0  # versions that were not transcribed again
        self.inherited = 0  # versions whose language came from an earlier version of the segment
        self.detected = 0  # language decisions made
        self.second = 0  # versions heard again by the second ear
        self.second_kept = 0  # ... whose second hearing was kept

    def known(self, pcm: np.ndarray, context: str = "", voiced: int | None = None) -> Transcript | None:
        """The transcript of audio heard before of which `pcm` only adds silence, if any. `voiced`:
        samples of `pcm` up to the end of its last voiced frame (None: all of it). Words that now end in
        silence are heard again by the second ear first, if they need it (blocking then)."""
        settled = _settled(pcm, voiced)
        voiced = pcm.size if voiced is None else voiced
        with self._lock:
            hit = next((k for k, (heard, ctx, _) in enumerate(self._heard) if ctx == context and 0 < heard.size <= pcm.size
                        and voiced <= heard.size and np.array_equal(pcm[:heard.size], heard)), None)
            if hit is None:
                return None
            self.reused += 1
            heard, ctx, tr = self._heard[hit]
        if not settled or not self._unsure(tr):
            return tr
        again = self._again(heard, tr, context)
        with self._lock:
            if hit < len(self._heard) and self._heard[hit][2] is tr:
                self._heard[hit] = (heard, ctx, again)
        return again

    def transcribe(self, pcm: np.ndarray, enc: Encoded, context: str = "",
                   languages: tuple[str, ...] = ENGLISH, voiced: int | None = None) -> Transcript:
        """Transcribe `enc` (the tiny.en encoding of `pcm`), in its language, and remember it (blocking).
        `voiced`: samples up to the last voiced frame (a version ending in silence may be heard twice)."""
        tr = self._in_language(pcm, enc, context, languages)
        if _settled(pcm, voiced) and self._unsure(tr):
            tr = self._again(pcm, tr, context)
        with self._lock:
            self._heard.append((pcm, context, tr))
        return tr

    def words(self, pcm: np.ndarray, context: str = "", voiced: int | None = None,
              languages: tuple[str, ...] = ENGLISH) -> Transcript:
        """The transcript of `pcm`: known, or encoded and transcribed now (blocking)."""
        known = self.known(pcm, context, voiced)
        if known is not None and known.language in languages:
            return known
        if languages != ENGLISH and self.multilingual is not None:  # tiny.en encodes only if it is English
            return self.transcribe(pcm, _NOT_ENCODED, context, languages, voiced)
        return self.transcribe(pcm, self.encoder.encode(pcm), context, languages, voiced)

    def _unsure(self, tr: Transcript) -> bool:
        """Words for the second ear: tiny.en's English, unsure, not heard again yet."""
        return self.second_ear is not None and self.second_below is not None and tr.language == "en" \
            and tr.ear == "tiny.en" and tr.confidence < self.second_below and bool(tr.text.strip()) \
            and not any(tr is t for t in self._tried)

    def _again(self, pcm: np.ndarray, tr: Transcript, context: str) -> Transcript:
        """tiny.en's words, or the second ear's when base is surer of its own (blocking, ~0.22 s)."""
        assert self.second_ear is not None
        again = self.second_ear.english(pcm, "" if is_chinese(context) else context)
        kept = again.confidence > tr.confidence and bool(again.text.strip()) and not is_chinese(again.text)
        with self._lock:
            self.second += 1
            self.second_kept += kept
            if not kept:
                self._tried.append(tr)
        log.debug("second ear: %r (%.2f) → %r (%.2f), %s", tr.text, tr.confidence, again.text, again.confidence,
                  "kept" if kept else "not kept")
        # (the head's cues stay tiny.en's: no-speech probability and score, as it was trained on them)
        return replace(tr, text=again.text, confidence=again.confidence, ear="base") if kept else tr

    def _decision(self, pcm: np.ndarray) -> str | None:
        """The language an earlier version of this segment was heard in, if any."""
        with self._lock:
            for heard, lang in self._decided:
                n = heard.size
                if n <= pcm.size and np.array_equal(pcm[:n], heard):
                    return lang
        return None

    def _in_language(self, pcm: np.ndarray, enc: Encoded, context: str, languages: tuple[str, ...]) -> Transcript:
        multi = self.multilingual
        if enc is _NOT_ENCODED and (languages == ENGLISH or multi is None):
            enc = self.encoder.encode(pcm)
        if languages == ENGLISH or multi is None:
            return self.encoder.transcribe(enc, context)
        english_context = "" if is_chinese(context) else context  # (Chinese words as tiny.en's previous text garble it)

        def english() -> Transcript:
            return self.encoder.transcribe(enc if enc is not _NOT_ENCODED else self.encoder.encode(pcm), english_context)

        lang = self._decision(pcm)
        if lang is not None:
            with self._lock:
                self.inherited += 1
            if lang not in languages:
                lang = None
        if lang == "en":
            return english()
        heard = multi.encode(pcm, ("zh",) if lang == "zh" else languages)
        if lang is None:
            with self._lock:
                self.detected += 1
                if heard.seconds >= DECIDE_MIN_S and heard.p >= DECIDE_MIN_P:
                    self._decided.append((pcm, heard.language))
        return multi.transcribe(heard, context) if heard.language == "zh" else english()


def _settled(pcm: np.ndarray, voiced: int | None) -> bool:
    """A version that ends in silence: its words may be the turn's last."""
    return voiced is not None and pcm.size - voiced >= SETTLED_MIN_S * SAMPLE_RATE


_NOT_ENCODED = Encoded(np.zeros((1, 1), np.float32), 0.0, -120.0, None)  # words wanted, tiny.en's encoding not made
