"""The conversation's recent words (Whisper's previous text): last turns, no camera lines, no cut marks."""

from __future__ import annotations

from assistant.core.conversation import Conversation
from assistant.core.prompt import with_camera


def test_recent_words_are_the_last_settled_turns_without_camera_lines_or_cut_marks():
    c = Conversation()
    c.begin(0, "hello there")[1].text = "Hi!"
    c.begin(1, with_camera("what is the capital of japan", "camera: a person, a cup"))[1].text = "Tokyo is"
    c.cut(1, "Tokyo is")
    assert c.recent(None) == "what is the capital of japan Tokyo is"
    assert c.recent(1) == "Hi! what is the capital of japan", "a reply still being made is not settled"
    assert Conversation().recent(None) == ""
