"""Reading and writing wav files, with one-line errors for bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from audio.frames import SAMPLE_RATE, to_mono_16k


class AudioInputError(Exception):
    """A file that cannot be used as audio input; the message is one line for the user."""


def read_audio(path: str | Path) -> np.ndarray:
    """Read any libsndfile-readable file and return 16 kHz mono float32."""
    p = Path(path)
    if not p.is_file():
        raise AudioInputError(f"{p}: no such audio file")
    try:
        data, rate = sf.read(str(p), dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, ValueError) as e:
        raise AudioInputError(f"{p}: not a readable audio file ({str(e).splitlines()[0]})") from None
    if data.shape[0] == 0:
        raise AudioInputError(f"{p}: audio file holds no samples")
    if not np.all(np.isfinite(data)):
        raise AudioInputError(f"{p}: audio holds NaN or infinite samples")
    return to_mono_16k(data, int(rate))


def write_wav(path: str | Path, pcm: np.ndarray, rate: int = SAMPLE_RATE) -> None:
    """Write mono float audio as 16-bit PCM (rate stated in the header)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), np.clip(pcm, -1.0, 1.0), rate, subtype="PCM_16")
