"""Segmenter + VAD on real synthetic audio: espeak speech → onset, partials, one final; noise → nothing."""

from __future__ import annotations

import numpy as np
import pytest

from audio import synth
from audio.frames import FRAME_SAMPLES, SAMPLE_RATE, AudioFrame
from audio.segmenter import Segment, Segmenter, SegmenterOptions, SpeechOnset
from audio.vad import SileroVad


def _run(pcm: np.ndarray) -> list:
    vad, seg, out = SileroVad(), Segmenter(), []
    for k in range(pcm.size // FRAME_SAMPLES):
        f = AudioFrame(k * FRAME_SAMPLES / SAMPLE_RATE, pcm[k * FRAME_SAMPLES : (k + 1) * FRAME_SAMPLES])
        out += seg.push(f, vad(f.pcm))
    return out


def test_speech_gives_onset_partials_and_one_final():
    speech = synth.at_level(synth.espeak("What is the capital of France?"), -24)
    pcm = np.zeros(SAMPLE_RATE * 5, np.float32)
    synth.place(pcm, speech, 1.0)
    evs = _run(pcm)
    onsets = [e for e in evs if isinstance(e, SpeechOnset)]
    finals = [e for e in evs if isinstance(e, Segment) and e.final]
    partials = [e for e in evs if isinstance(e, Segment) and not e.final]
    assert len(onsets) == 1 and 0.9 < onsets[0].t < 1.5
    assert len(finals) == 1 and partials, "expected partial segments before the final one"
    assert all(p.seg_id == finals[0].seg_id for p in partials)
    assert finals[0].end > 1.0 + speech.size / SAMPLE_RATE - 0.6
    assert sorted(p.pcm.size for p in partials) == [p.pcm.size for p in partials]  # partials grow
    # the tentative end (speech paused) is the last version before the final: no partial of the
    # same silence overwrites it while it waits to be judged
    segs = [e for e in evs if isinstance(e, Segment)]
    tentative = [k for k, e in enumerate(segs) if e.tentative]
    assert tentative and segs[tentative[-1] + 1].final and segs[tentative[-1]].speech_end == finals[0].speech_end
    # just before it, once the speech paused, a partial with every word: the tentative end only adds silence
    paused, tent = segs[tentative[-1] - 1], segs[tentative[-1]]
    assert paused.stage == "partial" and paused.speech_end == tent.speech_end
    assert np.array_equal(tent.pcm[: paused.pcm.size], paused.pcm) and tent.pcm.size > paused.pcm.size


def test_pink_noise_is_not_speech():
    rng = np.random.default_rng(1)
    assert _run(synth.at_level(synth.pink(10, rng), -25)) == []


def test_options_are_validated():
    with pytest.raises(ValueError):
        SegmenterOptions(onset_threshold=0.3, offset_threshold=0.5)
    with pytest.raises(ValueError):
        SegmenterOptions(pause_partial_ms=200, early_end_ms=160)
    with pytest.raises(ValueError):
        SegmenterOptions(foreground_drop_db=-1.0)
    with pytest.raises(ValueError):
        SegmenterOptions(foreground_hangover_ms=300, hangover_ms=400)


def test_an_extended_segment_spans_a_pause_in_the_sentence():
    """Told at the tentative end that the words sound unfinished, the segmenter waits out a 0.7 s
    pause: both halves of the sentence are one segment (without it, two)."""
    first = synth.at_level(synth.espeak("What is the capital of"), -24)
    rest = synth.at_level(synth.espeak("Italy?"), -24)
    pcm = np.zeros(SAMPLE_RATE * 6, np.float32)
    synth.place(pcm, first, 1.0)
    synth.place(pcm, rest, 1.0 + first.size / SAMPLE_RATE + 0.7)

    def finals(extend: bool) -> list[Segment]:
        vad, seg, out = SileroVad(), Segmenter(), []
        for k in range(pcm.size // FRAME_SAMPLES):
            f = AudioFrame(k * FRAME_SAMPLES / SAMPLE_RATE, pcm[k * FRAME_SAMPLES : (k + 1) * FRAME_SAMPLES])
            for e in seg.push(f, vad(f.pcm)):
                if isinstance(e, Segment) and e.tentative and extend:
                    seg.extend(e.seg_id, 1200)
                out.append(e)
        return [e for e in out if isinstance(e, Segment) and e.final]

    assert len(finals(extend=False)) == 2
    one = finals(extend=True)
    assert len(one) == 1 and one[0].end > 1.0 + (first.size + rest.size) / SAMPLE_RATE + 0.4


def test_a_request_over_babble_ends_when_the_requester_stops_not_when_the_babble_does():
    """Four voices chatting 10 dB under a request, on and on: the VAD hears speech throughout; the
    segment ends within a second of the request's last word (off: only at the end of the babble)."""
    rng = np.random.default_rng(4)
    lines = ("Did you take the bins out?", "Not yet, after dinner.", "Then we should go now.", "It is on the fridge.")
    talkers = [synth.espeak(line, voice) for line, voice in zip(lines, ("en", "en-us", "en-gb-scotland", "en+f3"),
                                                                  strict=True)]
    pcm = synth.at_level(synth.babble(talkers, 18.0, rng), -34)
    request = synth.at_level(synth.espeak("How many kilometres is five miles?"), -24)
    synth.place(pcm, request, 2.0)
    loud = np.flatnonzero(np.abs(request) > 10 ** (-50 / 20))  # (espeak's clip ends in silence)
    ended = 2.0 + (loud[-1] + 1) / SAMPLE_RATE

    def first_final(options: SegmenterOptions) -> Segment:
        vad, seg = SileroVad(), Segmenter(options)
        for k in range(pcm.size // FRAME_SAMPLES):
            f = AudioFrame(k * FRAME_SAMPLES / SAMPLE_RATE, pcm[k * FRAME_SAMPLES : (k + 1) * FRAME_SAMPLES])
            for e in seg.push(f, vad(f.pcm)):
                if isinstance(e, Segment) and e.final and e.speech_end > 2.5:
                    return e
        raise AssertionError("no final")

    on = first_final(SegmenterOptions())
    assert ended - 0.3 < on.speech_end < ended + 0.6 and on.end < ended + 1.2, (on.speech_end, on.end, ended)
    off = first_final(SegmenterOptions(foreground_drop_db=0.0))
    assert off.end > ended + 3.0 and off.capped and not on.capped, "without it the babble holds the turn open"
    pcm = np.zeros_like(pcm)  # the same request in a quiet room: the VAD's silence ends it, as before
    synth.place(pcm, request, 2.0)
    quiet_on, quiet_off = first_final(SegmenterOptions()), first_final(SegmenterOptions(foreground_drop_db=0.0))
    assert (quiet_on.speech_end, quiet_on.end) == (quiet_off.speech_end, quiet_off.end)


def test_sound_that_goes_on_past_the_cap_is_endless_until_a_pause():
    """Babble for 20 s: the segment cut at max_segment_ms and the one that goes on from there are
    both `capped` (no pause at all); after a pause, a request is a segment of its own, not capped."""
    rng = np.random.default_rng(6)
    lines = ("Did you take the bins out?", "Not yet, after dinner.", "Then we should go now.", "It is on the fridge.")
    talkers = [synth.espeak(line, voice) for line, voice in zip(lines, ("en", "en-us", "en-gb-scotland", "en+f3"),
                                                                  strict=True)]
    babble = synth.at_level(synth.babble(talkers, 20.0, rng), -30)
    babble[-int(0.3 * SAMPLE_RATE):] *= np.linspace(1, 0, int(0.3 * SAMPLE_RATE), dtype=np.float32)
    request = synth.at_level(synth.espeak("What time is it?"), -24)
    pcm = np.concatenate([babble, np.zeros(SAMPLE_RATE, np.float32), request, np.zeros(SAMPLE_RATE, np.float32)])
    finals = [e for e in _run(pcm) if isinstance(e, Segment) and e.final]
    assert len(finals) >= 3, [(f.start, f.end) for f in finals]
    assert finals[0].capped and finals[0].end - finals[0].start >= 14.9
    assert all(f.capped for f in finals if f.end <= 20.1), "the babble went on with no pause: all of it is endless"
    assert not finals[-1].capped and finals[-1].start > 20.5, "after a pause, the request is its own"
