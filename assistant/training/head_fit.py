"""Fitting the state head with scikit-learn (fixed seeds, seconds on 2 cores).

1. `fit_words`: class-balanced L2 logistic regression from the LM state to query-vs-side.
2. `cross_fit_logits`: the words logit of every training segment from a words head that never saw
   that segment's group (`GroupKFold` by phrase family / speaker / meeting), so the MLP learns how far
   to trust the words on phrasings and people it has not met — as at run time.
3. `fit_mlp`: the two-layer MLP over [words logit, sound, cues] → 3 state tokens (`MLPClassifier`,
   class-balanced sample weights, L2 `alpha`).
4. `choose_alpha`: the MLP's L2 strength chosen by group-aware cross-validation (no speaker, meeting or
   phrase family on both sides of a fold), scored by the mean of per-source balanced accuracies.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.neural_network import MLPClassifier
from sklearn.utils.class_weight import compute_sample_weight
from tqdm import tqdm

from models.state_head import LABELS, LM_DIM, StateHead, WordsHead

WORDS_C = 1 / 30.0  # inverse L2 strength of the words read-out (sklearn C; balanced weights)
WORDS_ITER = 300
HIDDEN = 32  # MLP width
EPOCHS = 400  # Adam passes at most
ALPHAS = (0.3, 1.0, 3.0, 10.0, 30.0)  # L2 strengths tried by the group-aware cross-validation
ALPHA = 10.0  # used when no choice is made (tests, quick runs)
FOLDS = 5
ACTIVATION = "relu"
QUERY = LABELS.index("query")


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x.mean(axis=0), x.std(axis=0) + 1e-4


def fit_words(lm: np.ndarray, is_query: np.ndarray, c: float = WORDS_C) -> WordsHead:
    mean, scale = _standardise(lm)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=WORDS_ITER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit((lm - mean) / scale, is_query.astype(int))
    return WordsHead(mean.astype(np.float32), scale.astype(np.float32), model.coef_[0].astype(np.float32),
                     float(model.intercept_[0]))


def cross_fit_logits(seg_lm: np.ndarray, seg_query: np.ndarray, seg_family: np.ndarray, text_lm: np.ndarray,
                     text_query: np.ndarray, text_family: np.ndarray) -> np.ndarray:
    """Words logits for the segments; query/side rows from folds that exclude their group.

    `seg_family` < 0 marks noise segments: they never train the words head and get the logit of
    the head fitted on everything. Family ids are offset per kind by the caller so they are unique;
    a phrase text and a segment of the same family fall in the same fold.
    """
    out = np.zeros(len(seg_lm))
    speech = np.flatnonzero(seg_family >= 0)
    full = fit_words(np.vstack([text_lm, seg_lm[speech]]), np.concatenate([text_query, seg_query[speech]]))
    out[seg_family < 0] = full.logit(seg_lm[seg_family < 0])
    groups = np.concatenate([text_family, seg_family[speech]])
    n_text = len(text_lm)
    all_lm, all_q = np.vstack([text_lm, seg_lm[speech]]), np.concatenate([text_query, seg_query[speech]])
    for train, held in GroupKFold(n_splits=FOLDS).split(all_lm, groups=groups):
        h = fit_words(all_lm[train], all_q[train])
        held_seg = held[held >= n_text]
        out[speech[held_seg - n_text]] = h.logit(all_lm[held_seg])
    return out


def fit_mlp(inputs: np.ndarray, y: np.ndarray, mask: np.ndarray, words: WordsHead, seed: int = 0,
            epochs: int = EPOCHS, alpha: float = ALPHA) -> StateHead:
    """`inputs`: rows of [words logit, sound, cues] (what `StateHead.inputs` makes at run time)."""
    mean, scale = _standardise(inputs)
    z = (inputs - mean) / scale * mask
    model = MLPClassifier(hidden_layer_sizes=(HIDDEN,), activation=ACTIVATION, alpha=alpha, max_iter=epochs,
                          learning_rate_init=3e-3, random_state=seed, tol=1e-5, n_iter_no_change=30)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(z, y, sample_weight=compute_sample_weight("balanced", y))
    if list(model.classes_) != [0, 1, 2]:
        raise ValueError(f"training rows must hold all three labels, got {model.classes_}")
    f1, f2 = (w.astype(np.float32) for w in model.coefs_)
    c1, c2 = (b.astype(np.float32) for b in model.intercepts_)
    return StateHead(words, mean.astype(np.float32), scale.astype(np.float32), f1, c1, f2, c2, mask.astype(np.float32),
                     ACTIVATION)


def source_balanced_accuracy(pred: np.ndarray, y: np.ndarray, sources: Sequence[str],
                             query_only: bool = False) -> dict[str, float]:
    """Per source (one label each for the human ones): the share judged right; plus their mean.

    `query_only`: right means the answer/no-answer decision (query or not), what the user gets; noise
    judged side (a radio read as people talking) is then right too.
    """
    src = np.asarray(sources)
    if query_only:
        pred, y = pred == QUERY, y == QUERY
    out = {s: float(np.mean(pred[src == s] == y[src == s])) for s in sorted(set(sources))}
    out["mean"] = float(np.mean(list(out.values())))
    return out


def choose_alpha(inputs: np.ndarray, y: np.ndarray, mask: np.ndarray, words: WordsHead, groups: np.ndarray,
                 sources: Sequence[str], seed: int = 0) -> tuple[float, dict[float, dict[str, float]]]:
    """The L2 strength whose answer/no-answer decisions are right most often over group folds (by speaker,
    meeting, reader or phrase family), as a mean over sources so that no recording set outweighs another."""
    scores: dict[float, dict[str, float]] = {}
    folds = list(GroupKFold(n_splits=FOLDS).split(inputs, groups=groups))
    for alpha in tqdm(ALPHAS, desc="group-aware cross-validation", unit="alpha", leave=False):
        pred = np.zeros_like(y)
        for train, held in folds:
            head = fit_mlp(inputs[train], y[train], mask, words, seed, alpha=alpha)
            pred[held] = head.mlp_probs(inputs[held]).argmax(axis=1)
        scores[alpha] = source_balanced_accuracy(pred, y, sources, query_only=True)
    return max(scores, key=lambda a: scores[a]["mean"]), scores


def split_lm(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Full feature rows → (LM state, the rest)."""
    return x[:, :LM_DIM], x[:, LM_DIM:]
