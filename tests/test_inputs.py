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


def test_a_slow_consumer_cannot_grow_the_mic_queue_without_bound():
    """The mic callback offers blocks whatever the consumer does; the backlog keeps the newest MIC_QUEUE_S."""
    import asyncio

    from audio.sources import MIC_QUEUE_S, Backlog

    async def go() -> tuple[int, int, float]:
        b = Backlog()
        for k in range(1000):  # 20 s of blocks, none taken
            b.offer(np.full(320, k, np.float32))
        return b.qsize(), b.dropped, float((await b.get())[0])

    kept, dropped, first = asyncio.run(go())
    assert kept == round(MIC_QUEUE_S / 0.02) == 100 and dropped == 900
    assert first == 900.0, "the oldest blocks went, the newest stay in order"


def test_the_speaker_ring_never_blocks_the_writer_and_stays_bounded():
    """The loop writes a frame per tick; the card reads what it needs (silence if nothing is there)."""
    from audio.sinks import MAX_AHEAD_S, FrameRing

    ring = FrameRing()
    frames = [np.full(320, k, np.float32) for k in range(200)]  # 4 s written, nothing read: the card stalled
    for f in frames:
        ring.write(f)
    kept = round(MAX_AHEAD_S * 16000)
    assert ring.dropped == 200 * 320 - kept
    out = ring.read(kept + 500)
    assert out[0] == 200 - kept // 320 and np.all(np.diff(out[:kept]) >= 0), "the newest audio, in order"
    assert np.all(out[kept:] == 0) and ring.starved == 500
    ring.write(frames[1])
    assert np.array_equal(np.concatenate([ring.read(100), ring.read(220)]), frames[1]), "a frame read in parts"


def test_a_recording_streams_to_disk(tmp_path):
    """`daemon --record-wav`: what is said is on disk as it plays, not kept in memory until exit."""
    from audio.sinks import WavRecorder

    path = tmp_path / "said.wav"
    rec = WavRecorder(path)
    tone = (0.3 * np.sin(np.arange(320) / 5)).astype(np.float32)
    for _ in range(500):  # 10 s
        rec.write(tone)
    rec.flush()
    assert path.stat().st_size >= 500 * 320 * 2, "the samples are in the file before it is closed"
    rec.close()
    back, rate = sf.read(path, dtype="float32")
    assert rate == 16000 and back.size == 500 * 320 and np.allclose(back[:320], tone, atol=1e-4)


def test_a_session_that_warms_up_gets_the_latest_mic_frames_not_a_growing_delay():
    """WebRTC mic frames read on while the core is not there yet: at most MIC_QUEUE_S wait, restamped."""
    import asyncio

    from audio.frames import AudioFrame
    from audio.sources import MIC_QUEUE_S
    from web.tracks import latest_frames

    async def mic():
        for k in range(500):  # 10 s of frames arriving
            yield AudioFrame(k * 0.02, np.full(320, k, np.float32))
            await asyncio.sleep(0)

    async def go() -> list[AudioFrame]:
        frames = latest_frames(mic())
        first = await anext(frames)  # (the reader starts)
        await asyncio.sleep(0.05)  # the core warms up meanwhile: every frame has arrived
        return [first] + [f async for f in frames]

    got = asyncio.run(go())
    assert len(got) <= round(MIC_QUEUE_S / 0.02) + 2, len(got)
    assert got[-1].pcm[0] == 499, "the newest frames are kept"
    assert [f.t for f in got] == [k * 0.02 for k in range(len(got))], "stamped on the consumer's timeline"
