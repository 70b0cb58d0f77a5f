"""The turn-taking rules, one test per rule the README states: pure, no models, no event loop."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from assistant.core.actions import (
    Draft,
    Drop,
    Duck,
    Extend,
    Heard,
    HoldTts,
    Ignore,
    Interrupt,
    Judge,
    Now,
    Pause,
    Read,
    Release,
    Resume,
    Soften,
    Swap,
    Unduck,
    Withdraw,
)
from assistant.core.options import PolicyOptions
from assistant.core.turns import SOFT_MAX_S, TurnTaker
from audio.segmenter import Segment, SpeechOnset

POLICY = PolicyOptions()
TALKING, QUIET = True, False


def seg(sid: int, stage: str, end: float = 2.0, start: float = 1.0, speech_end: float | None = None) -> Segment:
    return Segment(sid, start - 0.2, end, start, np.zeros(16, np.float32), stage,  # type: ignore[arg-type]
                   speech_end if speech_end is not None else end - 0.1)


def talking(policy: PolicyOptions = POLICY) -> TurnTaker:
    """Rules with an answer (reply 0) playing."""
    tt = TurnTaker(policy)
    tt.on_typed("tell me a story", Now(0.0, QUIET))
    return tt


def judged(tt: TurnTaker, s: Segment, token: str, p: float, t: float, speaking: bool) -> list:
    now = Now(t, speaking)
    assert tt.admit(s, now), "the version goes to the judge"
    assert any(isinstance(a, Judge) for a in tt.on_segment(s, now))
    return tt.on_judged(s, "words", token, p, now)


def kinds(acts: list) -> list[type]:
    return [type(a) for a in acts]


def test_an_onset_while_talking_ducks_and_holds_tts():
    tt = talking()
    acts = tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    assert Duck(1) in acts and HoldTts(True) in acts


def test_an_onset_while_idle_does_nothing():
    assert TurnTaker(POLICY).on_onset(SpeechOnset(0, 1.0), Now(1.0, QUIET)) == []


def test_side_talk_partial_softens_and_its_end_restores_the_volume():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    acts = judged(tt, seg(1, "partial", end=1.5), "side", 0.9, 1.9, TALKING)
    assert acts == [Soften(1), HoldTts(False)], "plays on lower while the talk goes on: never full volume mid-utterance"
    assert judged(tt, seg(1, "partial", end=1.8), "side", 0.9, 2.1, TALKING) == [], "no flip-flop"
    acts = judged(tt, seg(1, "final", end=3.0), "side", 0.9, 3.2, TALKING)
    assert acts == [Ignore(1, "not addressed", 0.9)], "soft a little longer: the talk may go on in a new segment"
    assert tt.on_tick(Now(3.2 + POLICY.say_again_after_s / 2, TALKING)) == []
    assert tt.on_tick(Now(3.21 + POLICY.say_again_after_s, TALKING)) == [Unduck(1)]


def test_speech_beginning_while_soft_talk_lingers_holds_the_answer_again():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    judged(tt, seg(1, "partial", end=1.5), "side", 0.9, 1.9, TALKING)
    judged(tt, seg(1, "final", end=3.0), "side", 0.9, 3.2, TALKING)
    assert Duck(2) in tt.on_onset(SpeechOnset(2, 3.4), Now(3.4, TALKING))
    assert not any(isinstance(a, Unduck) for a in tt.on_tick(Now(4.5, TALKING))), "the new speech's verdict decides"


def test_a_query_after_a_side_talk_partial_still_pauses_the_answer():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    judged(tt, seg(1, "partial", end=1.5), "side", 0.6, 1.9, TALKING)  # "can we…" read as side talk
    acts = judged(tt, seg(1, "partial", end=1.8), "query", 0.9, 2.1, TALKING)
    assert Pause(1, 0, 0.9) in acts and HoldTts(True) in acts
    acts = judged(tt, seg(1, "final", end=2.6), "query", 0.9, 2.8, TALKING)
    assert Interrupt(1, 0) in acts


def test_after_a_confident_partial_a_lower_paused_bar_lets_a_less_sure_query_final_interrupt():
    policy = replace(POLICY, barge_in_paused_min_p_query=0.5)
    tt = talking(policy)
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    judged(tt, seg(1, "partial", end=1.5), "query", 0.95, 1.8, TALKING)
    p = 0.6
    acts = judged(tt, seg(1, "final", end=3.0), "query", p, 3.2, TALKING)
    assert Interrupt(1, 0) in acts
    tt = talking(policy)  # not paused first: unsure
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    assert Ignore(1, "unsure", p) in judged(tt, seg(1, "final", end=3.0), "query", p, 3.2, TALKING)


def test_a_side_talk_tentative_end_restores_the_volume():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    acts = judged(tt, seg(1, "tentative", end=2.0), "side", 0.9, 2.2, TALKING)
    assert Unduck(1) in acts and not any(isinstance(a, Ignore) for a in acts)


def test_a_tentative_end_of_talk_already_played_softly_over_stays_soft_until_the_final():
    """Two people trade lines over the answer: the pause between them is a tentative end, not the talk's end (the
    clauses played softly are said again at the final: at full volume over the second line, they were lost)."""
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    assert Soften(1) in judged(tt, seg(1, "partial", end=1.5), "side", 0.6, 1.9, TALKING)
    assert judged(tt, seg(1, "tentative", end=2.0), "side", 0.6, 2.2, TALKING) == []
    assert judged(tt, seg(1, "final", end=4.0), "side", 0.8, 4.2, TALKING) == [Ignore(1, "not addressed", 0.8)]
    assert tt.on_tick(Now(4.21 + POLICY.say_again_after_s, TALKING)) == [Unduck(1)]


def test_a_verdict_on_one_segment_does_not_lift_the_hold_of_speech_that_began_after_it():
    """Meeting talk over the answer: the next person began before the last one was judged; the first's
    verdict restored the volume over the second's words (the listener lost them)."""
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    tt.on_onset(SpeechOnset(2, 1.7), Now(1.7, TALKING))
    acts = judged(tt, seg(1, "final", end=1.5), "side", 0.7, 2.0, TALKING)
    assert Ignore(1, "not addressed", 0.7) in acts and not any(isinstance(a, Unduck) for a in acts)
    assert judged(tt, seg(2, "partial", end=2.2), "side", 0.7, 2.4, TALKING)[0] == Soften(2)
    judged(tt, seg(2, "final", end=3.0), "side", 0.7, 3.2, TALKING)
    assert tt.on_tick(Now(3.21 + POLICY.say_again_after_s, TALKING)) == [Unduck(2)]


def test_talk_going_on_after_a_tentative_end_is_softened_again():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    assert Unduck(1) in judged(tt, seg(1, "tentative", end=1.6), "side", 0.9, 1.8, TALKING)
    assert judged(tt, seg(1, "partial", end=2.4), "side", 0.9, 2.6, TALKING)[0] == Soften(1), "not full volume mid-talk"
    judged(tt, seg(1, "final", end=3.0), "side", 0.9, 3.2, TALKING)
    assert tt.on_tick(Now(3.21 + POLICY.say_again_after_s, TALKING)) == [Unduck(1)]


def test_noise_final_is_ignored_as_noise():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    assert Ignore(1, "noise", 0.97) in judged(tt, seg(1, "final"), "noise", 0.97, 2.5, TALKING)


def test_an_unsure_query_partial_stays_ducked_and_an_unsure_final_is_ignored():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    p = POLICY.barge_in_min_p_query - 0.1
    acts = judged(tt, seg(1, "partial", end=1.5), "query", p, 1.8, TALKING)
    assert not any(isinstance(a, Unduck | Pause | Interrupt) for a in acts), "listen on, still ducked"
    acts = judged(tt, seg(1, "final", end=3.0), "query", p, 3.2, TALKING)
    assert Unduck(1) in acts and Ignore(1, "unsure", p) in acts and not any(isinstance(a, Interrupt) for a in acts)


def test_a_confident_query_partial_pauses_the_answer():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    acts = judged(tt, seg(1, "partial", end=1.5), "query", 0.9, 1.8, TALKING)
    assert acts == [Pause(1, 0, 0.9)], "paused (TTS stays held), nothing cut yet"
    assert tt.on_tick(Now(60.0, TALKING)) == [], "a pause never times out"


def test_a_paused_answer_resumes_at_a_tentative_end_that_is_not_a_query():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    judged(tt, seg(1, "partial", end=1.5), "query", 0.9, 1.8, TALKING)
    assert judged(tt, seg(1, "partial", end=1.8), "side", 0.9, 2.1, TALKING) == [], "the end of the utterance decides"
    acts = judged(tt, seg(1, "tentative", end=2.4), "side", 0.7, 2.6, TALKING)
    assert acts == [Unduck(1), HoldTts(False)]


def test_a_final_query_interrupts_swaps_and_answers():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    judged(tt, seg(1, "partial", end=1.5), "query", 0.9, 1.8, TALKING)
    acts = judged(tt, seg(1, "final", end=3.0), "query", 0.95, 3.2, TALKING)
    assert kinds(acts) == [Interrupt, Unduck, Swap, Draft, Release, HoldTts]
    assert acts[0] == Interrupt(1, 0) and acts[3] == Draft(1, 1, "words") and acts[4] == Release(1, 1, "words")


def test_without_confirm_on_final_a_confident_partial_interrupts_and_the_new_generator_judges_the_rest():
    tt = talking(replace(POLICY, confirm_on_final=False))
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    acts = judged(tt, seg(1, "partial", end=1.5), "query", 0.9, 1.8, TALKING)
    assert kinds(acts) == [Interrupt, Unduck, Swap, HoldTts]
    final = seg(1, "final", end=3.0)
    assert tt.on_segment(final, Now(3.1, QUIET)) == [Judge(1, "generator")]
    acts = tt.on_judged(final, "words", "query", 0.9, Now(3.3, QUIET))
    assert kinds(acts) == [Draft, Release], "no second swap"


def test_an_idle_tentative_query_drafts_and_the_final_releases_it_without_a_new_verdict():
    tt = TurnTaker(POLICY)
    tent = seg(0, "tentative", end=2.16, speech_end=2.0)
    assert tt.admit(tent, Now(2.2, QUIET))
    assert tt.on_segment(tent, Now(2.2, QUIET)) == [Judge(0, "monitor")]
    assert kinds(tt.on_judged(tent, "what time is it", "query", 0.9, Now(2.4, QUIET))) == [Swap, Draft]
    final = seg(0, "final", end=2.4, speech_end=2.0)
    acts = tt.on_segment(final, Now(2.5, QUIET))
    assert acts == [Heard(0, 1.0, 2.4, "what time is it"), Release(0, 0, "what time is it")]


def test_speech_after_a_tentative_end_drops_the_draft_and_judges_the_whole_segment():
    tt = TurnTaker(POLICY)
    tent = seg(0, "tentative", end=2.16, speech_end=2.0)
    tt.on_segment(tent, Now(2.2, QUIET))
    tt.on_judged(tent, "what time", "query", 0.9, Now(2.4, QUIET))
    final = seg(0, "final", end=3.5, speech_end=3.1)
    assert tt.on_segment(final, Now(3.6, QUIET)) == [Drop(0), Judge(0, "generator")]
    assert kinds(tt.on_judged(final, "what time is it in Rome", "query", 0.9, Now(3.8, QUIET))) == [Draft, Release]


def test_idle_side_talk_is_ignored_and_idle_partials_are_only_read_ahead():
    tt = TurnTaker(POLICY)
    assert not tt.admit(seg(0, "partial", end=1.4), Now(1.4, QUIET)), "too short to be worth reading"
    long = seg(0, "partial", end=2.0)
    assert tt.admit(long, Now(2.0, QUIET))
    assert tt.on_segment(long, Now(2.0, QUIET)) == [Read(0, "monitor")], "read into the next generator, not judged"
    acts = judged(tt, seg(0, "final"), "side", 0.8, 2.5, QUIET)
    assert acts == [Ignore(0, "not addressed", 0.8)]
    assert not TurnTaker(replace(POLICY, read_partials=False)).admit(long, Now(2.0, QUIET))


def test_the_duck_softens_without_a_verdict_and_ends_after_soft_max_s():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    assert tt.on_tick(Now(1.0 + POLICY.duck_max_s - 0.02, TALKING)) == []
    t = 1.0 + POLICY.duck_max_s + 0.02
    assert Soften(1) in tt.on_tick(Now(t, TALKING))
    assert tt.on_tick(Now(t + SOFT_MAX_S - 0.02, TALKING)) == []
    assert Unduck(1) in tt.on_tick(Now(t + SOFT_MAX_S + 0.02, TALKING))


def test_a_new_onset_over_a_softened_answer_holds_it_again():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    judged(tt, seg(1, "partial", end=1.5), "side", 0.9, 1.9, TALKING)
    assert Duck(2) in tt.on_onset(SpeechOnset(2, 3.0), Now(3.0, TALKING))


def test_tts_hold_ends_at_the_verdict_or_after_tts_hold_s():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    assert HoldTts(False) in tt.on_tick(Now(1.0 + POLICY.tts_hold_s + 0.02, TALKING))


def test_a_segment_that_began_over_speech_is_judged_after_the_answer_ended():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    late = seg(1, "partial", end=1.6)
    assert tt.admit(late, Now(1.7, QUIET)) and tt.on_segment(late, Now(1.7, QUIET)) == [Judge(1, "monitor")]


def test_a_barge_in_partial_too_short_to_judge_waits():
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    short = seg(1, "partial", end=1.0 + POLICY.barge_in_min_speech_ms / 1000 - 0.05)
    assert not tt.admit(short, Now(1.3, TALKING))


@pytest.mark.parametrize("failure_then", ["query", "side"])
def test_a_failed_judge_leaves_the_rules_ready_for_the_next_segment(failure_then):
    tt = TurnTaker(POLICY)
    tt.on_segment(seg(0, "final"), Now(2.5, QUIET))
    tt.forget_judging()
    acts = judged(tt, seg(1, "final", start=4.0, end=5.0), failure_then, 0.9, 5.2, QUIET)
    assert (Release in kinds(acts)) == (failure_then == "query")


def heard(tt: TurnTaker, s: Segment, words: str, t: float = 2.2) -> list:
    """The judge has the words of version `s` (idle), the verdict is still being worked out."""
    assert tt.on_segment(s, Now(t - 0.1, QUIET)) == [Judge(s.seg_id, "monitor")]
    return tt.on_heard(s, words, Now(t, QUIET))


@pytest.mark.parametrize("words, waits", [
    ("What is the capital of?", True), ("Which planet is", True), ("Tell me the name of...", True),
    ("How many legs does?", True), ("What is the capital of Italy?", False), ("Who wrote Hamlet?", False),
    ("Which planet do we live on?", False), ("Do you know what time it is?", False),
    ("Explain what a computer does.", False),
])
def test_an_idle_sentence_that_sounds_unfinished_waits_for_the_rest(words, waits):
    acts = heard(TurnTaker(POLICY), seg(0, "tentative"), words)
    assert acts == ([Extend(0, POLICY.unfinished_hangover_ms)] if waits else [Draft(0, 0, words, "monitor")])


def test_the_answer_is_drafted_before_the_verdict_and_kept_on_query():
    tt = TurnTaker(POLICY)
    assert heard(tt, seg(0, "tentative"), "what time is it") == [Draft(0, 0, "what time is it", "monitor")]
    assert tt.on_judged(seg(0, "tentative"), "what time is it", "query", 0.9, Now(2.5, QUIET)) == [Swap()], \
        "the replica that drafted it becomes the generator; no second draft"
    final = seg(0, "final", end=2.4, speech_end=1.9)  # no speech since the tentative end
    assert kinds(tt.on_segment(final, Now(2.5, QUIET))) == [Heard, Release]


def test_a_draft_begun_before_the_verdict_is_dropped_unless_query():
    tt = TurnTaker(POLICY)
    heard(tt, seg(0, "tentative"), "did you feed the dog")
    assert tt.on_judged(seg(0, "tentative"), "did you feed the dog", "side", 0.9, Now(2.5, QUIET)) == [Drop(0)]
    final = seg(0, "final", end=2.4, speech_end=1.9)
    assert tt.on_segment(final, Now(2.5, QUIET)) == [Heard(0, 1.0, 2.4, "did you feed the dog"),
                                                     Ignore(0, "not addressed", 0.9)]
    tt = TurnTaker(POLICY)
    heard(tt, seg(0, "tentative"), "what time is it")
    assert tt.forget_judging() == [Drop(0)], "a failed judge drops its early draft"
    assert heard(TurnTaker(replace(POLICY, draft_before_verdict=False)), seg(0, "tentative"), "what time is it") == []


def test_only_an_idle_judged_version_is_heard_early():
    assert TurnTaker(POLICY).on_heard(seg(0, "tentative"), "What is the capital of", Now(2.2, QUIET)) == [], \
        "not being judged"
    tt = talking()
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
    assert tt.on_heard(seg(1, "tentative"), "What is the capital of", Now(2.2, TALKING)) == [], "a barge-in is judged"


def test_speech_soon_after_an_answer_is_judged_leaning_to_query_and_later_speech_is_not():
    tt = talking()
    for t in (1.0, 2.0, 3.0):  # the answer plays until 3.0 s
        tt.on_tick(Now(t, TALKING))
    tt.on_tick(Now(3.5, QUIET))
    w = POLICY.followup_window_s
    tt.on_onset(SpeechOnset(1, 3.0 + w - 0.5), Now(3.0 + w - 0.5, QUIET))
    s1 = seg(1, "tentative", end=3.0 + w + 1, start=3.0 + w - 0.5)
    assert tt.on_segment(s1, Now(3.0 + w + 1, QUIET)) == [Judge(1, "monitor", POLICY.followup_log_odds, False)], \
        "long after its last words: not its own voice (a user may repeat them: 'the capital of France?')"
    tt.on_judged(s1, "and how tall is it", "side", 0.9, Now(3.0 + w + 1.2, QUIET))
    tt.on_onset(SpeechOnset(2, 3.0 + w + 0.5), Now(3.0 + w + 2, QUIET))
    s2 = seg(2, "tentative", end=3.0 + w + 3, start=3.0 + w + 2)
    assert tt.on_segment(s2, Now(3.0 + w + 3, QUIET)) == [Judge(2, "monitor", 0.0, False)], "too long after it"
    tt.on_onset(SpeechOnset(3, 3.0 + w + 5), Now(3.0 + w + 5, QUIET))
    tt.on_tick(Now(3.0 + w + 5.1, TALKING))
    tt.on_tick(Now(3.0 + w + 5.2, QUIET))
    tt.on_onset(SpeechOnset(4, 3.0 + w + 5.5), Now(3.0 + w + 5.5, QUIET))
    s4 = seg(4, "tentative", end=3.0 + w + 7, start=3.0 + w + 5.5)
    assert tt.on_segment(s4, Now(3.0 + w + 7, QUIET)) == [Judge(4, "monitor", POLICY.followup_log_odds, True)], \
        "0.3 s after its last words: may be its own voice coming back"


def test_speech_soon_after_other_speech_is_judged_with_it_unless_the_assistant_spoke_between():
    tt = TurnTaker(POLICY)
    tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, QUIET))
    tt.admit(seg(1, "tentative", end=2.7, start=1.0, speech_end=2.5), Now(2.7, QUIET))
    w = POLICY.exchange_window_s
    tt.on_onset(SpeechOnset(2, 2.5 + w - 0.2), Now(2.5 + w - 0.2, QUIET))
    s2 = seg(2, "tentative", end=2.5 + w + 1.5, start=2.5 + w - 0.2, speech_end=2.5 + w + 1.3)
    tt.admit(s2, Now(s2.end, QUIET))
    assert tt.on_segment(s2, Now(s2.end, QUIET)) == [Judge(2, "monitor", 0.0, False, 1)], "a reply to segment 1?"
    later = s2.speech_end + w + 0.5
    tt.on_onset(SpeechOnset(3, later), Now(later, QUIET))
    s3 = seg(3, "tentative", end=later + 1.0, start=later)
    assert tt.on_segment(s3, Now(later + 1.0, QUIET)) == [Judge(3, "monitor", 0.0, False)], "too long after it"
    tt.admit(s3, Now(later + 1.0, QUIET))
    tt.on_tick(Now(later + 1.1, TALKING))  # the assistant says something in between
    tt.on_tick(Now(later + 1.3, QUIET))
    tt.on_onset(SpeechOnset(4, later + 1.5), Now(later + 1.5, QUIET))
    s4 = seg(4, "tentative", end=later + 2.5, start=later + 1.5)
    assert tt.on_segment(s4, Now(later + 2.5, QUIET))[-1].after_voice is None, "it answers the assistant, not segment 3"


def asked_then_taken_up_before_the_final(other_voice: bool, token: str = "side") -> tuple[TurnTaker, list, list]:
    """ "Dad, how much was the petrol?" (segment 0, a query at its tentative end), and another voice
    begins 0.5 s after its last word, before its final: the answer waits for that speech's verdict."""
    tt = TurnTaker(POLICY)
    tt.on_onset(SpeechOnset(0, 1.0), Now(1.0, QUIET))
    tent = seg(0, "tentative", end=2.16, speech_end=2.0)
    tt.admit(tent, Now(2.2, QUIET))
    tt.on_segment(tent, Now(2.2, QUIET))
    tt.on_heard(tent, "how much was the petrol", Now(2.3, QUIET))
    tt.on_judged(tent, "how much was the petrol", "query", 0.8, Now(2.4, QUIET))
    tt.on_onset(SpeechOnset(1, 2.5), Now(2.5, QUIET))
    final = seg(0, "final", end=2.4, speech_end=2.0)
    tt.admit(final, Now(2.6, QUIET))
    waiting = tt.on_segment(final, Now(2.6, QUIET))
    reply = seg(1, "tentative", end=3.5, start=2.5, speech_end=3.3)
    tt.admit(reply, Now(3.5, QUIET))
    judge = tt.on_segment(reply, Now(3.5, QUIET))
    assert judge == [Judge(1, "monitor", 0.0, False, 0)], "judged with the question at hand (whose voice?)"
    assert tt.on_heard(reply, "about fifty pounds", Now(3.6, QUIET)) == [], "the waiting answer keeps its place"
    return tt, waiting, tt.on_judged(reply, "about fifty pounds", token, 0.8, Now(3.7, QUIET), other_voice)


def test_a_question_another_voice_takes_up_before_its_answer_is_released_is_let_go():
    _, waiting, acts = asked_then_taken_up_before_the_final(other_voice=True)
    assert waiting == [Heard(0, 1.0, 2.4, "how much was the petrol")], "not released: someone began to answer"
    assert acts[0] == Withdraw(0, 0, 1) and Release not in kinds(acts)


def test_an_answer_waiting_on_the_same_voice_or_on_a_new_query_is_released_or_dropped():
    _, _, acts = asked_then_taken_up_before_the_final(other_voice=False)
    assert acts[0] == Release(0, 0, "how much was the petrol"), "the same voice going on: the answer plays"
    _, _, acts = asked_then_taken_up_before_the_final(other_voice=True, token="query")
    assert acts[0] == Drop(0) and Draft in kinds(acts), "a new question (anyone's) is answered instead"
    tt, _, _ = asked_then_taken_up_before_the_final(other_voice=False)
    tt.on_onset(SpeechOnset(2, 9.0), Now(9.0, QUIET))  # long after: nothing waits
    tent = seg(2, "tentative", end=10.2, start=9.0, speech_end=10.0)
    tt.admit(tent, Now(10.2, QUIET))
    tt.on_segment(tent, Now(10.2, QUIET))
    tt.on_judged(tent, "what time is it", "query", 0.9, Now(10.4, QUIET))
    assert kinds(tt.on_segment(seg(2, "final", end=10.4, start=9.0, speech_end=10.0), Now(10.5, QUIET))) == \
        [Heard, Release]


def answering(policy: PolicyOptions = POLICY) -> TurnTaker:
    """Rules that heard a question (segment 0, its last word at 2.0 s) and released its answer (reply 0)."""
    tt = TurnTaker(policy)
    tt.on_onset(SpeechOnset(0, 1.0), Now(1.0, QUIET))
    final = seg(0, "final", end=2.4, speech_end=2.0)
    tt.admit(final, Now(2.4, QUIET))
    tt.on_segment(final, Now(2.4, QUIET))
    assert kinds(tt.on_judged(final, "what time is the film", "query", 0.9, Now(2.6, QUIET))) == [Swap, Draft, Release]
    return tt


def test_a_playing_answer_to_a_question_another_voice_takes_up_is_cut_and_forgotten():
    tt = answering()
    tt.on_onset(SpeechOnset(1, 3.0), Now(3.0, TALKING))  # another voice, 1 s after the question, over the answer
    blip = seg(1, "partial", end=3.4, start=3.0)
    tt.admit(blip, Now(3.4, TALKING))
    assert tt.on_segment(blip, Now(3.4, TALKING)) == [Judge(1, "monitor", after_voice=0)]
    acts = tt.on_judged(blip, "writing", "side", 0.7, Now(3.6, TALKING), other_voice=True)
    assert Withdraw not in kinds(acts), "0.3 s over a playing answer: too short to tell a voice (its own echo, often)"
    part = seg(1, "partial", end=4.2, start=3.0)
    tt.admit(part, Now(4.2, TALKING))
    assert tt.on_segment(part, Now(4.2, TALKING)) == [Judge(1, "monitor", after_voice=0)]
    acts = tt.on_judged(part, "half past eight", "side", 0.7, Now(4.4, TALKING), other_voice=True)
    assert acts[:2] == [Withdraw(0, 0, 1), Unduck(1)]
    tt = answering()  # the same, the speech in the asker's own voice: the answer plays on
    tt.on_onset(SpeechOnset(1, 3.0), Now(3.0, TALKING))
    tt.admit(part, Now(4.2, TALKING))
    tt.on_segment(part, Now(4.2, TALKING))
    assert Withdraw not in kinds(tt.on_judged(part, "hmm", "side", 0.7, Now(4.4, TALKING)))


def test_speech_long_after_a_question_is_not_taken_as_its_reply():
    tt = answering()
    t = 2.0 + POLICY.exchange_window_s + 1.0
    tt.on_onset(SpeechOnset(1, t), Now(t, TALKING))
    part = seg(1, "partial", end=t + 0.4, start=t)
    tt.admit(part, Now(t + 0.4, TALKING))
    assert tt.on_segment(part, Now(t + 0.4, TALKING)) == [Judge(1, "monitor")]
    assert Withdraw not in kinds(tt.on_judged(part, "mm", "side", 0.7, Now(t + 0.6, TALKING), other_voice=True))
    off = answering(replace(POLICY, taken_up_withdraws=False))
    off.on_onset(SpeechOnset(1, 2.5), Now(2.5, TALKING))
    off.admit(part, Now(2.9, TALKING))
    assert off.on_segment(part, Now(2.9, TALKING)) == [Judge(1, "monitor")]


@pytest.mark.parametrize("token", ["noise", "side"])
def test_the_third_turn_of_a_talk_between_voices_is_judged_as_a_conversation(token):
    """A1 "Mia, what did the doctor say?" → B "Rest for a week." → A2 "That's a relief.": each soon
    after the last; A2 is judged with B at hand and marked as a conversation (a stronger lean to side).
    B already is, when A1 was judged said to someone else (`side`): B answers in that talk."""
    tt, t = TurnTaker(POLICY), 1.0
    judges = []
    for sid in range(3):
        tt.on_onset(SpeechOnset(sid, t), Now(t, QUIET))
        s = seg(sid, "tentative", end=t + 1.2, start=t, speech_end=t + 1.0)
        tt.admit(s, Now(s.end, QUIET))
        judges.append(tt.on_segment(s, Now(s.end, QUIET))[-1])
        tt.on_judged(s, "words", token, 0.9, Now(s.end + 0.1, QUIET))
        final = seg(sid, "final", end=t + 1.4, start=t, speech_end=t + 1.0)
        tt.admit(final, Now(final.end, QUIET))
        tt.on_segment(final, Now(final.end, QUIET))
        t += 1.0 + 0.5  # the next one begins 0.5 s after this one's last word
    assert [(j.after_voice, j.conversation) for j in judges] == [(None, False), (0, token == "side"), (1, True)]
    t += POLICY.exchange_window_s + 1
    tt.on_onset(SpeechOnset(3, t), Now(t, QUIET))  # long after: a new start
    s = seg(3, "tentative", end=t + 1.2, start=t, speech_end=t + 1.0)
    tt.admit(s, Now(s.end, QUIET))
    assert tt.on_segment(s, Now(s.end, QUIET))[-1] == Judge(3, "monitor", 0.0, False)


def test_an_answer_waits_only_for_the_first_partial_long_enough_to_tell_the_voice():
    """Speech after the question that goes on (babble under a request, a long reply): its first
    partial of `barge_in_min_speech_ms` is judged for its voice alone and decides the waiting answer."""
    for other, want in ((True, Withdraw), (False, Release)):
        tt = TurnTaker(POLICY)
        tt.on_onset(SpeechOnset(0, 1.0), Now(1.0, QUIET))
        tent = seg(0, "tentative", end=2.16, speech_end=2.0)
        tt.admit(tent, Now(2.2, QUIET))
        tt.on_segment(tent, Now(2.2, QUIET))
        tt.on_judged(tent, "how many continents are there", "query", 0.95, Now(2.4, QUIET))
        tt.on_onset(SpeechOnset(1, 2.5), Now(2.5, QUIET))
        final = seg(0, "final", end=2.4, speech_end=2.0)
        tt.admit(final, Now(2.6, QUIET))
        assert Release not in kinds(tt.on_segment(final, Now(2.6, QUIET)))
        short = seg(1, "partial", end=2.7, start=2.5)
        assert not tt.admit(short, Now(2.7, QUIET)), "too short to tell a voice"
        part = seg(1, "partial", end=2.9, start=2.5)
        assert tt.admit(part, Now(2.9, QUIET))
        assert tt.on_segment(part, Now(2.9, QUIET)) == [Judge(1, "monitor", after_voice=0)]
        acts = tt.on_judged(part, "mumble", "query", 0.7, Now(3.1, QUIET), other_voice=other)
        assert kinds(acts) == [want], "decided on the voice alone; the babble's own verdict waits for its end"
        assert Judge not in kinds(tt.on_segment(seg(1, "partial", end=3.2, start=2.5), Now(3.2, QUIET))), "decided once"


def test_an_idle_segment_with_no_pause_in_max_segment_ms_is_not_a_turn():
    tt = TurnTaker(POLICY)
    tent = seg(0, "tentative", end=2.16, speech_end=2.0)
    heard(tt, tent, "I'll text her")
    tt.on_judged(tent, "I'll text her", "query", 0.75, Now(2.5, QUIET))
    capped = replace(seg(0, "final", end=16.0, speech_end=16.0), capped=True)
    assert tt.admit(capped, Now(16.0, QUIET))
    assert tt.on_segment(capped, Now(16.1, QUIET)) == [Drop(0), Ignore(0, "endless", 1.0)]


def test_an_answer_cut_by_a_question_another_voice_then_takes_up_is_resumed():
    """"Did you buy milk?" over the answer, and the other person answers it: the question was not for the
    assistant; its answer is let go and the answer it cut goes on (the shell says its rest)."""
    for resume in (True, False):
        tt = talking(replace(POLICY, resume_cut_answer=resume))
        tt.on_onset(SpeechOnset(1, 1.0), Now(1.0, TALKING))
        tt.on_onset(SpeechOnset(2, 2.3), Now(2.3, TALKING))  # the other person, 0.3 s after the question's last word
        final = seg(1, "final", end=2.4, speech_end=2.0)
        tt.admit(final, Now(2.4, TALKING))
        tt.on_segment(final, Now(2.4, TALKING))
        acts = tt.on_judged(final, "did you buy milk", "query", 0.9, Now(2.6, TALKING))
        assert Interrupt(1, 0) in acts and Release not in kinds(acts), "cut; its answer waits on the other voice"
        reply = seg(2, "tentative", end=3.5, start=2.3, speech_end=3.3)
        tt.admit(reply, Now(3.5, QUIET))
        tt.on_segment(reply, Now(3.5, QUIET))
        acts = tt.on_judged(reply, "yes it is in the fridge", "side", 0.8, Now(3.7, QUIET), other_voice=True)
        assert acts[0] == Withdraw(1, 1, 2)
        assert (Resume(2, 0) in acts) == resume
