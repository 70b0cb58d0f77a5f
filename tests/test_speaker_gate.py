"""The cockpit serves its enrolled driver: a d-vector of the driver's enrolment speech gates the
monitor's verdicts (`[policy] speaker_gate_log_odds`), with the real models and voices of two TTS
families; and enrolment through the host API, end to end."""

from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest
from fakes import FakeJudge, Run, fake_models, feed, profile, scenario, silence, speech
from hostkit import Replayed, command, daemon, host, running

from assistant.bench.voices import Voice
from assistant.core.events import Control, Enrolled, Error, Ignored, UserTurn
from assistant.core.judge import JudgeContext
from assistant.core.options import load_profile
from audio import synth

DRIVER = Voice("flite", "awb")
PASSENGERS = (Voice("flite", "slt"), Voice("espeak", "en-us", 0.95), Voice("flite", "rms", 1.1))
ENROLMENT = ("This is my voice. I drive this car.", "Please listen to me and not to the others in the car.")
DRIVER_ASKS = ("What is the capital of France?", "How many kilometers is a marathon?", "What is seven times eight?",
               "Who wrote Romeo and Juliet?", "At what temperature does water boil?", "How many days are in a leap year?",
               "Tell me a short joke.", "How fast does light travel?", "How many legs does a spider have?",
               "What color is a ripe banana?")
PASSENGER_ASKS = ("What is the largest ocean on Earth?", "Who painted the Mona Lisa?", "How many continents are there?",
                  "What is the tallest mountain in the world?", "How many minutes are in an hour?",
                  "What is twelve times three?", "Which planet is closest to the sun?", "Tell me a story about a cat.",
                  "How many strings does a violin have?", "What language do they speak in Brazil?")
ROAD_DBFS = -42.0  # road noise under the voices (brown noise: a car's rumble)


def _in_the_car(clip: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pad = np.zeros(int(0.4 * 16000), np.float32)
    x = np.concatenate([pad, synth.at_level(clip, -24.0), pad])
    return (x + synth.at_level(synth.brown(x.size / 16000, rng), ROAD_DBFS)[: x.size]).astype(np.float32)


@pytest.mark.slow
def test_the_enrolled_drivers_questions_are_served_and_the_passengers_are_not(models):
    judge, gate = models.judge, load_profile("cockpit").policy.speaker_gate_log_odds
    driver = {"driver": judge.speaker_vector(np.concatenate([DRIVER.say(x) for x in ENROLMENT]))}
    ctx = JudgeContext(speakers=driver, speaker_weight=gate)
    served = [judge.judge(_in_the_car(DRIVER.say(q), i), ctx) for i, q in enumerate(DRIVER_ASKS)]
    others = [judge.judge(_in_the_car(PASSENGERS[i % 3].say(q), 100 + i), ctx) for i, q in enumerate(PASSENGER_ASKS)]
    report = [(j.text, j.verdict.token, round(j.verdict.p, 2), j.speaker, round(j.speaker_sim, 2)) for j in served + others]
    assert sum(j.verdict.token == "query" and j.speaker == "driver" for j in served) >= 8, report
    assert sum(j.verdict.token == "query" for j in others) <= 2, report
    assert all(j.speaker == "" for j in others), report
    ungated = [judge.judge(_in_the_car(PASSENGERS[i % 3].say(q), 100 + i), JudgeContext())
               for i, q in enumerate(PASSENGER_ASKS)]
    assert sum(j.verdict.token == "query" for j in ungated) >= 8, "without the gate they are questions: the gate does it"


@pytest.mark.slow
def test_a_driver_enrols_over_the_host_api_and_only_the_driver_is_answered(models):
    cockpit = load_profile("cockpit")
    gap = np.zeros(int(6.0 * 16000), np.float32)
    parts = [_in_the_car(DRIVER.say(" ".join(ENROLMENT)), 1), gap,
             _in_the_car(DRIVER.say(DRIVER_ASKS[0]), 2), gap, _in_the_car(PASSENGERS[0].say(PASSENGER_ASKS[0]), 3), gap,
             _in_the_car(PASSENGERS[1].say(PASSENGER_ASKS[1]), 4), gap, _in_the_car(DRIVER.say(DRIVER_ASKS[2]), 5), gap]
    src = Replayed(np.concatenate(parts))
    d = daemon(models, cockpit, src)
    seen: list[dict] = []

    async def body():
        ws = await host(d)
        assert (await command(ws, type="enrol_speaker", name="driver", seconds=4.0))["type"] == "ok"
        src.go.set()

        async def read() -> None:
            async for raw in ws:
                seen.append(json.loads(raw))
        reader = asyncio.create_task(read())
        async with asyncio.timeout(240):
            while src.k * 320 < src.pcm.size:
                await asyncio.sleep(0.5)
        await asyncio.sleep(2.0)
        reader.cancel()
        await ws.close()

    asyncio.run(running(d, body))
    enrolled = [e for e in seen if e["type"] == "enrolled"]
    assert len(enrolled) == 1 and enrolled[0]["ok"] and enrolled[0]["seconds"] >= 4.0, enrolled
    turns = [e["text"] for e in seen if e["type"] == "user_turn"]
    assert len(turns) == 2 and "France" in turns[0] and any(w in turns[1].lower() for w in ("eight", "8")), turns
    who = [(e["name"], e["similarity"]) for e in seen if e["type"] == "speaker"]
    assert any(n == "" for n, _ in who) and any(n == "driver" for n, _ in who), who


def test_enrolment_speech_is_not_a_turn_and_a_silent_enrolment_gives_up():
    run = Run(fake_models(FakeJudge(("query", 0.95))))
    run.models.judge.speaker_vector = lambda pcm: np.ones(4, np.float32) / 2  # (the double's voice)

    async def body(core):
        core.enrol("driver", 1.0)
        at = await feed(core, speech(1.5), run)
        at = await feed(core, silence(1.5), run, t0=at)
        core.enrol("nobody", 1.0)
        await feed(core, silence(31.0), run, t0=at)
        return core

    core = scenario(run, profile(speaker_gate_log_odds=6.0), body)
    assert not run.of(UserTurn), "the enrolment speech was not answered"
    done = run.of(Enrolled)
    assert [(e.name, e.ok) for e in done] == [("driver", True), ("nobody", False)]
    assert "needed" in done[1].message and set(core.controls.speakers) == {"driver"}
    assert [e.command for e in run.of(Control)] == ["enrol_speaker", "enrol_speaker"]


def test_an_enrolment_whose_embedding_fails_says_so_and_the_session_goes_on():
    """A failing background task of the session is logged and published as an `Error` (never lost)."""
    run = Run(fake_models(FakeJudge(("query", 0.95))))

    def broken(pcm: np.ndarray) -> np.ndarray:
        raise RuntimeError("no voice model")

    run.models.judge.speaker_vector = broken

    async def body(core):
        core.enrol("driver", 1.0)
        at = await feed(core, speech(1.5), run)
        at = await feed(core, silence(1.5), run, t0=at)
        await feed(core, speech(1.0), run, t0=at)
        await feed(core, silence(1.5), run, t0=at + 1.0)
        return core

    core = scenario(run, profile(), body)
    done = run.of(Enrolled)
    assert [(e.name, e.ok) for e in done] == [("driver", False)] and "no voice model" in done[0].message, done
    assert any("no voice model" in e.message for e in run.of(Error)), run.of(Error)
    assert core.controls.speakers == {}
    assert len(run.of(UserTurn)) == 1, "the speech after the enrolment is still a turn"


@pytest.mark.parametrize("voice", ["", "driver"])
def test_a_sure_question_in_a_voice_nobody_enrolled_is_not_served(voice):
    """The gate's log-odds lower a passenger's verdict; one still judged a sure query is ignored all the same
    (on another machine a passenger's question once came out at p 0.61 after the gate, over the 0.6 bar)."""
    run = Run(fake_models(FakeJudge(("query", 0.99), speaker=voice)))
    run.models.judge.speaker_vector = lambda pcm: np.ones(4, np.float32) / 2

    async def body(core):
        core.enrol("driver", 1.0)
        at = await feed(core, speech(1.5), run)
        at = await feed(core, silence(2.0), run, t0=at)
        at = await feed(core, speech(1.5), run, t0=at)
        await feed(core, silence(6.0), run, t0=at)
        return core

    scenario(run, profile(speaker_gate_log_odds=6.0), body)
    ignored = [e.reason for e in run.of(Ignored)]
    if voice:
        assert len(run.of(UserTurn)) == 1 and "not an enrolled voice" not in ignored, ignored
    else:
        assert not run.of(UserTurn) and ignored.count("not an enrolled voice") == 1, ignored
