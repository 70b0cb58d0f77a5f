"""Fitting the state head in numpy (fixed seeds, a few seconds on 2 cores).

1. `fit_words`: L2-regularised logistic regression from the LM state to query-vs-side.
2. `cross_fit_logits`: the words logit of every training segment from a words head that never saw
   that segment's phrase family (k folds by family), so the MLP learns how far to trust the words
   on phrasings it has not met — as at run time.
3. `fit_mlp`: the two-layer MLP over [words logit, sound, cues] → 3 state tokens; full-batch
   Adam on class-balanced cross-entropy with input dropout and weight decay.
"""

from __future__ import annotations

import numpy as np
from tqdm import tqdm

from models.state_head import LM_DIM, StateHead, WordsHead

WORDS_L2 = 30.0  # ridge strength of the words read-out (per sample mean loss + L2/n)
WORDS_STEPS = 300
HIDDEN = 32  # MLP width
EPOCHS = 400
LR = 3e-3
WEIGHT_DECAY = 0.1
INPUT_DROPOUT = 0.3
FOLDS = 5


def _adam(params: list[np.ndarray], grads: list[np.ndarray], m: list[np.ndarray], v: list[np.ndarray], t: int,
          lr: float) -> None:
    for i, g in enumerate(grads):
        m[i] = 0.9 * m[i] + 0.1 * g
        v[i] = 0.999 * v[i] + 0.001 * g * g
        params[i] -= lr * (m[i] / (1 - 0.9**t)) / (np.sqrt(v[i] / (1 - 0.999**t)) + 1e-8)


def fit_words(lm: np.ndarray, is_query: np.ndarray, l2: float = WORDS_L2) -> WordsHead:
    mean, scale = lm.mean(axis=0), lm.std(axis=0) + 1e-4
    z = (lm - mean) / scale
    t = is_query.astype(np.float64)
    wq = 0.5 / max(t.mean(), 1e-3)
    ws = 0.5 / max(1 - t.mean(), 1e-3)
    sw = np.where(t > 0, wq, ws) / len(t)  # class-balanced sample weights, summing to ~1
    params = [np.zeros(z.shape[1]), np.zeros(1)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for step in range(1, WORDS_STEPS + 1):
        p = 1 / (1 + np.exp(-(z @ params[0] + params[1])))
        g = (p - t) * sw
        _adam(params, [z.T @ g + l2 * params[0] / len(t), np.array([g.sum()])], m, v, step, 1e-2)
    return WordsHead(mean.astype(np.float32), scale.astype(np.float32), params[0].astype(np.float32), float(params[1][0]))


def cross_fit_logits(seg_lm: np.ndarray, seg_query: np.ndarray, seg_family: np.ndarray, text_lm: np.ndarray,
                     text_query: np.ndarray, text_family: np.ndarray) -> np.ndarray:
    """Words logits for the segments; query/side rows from folds that exclude their family.

    `seg_family` < 0 marks noise segments: they never train the words head and get the logit of
    the head fitted on everything. Family ids are offset per kind by the caller so they are unique.
    """
    out = np.zeros(len(seg_lm))
    speech = seg_family >= 0
    full = fit_words(np.vstack([text_lm, seg_lm[speech]]), np.concatenate([text_query, seg_query[speech]]))
    out[~speech] = full.logit(seg_lm[~speech])
    for k in range(FOLDS):
        held_t, held_s = text_family % FOLDS == k, speech & (seg_family % FOLDS == k)
        train_s = speech & ~held_s
        h = fit_words(np.vstack([text_lm[~held_t], seg_lm[train_s]]), np.concatenate([text_query[~held_t], seg_query[train_s]]))
        out[held_s] = h.logit(seg_lm[held_s])
    return out


def fit_mlp(inputs: np.ndarray, y: np.ndarray, mask: np.ndarray, words: WordsHead, seed: int = 0,
            epochs: int = EPOCHS) -> StateHead:
    """`inputs`: rows of [words logit, sound, cues] (what `StateHead.inputs` makes at run time)."""
    rng = np.random.default_rng(seed)
    mean, scale = inputs.mean(axis=0), inputs.std(axis=0) + 1e-4
    z0 = (inputs - mean) / scale * mask
    n, d = z0.shape
    params = [rng.normal(0, 1 / np.sqrt(d), (d, HIDDEN)), np.zeros(HIDDEN), rng.normal(0, 1 / np.sqrt(HIDDEN), (HIDDEN, 3)),
              np.zeros(3)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    counts = np.bincount(y, minlength=3)
    w = (n / (3 * np.maximum(counts, 1)))[y]
    onehot = np.eye(3)[y]
    for t in tqdm(range(1, epochs + 1), desc="training head", unit="epoch", leave=False):
        z = z0 * (rng.random(z0.shape) >= INPUT_DROPOUT) / (1 - INPUT_DROPOUT)
        w1, b1, w2, b2 = params
        pre = z @ w1 + b1
        th = np.tanh(0.7978845608 * (pre + 0.044715 * pre**3))
        h = 0.5 * pre * (1 + th)
        lo = h @ w2 + b2
        p = np.exp(lo - lo.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        g_lo = (p - onehot) * w[:, None] / w.sum()
        dgelu = 0.5 * (1 + th) + 0.5 * pre * (1 - th**2) * 0.7978845608 * (1 + 3 * 0.044715 * pre**2)
        g_pre = (g_lo @ w2.T) * dgelu
        grads = [z.T @ g_pre + WEIGHT_DECAY * w1, g_pre.sum(axis=0), h.T @ g_lo + WEIGHT_DECAY * w2, g_lo.sum(axis=0)]
        _adam(params, grads, m, v, t, LR)
    f1, c1, f2, c2 = (p.astype(np.float32) for p in params)
    return StateHead(words, mean.astype(np.float32), scale.astype(np.float32), f1, c1, f2, c2, mask.astype(np.float32))


def split_lm(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Full feature rows → (LM state, the rest)."""
    return x[:, :LM_DIM], x[:, LM_DIM:]
