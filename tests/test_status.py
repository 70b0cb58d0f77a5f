"""The state word a host screen and the page show (assistant/core/status.py), on fakes."""

from __future__ import annotations

from fakes import FakeJudge, Run, fake_models, feed, profile, scenario, silence, speech

from assistant.core.events import Status
from assistant.core.status import IGNORED_SHOW_S


def _states(judge: FakeJudge) -> list[tuple[float, str, str]]:
    run = Run(fake_models(judge))

    async def body(core):
        at = await feed(core, silence(0.5), run)
        at = await feed(core, speech(1.5), run, t0=at)
        at = await feed(core, silence(4.0), run, t0=at)
        core.mute(True)
        at = await feed(core, silence(1.0), run, t0=at)
        core.mute(False)
        await feed(core, silence(0.5), run, t0=at)

    scenario(run, profile(), body)
    return [(e.t, e.state, e.detail) for e in run.of(Status)]


def _collapsed(states: list[tuple[float, str, str]]) -> list[str]:
    return [s if not d else f"{s}: {d}" for _, s, d in states]


def test_a_question_goes_hearing_then_speaking_and_muted_is_shown():
    states = _collapsed(_states(FakeJudge(("query", 0.9))))
    assert states[:3] == ["listening", "hearing", "speaking"], "(drafted before its verdict: no time thinking)"
    assert states[-2:] == ["muted", "speaking"], "(the answer plays on; muting is the mic's)"


def test_side_talk_shows_ignored_for_a_moment():
    states = _states(FakeJudge(("side", 0.9)))
    assert _collapsed(states)[:3] == ["listening", "hearing", "ignored: not addressed"]
    ignored = next(t for t, s, _ in states if s == "ignored")
    back = next(t for t, s, _ in states if t > ignored)
    assert back - ignored >= IGNORED_SHOW_S - 0.05


def test_the_word_for_each_moment():
    from assistant.core.status import Observed, status_of

    def word(**kw) -> str:
        base = dict(t=10.0, muted=False, in_speech=False, thinking=False, playing=False, paused=False,
                    ignored_at=None, ignored_why="")
        return status_of(Observed(**{**base, **kw}))[0]

    assert word() == "listening"
    assert word(thinking=True) == "thinking", "a released turn, its answer not yet audible"
    assert word(in_speech=True, playing=True) == "speaking", "talked over: the answer still plays"
    assert word(paused=True, playing=True) == "paused"
    assert word(muted=True, playing=True) == "muted"
    assert word(ignored_at=9.0, ignored_why="noise") == "ignored"
    assert word(ignored_at=10.0 - IGNORED_SHOW_S - 0.01) == "listening"
