"""The host API over a real WebSocket: bad input never touches the session (a test double stands in
for the models there: only the API's guards are under test); a host function called by voice, with
the real models."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from dataclasses import dataclass

import numpy as np
import pytest
from fakes import FakeEngine, fake_models, profile
from hostkit import Replayed, command, daemon, healthz, host, next_of, receive, running, until
from websockets.exceptions import ConnectionClosed, InvalidStatus

from assistant.bench.voices import Voice
from audio import synth
from audio.frames import FRAME_S

TEMPERATURE = {"type": "object", "properties": {"celsius": {"type": "number", "description": "degrees Celsius"}},
               "required": ["celsius"]}


def test_bad_host_input_gets_a_clear_error_and_leaves_the_session_alone():
    d = daemon(fake_models(), profile(), Replayed(np.zeros(0, np.float32)), max_message_bytes=4096)

    async def body():
        for token in ("wrong", ""):
            with pytest.raises(InvalidStatus) as refused:
                await host(d, token)
            assert refused.value.response.status_code == 401
        ws = await host(d)
        hello = await receive(ws, "the hello")
        assert hello["type"] == "hello"
        replies = []
        for raw in ("{not json", "[1, 2]", json.dumps({"type": "dance"}), json.dumps({"type": "say"}),
                    json.dumps({"type": "push_to_talk", "on": "yes"}),
                    json.dumps({"type": "register_tool", "name": "Set Temp", "description": "x"}),
                    json.dumps({"type": "register_tool", "name": "set_temp", "description": "x",
                                "parameters": {"type": "array"}}),
                    json.dumps({"type": "tool_result", "call": "abc", "result": 1}),
                    json.dumps({"type": "set_language", "language": "fr"}),
                    json.dumps({"type": "enrol_speaker", "name": "driver"})):
            await ws.send(raw)
            replies.append(await next_of(ws, ("ok", "error")))
        assert [r["type"] for r in replies] == ["error"] * 10
        said = [r["message"] for r in replies]
        assert said[0].startswith("not JSON: ") and "a JSON object" in said[1]
        assert said[2].startswith("unknown command 'dance' (commands: mute, unmute,")
        assert said[3] == "say: 'text' must be a non-empty string"
        assert said[4] == "push_to_talk: 'on' must be true or false"
        assert said[5].startswith("tool name must match") and "type 'object'" in said[6]
        assert "no call 'abc' is waiting" in said[7] and "'fr' is not available here" in said[8]
        assert "gates on no speaker" in said[9]
        assert all("\n" not in m for m in said), "one line each"
        await ws.send(json.dumps({"type": "say", "text": "x" * 5000}))  # over max_message_bytes
        with pytest.raises(ConnectionClosed) as closed:
            async with asyncio.timeout(10):
                while True:
                    await ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
        ws = await host(d)  # the session is untouched: another host is served as before
        assert (await command(ws, type="ask", text="tell me a story", id=7)) == {"type": "ok", "command": "ask", "id": 7}
        assert "dragon" in (await next_of(ws, ("reply_text",)))["text"]
        async with asyncio.timeout(20):  # (the first frame may not be in yet)
            while (health := await healthz(d))["audio"]["state"] != "open":
                await asyncio.sleep(0.05)
        assert health["hosts"] == 1 and health["models"]["loaded"] and health["audio"]["state"] == "open"
        await ws.close()

    asyncio.run(running(d, body))


def _spoken(*lines: str, gap_s: float = 9.0) -> np.ndarray:
    voice = Voice("espeak", "en-us", 0.95)
    parts = [np.zeros(int(0.5 / FRAME_S) * 320, np.float32)]
    for text in lines:
        parts += [synth.at_level(voice.say(text), -24.0), np.zeros(int(gap_s * 16000), np.float32)]
    return np.concatenate(parts)


SPOKEN = ("Set the temperature to twenty two degrees.", "Set the temperature to eighteen degrees.",
          "Set the temperature to twenty degrees.")
SPOKEN_C = {22.0, 18.0, 20.0}
HOST_ANSWERS = ("result", "error", "silence")  # how the host answers the 1st, 2nd, 3rd call (then again)
AFTER_RECORDING_S = 60.0  # s the test listens once the recording has played (a slow machine's last answer)


@pytest.mark.slow
def test_a_spoken_request_calls_the_hosts_function_and_its_result_or_failure_is_said(models):
    """Three spoken requests; the host answers the calls with a result, an error, and nothing. Which request
    the monitor takes and what number the 0.5B writes are the models' choices: at least two of the three
    must reach the host as a call of its function with one of the numbers said, and every call's outcome
    must be said as it was (done / the host's error / no answer in time) — unless speech the monitor took for
    a new request cut that reply first (with both cores busy the end of a request, "… degrees.", once came as
    its own segment and did), and then at least one outcome must be said."""
    from assistant.core.options import load_profile

    src = Replayed(_spoken(*SPOKEN))
    d = daemon(models, load_profile("cockpit"), src)
    calls, used, said, cut = [], [], [], set()

    async def listen(ws) -> None:
        async for raw in ws:
            e = json.loads(raw)
            if e["type"] == "tool_request":
                calls.append(e["arguments"])
                answer = HOST_ANSWERS[(len(calls) - 1) % len(HOST_ANSWERS)]
                if answer == "result":
                    await ws.send(json.dumps({"type": "tool_result", "call": e["call"], "result": {"ok": True}}))
                elif answer == "error":
                    await ws.send(json.dumps({"type": "tool_result", "call": e["call"],
                                              "error": "unknown function set_temperature"}))
            elif e["type"] == "tool_used":
                used.append(e)
            elif e["type"] == "reply_text":
                said.append(e["text"])
            elif e["type"] in ("interrupt", "withdrawn"):
                cut.add(e["reply"])
            if len(used) == len(SPOKEN):
                return

    async def body():
        ws = await host(d)
        ok = await command(ws, type="register_tool", name="set_temperature", description="Set the cabin temperature.",
                           parameters=TEMPERATURE, timeout_s=2.0)
        assert ok["type"] == "ok", ok
        src.go.set()
        reader = asyncio.create_task(listen(ws))
        recording_s = src.pcm.size / 16000
        await asyncio.wait([reader], timeout=recording_s + AFTER_RECORDING_S)
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)
        await ws.close()

    asyncio.run(running(d, body))
    story = f"calls {calls}, outcomes {[(u['ok'], u['said']) for u in used]}, said {said}, replies cut {cut}"
    assert len(calls) >= 2, f"{len(calls)} of {len(SPOKEN)} spoken requests reached the host as a call: {story}"
    assert all(set(c) == {"celsius"} and float(c["celsius"]) in SPOKEN_C for c in calls), story
    assert len(used) == len(calls), f"every call's outcome is said: {story}"
    heard = " ".join(said)
    for i, u in enumerate(used):
        answer = HOST_ANSWERS[i % len(HOST_ANSWERS)]
        if answer == "result":
            assert u["ok"] and u["said"].startswith("Done: set temperature, celsius "), story
        elif answer == "error":
            assert not u["ok"] and "did not work" in u["said"] and "unknown function set_temperature" in u["said"], story
        else:
            assert not u["ok"] and "no answer in 2 seconds" in u["said"], story
        assert u["said"] in heard or u["said"].split(":")[0] in heard or u["reply"] in cut, \
            f"call {i}'s outcome was not said: {story}"
    assert any(u["reply"] not in cut for u in used), f"every reply with an outcome was cut: {story}"


QUESTIONS = ("What is the capital of France?", "How many legs does a spider have?", "What color is the sky on a clear day?",
             "How many days are there in a week?", "What is the largest ocean on Earth?", "Who wrote Romeo and Juliet?",
             "What is the boiling point of water in Celsius?")
VOICES = (Voice("espeak", "en-us", 0.95), Voice("flite", "slt"), Voice("espeak", "en-gb+f2", 1.05, pitch=60))
@dataclass(frozen=True)
class Life:
    """How long the daemon lives on a replayed recording, how often it is asked, when its input breaks."""

    run_s: float  # s of replayed audio
    ask_every_s: float  # s between questions (the first at 10 s, none in the last 20 s)
    fail_at_s: tuple[float, ...]  # s into the recording the input raises
    sample_every_s: float  # s between memory samples (from 30 s on)


SOAK = Life(600.0, 45.0, (150.0, 330.0, 480.0), 30.0)  # `make soak`: ten minutes, three failures
SHORT = Life(120.0, 30.0, (25.0, 55.0), 10.0)  # `make test`: two minutes, two failures (a question after each)
RSS_GROWTH_MB = 40.0  # the most resident memory may grow from the middle third of the samples to the last (a leak's trend)
RSS_STEP_MB = 400.0  # and from the first third to the last (pools sized once included)


def _recording(life: Life) -> np.ndarray:
    pcm = np.zeros(int(life.run_s * 16000), np.float32)
    for i, at in enumerate(np.arange(10.0, life.run_s - 20.0, life.ask_every_s)):
        clip = synth.at_level(VOICES[i % len(VOICES)].say(QUESTIONS[i % len(QUESTIONS)]), -24.0)
        synth.place(pcm, clip, float(at))
    return pcm


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_daemon_lives_through_two_minutes_and_two_audio_failures(models, profile, artifacts):
    _lives_through(SHORT, models, profile, artifacts)


@pytest.mark.soak
@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_daemon_lives_through_ten_minutes_and_three_audio_failures(models, profile, artifacts):
    _lives_through(SOAK, models, profile, artifacts)


def _lives_through(life: Life, models, profile, artifacts) -> None:  # type: ignore[no-untyped-def]
    src = Replayed(_recording(life), fail_at={round(t / FRAME_S) for t in life.fail_at_s})
    d = daemon(models, profile, src)
    seen: list[dict] = []
    trace: list[tuple[int, float]] = []  # (s of audio, MB) every sample_every_s

    async def body():
        ws = await host(d)
        src.go.set()

        async def read() -> None:
            async for raw in ws:
                seen.append(json.loads(raw))
        reader = asyncio.create_task(read())
        async with asyncio.timeout(life.run_s * 2 + 60):  # the recording plays in real time
            while src.k * FRAME_S < life.run_s:
                await asyncio.sleep(1.0)
                heard_s = src.k * FRAME_S
                if heard_s >= 30 and (not trace or heard_s - trace[-1][0] >= life.sample_every_s):
                    trace.append((round(heard_s), (await healthz(d))["rss_mb"]))
        await asyncio.sleep(3.0)
        health = await healthz(d)
        reader.cancel()
        await ws.close()
        return health

    health = asyncio.run(running(d, body))
    turns = [e for e in seen if e["type"] == "user_turn"]
    (artifacts / "daemon.json").write_text(json.dumps({"life": dataclasses.asdict(life), "rss_trace": trace, "health": health,
                                                       "user_turns": len(turns)}, indent=1))
    devices = [e for e in seen if e["type"] == "audio_device"]
    assert [e["state"] for e in devices] == ["failed", "reopened"] * len(life.fail_at_s), devices
    assert all("unplugged" in e["message"] for e in devices[::2])
    n_fail = len(life.fail_at_s)
    assert health["audio"]["failures"] == n_fail and health["audio"]["reopened"] == n_fail
    assert health["ok"] and health["audio"]["state"] == "open" and health["audio"]["last_mic_frame_s"] < 1.0
    for back in devices[1::2]:  # answers after each reopening
        later = [e for e in seen if e.get("t", -1.0) > back["t"]]
        assert any(e["type"] == "user_turn" for e in later) and any(e["type"] == "reply_audio" for e in later)
    asked = len(np.arange(10.0, life.run_s - 20.0, life.ask_every_s))
    assert len(turns) >= asked - 2, f"{len(turns)} of {asked} questions answered"
    # a leak is a trend: the median of the last third of the samples against the middle third's. A single
    # step is a pool sized once for a larger shape, not a leak (a fresh machine: +236 MB between two samples
    # at 4.6–5.1 min, the history grown by then, flat to ±1 MB for 2 min before and after); it is only
    # bounded (RSS_STEP_MB). (Earlier runs here: 41 and 52 MB up at the end on a final high-water step.)
    n = max(1, len(trace) // 3)
    first, middle, late = (float(np.median([m for _, m in part])) for part in
                           (trace[:n], trace[n : len(trace) - n], trace[-n:]))
    assert late - middle < RSS_GROWTH_MB, f"resident memory grew {middle:.0f} → {late:.0f} MB ({trace})"
    assert late - first < RSS_STEP_MB, f"resident memory grew {first:.0f} → {late:.0f} MB ({trace})"




def test_set_profile_opens_a_new_session_on_the_same_models_and_keeps_the_hosts_functions():
    d = daemon(fake_models(), profile(), Replayed(np.zeros(0, np.float32)))

    async def body():
        ws = await host(d)
        ok = await command(ws, type="register_tool", name="set_temperature", description="Set the cabin temperature.",
                           parameters=TEMPERATURE)
        assert ok["type"] == "ok"
        first = d.core
        assert (await command(ws, type="set_profile", profile="kiosk"))["type"] == "ok"
        await until(lambda: d.core is not first, "the kiosk session in place of the first")
        assert (await healthz(d))["profile"] == "kiosk" and d.models.knowledge is not None
        assert "set_temperature" in d.core.answers.tools.host, "the host's function goes on"
        other = await command(ws, type="set_profile", profile="desktop")
        assert other["type"] == "error" and "runs other models" in other["message"] and "--profile desktop" in other["message"]
        missing = await command(ws, type="set_profile", profile="nosuch")
        assert missing["type"] == "error" and missing["message"].startswith("set_profile: no profile 'nosuch'")
        assert (await command(ws, type="ask", text="how do I renew my ID card?"))["type"] == "ok"
        consulted = [e for e in d.bus.history if e.kind == "consulted"]  # (published before the command's reply)
        assert len(consulted) == 1 and consulted[0].source == "id-card.md", "the kiosk's documents answer the new session"
        await ws.close()

    asyncio.run(running(d, body))


def test_the_profiles_functions_are_offered_from_boot_and_run_by_the_connected_host():
    from assistant.core.options import load_profile

    cockpit = load_profile("cockpit", audio={"echo_canceller": "none"})
    d = daemon(fake_models(engine=FakeEngine(choice='{"name": "set_temperature", "arguments": {"celsius": 22}}')),
               cockpit, Replayed(np.zeros(0, np.float32)))

    async def body():
        assert {"set_temperature", "open_window", "navigate_to", "play_media"} <= set(d.core.answers.tools.host)
        d.core.ask("set the temperature to twenty two")  # nobody to do it yet
        used = await until(lambda: [e for e in d.bus.history if e.kind == "tool_used"], "the function's outcome said")
        assert not used[0].ok and "no host is connected" in used[0].said
        ws = await host(d)
        assert (await command(ws, type="ask", text="set the temperature to twenty two"))["type"] == "ok"
        e = await next_of(ws, ("tool_request",))
        assert e["name"] == "set_temperature" and e["arguments"] == {"celsius": 22}
        await ws.send(json.dumps({"type": "tool_result", "call": e["call"], "result": "Twenty two it is."}))
        e = await next_of(ws, ("tool_used",))
        assert e["ok"] and e["said"] == "Twenty two it is."
        await ws.close()

    asyncio.run(running(d, body))


def test_a_broken_tools_file_is_an_error_event_and_the_session_runs(tmp_path):
    from assistant.core.options import load_profile

    bad = tmp_path / "tools.json"
    bad.write_text('{"tools": [{"name": "Bad Name", "description": "x", "parameters": {"type": "object"}}]}')
    d = daemon(fake_models(), load_profile("embedded", host={"tools": str(bad)}, audio={"echo_canceller": "none"}),
               Replayed(np.zeros(0, np.float32)))

    async def body():
        errors = [e.message for e in d.bus.history if e.kind == "error"]
        assert len(errors) == 1 and errors[0].startswith("[host] tools: tool name must match"), errors
        assert (await healthz(d))["models"]["loaded"]

    asyncio.run(running(d, body))


def test_set_language_is_answered_by_what_the_models_can_hear():
    d = daemon(fake_models(), profile(), Replayed(np.zeros(0, np.float32)))

    async def body():
        ws = await host(d)
        zh = await command(ws, type="set_language", language="zh")
        assert zh["type"] == "error" and "needs Whisper base multilingual" in zh["message"], zh
        assert d.core.languages.expected == ("en",), "the session hears as before"
        assert (await command(ws, type="set_language", language="en"))["type"] == "ok"
        said = [e for e in d.bus.history if e.kind == "language"]
        assert said and said[-1].language == "en" and said[-1].hears == ("en",)
        await ws.close()

    asyncio.run(running(d, body))
