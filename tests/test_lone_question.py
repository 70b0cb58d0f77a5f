"""A lone question nobody answered is asked back: a far talker the monitor calls `side` or `noise`, whose
question nobody takes up and nothing surrounds, gets "were you asking me?" instead of silence — while
people taking turns, a question naming someone, words that ask nothing, or speech right after other speech
never do. Pure rules and the words' rule, no models."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.actions import NOT_SURE_FOR_ME, Draft, Ignore, Now, Release
from assistant.core.asks import asks_something
from assistant.core.options import PolicyOptions
from assistant.core.turns import TurnTaker
from audio.segmenter import Segment, SpeechOnset

POLICY = PolicyOptions()
IDLE = False
WAIT_S = POLICY.lone_ask_back_s
TICK_S = 0.02


def final(sid: int, start: float, speech_s: float, db: float | None = None, stage: str = "final") -> Segment:
    """A segment of `speech_s` s of speech from `start` (at `db` dBFS; None: silent samples)."""
    end = start + speech_s + 0.5
    pcm = np.zeros(16, np.float32) if db is None else \
        (np.random.default_rng(sid).standard_normal(int((end - start + 0.2) * 16_000)) * 10 ** (db / 20)).astype(np.float32)
    return Segment(sid, start - 0.2, end, start, pcm, stage, start + speech_s)  # type: ignore[arg-type]


def said(tt: TurnTaker, sid: int, start: float, speech_s: float, text: str, token: str, p: float = 0.6,
         stranger: bool = False, db: float | None = None, unclear: bool = False) -> list:
    """Idle speech from `start` (at `db` dBFS), its final judged `token` (`stranger`: a voice nobody enrolled,
    while someone has; `unclear`: words Whisper was unsure of): the actions of its verdict."""
    tt.on_onset(SpeechOnset(sid, start), Now(start, IDLE))
    seg = final(sid, start, speech_s, db)
    tt.admit(seg, Now(seg.end, IDLE))
    tt.on_segment(seg, Now(seg.end, IDLE))
    return tt.on_judged(seg, text, token, p, Now(seg.end + 0.3, IDLE), stranger=stranger, unclear=unclear)


def ticks(tt: TurnTaker, start: float, stop: float) -> list:
    """Every action of ticks from `start` to `stop` s."""
    return [a for k in range(int((stop - start) / TICK_S)) for a in tt.on_tick(Now(start + k * TICK_S, IDLE))]


def asked_back(acts: list) -> list[str]:
    return [a.ask for a in acts if isinstance(a, Draft) and a.ask]


@pytest.mark.parametrize("token", ["side", "noise", "unsure"])
def test_a_lone_question_judged_not_for_the_assistant_is_asked_back_once_nobody_answers(token):
    tt = TurnTaker(POLICY)
    text = "How many days aren't there in the last few years"
    assert any(isinstance(a, Ignore) for a in said(tt, 0, 5.0, 2.0, text, token)), "the verdict stands: ignored"
    assert ticks(tt, 7.0, 7.0 + WAIT_S - 0.1) == [], "not before nobody answered for lone_ask_back_s"
    acts = ticks(tt, 7.0 + WAIT_S - 0.1, 12.0)
    assert asked_back(acts) == [NOT_SURE_FOR_ME], "asked back once"
    draft = next(a for a in acts if isinstance(a, Draft))
    assert Release(0, draft.reply, text) in acts, "its turn is released (the ask-back is heard)"


def test_a_reply_within_the_wait_is_people_talking():
    tt = TurnTaker(POLICY)
    said(tt, 0, 5.0, 1.5, "did you feed the dog?", "side")
    acts = ticks(tt, 6.5, 7.2)
    said(tt, 1, 7.2, 1.2, "Yes, this morning.", "side")
    assert asked_back(acts + ticks(tt, 8.4, 14.0)) == []


@pytest.mark.parametrize("text, why", [
    ("Sam, when does your train leave?", "it names someone else"),
    ("Then we should go now.", "it asks nothing"),
    ("What?", "too short to be worth asking back about"),
    ("Did you feed the dog?", "the monitor was sure it was side talk"),
])
def test_lone_speech_that_names_someone_or_asks_nothing_is_not_asked_back(text, why):
    tt = TurnTaker(POLICY)
    said(tt, 0, 5.0, 1.5, text, "side", 0.9 if "dog" in text else 0.6)
    assert asked_back(ticks(tt, 6.5, 12.0)) == [], why


def test_a_question_right_after_other_speech_is_not_lone():
    tt = TurnTaker(POLICY)
    said(tt, 0, 5.0, 1.5, "I'm going to the shops.", "side")
    said(tt, 1, 5.0 + 1.5 + POLICY.lone_quiet_s - 1.0, 1.5, "What do you need from there?", "side")
    assert asked_back(ticks(tt, 10.0, 16.0)) == []


def test_a_query_is_answered_not_asked_back():
    tt = TurnTaker(POLICY)
    acts = said(tt, 0, 5.0, 1.5, "What is the capital of Peru?", "query", 0.9)
    assert any(isinstance(a, Release) for a in acts)
    assert asked_back(ticks(tt, 7.0, 12.0)) == []


def test_off_when_the_wait_is_zero():
    tt = TurnTaker(PolicyOptions(lone_ask_back_s=0.0))
    said(tt, 0, 5.0, 2.0, "How many days are there in a leap year?", "side")
    assert asked_back(ticks(tt, 7.0, 12.0)) == []


@pytest.mark.parametrize("text, asks", [
    ("How many days aren't there in the last few years", True),
    ("at what tells Richard us while the volume in sales is.", True),
    ("Tell me the time in Tokyo.", True),
    ("Do we need tickets?", True),
    ("长城有多长？", True),
    ("你吃饭了吗？", True),
    ("and a set of meters are in the meter.", False),
    ("Welcome back to the quiz.", False),
    ("I'll text her.", False),
    ("What?", False),
    ("She has a smart lady of wearing clothes.", False),
    ("So how long does it take?", True),
    ("Can you pass me the keys, which was the car or house? The car please.", False),
    ("Excuse me. Could you tell me the time?", True),
    ("你好。请问现在几点？", True),
    ("今天天气不错。", False),
    ("What? It's 140, 4 divided by 12.", True),  # (a sum said alone: a far "… one hundred forty four divided by twelve?")
    ("So 25 plus 48.", True),
    ("I go there 3 times a week.", False),
    ("The score was 4 to 2.", False),
])
def test_words_shaped_like_a_question_or_a_request(text, asks):
    assert asks_something(text) is asks


def test_asked_once_and_not_answered_the_next_lone_question_is_let_go_for_a_while():
    """A person on the phone pauses to listen like one who waits for the assistant; asked back once and
    not answering, they were not asking it."""
    tt = TurnTaker(POLICY)
    said(tt, 0, 5.0, 2.0, "Did you get my message about dinner?", "side")
    assert asked_back(ticks(tt, 7.0, 12.0)) == [NOT_SURE_FOR_ME]
    said(tt, 1, 20.0, 2.0, "Can you bring the wine tonight?", "side")
    assert asked_back(ticks(tt, 22.0, 27.0)) == [], "the second lone question within a minute is let go"
    said(tt, 2, 90.0, 2.0, "How many days are there in a leap year?", "side")
    assert asked_back(ticks(tt, 92.0, 97.0)) == [NOT_SURE_FOR_ME], "a minute later it asks again"


def test_after_a_query_was_answered_the_next_lone_question_is_asked_back_again():
    tt = TurnTaker(POLICY)
    said(tt, 0, 5.0, 2.0, "How many days are there in a leap year?", "side")
    assert asked_back(ticks(tt, 7.0, 12.0)) == [NOT_SURE_FOR_ME]
    acts = said(tt, 1, 14.0, 2.0, "How many days are there in a leap year?", "query", 0.9)
    assert any(isinstance(a, Release) for a in acts), "the user said it again, now heard as a query"
    said(tt, 2, 30.0, 2.0, "And how many weeks are in a year?", "side")
    assert asked_back(ticks(tt, 32.0, 37.0)) == [NOT_SURE_FOR_ME]


def test_a_voice_the_speaker_gate_keeps_out_is_not_asked_back():
    """The cockpit serves its enrolled driver: a passenger's question, gated below the bar, stays unanswered."""
    tt = TurnTaker(POLICY)
    said(tt, 0, 5.0, 2.0, "Who painted the Mona Lisa?", "side", stranger=True)
    assert asked_back(ticks(tt, 7.0, 12.0)) == []


def background(tt: TurnTaker, sid: int, start: float, db: float) -> None:
    """Speech from `start` that goes on (babble): its onset, and a first partial 0.3 s in at `db` dBFS."""
    tt.on_onset(SpeechOnset(sid, start), Now(start, IDLE))
    tt.admit(final(sid, start, 0.3, db, "partial"), Now(start + 0.3, IDLE))


QUESTION = "What did you get for 25 plus 4?"


def test_babble_under_a_request_neither_answers_it_nor_makes_it_part_of_a_talk():
    """A café: babble 10 dB below the person who asks, before and right after the question (its segments split
    on the babble's own pauses): the question is still lone, and asked back."""
    tt = TurnTaker(POLICY)
    said(tt, 0, 1.0, 3.0, "Not yet, I'll do it after dinner.", "noise", db=-34.0)
    said(tt, 1, 4.5, 2.0, QUESTION, "side", 0.45, db=-24.0)
    background(tt, 2, 6.8, -34.0)
    assert asked_back(ticks(tt, 7.0, 12.0)) == [NOT_SURE_FOR_ME]


def test_an_answer_at_the_voice_level_is_people_talking_even_in_a_noisy_room():
    tt = TurnTaker(POLICY)
    said(tt, 0, 1.0, 2.0, QUESTION, "side", 0.45, db=-24.0)
    background(tt, 1, 3.4, -26.0)
    assert asked_back(ticks(tt, 3.5, 9.0)) == []


def test_speech_just_begun_is_waited_for_until_its_level_is_known():
    """An onset right before the ask-back is due: asked back only once its first words turn out background."""
    for db, asked in ((-36.0, [NOT_SURE_FOR_ME]), (-24.0, [])):
        tt = TurnTaker(POLICY)
        said(tt, 0, 1.0, 2.0, QUESTION, "side", 0.45, db=-24.0)
        due = 3.0 + WAIT_S
        acts = ticks(tt, 3.5, due - 0.1)
        tt.on_onset(SpeechOnset(1, due - 0.1), Now(due - 0.1, IDLE))
        acts += ticks(tt, due - 0.1, due + 0.2)
        assert asked_back(acts) == [], "not while its level is unknown"
        tt.admit(final(1, due - 0.1, 0.3, db, "partial"), Now(due + 0.2, IDLE))
        assert asked_back(ticks(tt, due + 0.2, due + 3.0)) == asked, db


MISHEARD = "Oh, man it really does melt hard."  # "How many moons does Mars have?" over babble, judged query 0.51


@pytest.mark.parametrize("token, p, unclear, text, asked", [
    ("query", 0.51, True, MISHEARD, True),
    ("query", 0.76, True, MISHEARD, True),  # (under ask_back_min_p_query: not answered, asked back)
    ("query", 0.51, False, MISHEARD, False),  # heard well: they are the words said, and they ask nothing
    ("side", 0.51, True, MISHEARD, False),  # the monitor leaned to talk: a guess at words is no question
    ("query", 0.51, True, "Hey there.", False),  # too few words to be worth asking back about
    ("query", 0.51, True, "Sam, it really does melt hard.", False),  # names someone
])
def test_a_lone_query_heard_badly_is_asked_back_whatever_its_words(token, p, unclear, text, asked):
    tt = TurnTaker(POLICY)
    acts = said(tt, 0, 5.0, 1.8, text, token, p, unclear=unclear)
    assert any(isinstance(a, Ignore) for a in acts) and not any(isinstance(a, Release) for a in acts), "not answered"
    assert asked_back(ticks(tt, 7.3, 12.0)) == ([NOT_SURE_FOR_ME] if asked else [])


def test_a_misheard_query_someone_answers_is_people_talking():
    tt = TurnTaker(POLICY)
    said(tt, 0, 5.0, 1.8, MISHEARD, "query", 0.51, unclear=True)
    acts = ticks(tt, 7.3, 7.8)
    said(tt, 1, 7.8, 1.2, "Yes, it does.", "side")
    assert asked_back(acts + ticks(tt, 9.0, 14.0)) == []
