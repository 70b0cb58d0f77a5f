"""The human-recordings corpus of `make bench-people` (assistant/bench/people/): what it claims."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
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


def test_read_sentences_and_real_noises_are_split_by_reader_and_half():
    idx = json.loads((people.CORPUS / "index.json").read_text())
    readers = {h: {v["reader"] for v in idx["read"].values() if v["half"] == h} for h in ("tune", "held")}
    assert len(readers["tune"]) == len(readers["held"]) == 3 and not readers["tune"] & readers["held"]
    noises = Counter(v["noise"] for v in idx["noise"].values())
    assert len(noises) == 8 and set(noises.values()) == {2}, "each real noise: a tune and a held stretch"
    for k in ("read", "noise"):
        for name in idx[k]:
            info = sf.info(people.CORPUS / k / f"{name}.opus")
            assert info.samplerate == 16000 and info.duration > 1.0, name


def test_a_noisy_request_has_its_halfs_real_noise_under_it():
    import numpy as np

    from audio.frames import SAMPLE_RATE, dbfs

    got = people.people_scenes({"noisy_request": 2, "read_aloud": 1})
    assert Counter((r.kind, r.half) for r in got) == {("noisy_request", "tune"): 2, ("noisy_request", "held"): 2,
                                                      ("read_aloud", "tune"): 1, ("read_aloud", "held"): 1}
    for r in got:
        if r.kind == "noisy_request":
            iv = r.scene.intervals[0]
            before = r.scene.pcm[: int(iv.start * SAMPLE_RATE)]
            assert " in " in r.voices and dbfs(before) > -45, f"{r.scene.name}: no noise before the request ({r.voices})"
            assert np.isfinite(r.scene.pcm).all()


def test_a_meeting_is_scored_per_speaker_turn():
    from types import SimpleNamespace

    from assistant.core.events import SegmentHeard, UserTurn

    rs = next(r for r in people.people_scenes({"human_request": 0, "meeting": 1}) if r.kind == "meeting")
    turns = rs.scene.intervals[1:]
    assert len(turns) >= 5 and all(rs.scene.intervals[0].start - 0.5 <= t.start < rs.scene.duration for t in turns)
    t = turns[2]
    heard = [SegmentHeard(t.end + 0.5, 7, t.start + 0.1, t.end - 0.1, True, "so what do you think"),
             SegmentHeard(t.end + 0.6, 8, t.start, t.end, True, "mm")]
    result = SimpleNamespace(events=[*heard, UserTurn(t.end + 0.7, 7, "so what do you think")],
                             assistant=np.zeros(int(rs.scene.duration * 16000), np.float32))
    row = people.score(rs, result)
    overlapping = sum(t.start < heard[0].end and heard[0].start < u.end for u in turns for t in [u])
    assert row["answered"] and row["turns"] == len(turns) and row["turns_answered"] == overlapping >= 1
    assert people.summary([row])["meeting_turns_answered"] == f"{overlapping}/{len(turns)}"


def test_a_human_barge_in_is_another_person_ordering_over_the_echoing_answer():
    got = [r for r in people.people_scenes({"human_request": 0, "meeting": 0, people.BARGE: 3}) if r.kind == people.BARGE]
    assert len(got) == 6
    for rs in got:
        ask, barge = rs.scene.intervals
        first, second = rs.voices.split(" then ")
        assert first != second, "two people"
        assert rs.scene.echo is not None and rs.scene.echo.gain_db == people.ECHO_DB, "its answer echoes back"
        assert 0 <= barge.start - ask.end - people.BARGE_AFTER_S < 0.8 and barge.kind == "barge_in"


def test_real_noise_scenes_cycle_the_halfs_noises_in_other_rooms():
    got = [r for r in people.people_scenes({"human_request": 0, "meeting": 0, "real_noise": 12}, ("held",))]
    assert len(got) == 12 and {r.kind for r in got} == {"real_noise"}
    assert len({r.voices for r in got}) == 8, "each of the eight noises, some twice"
    twice = [r for r in got if r.voices == got[0].voices]
    assert len(twice) == 2 and not np.array_equal(twice[0].scene.pcm[:16000], twice[1].scene.pcm[:16000])
    assert all(r.scene.duration >= people.NOISE_S for r in got)


def test_hearing_people_scores_an_order_by_its_slot_words():
    from assistant.bench.hearing_people import SNRS_DB, clips, slot_share

    assert slot_share("triple shot light roast iced coffee", "Can I get a triple-shot light roast iced coffee?") == 1.0
    assert slot_share("sixteen ounce dark roast", "A 16-ounce dark roast, please.") == 1.0
    assert slot_share("triple shot light roast", "Can I get a double shot light roast?") == 0.75
    got = clips("held", 2)
    assert len(got) == 2 * len(SNRS_DB) and {c["half"] for c in got} == {"held"}
    clean, noisy = got[0]["pcm"], got[len(SNRS_DB) - 1]["pcm"]  # (the same order, clean and at 0 dB over a real noise)
    assert got[0]["noise"] == "clean" and got[len(SNRS_DB) - 1]["snr_db"] == 0.0 and float(np.std(noisy - clean)) > 0.01


def test_hearing_read_scores_words_over_every_noise_and_both_levels():
    from assistant.bench.hearing import edits, words
    from assistant.bench.hearing_read import NOISES, ONE_NOISE_SNRS_DB, SENTENCES, clips, wer

    got = clips("held")
    sentences = {c["sentence"] for c in got}
    assert len(sentences) == 15 and {c["half"] for c in got} == {"held"}, "three readers of five sentences"
    assert len(got) == len(sentences) * (1 + NOISES + len(ONE_NOISE_SNRS_DB))
    assert len({c["noise"] for c in got if c["snr_db"] == 5.0}) == NOISES
    assert not sentences & {c["sentence"] for c in clips("tune")}
    ref = words(SENTENCES["sp01"])
    assert edits(ref, words("the birch canoe slid on the smooth planks")) == 0
    assert wer([{"errors": edits(ref, words("a birch canoe slid on smooth planks")), "ref_words": len(ref)}]) == 0.25
