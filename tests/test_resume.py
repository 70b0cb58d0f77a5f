"""The rest of a cut answer, from the sentence the cut fell in."""

from __future__ import annotations

from assistant.core.resume import LEAD, LEAD_ZH, rest_of

ANSWER = "Bees collect nectar from flowers. They store it in the hive, where it thickens into honey. It keeps for years."


def test_the_rest_starts_at_the_sentence_the_cut_fell_in():
    assert rest_of(ANSWER, "Bees collect nectar from flowers. They store it") == \
        LEAD + "They store it in the hive, where it thickens into honey. It keeps for years."
    assert rest_of(ANSWER, "Bees collect nectar from flowers.") == LEAD + "They store it in the hive, where it " \
        "thickens into honey. It keeps for years.", "cut at a sentence's end: the next one"
    assert rest_of(ANSWER, "Bees collect") == LEAD + ANSWER, "in the first sentence: all of it"


def test_nothing_is_said_when_everything_was_heard_or_nothing_written():
    assert rest_of(ANSWER, ANSWER) == ""
    assert rest_of("", "") == ""


def test_chinese_is_counted_in_characters():
    full = "故宫在北京。它有六百年的历史，每天都有很多游客。"
    assert rest_of(full, "故宫在北京。它有六百") == LEAD_ZH + "它有六百年的历史，每天都有很多游客。"
    assert rest_of(full, full) == ""
