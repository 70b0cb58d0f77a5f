"""Whom the words name: the rule, and what it does to a real verdict (real voice, encoder, LM, head)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.addressee import addressee
from assistant.core.judge import JudgeContext
from audio import synth


@pytest.mark.parametrize(("text", "who"), [
    ("Jo, did you feed the dog?", "other"),
    ("Did you feed the dog, Jo?", "other"),
    ("Hey Sam, look at this.", "other"),
    ("Mom, where are my shoes?", "other"),
    ("Duplex, what time is it?", "assistant"),
    ("Hey Duplex, what time is it?", "assistant"),
    ("What is the capital of France?", None),
    ("Wait, what is the capital of Italy?", None),
    ("Sorry, how many legs does a cat have?", None),
    ("Okay, what is the time?", None),
    ("Hold on, what is the tallest mountain?", None),
    ("Can you stop, please?", None),
    ("Is it raining, right?", None),
    ("I, for one, agree.", None),
    ("duplex when does my train leave.", "assistant"),  # (the assistant's name needs no comma: Whisper drops it)
    ("The duplex is on the second floor.", None),
    ("小助手今天天气怎么样？", "assistant"),
    ("阿姨，这个多少钱？", "other"),
    ("丽丽，电影几点开始？", "other"),
    ("历历 电影几点开始", "other"),  # (a doubled name misheard is still a doubled name; Whisper's space counts as the comma)
    ("谢谢，再见。", None),
    ("等等，一斤是多少克？", None),
])
def test_names_set_off_by_a_comma_say_whom_the_words_are_for(text, who):
    assert addressee(text) == who


def test_naming_someone_else_turns_a_question_into_side_talk_and_naming_the_assistant_keeps_it(models):
    """The same question spoken by the same voice, to Sam and to Duplex: only the first is side talk."""
    rng = np.random.default_rng(3)
    room = synth.at_level(synth.pink(5.0, rng), -62)
    got = {}
    for text in ("Sam, when does your train leave?", "Duplex, when does my train leave?"):
        pcm = room.copy()
        speech = synth.at_level(synth.flite(text, "slt"), -24)
        pcm[3200 : 3200 + speech.size] += speech[: pcm.size - 3200]
        judged = models.judge.judge(pcm, JudgeContext(addressee_weight=3.0))
        got[text] = (judged.text, judged.verdict.token, round(judged.verdict.p, 2))
    to_sam, to_duplex = got.values()
    assert addressee(to_sam[0]) == "other" and to_sam[1] != "query", got
    assert to_duplex[1] == "query", got


def test_a_reply_in_another_voice_to_speech_just_heard_leans_to_side_and_the_same_voice_does_not(models):
    """'Yes, at six. Are you coming?' after someone else spoke is a reply between people; the same
    user going on after a pause is not (real voices through the real speaker embedder and head)."""
    rng = np.random.default_rng(5)
    room = synth.at_level(synth.pink(5.0, rng), -62)

    def said(clip: np.ndarray) -> np.ndarray:
        pcm = room.copy()
        speech = synth.at_level(clip, -24)
        pcm[3200 : 3200 + speech.size] += speech[: pcm.size - 3200]
        return pcm

    first = synth.at_level(synth.flite("When does the film start tonight?", "slt"), -24)
    reply = said(synth.flite("At eight. Do you want to come with us?", "awb"))
    same = said(synth.flite("At eight. Do you want to come with us?", "slt"))
    p = {}
    for name, pcm, before in (("alone", reply, None), ("other voice", reply, first), ("same voice", same, first)):
        ctx = JudgeContext(before=None if before is None else (1, before), exchange_weight=2.0)
        p[name] = models.judge.judge(pcm, ctx).verdict.probs["query"]
    logit = {k: np.log(v / (1 - v)) for k, v in p.items()}
    assert logit["other voice"] < logit["alone"] - 1.5, p
    same_alone = models.judge.judge(same, JudgeContext()).verdict.probs["query"]
    assert abs(p["same voice"] - same_alone) < 1e-6, p


def test_another_voice_takes_a_question_up_only_at_its_level(models):
    """The judge says who took a question up: another voice at the question's level (people talking
    to each other), not the same voice, and not a voice 12 dB down (babble or a TV under it)."""
    rng = np.random.default_rng(7)
    room = synth.at_level(synth.pink(4.0, rng), -62)
    question = synth.at_level(synth.flite("Dad, how much was the petrol?", "slt"), -24)

    def reply(voice: str, level: float) -> np.ndarray:
        pcm = room.copy()
        speech = synth.at_level(synth.flite("About fifty pounds, I think.", voice), level)
        pcm[3200 : 3200 + speech.size] += speech[: pcm.size - 3200]
        return pcm

    took = {name: models.judge.judge(pcm, JudgeContext(before=(1, question), exchange_weight=2.0)).other_voice
            for name, pcm in (("other", reply("awb", -25)), ("same", reply("slt", -25)),
                              ("other, far below", reply("awb", -37)))}
    assert took == {"other": True, "same": False, "other, far below": False}
    assert not models.judge.judge(reply("awb", -25), JudgeContext()).other_voice, "nothing before it: no one to answer"


def test_a_replys_voice_is_decided_once_and_kept_by_the_segments_later_versions(models):
    """Two people's turns merged into one segment across a short gap ("At eight." + the first's next
    words) blend their voices: the reply's voice, decided on its first second, stays decided."""
    rng = np.random.default_rng(9)
    room = synth.at_level(synth.pink(8.0, rng), -62)
    first = synth.at_level(synth.flite("When does the film start tonight?", "slt"), -24)

    def said(*clips: np.ndarray) -> np.ndarray:
        pcm, at = room.copy(), 3200
        for clip in clips:
            speech = synth.at_level(clip, -24)
            pcm[at : at + speech.size] += speech[: pcm.size - at]
            at += speech.size + 3200
        return pcm

    reply = synth.flite("At eight. Do you want to come?", "awb")
    merged = said(reply, synth.flite("Yes, I would love to come with you, thanks for asking me.", "slt"))
    ctx = JudgeContext(before=(1, first), exchange_weight=2.0, segment=2)
    assert models.judge.judge(merged[: 3200 + reply.size], ctx).other_voice, "the reply alone: another voice"
    assert models.judge.judge(merged, ctx).other_voice, "kept, whatever the merged end sounds like"
    whole = JudgeContext(before=(1, first), exchange_weight=2.0)  # (no segment: nothing kept)
    assert not models.judge.judge(merged, whole).other_voice, "heard whole, the blend reads as the first voice"
