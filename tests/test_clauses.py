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
