"""Synthetic sound for tests and the bench: espeak-ng and Flite speech, noise beds and distractors, mixing."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soxr
from scipy import signal

from audio.frames import SAMPLE_RATE, dbfs
from audio.io import read_audio

ESPEAK_VOICES = ("en-us", "en-gb", "en-gb-scotland", "en-029", "en-gb-x-rp", "en-us+f3", "en-us+m3",
                 "en-gb+f2", "en-us+f4", "en-gb-x-gbclan")


def espeak(text: str, voice: str = "en-us", wpm: int = 165, pitch: int = 50) -> np.ndarray:
    """Speak `text` with espeak-ng; 16 kHz mono float32."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng)")
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "s.wav"
        subprocess.run([exe, "-v", voice, "-s", str(wpm), "-p", str(pitch), "-w", str(out), text],
                       check=True, capture_output=True)
        return read_audio(out)  # soundfile reads espeak's WAVE_FORMAT_EXTENSIBLE


FLITE_VOICES = ("slt", "kal", "awb", "rms", "kal16")  # CMU Flite's built-in voices (Debian `flite`)


def flite(text: str, voice: str = "slt", stretch: float = 1.0) -> np.ndarray:
    """Speak `text` with CMU Flite (a diphone/unit-selection family unlike espeak's); 16 kHz mono float32.
    `stretch` > 1 speaks slower."""
    exe = shutil.which("flite")
    if exe is None:
        raise RuntimeError("flite is not installed (apt-get install flite)")
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "s.wav"
        subprocess.run([exe, "-voice", voice, "--setf", f"duration_stretch={stretch}", "-t", text, "-o", str(out)],
                       check=True, capture_output=True)
        return read_audio(out)


def to_rate(x: np.ndarray, rate: int) -> np.ndarray:
    """16 kHz audio resampled to `rate` (e.g. 48 kHz for a browser's fake microphone)."""
    return soxr.resample(x, SAMPLE_RATE, rate).astype(np.float32)


def at_level(x: np.ndarray, level_dbfs: float) -> np.ndarray:
    return (x * 10 ** ((level_dbfs - dbfs(x)) / 20)).astype(np.float32)


def white(seconds: float, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal(int(seconds * SAMPLE_RATE)).astype(np.float32)


def pink(seconds: float, rng: np.random.Generator) -> np.ndarray:
    n = int(seconds * SAMPLE_RATE)
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(spec.size, dtype=np.float64)
    spec[1:] /= np.sqrt(f[1:])
    return np.fft.irfft(spec, n).astype(np.float32)


def brown(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Road-like rumble: integrated white noise, high-passed at 20 Hz."""
    x = np.cumsum(rng.standard_normal(int(seconds * SAMPLE_RATE)))
    b, a = signal.butter(2, 20 / (SAMPLE_RATE / 2), "highpass")
    return signal.lfilter(b, a, x).astype(np.float32)


def hum(seconds: float, rng: np.random.Generator, base_hz: float = 50.0) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    x = sum(np.sin(2 * np.pi * base_hz * k * t + rng.uniform(0, 6.3)) / k for k in range(1, 6))
    return np.asarray(x, np.float32)


def music(seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Music-like: a random melody of harmonic notes with envelopes over a bass line."""
    n = int(seconds * SAMPLE_RATE)
    out = np.zeros(n, np.float32)
    note_s = rng.choice([0.25, 0.33, 0.5])
    scale = [0, 2, 4, 5, 7, 9, 11, 12]
    for i in range(int(seconds / note_s) + 1):
        s = int(i * note_s * SAMPLE_RATE)
        m = min(n - s, int(note_s * SAMPLE_RATE))
        if m <= 0:
            break
        t = np.arange(m) / SAMPLE_RATE
        f = 220 * 2 ** (scale[rng.integers(len(scale))] / 12)
        env = np.exp(-3 * t / note_s)
        tone = sum(np.sin(2 * np.pi * f * h * t) / h for h in (1, 2, 3)) + 0.5 * np.sin(2 * np.pi * f / 4 * t)
        out[s : s + m] += (env * tone).astype(np.float32)
    return out


def babble(talkers: list[np.ndarray], seconds: float, rng: np.random.Generator) -> np.ndarray:
    """Several voices at once (cafeteria babble) from a list of speech clips."""
    n = int(seconds * SAMPLE_RATE)
    out = np.zeros(n, np.float32)
    for clip in talkers:
        pos = int(rng.integers(0, max(1, n // 4)))
        while pos < n:
            m = min(n - pos, clip.size)
            out[pos : pos + m] += at_level(clip, -26)[:m]
            pos += clip.size + int(rng.integers(0, SAMPLE_RATE // 2))
    return out


def distant(x: np.ndarray, rng: np.random.Generator, band: tuple[float, float] = (300, 3400)) -> np.ndarray:
    """Far-away / loudspeaker speech (TV, radio): band-limited and smeared by a decaying room tail."""
    b, a = signal.butter(4, [band[0] / (SAMPLE_RATE / 2), band[1] / (SAMPLE_RATE / 2)], "bandpass")
    y = signal.lfilter(b, a, x)
    tail = rng.standard_normal(int(0.3 * SAMPLE_RATE)) * np.exp(-np.arange(int(0.3 * SAMPLE_RATE)) / 800)
    tail[0] = 4.0
    return signal.fftconvolve(y, tail / np.abs(tail).sum() * 4)[: x.size].astype(np.float32)


def place(bed: np.ndarray, clip: np.ndarray, at_s: float) -> None:
    """Add `clip` into `bed` starting at `at_s` seconds (in place, clipped to the bed)."""
    s = int(at_s * SAMPLE_RATE)
    m = min(bed.size - s, clip.size)
    if m > 0:
        bed[s : s + m] += clip[:m]
