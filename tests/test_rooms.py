"""The real-room bench scenes: fixed, two disjoint halves, unseen by training, and what they claim."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.bench import rooms
from assistant.bench.qa_items import items
from assistant.bench.voices import VOICES
from assistant.training.monitor_phrases import families
from audio.frames import SAMPLE_RATE, dbfs


def _training_phrases() -> set[str]:
    return {p.lower() for kind in ("query", "side") for fam in families(kind) for p in fam}


def test_halves_share_no_line_and_training_never_saw_one():
    lines = {h: {x for group in (rooms.DIALOGUES[h] + rooms.QUIZ[h]) for x in group} for h in ("tune", "held")}
    assert not lines["tune"] & lines["held"]
    assert not {x.lower() for h in lines.values() for x in h} & _training_phrases()
    assert not {v.label for v in VOICES["tune"]} & {v.label for v in VOICES["held"]}
    requests = {it.ask.lower() for it in items()}  # (the requests come from the QA bench, half by half)
    assert not {x.lower() for h in lines.values() for x in h} & requests


def test_scenes_are_fixed_by_their_seed_and_say_what_their_intervals_say():
    a, b = rooms.idle_side_talk("held", 0), rooms.idle_side_talk("held", 0)
    assert "piper" not in a.voices, "(Piper's VITS samples noise with no seed: its clips vary a little)"
    assert np.array_equal(a.scene.pcm, b.scene.pcm)
    assert [iv.text for iv in a.scene.intervals] == list(rooms.DIALOGUES["held"][0])
    assert len(set(a.voices.split(" / "))) >= 2, "a back-and-forth needs two voices"
    for iv in a.scene.intervals:  # each line is audible where its interval says, at a near talker's level
        part = a.scene.pcm[int(iv.start * SAMPLE_RATE) : int(iv.end * SAMPLE_RATE)]
        assert -32 < dbfs(part) < -14, (iv, dbfs(part))


def test_far_requests_are_quieter_than_near_ones_and_tv_lines_come_from_a_band_limited_speaker():
    near, far = rooms.quiet_request("tune", 1), rooms.far_request("tune", 1)
    level = [dbfs(r.scene.pcm[int(iv.start * SAMPLE_RATE) : int(iv.end * SAMPLE_RATE)])
             for r in (near, far) for iv in r.scene.intervals]
    assert level[0] - level[1] > 10, level
    tv = rooms.tv_quiz("tune", 0).scene
    iv = tv.intervals[0]
    spec = np.abs(np.fft.rfft(tv.pcm[int(iv.start * SAMPLE_RATE) : int(iv.end * SAMPLE_RATE)])) ** 2
    hz = np.fft.rfftfreq(int(iv.end * SAMPLE_RATE) - int(iv.start * SAMPLE_RATE), 1 / SAMPLE_RATE)
    assert spec[hz > 5000].sum() < 0.01 * spec[(hz > 300) & (hz < 3000)].sum(), "a TV speaker's band ends near 4 kHz"


@pytest.mark.slow  # synthesises every scene, Piper's voice among them
def test_every_kind_has_enough_scenes_for_its_acceptance_row():
    got = rooms.room_scenes()
    count = {k: sum(r.kind == k for r in got) for k in rooms.MAKERS}
    assert count["quiet_request"] >= 24 and count["idle_side_talk"] >= 12
    assert all(count[k] >= 8 for k in ("far_request", "request_over_babble", "tv_quiz", "babble_20s")), count
    assert {r.half for r in got} == {"tune", "held"}
