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


@pytest.mark.parametrize("said, right", [("The largest planet in our solar system is Jupiter.", True),
                                         ("The largest planet in our solar system is Mars.", False)])
def test_a_request_answered_is_scored_right_only_when_the_words_said_are(said, right):
    """bench-rooms scores what the user gets: an answer to misheard words is answered, not right."""
    from pathlib import Path

    from assistant.bench.rooms_run import score, summary
    from assistant.bench.scenes import Interval, Scene
    from assistant.core.events import ReplyDone, UserTurn
    from assistant.run.replay import ReplayResult

    ask = "What is the largest planet in our solar system?"
    assert any(it.ask == ask for it in items())
    sc = rooms.RoomScene(Scene("room_tune_quiet_99", np.zeros(8 * SAMPLE_RATE, np.float32),
                               [Interval(1.5, 3.5, "query", ask)]), "quiet_request", "tune", "test")
    answer = np.zeros(8 * SAMPLE_RATE, np.float32)
    answer[5 * SAMPLE_RATE: 7 * SAMPLE_RATE] = 0.1 * np.sin(np.arange(2 * SAMPLE_RATE) * 0.2)  # audible 5–7 s
    r = ReplayResult(Path("."), [UserTurn(4.0, 0, ask), ReplyDone(4.5, 0, said)], answer, answer, [], 0)
    row = score(sc, r)
    assert row["answered"] and row["right"] is right
    assert summary([row])["quiet_request_right"] == f"{int(right)}/1"
