"""Own voice: the assistant's output coming back through a speaker → mic path never counts as the user."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.options import load_profile
from assistant.core.verdict import own_voice_overlap
from audio import synth
from audio.echo import EchoPath, EchoSpec
from audio.frames import FRAME_SAMPLES
from audio.owngate import OwnVoiceGate
from audio.vad import SileroVad

SPEEX = load_profile("embedded", audio={"echo_canceller": "speex"})


def _far_and_near() -> tuple[np.ndarray, np.ndarray]:
    far = synth.at_level(synth.espeak("The capital of France is Paris, a city on the river Seine with many "
                                      "museums, parks and old bridges that people love to visit.", "en-gb"), -20)
    near = np.zeros(far.size + 16000 * 3, np.float32)
    synth.place(near, synth.at_level(synth.espeak("Wait, what is the capital of Italy?", "en-us+f3"), -24),
                far.size / 16000 - 1.5)
    return np.pad(far, (0, near.size - far.size)), near


@pytest.mark.parametrize("spec", ["30:-6", "150:-6", "80:-20:3500", "150:-20:3000"])
def test_gate_blocks_echo_and_lets_the_user_through(spec):
    far, near = _far_and_near()
    talk_start = far.size / 16000 - 3 * 16000 / 16000 - 1.5  # the user starts 1.5 s before the end of the reply
    path, gate, vad = EchoPath(EchoSpec.parse(spec)), OwnVoiceGate(), SileroVad()
    echo_speech = echo_passed = user_speech = user_passed = 0
    user_on = np.abs(near) > 0.003
    for k in range(far.size // FRAME_SAMPLES):
        sl = slice(k * FRAME_SAMPLES, (k + 1) * FRAME_SAMPLES)
        mic = path.mix(near[sl])
        own = gate.is_own_voice(mic)
        speech = vad(mic) > 0.5
        out = far[sl]
        path.feed(out)
        gate.played(out)
        if speech and not user_on[sl].any():
            echo_speech += 1
            echo_passed += not own
        elif speech and user_on[sl].any():
            user_speech += 1
            user_passed += not own
    assert echo_speech > 50
    assert echo_passed / echo_speech < 0.06, f"{echo_passed}/{echo_speech} echo frames passed as speech"
    assert user_speech > 20 and user_passed / user_speech > 0.4, f"only {user_passed}/{user_speech} user frames passed"
    assert talk_start > 0


def test_echo_spec_parsing():
    assert EchoSpec.parse("80:-12") == EchoSpec(80, -12)
    assert EchoSpec.parse("30:-6:3000").lowpass_hz == 3000
    for bad in ("80", "x:-6", "80:6", "-5:-6"):
        with pytest.raises(ValueError):
            EchoSpec.parse(bad)


def test_transcript_of_own_words_is_recognised():
    saying = "The capital of France is Paris, a city on the river Seine."
    assert own_voice_overlap("capital of France is Paris", saying) == 1.0
    assert own_voice_overlap("wait what is the capital of Italy", saying) < 0.6
    assert own_voice_overlap("Paris", saying) == 0.0  # too short to tell


@pytest.mark.slow
@pytest.mark.parametrize("path", [EchoSpec(60, -6, 3500), EchoSpec(120, -6, 4000, 0.4, 0.0, seed=3)],
                         ids=["dry", "reverberant"])
def test_own_voice_never_interrupts_a_long_answer(models, artifacts, path):
    """With the echo canceller (`[audio] echo_canceller = "speex"`)."""
    from assistant.bench import metrics, scenes
    from assistant.core.events import Interrupt, SpeechStart
    from assistant.run.replay import replay

    sc = scenes.barge_in(0)  # "Tell me a long story about a brave little dragon who learns to fly."
    ask, cut = sc.intervals
    sc.pcm[int((cut.start - 0.3) * 16000) :] = 0.0  # the long request only: no barge-in
    sc.pcm = sc.pcm[: int((ask.end + 12) * 16000)]
    sc.intervals = [ask]
    wav = sc.save(artifacts)
    r = replay(models, SPEEX, wav, artifacts / "out", echo=path)
    assert not [e for e in r.events if isinstance(e, Interrupt)], "the assistant interrupted itself"
    heard_itself = [e for e in r.events if isinstance(e, SpeechStart) and e.assistant_speaking]
    assert len(heard_itself) <= 5, f"the echo got through as speech at {[e.t for e in heard_itself]}"
    spoken = metrics.audio_seconds(r.assistant, sc.intervals[0].end)
    assert spoken > 3.0, f"the answer did not play through ({spoken:.1f} s): {[e.to_dict() for e in r.events][-6:]}"
