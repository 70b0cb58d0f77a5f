"""The human-recordings corpus of `make bench-people` (assistant/bench/people/): what it claims."""

from __future__ import annotations

import json
from collections import Counter

import soundfile as sf

from assistant.bench import people

PICOVOICE_FILES = 619  # data/speech/clean of Picovoice/speech-to-intent-benchmark


def test_requests_are_the_even_positions_only_and_the_halves_share_no_speaker():
    idx = json.loads((people.CORPUS / "index.json").read_text())
    req = idx["requests"]
    assert len(req) == PICOVOICE_FILES // 2, "the 2nd, 4th, … of the sorted names: the odd ones stay outside"
    by_half = {h: {v["speaker"] for v in req.values() if v["half"] == h} for h in ("tune", "held")}
    assert by_half["tune"] and by_half["held"] and not by_half["tune"] & by_half["held"]
    count = Counter(v["half"] for v in req.values())
    assert abs(count["tune"] - count["held"]) < 0.2 * len(req), count
    met = idx["meetings"]
    people_in = {h: {t[2] for v in met.values() if v["half"] == h for t in v["turns"]} for h in ("tune", "held")}
    assert people_in["tune"] and people_in["held"] and not people_in["tune"] & people_in["held"]
    assert all(k.startswith("trn") for k in met), "training meetings only (never dev* / tst*)"


def test_every_recording_is_16_khz_speech_with_its_label():
    for kind in ("human_request", "meeting"):
        for rec in people.recordings(kind):
            info = sf.info(rec.path)
            assert info.samplerate == 16000 and info.channels == 1 and info.duration > 0.5, rec
    assert all(r.text for r in people.recordings("human_request")), "every order keeps its slots (what was asked)"


def test_scenes_put_a_request_at_a_near_talkers_level_and_fill_both_halves():
    got = people.people_scenes({"human_request": 3, "meeting": 1})
    kinds = Counter((r.kind, r.half) for r in got)
    assert kinds == {("human_request", "tune"): 3, ("human_request", "held"): 3, ("meeting", "tune"): 1,
                     ("meeting", "held"): 1}, kinds
    first = got[0].scene
    iv = first.intervals[0]
    assert iv.start >= people.LEAD_S - 0.05 and first.duration - iv.end >= 7.5, "1 s before, 8 s after"
