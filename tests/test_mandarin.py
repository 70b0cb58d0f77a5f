"""Mandarin on the real models: Whisper base hears it (its language read on the first partial), the
Baker voice speaks it with Latin spans by Piper, and the mandarin profile answers each turn in its
language through the whole loop."""

from __future__ import annotations

import re

import numpy as np
import pytest

from assistant.bench.scenes import place_speech, room
from assistant.bench.zh_items import ZhVoice
from assistant.core.ears import Ears
from assistant.core.events import ReplyDone, UserTurn
from assistant.core.judge import JudgeContext
from assistant.core.options import load_profile
from assistant.run.replay import replay
from assistant.text import is_chinese
from audio import synth
from audio.frames import SAMPLE_RATE
from models.tts import PiperTts
from models.whisper_multi import MultilingualWhisper
from models.zh_tts import BakerVoice, MixedVoice

pytestmark = pytest.mark.slow
USER = ZhVoice(1.05, 0.95, 0.8)  # the Baker voice made a larger speaker (the assistant keeps the original)


@pytest.fixture(scope="module")
def multi():
    return MultilingualWhisper(quiet=True)


@pytest.fixture(scope="module")
def baker():
    return BakerVoice(quiet=True)


def test_a_mixed_sentence_keeps_its_latin_part(multi, baker):
    text = "您的WiFi密码是abc123。"
    alone = multi.transcribe_audio(baker.synthesize(text))
    mixed = multi.transcribe_audio(MixedVoice(baker, PiperTts(quiet=True)).synthesize(text))
    # Piper's voice is sampled afresh each time: "WiFi" comes back as "Wi-Fi", "WiFi" or "Wi-5", 密码 now and then
    # as other characters; what must hold is that the Latin letters are there at all.
    assert re.search(r"abc", mixed, re.I) and re.search(r"wi", mixed, re.I), mixed
    assert not re.search(r"abc", alone, re.I), f"the Mandarin voice alone drops Latin letters: {alone!r}"


def test_the_language_is_read_on_the_first_partial_and_kept(models, multi):
    ears = Ears(models.encoder, multi)
    both = ("zh", "en")
    zh = USER.say("中国的首都是哪里？")
    partial = ears.words(zh[: int(1.0 * SAMPLE_RATE)], languages=both)
    final = ears.words(zh, languages=both)
    assert partial.language == final.language == "zh" and "首都" in final.text, final
    assert (ears.detected, ears.inherited) == (1, 1), "decided once, on the partial; the final inherits it"
    en = ears.words(synth.flite("What is the capital of France?", "slt"), languages=both)
    assert en.language == "en" and "capital" in en.text.lower(), en
    assert ears.words(zh, languages=("en",)).language == "en", "an English-only session never hears Mandarin"


@pytest.fixture(scope="module")
def mandarin():
    from assistant.core.runtime import load_models

    m = load_models(load_profile("mandarin"), quiet=True)
    yield m
    m.close()


def test_the_mandarin_head_leans_requests_to_query_and_people_talking_to_each_other_away(mandarin):
    """Lines in neither the head's training phrases nor the bench, in a voice shape neither uses. The
    Mandarin monitor is still weak (README: 8 of these 12 right, the English head 9): this pins what
    it does — requests score higher than people talking to each other, and talk that opens by
    addressing someone (老张，/ 妈，) is not taken for a request."""
    voice = ZhVoice(0.95, 1.1, 0.96)
    ctx = JudgeContext(addressee_weight=3.0, languages=("zh", "en"))
    rng = np.random.default_rng(5)
    asks = ["请问去火车站怎么走？", "帮我把音乐关掉。", "今天北京冷不冷？", "给我放一首歌吧。", "明天会下雨吗？",
            "附近有没有银行？"]
    sides = ["老张，你把车停哪儿了？", "妈，我今天晚上不回来吃饭了。", "我们下午去超市吧。", "你昨天看那个电视剧了吗？",
             "这件衣服挺好看的。"]

    def p_query(text: str, level: float) -> float:
        bed = room(1.0 + len(text) * 0.3, rng)
        place_speech(bed, voice.say(text), 0.3, "x", text, level)
        j = mandarin.judge.judge(bed, ctx)
        assert j.language == "zh", j
        return j.verdict.probs["query"]

    p_asks = [p_query(t, -24.0) for t in asks]
    p_sides = [p_query(t, -28.0) for t in sides]
    assert np.mean(p_asks) >= np.mean(p_sides) + 0.15, (p_asks, p_sides)
    assert max(p_sides[:2]) < 0.2, p_sides


def test_each_turn_is_answered_in_its_language(mandarin, artifacts):
    """A Mandarin question, then an English one, in one session of the mandarin profile."""
    profile = load_profile("mandarin")
    rng = np.random.default_rng(3)
    zh, en = USER.say("中国的首都是哪里？"), synth.flite("What is the capital of France?", "rms")
    bed = room(30.0, rng)
    place_speech(bed, zh, 1.0, "query", "zh", -24.0)
    en_iv = place_speech(bed, en, 15.0, "query", "en", -24.0)
    wav = artifacts / "mic.wav"
    from audio.io import write_wav

    write_wav(wav, bed)
    r = replay(mandarin, profile, wav, artifacts / "out")
    assert mandarin.multilingual is not None
    heard_zh = mandarin.multilingual.transcribe_audio(r.assistant[: int(en_iv.start * SAMPLE_RATE)])
    turns = [e.text for e in r.events if isinstance(e, UserTurn)]
    replies = [e.text for e in r.events if isinstance(e, ReplyDone)]
    assert len(turns) == 2 and is_chinese(turns[0]) and "capital" in turns[1].lower(), turns
    assert len(replies) == 2 and "北京" in replies[0] and not is_chinese(replies[1]) and "Paris" in replies[1], replies
    assert "北京" in heard_zh, f"the Mandarin answer is heard as Mandarin: {heard_zh!r}"
    assert np.abs(r.assistant[int(en_iv.end * SAMPLE_RATE):]).max() > 10 ** (-45 / 20), "the English answer is audible"


def test_the_kiosk_answers_mandarin_from_its_chinese_documents(mandarin, artifacts):
    """The kiosk-zh profile: a Mandarin question is quoted from the Chinese document in the operator's
    words; one the documents do not answer is told so in Mandarin (nothing from the LLM's memory)."""
    import dataclasses

    from assistant.core.answers import NOT_IN_DOCUMENTS_ZH
    from assistant.core.events import Consulted
    from assistant.core.options import CONFIG_DIR
    from assistant.core.runtime import load_knowledge
    from audio.io import write_wav

    kiosk = load_profile("kiosk-zh")
    models = dataclasses.replace(mandarin, knowledge=load_knowledge(kiosk))
    bed = room(34.0, np.random.default_rng(7))
    # (Whisper base hears 身份证 from this voice as 先份正 / 宣份振 half the time: a question it hears whole)
    place_speech(bed, USER.say("社保卡坏了怎么补办？"), 1.0, "query", "", -24.0)
    place_speech(bed, USER.say("明天会下雨吗？"), 18.0, "query", "", -24.0)
    write_wav(wav := artifacts / "kiosk.wav", bed)
    r = replay(models, kiosk, wav, artifacts / "out")
    consulted = [e for e in r.events if isinstance(e, Consulted)]
    done = {e.reply: e.text for e in r.events if isinstance(e, ReplyDone)}
    turns = [e.text for e in r.events if isinstance(e, UserTurn)]
    assert len(turns) == 2 and all(is_chinese(t) for t in turns), turns
    found = [c for c in consulted if c.found]
    assert len(found) == 1 and found[0].source == "social-insurance.zh.md", consulted
    doc = "".join((CONFIG_DIR / "knowledge" / "kiosk" / "zh" / "social-insurance.zh.md").read_text().split())
    said = done[found[0].reply]
    assert is_chinese(said) and all(x + "。" in doc for x in said.split("。") if x), said
    assert NOT_IN_DOCUMENTS_ZH in done.values(), done


def test_the_kiosk_takes_a_queue_number_asked_in_mandarin(mandarin):
    """The real LLM's constrained call from Mandarin words to the kiosk's function (English enum values)."""
    import json

    from assistant.core.options import CONFIG_DIR
    from assistant.tools.host import HostTool, choose, relevant

    spec = json.loads((CONFIG_DIR / "tools" / "kiosk.json").read_text())["tools"]
    tools = [HostTool(t["name"], t["description"], t["parameters"], lambda a: None) for t in spec]
    asked = "帮我取个号，我要办护照。"
    picked = choose(mandarin.engine, mandarin.tool_slot or 0, relevant(tools, asked), asked)
    assert picked is not None and (picked.tool.name, picked.args) == ("take_queue_number", {"service": "passport"}), picked
