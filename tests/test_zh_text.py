"""Mandarin text, no model: the voice's front end, Latin spans, clauses, word counts and exact answers."""

from __future__ import annotations

import datetime as dt

from assistant.core.clauses import ClauseSplitter
from assistant.text import units, word_count
from assistant.tools import Toolbox
from assistant.tools.zh_exact import answer, number
from models.zh_frontend import normalise, phonemes
from models.zh_tts import spans


def test_numbers_are_read_out_in_characters():
    said = {t: normalise(t) for t in ("56", "10", "110", "1005", "3.5", "50%", "2026年", "13812345678")}
    assert said == {"56": "五十六", "10": "十", "110": "一百一十", "1005": "一千零五", "3.5": "三点五",
                    "50%": "百分之五十", "2026年": "二零二六年", "13812345678": "一三八一二三四五六七八"}


def test_phonemes_are_the_voice_s_initials_and_toned_finals():
    assert phonemes("你好，中国") == "sil n i3 #0 h ao3 #0 zh ong1 #0 g uo2 sil".split()
    assert phonemes("WiFi") == [], "no Chinese: nothing for this voice (the English voice speaks it)"


def test_latin_spans_go_to_the_english_voice_and_are_never_dropped():
    assert spans("您的WiFi密码是abc123。") == [("zh", "您的"), ("en", "WiFi"), ("zh", "密码是"), ("en", "abc123"), ("zh", "。")]
    assert spans("请打开Google Maps导航") == [("zh", "请打开"), ("en", "Google Maps"), ("zh", "导航")]
    assert spans("今天37度") == [("zh", "今天37度")], "digits between characters are read in Chinese"


def test_chinese_clauses_end_at_chinese_punctuation():
    c = ClauseSplitter(first_clause_words=4)
    out = [x for ch in "好的，我给您讲一个睡前故事。从前有一只小兔子，它住在森林里。它很开心" for x in c.push(ch)]
    assert out == ["好的，我给您讲一个睡前故事。", "从前有一只小兔子，它住在森林里。"]
    assert c.flush() == ["它很开心"]


def test_word_counts_keep_english_as_spaces_split_it():
    assert word_count("What's 7 x 8?") == 4, "as the English monitor head was trained to count"
    assert word_count("中国的首都") == 5 / 1.5
    assert units("Hello, 你好 world") == ["hello", "你", "好", "world"]


def test_mandarin_arithmetic_and_clock_are_exact():
    now = dt.datetime(2026, 11, 30, 22, 5)
    assert answer("七乘以八等于多少？", now) == "7乘以8等于56。"
    assert answer("七成一八等于多少?", now) == "7乘以8等于56。", "Whisper base's 成一 for 乘以"
    assert answer("一百四十四除以十二是几", now) == "144除以12等于12。"
    assert answer("现在几点了？", now) == "现在是22点5分。"
    assert answer("今天星期几？", now) == "今天是星期一。"
    assert answer("中国的首都是哪里？", now) is None and answer("what is seven times eight", now) is None
    assert number("三万五千") == 35000 and number("一百零五") == 105 and number("二零二六") == 2026
    routed = Toolbox().route("九加六等于几？")
    assert routed is not None and routed.tool == "zh_exact" and routed.said == "9加6等于15。"


def test_a_new_mandarin_question_is_not_mistaken_for_the_answer_s_own_words():
    from assistant.core.verdict import OWN_OVERLAP, own_voice_overlap

    story = "从前有一只小狗，它每天都在院子里玩。有一天，它看到一个年轻人走过来，问它有几个朋友。"
    assert own_voice_overlap("有一天，它看到一个年轻人", story) >= OWN_OVERLAP, "its own words, echoed back"
    assert own_voice_overlap("等一下，一年有几个季节？", story) < OWN_OVERLAP, \
        "7 of its 10 characters are in the story: pairs of characters tell them apart"
    assert own_voice_overlap("What is the capital of France", "The capital of France is Paris") == 5 / 6


def test_mandarin_forms_of_address_say_whom_the_words_are_for():
    from assistant.core.addressee import addressee

    assert [addressee(t) for t in ("小王，你吃饭了吗？", "妈，我的钥匙呢？", "小助手，现在几点？", "中国的首都是哪里？",
                                   "小心，别摔倒！", "好的，我知道了。")] == ["other", "other", "assistant", None, None, None]
