"""Host functions (assistant/tools/host.py) and the host's controls of a session, on fakes: which
words reach the chooser, that a call waits for the user's turn, what is said on success and failure,
say / stop / mute / push-to-talk. The real LLM's choice is in tests/test_host_api.py."""

from __future__ import annotations

import asyncio
import threading

import numpy as np
import pytest
from fakes import FakeEngine, FakeJudge, Run, fake_models, feed, profile, scenario, silence, speech

from assistant.core.answers import Answers
from assistant.core.conversation import Conversation
from assistant.core.events import Bus, Control, ReplyText, SpeechStart, ToolCall, ToolUsed, UserTurn
from assistant.core.replicas import Replica
from assistant.tools import Toolbox
from assistant.tools.host import CHOOSER_SYSTEM, HostTool, HostToolError, ToolFailed, relevant

TEMPERATURE = {"type": "object", "properties": {"celsius": {"type": "number"}}, "required": ["celsius"]}
SET_22 = '{"name": "set_temperature", "arguments": {"celsius": 22}}'


def _tool(calls: list[dict], fail: str = "") -> HostTool:
    def call(args: dict) -> object:
        calls.append(args)
        if fail:
            raise ToolFailed(fail)
        return {"ok": True}
    return HostTool("set_temperature", "Set the cabin temperature.", TEMPERATURE, call)


def _asked(text: str, engine: FakeEngine, tool: HostTool | None) -> Run:
    run = Run(fake_models(engine=engine))

    async def body(core):
        if tool is not None:
            core.answers.tools.register_host(tool)
        core.ask(text)
        await feed(core, silence(2.0), run)

    scenario(run, profile(), body)
    return run


def test_only_words_that_touch_a_function_reach_the_chooser():
    tools = [_tool([]), HostTool("open_window", "Open a window.", {"type": "object", "properties": {
        "side": {"type": "string", "enum": ["driver", "passenger", "all"]}}}, lambda a: None)]
    assert [t.name for t in relevant(tools, "set the temperature to twenty two degrees")] == ["set_temperature"]
    assert [t.name for t in relevant(tools, "open all the windows")] == ["open_window"]
    assert relevant(tools, "is the passenger seat comfortable?") == [], "enum values do not count (every question names them)"
    assert relevant(tools, "what is the capital of France?") == []


def test_mandarin_words_touch_the_kiosks_and_cockpits_functions_by_their_chinese_descriptions():
    import json
    from pathlib import Path

    from assistant.core.options import CONFIG_DIR

    tools = [HostTool(t["name"], t["description"], t["parameters"], lambda a: None)
             for f in ("kiosk.json", "cockpit.json") for t in json.loads((Path(CONFIG_DIR) / "tools" / f).read_text())["tools"]]
    touched = {q: [t.name for t in relevant(tools, q)] for q in
               ("帮我取个号，我要办护照。", "把温度调到二十二度。", "导航到机场。", "放一首歌吧。", "中国的首都是哪里？")}
    assert touched == {"帮我取个号，我要办护照。": ["take_queue_number"], "把温度调到二十二度。": ["set_temperature"],
                       "导航到机场。": ["navigate_to"], "放一首歌吧。": ["play_media"], "中国的首都是哪里？": []}, touched


def test_a_call_asked_in_chinese_is_said_done_in_chinese():
    calls: list[dict] = []
    run = _asked("把温度调到二十二度", FakeEngine(choice=SET_22),
                 HostTool("set_temperature", "Set the cabin temperature. 把车内温度调到多少度。", TEMPERATURE,
                          lambda a: calls.append(a) or {"ok": True}))
    assert calls == [{"celsius": 22}]
    assert [e.said for e in run.of(ToolUsed)] == ["好的，已完成：set temperature（celsius 22）。"]


@pytest.mark.parametrize(("name", "description", "parameters", "says"), [
    ("Set Temp", "x", {"type": "object"}, "tool name must match"),
    ("none", "x", {"type": "object"}, "tool name must match"),
    ("set_temp", "", {"type": "object"}, "description must be"),
    ("set_temp", "x", {"type": "array"}, "type 'object'"),
    ("set_temp", "x", {"type": "object", "properties": {"a": 1}}, "map names to schemas"),
    ("set_temp", "x", {"type": "object", "properties": {}, "required": ["a"]}, "required must list"),
])
def test_a_malformed_function_is_refused_with_one_line(name, description, parameters, says):
    with pytest.raises(HostToolError, match=says):
        Toolbox().register_host(HostTool(name, description, parameters, lambda a: None))


def test_a_chosen_function_is_called_with_the_llms_arguments_and_done_is_said():
    calls: list[dict] = []
    run = _asked("set the temperature to 22", FakeEngine(choice=SET_22), _tool(calls))
    assert calls == [{"celsius": 22}]
    assert [(e.tool, e.args) for e in run.of(ToolCall)] == [("set_temperature", {"celsius": 22})]
    used = run.of(ToolUsed)
    assert len(used) == 1 and used[0].ok and used[0].said == "Done: set temperature, celsius 22."
    assert "Done: set temperature" in " ".join(e.text for e in run.of(ReplyText))


def test_a_host_failure_is_said_as_such():
    calls: list[dict] = []
    run = _asked("set the temperature to 22", FakeEngine(choice=SET_22), _tool(calls, "no answer in 5 s"))
    used = run.of(ToolUsed)
    assert len(used) == 1 and not used[0].ok
    assert used[0].said == "Sorry, set temperature did not work: no answer in 5 s."
    assert "did not work" in " ".join(e.text for e in run.of(ReplyText))


def test_no_function_chosen_is_answered_by_the_llm_and_untouched_words_never_ask_the_chooser():
    engine = FakeEngine(reply="It is twenty degrees.")
    run = _asked("is the temperature nice today?", engine, _tool(calls := []))
    assert calls == [] and not run.of(ToolCall)
    assert any(CHOOSER_SYSTEM in p for p in engine.prompts), "touched: the chooser was asked (and said none)"
    assert "twenty degrees" in " ".join(e.text for e in run.of(ReplyText))
    engine = FakeEngine(choice=SET_22)
    run = _asked("what is the capital of France?", engine, _tool(calls))
    assert calls == [] and not any(CHOOSER_SYSTEM in p for p in engine.prompts)


def test_a_draft_dropped_before_the_turn_ends_never_calls_the_host():
    calls: list[dict] = []
    answers = Answers(Conversation(), profile().policy, Bus())
    answers.tools.register_host(_tool(calls))
    replica = Replica("A", 0, FakeEngine(choice=SET_22), "generator")

    async def main() -> tuple[str, str]:
        out: list[str] = []
        _, gen1 = answers.draft(0.0, 1, "set the temperature to twenty", None, replica)
        t1 = threading.Thread(target=lambda: out.append(gen1(lambda d: False)))
        t1.start()
        await asyncio.sleep(0.2)
        assert calls == [], "the turn is not over: nothing is done yet"
        answers.ended(1)  # the user went on talking: this draft is dropped
        await asyncio.to_thread(t1.join)
        _, gen2 = answers.draft(0.0, 2, "set the temperature to twenty two", None, replica)
        answers.released(2)
        out.append(await asyncio.to_thread(gen2, lambda d: False))
        return out[0], out[1]

    first, second = asyncio.run(main())
    assert first == "" and second.startswith("Done") and calls == [{"celsius": 22}]


def test_say_speaks_the_hosts_sentence_and_keeps_it_in_the_history():
    run = Run(fake_models())

    async def body(core):
        core.say("Your number is forty two.")
        await feed(core, silence(3.0), run)
        return core

    core = scenario(run, profile(), body)
    assert [e.text for e in run.of(ReplyText)] == ["Your number is forty two."]
    assert [(t.role, t.text) for t in core.conversation.turns] == [("assistant", "Your number is forty two.")]
    assert max(p for t, p in run.out) > 0.1


def test_stop_speaking_cuts_the_answer():
    run = Run(fake_models())

    async def body(core):
        core.ask("tell me a story")
        await feed(core, silence(1.5), run)
        core.stop_speaking()
        await feed(core, silence(1.5), run, t0=1.5)

    scenario(run, profile(), body)
    assert [e.command for e in run.of(Control)] == ["ask", "stop"]
    assert max(p for t, p in run.out if t < 1.5) > 0.1
    assert max(p for t, p in run.out if t > 1.6) == 0.0


def test_a_muted_mic_hears_nothing_and_push_to_talk_answers_what_the_monitor_calls_side():
    run = Run(fake_models(FakeJudge(("side", 0.9))))

    async def body(core):
        core.mute(True)
        at = await feed(core, speech(1.5), run)
        at = await feed(core, silence(1.0), run, t0=at)
        assert not run.of(SpeechStart), "muted: no speech heard"
        core.push_to_talk(True)
        at = await feed(core, speech(1.5, seed=1), run, t0=at)
        core.push_to_talk(False)
        await feed(core, silence(2.0), run, t0=at)
        return core

    core = scenario(run, profile(), body)
    assert len(run.of(SpeechStart)) == 1 and len(run.of(UserTurn)) == 1, "held: answered although 'side'"
    assert core.controls.muted, "released: the mic is muted again"
    assert [(e.command, e.on) for e in run.of(Control)] == [("mute", True), ("push_to_talk", True),
                                                             ("push_to_talk", False)]


def test_a_host_embeds_the_session_in_process_and_its_python_function_is_called(tmp_path):
    import soundfile as sf

    from assistant import Duplex

    wav = tmp_path / "quiet.wav"
    sf.write(wav, np.zeros(16000 * 3, np.float32), 16000)
    calls: list[dict] = []
    seen: list = []

    async def main() -> str:
        async with Duplex(profile(), input_wav=str(wav), headless=True,
                          models=fake_models(engine=FakeEngine(choice=SET_22))) as duplex:
            duplex.on_event(seen.append)
            duplex.register_tool("set_temperature", "Set the cabin temperature.", TEMPERATURE,
                                 lambda args: calls.append(args) or f"Cabin at {args['celsius']} degrees.")
            duplex.ask("set the temperature to twenty two")
            async with asyncio.timeout(30):
                while not any(isinstance(e, ReplyText) for e in seen):
                    await asyncio.sleep(0.05)
            return duplex.health()["audio"]["device"]

    device = asyncio.run(main())
    assert calls == [{"celsius": 22}] and device == f"file:{wav}"
    assert [e.text for e in seen if isinstance(e, ReplyText)] == ["Cabin at 22 degrees."]
