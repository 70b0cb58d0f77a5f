"""The CLI edge: clear one-line errors and exit codes, on this machine with no sound card."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                          timeout=120)


def test_run_without_a_mic_says_so_and_shows_input_wav():
    from audio.devices import list_devices

    if any(d.inputs for d in list_devices()):
        pytest.skip("this machine has a microphone")
    r = _cli("run")
    assert r.returncode == 2
    assert "no audio input device" in r.stderr and "--input-wav" in r.stderr


def test_replay_of_corrupt_audio_is_one_line():
    r = _cli("replay", str(DATA / "corrupt.wav"), "--out", "/tmp/duplex-never")
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "not a readable audio file" in r.stderr


def test_unknown_profile():
    r = _cli("--profile", "nosuch", "doctor")
    assert r.returncode == 2 and "no profile 'nosuch'" in r.stderr


def test_unknown_camera_is_one_line():
    r = _cli("run", "--camera", "7", "--input-wav", str(DATA / "corrupt.wav"))
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0
    assert "no camera 7" in r.stderr


def test_replay_with_a_corrupt_image_is_one_line(tmp_path):
    import numpy as np
    import soundfile as sf

    wav = tmp_path / "quiet.wav"
    sf.write(wav, np.zeros(16000, np.float32), 16000)
    bad = tmp_path / "frame.jpg"
    bad.write_bytes(b"not a jpeg")
    r = _cli("replay", str(wav), "--out", str(tmp_path / "out"), "--image", str(bad))
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0
    assert "not an image" in r.stderr


def test_an_unknown_room_kind_is_one_line(tmp_path):
    r = _cli("bench", "--rooms-only", "--rooms-kinds", "idle_side_talk,karaoke", "--out", str(tmp_path))
    assert r.returncode == 2 and "unknown room kind(s) karaoke" in r.stderr and r.stderr.strip().count("\n") == 0
    assert not any(tmp_path.iterdir()), "nothing was run"
