"""The host API over a real WebSocket: bad input never touches the session (a test double stands in
for the models there: only the API's guards are under test); a host function called by voice, with
the real models."""

from __future__ import annotations

import asyncio
import json

import numpy as np
import pytest
from fakes import FakeEngine, fake_models, profile
from hostkit import Replayed, command, daemon, healthz, host, running
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
        hello = json.loads(await ws.recv())
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
            while (r := json.loads(await ws.recv()))["type"] not in ("ok", "error"):
                pass
            replies.append(r)
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
            while True:
                await ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
        ws = await host(d)  # the session is untouched: another host is served as before
        assert (await command(ws, type="ask", text="tell me a story", id=7)) == {"type": "ok", "command": "ask", "id": 7}
        texts = []
        while len(texts) < 1:
            e = json.loads(await ws.recv())
            texts += [e["text"]] if e["type"] == "reply_text" else []
        assert "dragon" in texts[0]
        async with asyncio.timeout(20):
            while (health := await healthz(d))["audio"]["state"] != "open":  # (the first frame may not be in yet)
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


@pytest.mark.slow
def test_a_spoken_request_calls_the_hosts_function_and_its_result_or_failure_is_said(models):
    from assistant.core.options import load_profile

    src = Replayed(_spoken("Set the temperature to twenty two degrees.", "Set the temperature to eighteen degrees.",
                           "Set the temperature to twenty degrees."))
    d = daemon(models, load_profile("cockpit"), src)
    calls, used, said = [], [], []

    async def body():
        ws = await host(d)
        ok = await command(ws, type="register_tool", name="set_temperature", description="Set the cabin temperature.",
                           parameters=TEMPERATURE, timeout_s=2.0)
        assert ok["type"] == "ok", ok
        src.go.set()
        async with asyncio.timeout(180):
            while len(used) < 3 or " ".join(said).count("did not work") < 2:
                e = json.loads(await ws.recv())
                if e["type"] == "tool_request":
                    calls.append(e["arguments"])
                    if len(calls) == 1:
                        await ws.send(json.dumps({"type": "tool_result", "call": e["call"], "result": {"ok": True}}))
                    elif len(calls) == 2:
                        await ws.send(json.dumps({"type": "tool_result", "call": e["call"],
                                                  "error": "unknown function set_temperature"}))
                    # (the third is never answered: the host timed out)
                elif e["type"] == "tool_used":
                    used.append(e)
                elif e["type"] == "reply_text":
                    said.append(e["text"])
        await ws.close()

    asyncio.run(running(d, body))
    assert calls[0] == {"celsius": 22}, calls
    assert len(calls) == 3 and all(set(c) == {"celsius"} for c in calls)
    assert used[0]["ok"] and used[0]["said"] == "Done: set temperature, celsius 22."
    assert not used[1]["ok"] and "unknown function set_temperature" in used[1]["said"]
    assert not used[2]["ok"] and "no answer in 2 seconds" in used[2]["said"]
    heard = " ".join(said)
    assert "Done: set temperature" in heard and heard.count("did not work") == 2, heard


QUESTIONS = ("What is the capital of France?", "How many legs does a spider have?", "What color is the sky on a clear day?",
             "How many days are there in a week?", "What is the largest ocean on Earth?", "Who wrote Romeo and Juliet?",
             "What is the boiling point of water in Celsius?")
VOICES = (Voice("espeak", "en-us", 0.95), Voice("flite", "slt"), Voice("espeak", "en-gb+f2", 1.05, pitch=60))
LONG_RUN_S = 600.0  # s of replayed audio the daemon lives through
ASK_EVERY_S = 45.0  # s between questions
FAIL_AT_S = (150.0, 330.0, 480.0)  # s into the recording the input raises
RSS_GROWTH_MB = 40.0  # the most resident memory may grow from minutes 5–7 to minutes 8–10 (a leak's trend)
RSS_STEP_MB = 400.0  # and from minutes 2–4 to minutes 8–10 (pools sized once included)


def _long_recording() -> np.ndarray:
    pcm = np.zeros(int(LONG_RUN_S * 16000), np.float32)
    for i, at in enumerate(np.arange(10.0, LONG_RUN_S - 20.0, ASK_EVERY_S)):
        clip = synth.at_level(VOICES[i % len(VOICES)].say(QUESTIONS[i % len(QUESTIONS)]), -24.0)
        synth.place(pcm, clip, float(at))
    return pcm


@pytest.mark.slow
def test_the_daemon_lives_through_ten_minutes_and_three_audio_failures(models, profile, artifacts):
    src = Replayed(_long_recording(), fail_at={round(t / FRAME_S) for t in FAIL_AT_S})
    d = daemon(models, profile, src)
    seen: list[dict] = []
    rss: list[float] = []
    trace: list[tuple[int, float]] = []  # (s of audio, MB) every 30 s

    async def body():
        ws = await host(d)
        src.go.set()
        async def read() -> None:
            async for raw in ws:
                seen.append(json.loads(raw))
        reader = asyncio.create_task(read())
        await asyncio.sleep(120.0)
        rss.append((await healthz(d))["rss_mb"])
        while src.k * FRAME_S < LONG_RUN_S:
            await asyncio.sleep(1.0)
            if not trace or src.k * FRAME_S - trace[-1][0] >= 30:
                trace.append((round(src.k * FRAME_S), (await healthz(d))["rss_mb"]))
        await asyncio.sleep(3.0)
        health = await healthz(d)
        rss.append(health["rss_mb"])
        reader.cancel()
        await ws.close()
        return health

    health = asyncio.run(running(d, body))
    turns = [e for e in seen if e["type"] == "user_turn"]
    (artifacts / "daemon.json").write_text(json.dumps({"rss_mb_at_2_min_and_end": rss, "rss_trace": trace, "health": health,
                                                       "user_turns": len(turns)}, indent=1))
    devices = [e for e in seen if e["type"] == "audio_device"]
    assert [e["state"] for e in devices] == ["failed", "reopened"] * 3, devices
    assert all("unplugged" in e["message"] for e in devices[::2])
    assert health["audio"]["failures"] == 3 and health["audio"]["reopened"] == 3 and health["audio"]["state"] == "open"
    assert health["ok"] and health["audio"]["last_mic_frame_s"] < 1.0
    for back in devices[1::2]:  # answers after each reopening
        later = [e for e in seen if e.get("t", -1.0) > back["t"]]
        assert any(e["type"] == "user_turn" for e in later) and any(e["type"] == "reply_audio" for e in later)
    asked = len(np.arange(10.0, LONG_RUN_S - 20.0, ASK_EVERY_S))
    assert len(turns) >= asked - 2, f"{len(turns)} of {asked} questions answered"
    # a leak is a trend: the median of the last third of the 30 s samples against the middle third's. A single
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
        async with asyncio.timeout(20):
            while d.core is first:
                await asyncio.sleep(0.02)
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
        async with asyncio.timeout(20):
            while not (used := [e for e in d.bus.history if e.kind == "tool_used"]):
                await asyncio.sleep(0.02)
        assert not used[0].ok and "no host is connected" in used[0].said
        ws = await host(d)
        assert (await command(ws, type="ask", text="set the temperature to twenty two"))["type"] == "ok"
        while (e := json.loads(await ws.recv()))["type"] != "tool_request":
            pass
        assert e["name"] == "set_temperature" and e["arguments"] == {"celsius": 22}
        await ws.send(json.dumps({"type": "tool_result", "call": e["call"], "result": "Twenty two it is."}))
        while (e := json.loads(await ws.recv()))["type"] != "tool_used":
            pass
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
        assert d.core.languages == ("en",), "the session hears as before"
        assert (await command(ws, type="set_language", language="en"))["type"] == "ok"
        said = [e for e in d.bus.history if e.kind == "language"]
        assert said and said[-1].language == "en" and said[-1].hears == ("en",)
        await ws.close()

    asyncio.run(running(d, body))
