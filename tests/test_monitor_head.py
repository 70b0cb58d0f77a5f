"""The trained state head: the shipped weights, the trainer, and verdicts on fixed real clips."""

from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.training.head_fit import fit_mlp, fit_words
from assistant.training.monitor_data import _far
from audio import synth
from models.state_head import AUDIO_DIM, CUE_DIM, HEAD_PATH, LABELS, LM_DIM, StateHead


def test_shipped_head_loads_with_its_card_and_held_apart_metrics():
    head = StateHead.load()
    assert head.words.w.shape == (LM_DIM,) and head.w1.shape[0] == 1 + AUDIO_DIM + CUE_DIM
    assert head.w2.shape == (head.w1.shape[1], 3)
    p = head.probs(np.zeros((2, LM_DIM + AUDIO_DIM + CUE_DIM), np.float32))
    assert p.shape == (2, 3) and np.allclose(p.sum(axis=1), 1)
    card = HEAD_PATH.with_suffix(".md").read_text()
    assert "held-apart" in card.lower() and "make train-monitor" in card
    res = json.loads(HEAD_PATH.with_suffix(".json").read_text())["results"]
    full, lm = res["head (full)"], res["untrained LM judge + Whisper no-speech"]
    assert full["balanced_accuracy"] > lm["balanced_accuracy"], "the head must beat the untrained LM judge"


def test_trainer_is_deterministic_and_learns():
    """Toy data where the words tell query from side and the sound tells noise from speech."""
    rng = np.random.default_rng(3)
    y = np.repeat([0, 1, 2], 40)  # query, noise, side
    x = rng.standard_normal((y.size, LM_DIM + AUDIO_DIM + CUE_DIM)).astype(np.float32)
    x[:, 0] += 3 * (y == 0) - 3 * (y == 2)
    x[:, LM_DIM] += 4 * (y == 1)
    words = fit_words(x[y != 1, :LM_DIM], y[y != 1] == 0)
    inputs = StateHead.inputs(words, x)
    mask = np.ones(inputs.shape[1], np.float32)
    a, b = fit_mlp(inputs, y, mask, words, seed=1, epochs=150), fit_mlp(inputs, y, mask, words, seed=1, epochs=150)
    assert np.array_equal(a.w1, b.w1)
    assert np.mean(a.probs(x).argmax(axis=1) == y) > 0.9


def test_head_names_the_labels_like_the_state_tokens():
    from models.state_tokens import STATE_TOKENS

    assert set(LABELS) == set(STATE_TOKENS)


@pytest.mark.slow
def test_verdicts_on_fixed_clips(models):
    """Real clips through the real encoder, LM and head: a near query, far side talk, music, own voice."""
    rng = np.random.default_rng(7)
    room = synth.at_level(synth.pink(4.0, rng), -62)

    def clip(x: np.ndarray) -> np.ndarray:
        out = room[: x.size + 9600].copy()
        out[3200 : 3200 + x.size] += x[: out.size - 3200]
        return out

    own_line = "The first step is to gather your ingredients and preheat the oven."
    own = synth.at_level(models.tts.synthesize(own_line), -34)
    cases = {
        "query": (clip(synth.at_level(synth.espeak("Could you tell me how tall the Eiffel tower is?", "en-gb+m3"), -22)), ""),
        "side": (clip(synth.at_level(_far(synth.espeak("My cousin is getting married in June, did I tell you?",
                                                         "en-us+f3", 150), rng), -34)), ""),
        "noise": (clip(synth.at_level(synth.music(2.0, rng), -26)), ""),
        "own": (clip(own), own_line),
    }
    got = {}
    for name, (pcm, saying) in cases.items():
        enc = models.encoder.encode(pcm)
        tr = models.encoder.transcribe(enc)
        v = models.judge.verdict(enc, tr, saying)
        got[name] = (v.token, v.p, tr.text)
        assert abs(sum(v.probs.values()) - 1) < 1e-3
    assert got["query"][0] == "query", got
    assert got["side"][0] == "side", got
    assert got["noise"][0] == "noise", got
    assert got["own"][0] == "noise", got


def test_missing_or_corrupt_head_is_a_one_line_error(tmp_path):
    from models.weights import MissingModelError

    with pytest.raises(MissingModelError, match="make train-monitor"):
        StateHead.load(tmp_path / "nope.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(MissingModelError, match="unreadable"):
        StateHead.load(bad)


def test_words_heard_at_a_pause_have_their_state_ready_for_the_verdict(models):
    """A pause partial's words start their LM state at once (its own thread); the verdict on the
    version that ends the turn waits for that state instead of computing it again."""
    state = models.judge.state
    text = "which planet is known as the red planet and why"
    n0 = state.computed
    state.prefetch(text)
    state.prefetch(text)
    first = state.state(text)
    again = state.state(text)
    assert state.computed - n0 == 1
    assert first.shape == (896,) and np.array_equal(first, again)
    assert abs(float(np.linalg.norm(first)) - 1.0) < 1e-3
    assert not np.array_equal(first, state.state(text + " today")) and state.computed - n0 == 2


def test_head_keeps_its_activation_through_save_and_load(tmp_path):
    rng = np.random.default_rng(0)
    y = np.repeat([0, 1, 2], 20)
    x = rng.standard_normal((y.size, LM_DIM + AUDIO_DIM + CUE_DIM)).astype(np.float32)
    x[:, 0] += 3 * (y == 0) - 3 * (y == 2)
    words = fit_words(x[y != 1, :LM_DIM], y[y != 1] == 0)
    inputs = StateHead.inputs(words, x)
    head = fit_mlp(inputs, y, np.ones(inputs.shape[1], np.float32), words, epochs=50)
    head.save(tmp_path / "h.npz")
    back = StateHead.load(tmp_path / "h.npz")
    assert back.activation == head.activation == "relu"
    assert np.allclose(back.probs(x), head.probs(x), atol=1e-6)
    assert np.allclose(head.mlp_probs(inputs), head.probs(x), atol=1e-5)


def test_alpha_is_chosen_by_group_folds_on_the_answer_decision():
    """Every L2 strength is scored on held-out groups; the score counts answer-or-not per source."""
    from assistant.training.head_fit import ALPHAS, FOLDS, choose_alpha, source_balanced_accuracy

    rng = np.random.default_rng(5)
    y = np.repeat([0, 1, 2], 30)
    groups = np.arange(y.size) // 3  # 3 rows per speaker
    x = rng.standard_normal((y.size, LM_DIM + AUDIO_DIM + CUE_DIM)).astype(np.float32)
    x[:, 0] += 3 * (y == 0) - 3 * (y == 2)
    x[:, LM_DIM] += 4 * (y == 1)
    words = fit_words(x[y != 1, :LM_DIM], y[y != 1] == 0)
    inputs = StateHead.inputs(words, x)
    sources = ["a" if g % 2 else "b" for g in groups]
    mask = np.zeros(inputs.shape[1], np.float32)
    mask[:2] = 1  # the words logit and the one sound number that carries noise (no 775 dims of noise to overfit)
    alpha, scores = choose_alpha(inputs, y, mask, words, groups, sources)
    assert alpha in ALPHAS and set(scores) == set(ALPHAS) and FOLDS == 5
    assert scores[alpha]["mean"] > 0.8, scores
    right = source_balanced_accuracy(np.array([0, 2, 1]), np.array([0, 1, 2]), ["a", "a", "b"], query_only=True)
    assert right == {"a": 1.0, "b": 1.0, "mean": 1.0}  # side for noise is no answer either way
    assert source_balanced_accuracy(np.array([0, 2, 1]), np.array([0, 1, 2]), ["a", "a", "b"])["a"] == 0.5
