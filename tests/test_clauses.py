from assistant.core.answers import NO_WORDS, worded
from assistant.core.clauses import ClauseSplitter, speakable


def test_sentences_and_early_first_clause():
    s = ClauseSplitter(first_clause_words=4)
    out = []
    for tok in "Well, the capital of France, as you know, is Paris. It is big.".split(" "):
        out += s.push(tok + " ")
    out += s.flush()
    assert out[0] == "Well, the capital of France,"
    assert out[-1] == "It is big."
    assert "".join(out).replace(" ", "") == "Well,thecapitalofFrance,asyouknow,isParis.Itisbig."


def test_speakable_drops_markdown():
    assert speakable("**Paris** is `big`") == "Paris is big"


def test_long_first_sentence_breaks_before_a_joining_word():
    s = ClauseSplitter(first_clause_words=4)
    out = []
    for tok in "The Rotor Metal alloys are used in many machines and engines today".split(" "):
        out += s.push(tok + " ")
    assert out == ["The Rotor Metal alloys"]
    assert s.flush() == ["are used in many machines and engines today"]


def test_the_first_clause_can_end_before_a_joining_word_once_it_has_enough_words():
    s = ClauseSplitter(first_clause_words=3)
    out = []
    for tok in "The tallest mountain in Africa is Mount Kilimanjaro. It is".split(" "):
        out += s.push(tok + " ")
    assert out == ["The tallest mountain", "in Africa is Mount Kilimanjaro."], "later clauses end at sentences"

    def clauses(text: str) -> list[str]:
        s = ClauseSplitter(first_clause_words=4)
        return [c for tok in text.split(" ") for c in s.push(tok + " ")] + s.flush()
    assert clauses("The capital of Japan is Tokyo.") == ["The capital of Japan", "is Tokyo."], "before the verb"
    assert clauses("A spider has eight legs.") == ["A spider has eight legs."], "too short to split"


def test_a_clause_with_no_word_in_it_is_not_read_aloud():
    assert speakable("…") == "" and speakable(" ... ") == "" and speakable("**") == ""
    assert speakable("7 × 8 = 56.") == "7 × 8 = 56." and speakable("好的。") == "好的。"


def test_an_answer_with_no_word_in_it_says_the_fallback_instead():
    said: list[str] = []

    def dots(on_text):  # a test double of the 0.5B after a history of cut replies
        on_text("…")
        return "…"

    def words(on_text):
        on_text("Paris.")
        return "Paris."

    assert worded(dots, NO_WORDS)(said.append) == "…" + NO_WORDS and said == ["…", NO_WORDS]
    said.clear()
    assert worded(words, NO_WORDS)(said.append) == "Paris." and said == ["Paris."]
