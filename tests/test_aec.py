"""The echo canceller: the assistant's voice taken out of the mic, the user's words left in."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from assistant.core.options import ProfileError, load_profile
from audio import aec, synth
from audio.aec import NoCanceller, SpeexCanceller, make_canceller
from audio.echo import EchoPath, EchoSpec
from audio.frames import FRAME_SAMPLES, SAMPLE_RATE, AudioFrame, dbfs
from audio.listener import Listener
from audio.vad import SileroVad

FAR = ("The capital of France is Paris, a city on the river Seine with many museums, parks and old "
       "bridges that people love to visit in the spring and in the summer.")


def _run(spec: str, user_at_s: float | None, cancel: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[float]]:
    """The far voice played and echoed through `spec`; the user (if any) speaking from `user_at_s`.
    Returns (cancelled mic, echo alone, user alone, the listener's speech probability per frame)."""
    far = synth.at_level(synth.espeak(FAR, "en-gb"), -16)
    near = np.zeros(far.size, np.float32)
    if user_at_s is not None:
        synth.place(near, synth.at_level(synth.espeak("Wait, what is the capital of Italy?", "en-us+f3"), -24),
                    user_at_s)
    path, listener = EchoPath(EchoSpec.parse(spec)), Listener(SileroVad(), canceller=SpeexCanceller() if cancel else None)
    out, echo, probs = [], [], []
    for k in range(far.size // FRAME_SAMPLES):
        sl = slice(k * FRAME_SAMPLES, (k + 1) * FRAME_SAMPLES)
        mic = path.mix(near[sl])
        echo.append(mic - near[sl])
        _, p = listener.hear(AudioFrame(k * 0.02, mic))
        out.append(listener.cleaned)
        probs.append(p)
        listener.played(far[sl])
        path.feed(far[sl])
    n = len(out) * FRAME_SAMPLES
    return np.concatenate(out), np.concatenate(echo), near[:n], probs


@pytest.mark.parametrize("spec", ["60:-6", "120:-6:4000:0.3"])
def test_echo_is_taken_out_once_the_filter_has_learned_the_room(spec):
    out, echo, _, _ = _run(spec, None)
    learned = slice(3 * SAMPLE_RATE, out.size)  # after 3 s of the far voice
    erle = dbfs(echo[learned]) - dbfs(out[learned])
    assert erle > 20.0, f"only {erle:.1f} dB of echo taken out ({spec})"


def _speech_frames(cancel: bool) -> tuple[float, float]:
    """Shares of the user's frames and of the echo's frames (after 3 s) that the listener calls speech."""
    out, echo, near, probs = _run("80:-6:0:0.3", 4.0, cancel)
    user, by_echo = [], []
    for k in range(3 * SAMPLE_RATE // FRAME_SAMPLES, out.size // FRAME_SAMPLES):
        sl = slice(k * FRAME_SAMPLES, (k + 1) * FRAME_SAMPLES)
        around = near[max(0, sl.start - 1600) : sl.stop + 1600]  # ±100 ms: the user's words' soft edges
        if dbfs(near[sl]) > -40:
            user.append(probs[k] > 0.5)
        elif dbfs(echo[sl]) > -40 and not np.any(np.abs(around) > 1e-4):
            by_echo.append(probs[k] > 0.5)
    assert len(user) > 40 and len(by_echo) > 40
    return float(np.mean(user)), float(np.mean(by_echo))


def test_the_user_talking_over_the_echo_is_heard_better_than_by_the_gate_alone():
    user, echo = _speech_frames(cancel=True)
    user_gate, echo_gate = _speech_frames(cancel=False)
    assert echo <= 0.05, f"{echo:.0%} of the echo's frames sound like speech"
    assert user > user_gate + 0.15, f"the user's frames heard: {user:.0%} with the canceller, {user_gate:.0%} without"


def test_with_no_echo_in_the_mic_the_user_is_never_taken_for_its_residue():
    """Headphones, or a browser that cancelled the echo already: the reference plays, the mic hears
    only the user."""
    far = synth.at_level(synth.espeak(FAR, "en-gb"), -16)
    user = synth.at_level(synth.espeak("Wait, what is the capital of Italy? And how old is Rome?", "en-us+f3"), -24)
    mic = user + synth.at_level(synth.pink(user.size / SAMPLE_RATE, np.random.default_rng(0)), -60)[: user.size]
    c, taken = SpeexCanceller(), []
    for k in range(min(far.size, user.size) // FRAME_SAMPLES):
        sl = slice(k * FRAME_SAMPLES, (k + 1) * FRAME_SAMPLES)
        c.cancel(mic[sl])
        if dbfs(user[sl]) > -40:  # the user's words
            taken.append(c.residue)
        c.played(far[sl])
    assert len(taken) > 50 and not any(taken)


def test_nothing_played_leaves_the_mic_untouched():
    c, rng = SpeexCanceller(), np.random.default_rng(0)
    for _ in range(50):
        mic = (rng.standard_normal(FRAME_SAMPLES) * 0.05).astype(np.float32)
        assert np.array_equal(c.cancel(mic), mic)
        c.played(np.zeros(FRAME_SAMPLES, np.float32))


def test_bad_frames_and_names_are_refused():
    with pytest.raises(ValueError, match="320-sample"):
        SpeexCanceller().cancel(np.zeros(100, np.float32))
    with pytest.raises(ValueError, match="unknown echo canceller"):
        make_canceller("aec9")
    with pytest.raises(ProfileError, match="echo_canceller"):
        load_profile("embedded", audio={"echo_canceller": "aec9"})
    assert load_profile("embedded").audio.echo_canceller == "speex", "on by default on a speaker path"
    assert load_profile("embedded", audio={"echo_canceller": "none"}).audio.echo_canceller == "none"
    assert isinstance(make_canceller("none"), NoCanceller)


def test_a_missing_library_falls_back_to_the_gate_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(aec, "LIBRARY", "libnot-there.so.9")
    monkeypatch.setattr(aec.ctypes.util, "find_library", lambda name: None)
    with caplog.at_level(logging.WARNING, logger="audio.aec"):
        c = make_canceller("speex")
    assert isinstance(c, NoCanceller)
    assert "apt-get install libspeexdsp1" in caplog.text


def test_room_echo_spec_reverb_and_jitter():
    s = EchoSpec.parse("100:-6:4000:0.4:5")
    assert (s.rt60_s, s.jitter_ms) == (0.4, 5.0) and "RT60 0.4 s" in s.label()
    for bad in ("100:-6:4000:3", "100:-6:4000:0.4:500", "100:-6:0:0.4:5:1"):
        with pytest.raises(ValueError):
            EchoSpec.parse(bad)
    path, silent = EchoPath(s), np.zeros(FRAME_SAMPLES, np.float32)
    click = silent.copy()
    click[0] = 1.0
    path.feed(click)
    heard = []
    for _ in range(40):
        heard.append(path.mix(silent))
        path.feed(silent)
    heard = np.concatenate(heard)
    late = heard[int(0.25 * SAMPLE_RATE):]  # 150 ms after the direct sound: the room still rings
    assert np.abs(late).max() > 1e-4
    for _ in range(2000):  # 40 s: the delay slips about every 2 s
        path.feed(np.zeros(FRAME_SAMPLES, np.float32))
        path.mix(np.zeros(FRAME_SAMPLES, np.float32))
    assert 8 <= path.slips <= 35


def test_the_own_voice_bench_keeps_its_halves_apart_and_never_gives_the_user_the_assistant_voice():
    from assistant.bench.echo_rooms import BARGE_LINES, LONG_ASKS, echo_scenes

    assert not set(BARGE_LINES["tune"]) & set(BARGE_LINES["held"])
    assert not set(LONG_ASKS["tune"]) & set(LONG_ASKS["held"])
    scenes = echo_scenes({"own_voice_room": 4, "barge_over_echo": 0})
    assert [s.scene.echo.jitter_ms > 0 for s in scenes] == [False, False, True, False] * 2
    assert all(not s.voice.startswith("piper") for s in scenes)
    assert [s.scene.echo.gain_db for s in scenes] == [-6, 0, -6, 0] * 2
    rooms = [s.scene.echo for s in scenes if not s.scene.name.endswith("_03")]
    cabins = [s.scene.echo for s in scenes if s.scene.name.endswith("_03")]
    assert all(0.3 <= e.rt60_s <= 0.5 and 30 <= e.delay_ms <= 150 for e in rooms)
    assert len(cabins) == 2 and all(e.rt60_s <= 0.13 and e.delay_ms <= 30 and not e.lowpass_hz for e in cabins)
