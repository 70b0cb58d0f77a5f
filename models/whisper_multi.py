"""Whisper base multilingual (CTranslate2 int8): which language a segment is in, and Mandarin words.

English is tiny.en's (models/whisper.py); this model hears it again only where tiny.en was unsure of its
words at a pause (`english`, the second ear: assistant/core/ears.py). On a window cut to the segment (8 s, as tiny.en's) one
encode is ~0.12 s here, reading the language from it ~0.02 s and decoding a short Mandarin question
~0.2 s with beam 5 (on the Mandarin bench's 20 requests: character error 6.5 % at beam 5, 10.3 % greedy,
+0.1 s); Whisper's own 30 s-window path costs 0.6 s to encode (and 2.8–3.1 s with its language ID).
The prompt "以下是普通话的句子。" as previous text keeps the characters Simplified.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import opencc

from audio.frames import SAMPLE_RATE
from models.progress import step
from models.weights import whisper_base_dir
from models.whisper import MAX_TOKENS, MIN_WINDOW_S, PROMPT_TOKENS, REPETITION_PENALTY, TOKENS_PER_S, Transcript

MAX_WINDOW_S = 30  # s
MEL_FRAMES_PER_S = 100
CHARS_PER_S = 8  # cap on decoded tokens per second of Mandarin speech (~4–5 syllables a second)
SIMPLIFIED_PROMPT = "以下是普通话的句子。"
PROMPT_CHARS = 48  # characters of the conversation's recent words given as previous text
LANGUAGES = ("en", "zh")  # what the profiles can hear
# the prior of the language expected (the first of those allowed: the last turn's, or the profile's first):
# another must be this much likelier to Whisper, odds 0.7 / 0.3 ≈ 2.3, before it is taken (a short first
# partial can sound like either: "丽丽，…" was read as English from its first 0.6 s)
EXPECTED_PRIOR = 0.7


@dataclass(frozen=True)
class Heard:
    """A segment encoded by the multilingual model: its language and the encoding to decode it from."""

    language: str
    p: float  # the language's probability among the languages allowed
    seconds: float
    _storage: object  # CTranslate2 encoder output


class MultilingualWhisper:
    def __init__(self, threads: int = 2, quiet: bool = False, beam_size: int = 5) -> None:
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer

        with step("loading Whisper base multilingual (faster-whisper, int8)", quiet) as info:
            self._model = WhisperModel(str(whisper_base_dir(progress=not quiet)), device="cpu", compute_type="int8",
                                       cpu_threads=threads)
        self.load_s = info["seconds"]
        self._tok = Tokenizer(self._model.hf_tokenizer, True, task="transcribe", language="zh")
        self._en = Tokenizer(self._model.hf_tokenizer, True, task="transcribe", language="en")
        self.beam_size = beam_size
        self._simplified = opencc.OpenCC("t2s")  # the prompt keeps most words Simplified, not all ("幫我把音樂關掉")
        self._lock = threading.Lock()
        self.encode_calls = 0

    def encode(self, pcm: np.ndarray, allowed: tuple[str, ...] = LANGUAGES) -> Heard:
        """Encode `pcm` and read its language among `allowed`, the first of them expected (blocking, ~0.14 s
        for a short question)."""
        import ctranslate2

        seconds = min(pcm.size / SAMPLE_RATE, MAX_WINDOW_S)
        win_s = min(MAX_WINDOW_S, max(MIN_WINDOW_S, int(np.ceil(seconds + 1))))
        x = np.zeros(win_s * SAMPLE_RATE, np.float32)
        x[: min(x.size, pcm.size)] = pcm[: x.size]
        feats = np.ascontiguousarray(self._model.feature_extractor(x)[None, :, : win_s * MEL_FRAMES_PER_S], np.float32)
        out = self._model.model.encode(ctranslate2.StorageView.from_array(feats), to_cpu=True)
        with self._lock:
            self.encode_calls += 1
        if len(allowed) == 1:
            return Heard(allowed[0], 1.0, seconds, out)
        scores = {tok.strip("<|>"): p for tok, p in self._model.model.detect_language(out)[0]}
        rest = (1 - EXPECTED_PRIOR) / max(1, len(allowed) - 1)
        probs = {lang: scores.get(lang, 0.0) * (EXPECTED_PRIOR if k == 0 else rest) for k, lang in enumerate(allowed)}
        total = sum(probs.values()) or 1.0
        lang = max(probs, key=lambda k: probs[k])
        return Heard(lang, probs[lang] / total, seconds, out)

    def transcribe(self, heard: Heard, context: str = "") -> Transcript:
        """The Mandarin words of `heard`; `context` (recent words of the conversation) as previous text."""
        previous = SIMPLIFIED_PROMPT + context.strip()[-PROMPT_CHARS:]
        prompt = [self._tok.sot_prev, *self._tok.encode(previous), *self._tok.sot_sequence, self._tok.no_timestamps]
        max_len = len(prompt) + min(MAX_TOKENS, 8 + int(CHARS_PER_S * heard.seconds))
        r = self._model.model.generate(heard._storage, [prompt], beam_size=self.beam_size, max_length=max_len,
                                       repetition_penalty=REPETITION_PENALTY,
                                       return_no_speech_prob=True, return_scores=True)[0]
        ids = [t for t in r.sequences_ids[0] if t < self._tok.eot]
        text = self._simplified.convert(self._tok.decode(ids).strip())
        n = max(1, len(ids))
        score = float(r.scores[0]) if r.scores else 0.0
        return Transcript(text, float(r.no_speech_prob), score / n, "zh", score * n / (n + 1))

    def english(self, pcm: np.ndarray, context: str = "") -> Transcript:
        """The English words of `pcm`, heard again (the second ear: assistant/core/ears.py); `context` (the
        conversation's recent words) as previous text. ~0.22 s for a short question here (tiny.en: ~0.12 s)."""
        heard = self.encode(pcm, ("en",))
        prompt = [*self._en.sot_sequence, self._en.no_timestamps]
        if context.strip():
            prompt = [self._en.sot_prev, *self._en.encode(" " + context.strip())[-PROMPT_TOKENS:], *prompt]
        max_len = len(prompt) + min(MAX_TOKENS, 8 + int(TOKENS_PER_S * heard.seconds))
        r = self._model.model.generate(heard._storage, [prompt], beam_size=self.beam_size, max_length=max_len,
                                       repetition_penalty=REPETITION_PENALTY,
                                       return_no_speech_prob=True, return_scores=True)[0]
        ids = [t for t in r.sequences_ids[0] if t < self._en.eot]
        n = max(1, len(ids))
        score = float(r.scores[0]) if r.scores else 0.0
        return Transcript(self._en.decode(ids).strip(), float(r.no_speech_prob), score / n, "en", score * n / (n + 1))

    def transcribe_audio(self, pcm: np.ndarray, language: str = "zh") -> str:
        """Plain transcription of any audio, 30 s windows (to check what the assistant said in Mandarin)."""
        segs, _ = self._model.transcribe(pcm, language=language, beam_size=1, vad_filter=True,
                                         initial_prompt=SIMPLIFIED_PROMPT if language == "zh" else None)
        return self._simplified.convert("".join(s.text.strip() for s in segs).strip())
