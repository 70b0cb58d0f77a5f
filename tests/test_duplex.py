"""The duplex shell on test doubles and virtual time: duck, pause, interrupt, resume, failures,
memory. No model is loaded; the mic timeline advances only when a frame is pushed, so no wall-clock
wobble can change an outcome (the real models are the truth in test_replay_e2e.py and the bench)."""

from __future__ import annotations

import numpy as np
import pytest
from fakes import FakeEngine, FakeJudge, FakeTts, Run, fake_models, feed, profile, scenario, silence, speech

from assistant.core.effects import HELD_DB
from assistant.core.events import (
    Duck,
    Error,
    Ignored,
    Interrupt,
    Paused,
    ReplyAudio,
    ReplyHeard,
    ReplyProgress,
    Resumed,
    RolesSwapped,
    SpeechStart,
    StateToken,
    UserTurn,
    Waiting,
    Withdrawn,
)
from assistant.core.options import load_profile

QUESTION = np.concatenate([silence(0.5), speech(1.5), silence(3.0)])


def _barge(*script: tuple[str, float], prof=None, words: float = 2.0) -> tuple[Run, object]:
    """An answer is playing (asked as text at t=0); at 1.0 s someone talks for `words` s."""
    run = Run(fake_models(FakeJudge(*script)))

    async def body(core):
        core.ask("Tell me a long story about a dragon.")
        await feed(core, np.concatenate([silence(1.0), speech(words, seed=1), silence(3.0)]), run)
        return core

    return run, scenario(run, prof or profile(), body)


def _played(run: Run, t0: float, t1: float) -> float:
    return max((a for t, a in run.out if t0 < t <= t1), default=0.0)


def test_an_idle_question_is_answered_once_it_ends():
    run = Run(fake_models())

    async def body(core):
        await feed(core, QUESTION, run)
        return core

    core = scenario(run, profile(), body)
    turn = run.of(UserTurn)
    assert len(turn) == 1 and turn[0].text == "fake words"
    assert _played(run, 0, 2.0) == 0.0, "nothing before the question ended"
    first = next(e for e in run.of(ReplyAudio))
    assert 2.0 < first.t < 2.6 and _played(run, first.t, first.t + 1) > 0.1
    assert [t.role for t in core.conversation.turns] == ["user", "assistant"]
    assert len(run.of(RolesSwapped)) == 1, "the monitor that judged the query became the generator"


def test_an_idle_users_words_are_read_into_the_answering_replica_before_the_verdict():
    judge, engine = FakeJudge(text="what is the tallest", texts=["what is the tallest mountain"]), FakeEngine()
    run = Run(fake_models(judge, engine))
    seen: list[tuple[float, list[tuple[int, str]]]] = []  # (mic time, prefills so far) at each verdict
    run.bus.subscribe(lambda e: seen.append((e.t, list(engine.prefills))) if isinstance(e, StateToken) else None)

    async def body(core):
        monitor_slot = core.replicas.monitor.slot
        await feed(core, QUESTION, run)
        return monitor_slot

    monitor_slot = scenario(run, profile(), body)
    assert judge.heard >= 1, "partials were transcribed while the user talked"
    t, before = seen[0]
    reads = [p for slot, p in before if slot == monitor_slot and "what is the tallest" in p]
    assert len(reads) >= 2, "a partial and the final words, both before the first verdict"
    assert "tallest mountain" in reads[-1] and "tallest mountain" not in reads[0]
    assert reads[-1].endswith("<|im_start|>assistant\n"), "read as the generator's prompt"
    assert all(a != b for a, b in zip(reads, reads[1:], strict=False)), "the same words are read once"
    assert run.of(UserTurn), "and the question is answered"


def test_a_pause_inside_an_unfinished_sentence_is_waited_out():
    """'What is the capital of' … 0.7 s … 'Italy': one segment, one answer to the whole sentence."""
    judge = FakeJudge(texts=("What is the capital of", "What is the capital of Italy?"))
    run = Run(fake_models(judge))

    async def body(core):
        await feed(core, np.concatenate([silence(0.5), speech(1.2), silence(0.7), speech(0.5, seed=2), silence(3.0)]), run)
        return core

    scenario(run, profile(), body)
    assert [w.segment for w in run.of(Waiting)] == [0]
    assert [(t.segment, t.text) for t in run.of(UserTurn)] == [(0, "What is the capital of Italy?")]
    assert len(run.of(SpeechStart)) == 1, "the rest of the sentence continued the same segment"


def test_idle_side_talk_drafted_before_its_verdict_is_never_heard():
    run = Run(fake_models(FakeJudge(("side", 0.9), text="did you feed the dog")))

    async def body(core):
        await feed(core, QUESTION, run)
        return core

    core = scenario(run, profile(), body)
    assert [p.step for p in run.of(ReplyProgress)][:1] == ["drafted"], "the answer was begun with the words"
    assert not run.of(ReplyAudio) and not run.of(UserTurn) and _played(run, 0, 99) == 0.0
    assert [i.reason for i in run.of(Ignored)] == ["not addressed"]
    assert core.conversation.turns == [], "the dropped draft left no trace in the history"


def _taken_up(gap_s: float, other_voice: bool) -> tuple[Run, object]:
    """A question, then after `gap_s` of silence 1 s of speech the judge calls side talk (and, if
    `other_voice`, another voice at the question's level)."""
    run = Run(fake_models(FakeJudge(("query", 0.9), ("side", 0.9), other_voice=other_voice)))

    async def body(core):
        await feed(core, np.concatenate([silence(0.5), speech(1.5), silence(gap_s), speech(1.0, seed=3),
                                         silence(4.0)]), run)
        return core

    return run, scenario(run, profile(), body)


def test_a_question_another_voice_takes_up_is_let_go_and_forgotten():
    # (an answer still waiting for its release when the reply begins: test_turns.py; here the judge
    # keeps up, so the answer has begun when the other voice does)
    run, core = _taken_up(0.6, other_voice=True)
    gone = run.of(Withdrawn)
    assert [(w.segment, w.by) for w in gone] == [(0, 1)]
    assert _played(run, gone[0].t + 0.1, 99) == 0.0, "nothing more of the answer is heard"
    assert core.conversation.turns == [], "the question and its answer left the history"
    run, core = _taken_up(0.8, other_voice=False)
    assert not run.of(Withdrawn) and [t.role for t in core.conversation.turns] == ["user", "assistant"]


@pytest.mark.parametrize("token", ["noise", "side"])
def test_the_third_turn_of_a_talk_is_judged_with_the_conversation_penalty(token):
    # (and the second already, when the first was judged said to someone else)
    judge = FakeJudge((token, 0.9))
    run = Run(fake_models(judge))

    async def body(core):
        turns = [silence(0.5)]
        for k in range(3):
            turns += [speech(1.2, seed=k + 4), silence(0.6)]
        await feed(core, np.concatenate([*turns, silence(2.0)]), run)
        return core

    scenario(run, profile(), body)
    pol = load_profile("embedded").policy
    weights = {(c.before[0] if c.before else None): c.exchange_weight for c in judge.calls}
    talk = pol.exchange_log_odds + pol.conversation_log_odds
    assert weights == {None: pol.exchange_log_odds, 0: talk if token == "side" else pol.exchange_log_odds,
                       1: talk}, weights


def test_side_talk_holds_then_plays_softly_then_at_full_volume_and_loses_no_word():
    run, core = _barge(("side", 0.9))
    onset = next(e for e in run.of(SpeechStart) if e.assistant_speaking)
    ducks = run.of(Duck)
    assert ducks[0].on and ducks[0].gain_db == HELD_DB and ducks[0].t - onset.t <= 0.02, "held in the onset's frame"
    first_verdict = run.of(StateToken)[0]
    soft, back = ducks[1], ducks[-1]
    assert soft.on and soft.gain_db == core.profile.policy.talk_over_db and soft.t == first_verdict.t
    assert _played(run, ducks[0].t + 0.04, soft.t) == 0.0, "silent, not lost, until the verdict"
    assert 0.05 < _played(run, soft.t + 0.04, back.t - 0.02) < 0.15, "softly while the side talk goes on"
    assert not back.on and back.t > 3.0 and back.lost_s == 0.0, "full volume only once the talk ended (3.0 s)"
    assert back.again_s >= back.t - soft.t - 0.05, "what played softly under the talk is said again"
    end = run.of(StateToken)[-1]
    assert 0 <= back.t - end.t - core.profile.policy.say_again_after_s <= 0.04, "a little after the verdict on its end"
    assert not run.of(Interrupt) and run.of(Ignored)[-1].reason == "not addressed"
    assert core.playout.duck_gain == 1.0 and _played(run, back.t + 0.04, back.t + 1) > 0.25
    assert core.conversation.turns[1].text.endswith("west."), "nothing of the answer was lost"


def test_a_plain_duck_counts_the_words_lost_under_it():
    run, core = _barge(("side", 0.9), prof=profile(duck_mode="duck"), words=1.0)
    ducks = run.of(Duck)
    assert ducks[0].gain_db == core.profile.policy.duck_db
    assert 0 < _played(run, ducks[0].t + 0.04, ducks[1].t) < 0.05, "ducked, playing on"
    assert ducks[-1].lost_s > 0.1, "what played under the duck is reported lost"
    assert ducks[-1].again_s >= ducks[-1].lost_s, "... and said again"


def test_with_say_again_off_the_answer_goes_on_from_where_it_is():
    run, core = _barge(("side", 0.9), prof=profile(say_again_max_s=0.0))
    assert run.of(Duck)[-1].again_s == 0.0 and core.conversation.turns[1].text.endswith("west.")


def test_a_query_pauses_the_answer_then_interrupts_and_swaps_at_the_end_of_the_utterance():
    run, core = _barge(("query", 0.9))
    verdicts = run.of(StateToken)
    first, last = verdicts[0], next(v for v in verdicts if v.final)
    paused = run.of(Paused)
    assert len(paused) == 1 and paused[0].t == first.t and paused[0].p == 0.9
    cut = run.of(Interrupt)
    assert len(cut) == 1 and cut[0].t == last.t, "the whole utterance's verdict interrupts at once"
    assert _played(run, first.t, cut[0].t) == 0.0, "silent from the confident partial on"
    assert any(e.t >= cut[0].t for e in run.of(RolesSwapped))
    heard = run.of(ReplyHeard)[0]
    story = core.conversation.turns[1]
    assert story.text == heard.text + " …" and 0 < len(heard.text.split()) < 15, "history keeps what was heard"
    assert [t.role for t in core.conversation.turns] == ["user", "assistant", "user", "assistant"]
    assert _played(run, cut[0].t + 0.1, cut[0].t + 2) > 0.25, "the barge-in is answered at full volume"


def test_a_paused_answer_resumes_where_it_stopped_when_the_utterance_is_side_talk():
    run, core = _barge(("query", 0.9), ("side", 0.9))
    assert not run.of(Interrupt)
    pause = run.of(Paused)[0]
    resumed = next(e for e in run.of(Duck) if not e.on)
    tentative = next(v for v in run.of(StateToken) if v.t == resumed.t)
    assert not tentative.final and tentative.token == "side", "resumed at the tentative end's verdict"
    assert _played(run, pause.t, resumed.t) == 0.0 and _played(run, resumed.t + 0.04, resumed.t + 1) > 0.25
    assert core.conversation.turns[1].text.endswith("west."), "nothing of the answer was lost"


def test_side_talk_after_an_unsure_partial_stays_held_until_the_next_verdict():
    p = profile().policy.barge_in_min_p_query - 0.1
    run, _ = _barge(("query", p), ("side", 0.9))
    verdicts = run.of(StateToken)
    assert verdicts[0].token == "query" and verdicts[1].token == "side"
    assert [d.t for d in run.of(Duck) if d.on and d.gain_db > HELD_DB] == [verdicts[1].t], "softened at the side verdict"
    assert _played(run, verdicts[0].t, verdicts[1].t) == 0.0, "held on while unsure"
    assert not run.of(Interrupt)


def test_an_unsure_query_keeps_the_assistant_talking():
    p = profile().policy.barge_in_min_p_query - 0.2
    run, _ = _barge(("query", p))
    assert not run.of(Interrupt)
    assert run.of(Ignored)[-1].reason == "unsure" and abs(run.of(Ignored)[-1].p - p) < 1e-6


def _two_questions(run: Run) -> object:
    async def body(core):
        t = await feed(core, QUESTION, run)
        await feed(core, np.concatenate([speech(1.5, seed=2), silence(14.0)]), run, t0=t)
        return core

    return scenario(run, profile(), body)


def test_a_failing_judge_is_an_error_event_and_the_next_question_is_answered():
    boom = RuntimeError("lm state: slot busy")
    run = Run(fake_models(FakeJudge(boom, boom, ("query", 0.95))))  # both versions of the first question fail
    _two_questions(run)
    assert len(run.of(Error)) == 2 and "slot busy" in run.of(Error)[0].message
    assert [e.segment for e in run.of(UserTurn)] == [1] and run.of(ReplyAudio), "the second question is answered"


def test_a_failing_tts_is_an_error_event_and_the_next_question_is_answered():
    run = Run(fake_models(tts=FakeTts(fail=1)))
    _two_questions(run)
    assert "voice file" in run.of(Error)[0].message
    assert len(run.of(UserTurn)) == 2 and run.of(ReplyAudio)[0].t > 5.0, "the second question is answered"


def test_a_failing_engine_is_an_error_event_and_the_next_question_is_answered():
    run = Run(fake_models(engine=FakeEngine(fail=1)))
    _two_questions(run)
    assert "connection refused" in run.of(Error)[0].message
    assert len(run.of(UserTurn)) == 2 and run.of(ReplyAudio)[0].t > 5.0, "the second question is answered"


def test_the_second_question_is_transcribed_with_the_first_turn_as_whispers_previous_text():
    judge = FakeJudge(texts=["what is the capital of france", "and what river flows through it"])
    run = Run(fake_models(judge))

    async def body(core):
        await feed(core, np.concatenate([QUESTION, silence(12.0), speech(1.5, seed=2), silence(3.0)]), run)
        return core

    core = scenario(run, profile(), body)
    assert judge.calls[0].recent == "", "nothing was said before the first question"
    later = [c.recent for c in list(judge.calls)[1:]]
    assert later and "what is the capital of france" in later[-1], later
    assert core.conversation.turns[1].text in later[-1], "with the answer it got"
    off = Run(fake_models(FakeJudge(texts=["one", "two"])))
    scenario(off, load_profile("embedded", models={"asr_context": False}), body)
    assert all(c.recent == "" for c in off.models.judge.calls)


class _AnsweredByAnother(FakeJudge):
    """Speech judged with other speech just before it (the question it may answer) is another voice's
    side talk; any other speech is a query."""

    def judge(self, pcm, ctx):  # type: ignore[no-untyped-def]
        self.script = [("side", 0.9) if ctx.before is not None else ("query", 0.95)]
        return super().judge(pcm, ctx)


def test_an_answer_cut_by_a_question_someone_else_answers_goes_on_from_its_sentence():
    run = Run(fake_models(_AnsweredByAnother(other_voice=True)))

    async def body(core):
        core.ask("Tell me a long story about a dragon.")
        await feed(core, np.concatenate([silence(1.5), speech(1.5, seed=1), silence(0.5), speech(1.2, seed=3),
                                         silence(8.0)]), run)
        return core

    core = scenario(run, profile(), body)
    cut, gone, back = run.of(Interrupt), run.of(Withdrawn), run.of(Resumed)
    assert len(cut) == 1 and len(gone) == 1 and len(back) == 1, run.events
    assert back[0].cut == cut[0].reply and back[0].text.startswith("As I was saying, Once upon a time")
    assert _played(run, back[0].t + 0.3, back[0].t + 2.0) > 0.25, "heard at full volume"
    said = [t.text for t in core.conversation.turns]
    assert said[0] == "Tell me a long story about a dragon." and said[1].endswith("…") and said[2] == back[0].text, \
        "the question someone else answered left the history; the cut answer and its rest stay"
