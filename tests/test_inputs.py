"""Bad input gets one clear line: corrupt audio, missing file, unknown profile, wrong rate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from assistant.core.options import ProfileError, load_profile
from audio.io import AudioInputError, read_audio

DATA = Path(__file__).parent / "data"


def test_corrupt_wav_is_one_line_error():
    with pytest.raises(AudioInputError) as e:
        read_audio(DATA / "corrupt.wav")
    assert "not a readable audio file" in str(e.value) and "\n" not in str(e.value)


def test_missing_file():
    with pytest.raises(AudioInputError, match="no such audio file"):
        read_audio(DATA / "nope.wav")


def test_other_rates_and_stereo_are_resampled(tmp_path):
    t = np.arange(44100) / 44100
    x = np.stack([np.sin(2 * np.pi * 440 * t)] * 2, axis=1) * 0.5
    sf.write(tmp_path / "s.wav", x, 44100)
    y = read_audio(tmp_path / "s.wav")
    assert y.ndim == 1 and abs(y.size - 16000) <= 2


def test_profiles_load_and_reject_unknown_options(tmp_path):
    for name in ("embedded", "desktop", "kiosk", "cockpit", "server"):
        assert load_profile(name).name == name
    assert load_profile("embedded").models.llm == "qwen-0.5b"
    bad = tmp_path / "bad.toml"
    bad.write_text("[policy]\nbarge_in_ms = 3\n")
    with pytest.raises(ProfileError, match="unknown option"):
        load_profile(str(bad))
    with pytest.raises(ProfileError, match="no profile"):
        load_profile("nosuch")
