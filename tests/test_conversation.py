"""The conversation: its recent words (Whisper's previous text: last turns, no camera lines, no cut marks), its budget."""

from __future__ import annotations

from assistant.core.conversation import Conversation, tokens
from assistant.core.prompt import with_camera


def test_recent_words_are_the_last_settled_turns_without_camera_lines_or_cut_marks():
    c = Conversation()
    c.begin(0, "hello there")[1].text = "Hi!"
    c.begin(1, with_camera("what is the capital of japan", "camera: a person, a cup"))[1].text = "Tokyo is"
    c.cut(1, "Tokyo is")
    assert c.recent(None) == "what is the capital of japan Tokyo is"
    assert c.recent(1) == "Hi! what is the capital of japan", "a reply still being made is not settled"
    assert Conversation().recent(None) == ""


def test_old_turns_fall_out_when_the_history_grows_past_its_token_budget():
    c = Conversation(max_tokens=1000)
    for i in range(4):  # a Chinese kiosk: each question kept with the ~300-character document it was answered from
        _, answer = c.begin(i, "[document 办事指南.md: " + "居民身份证办理需要本人到场。" * 20 + f"]\n问题{i}")
        answer.text = "请携带户口簿。"
    assert [t.reply for t in c.turns] == [1, 1, 2, 2, 3, 3], "the oldest exchange out, whole"
    assert sum(tokens(t.text) for t in c.turns) <= 1000
    _, answer = c.begin(9, "x" * 8000)  # (one turn over the budget alone: the latest exchange stays)
    assert [t.reply for t in c.turns] == [9, 9] and c.turns[0].role == "user"
