"""The monitor's trained state head: sound + words + context → the state tokens.

VITA connects its audio encoder to the LM through a two-layer MLP and reads the state token as
the LM's first output. Here the same idea is cut to what trains on 2 CPU cores:
- words: a linear read-out of the frozen LM's last hidden state at the judge position
  (models/lm_state.py) gives one number, how much the words sound addressed to the assistant
  (query) rather than to another person (side);
- a two-layer MLP takes that number, the shared Whisper encoder's output pooled over the segment
  (the sound: voice, distance, loudspeaker, speech vs. not) and a few context numbers (level,
  length, Whisper's no-speech probability and confidence, is the assistant speaking and how much
  of what was heard it is saying itself); its three outputs are the state tokens.
Weights ship as an .npz next to this file (assistant/training/train_monitor.py makes them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.text import word_count
from models.state_tokens import STATE_TOKENS
from models.weights import MissingModelError
from models.whisper import Encoded, Transcript

LABELS = STATE_TOKENS  # output order of the head
HEAD_PATH = Path(__file__).with_name("state_head.npz")
ZH_HEAD_PATH = Path(__file__).with_name("state_head_zh.npz")  # the Mandarin head (segments heard as Mandarin)
LM_DIM = 896  # Qwen2.5-0.5B hidden size
AUDIO_DIM = 768  # pooled Whisper tiny.en encoder: mean + spread of 384
CUE_DIM = 7


@dataclass(frozen=True)
class Context:
    own_overlap: float = 0.0  # share of the heard words the assistant is saying right now
    speaking: bool = False  # the assistant's voice is playing


def audio_features(enc: Encoded) -> np.ndarray:
    """Mean and spread of the encoder frames that hold audio (768 numbers)."""
    f = enc.audio_frames().astype(np.float32)
    return np.concatenate([f.mean(axis=0), f.std(axis=0)])


def cue_features(enc: Encoded, tr: Transcript, ctx: Context) -> np.ndarray:
    words = word_count(tr.text)
    return np.array([tr.no_speech_prob, max(tr.avg_logprob, -3.0), min(words, 20) / 10, (enc.rms_dbfs + 40) / 20,
                     min(enc.seconds, 10) / 5, ctx.own_overlap, float(ctx.speaking)], np.float32)


def feature_vector(lm_state: np.ndarray, enc: Encoded, tr: Transcript, ctx: Context) -> np.ndarray:
    return np.concatenate([lm_state.astype(np.float32), audio_features(enc), cue_features(enc, tr, ctx)])


ACTIVATIONS = ("gelu", "relu")


def _softmax(lo: np.ndarray) -> np.ndarray:
    e = np.exp(lo - lo.max(axis=1, keepdims=True))
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))


@dataclass(frozen=True)
class WordsHead:
    """Logistic read-out of the LM state: logit of query (addressed to the assistant) vs. side."""

    mean: np.ndarray  # (896,)
    scale: np.ndarray  # (896,)
    w: np.ndarray  # (896,)
    b: float

    def logit(self, lm: np.ndarray) -> np.ndarray:
        return np.asarray((np.atleast_2d(lm) - self.mean) / self.scale @ self.w + self.b)


@dataclass(frozen=True)
class StateHead:
    words: WordsHead
    mean: np.ndarray  # (d,) standardisation of the MLP inputs [words logit, sound, cues]
    scale: np.ndarray  # (d,)
    w1: np.ndarray  # (d, h)
    b1: np.ndarray  # (h,)
    w2: np.ndarray  # (h, 3)
    b2: np.ndarray  # (3,)
    mask: np.ndarray  # (d,) 1 for the input groups this head reads (ablations zero the others)
    activation: str = "gelu"  # the hidden units: "gelu" (heads fitted in numpy) or "relu" (scikit-learn's MLP)

    @staticmethod
    def inputs(words: WordsHead, x: np.ndarray) -> np.ndarray:
        """Full feature vectors (LM state, sound, cues) → MLP inputs (words logit, sound, cues)."""
        x = np.atleast_2d(x)
        return np.concatenate([words.logit(x[:, :LM_DIM])[:, None], x[:, LM_DIM:]], axis=1)

    def logits(self, x: np.ndarray) -> np.ndarray:
        return self.mlp_logits(self.inputs(self.words, x))

    def mlp_logits(self, inputs: np.ndarray) -> np.ndarray:
        """MLP inputs (words logit, sound, cues) → the 3 logits."""
        pre = (np.atleast_2d(inputs) - self.mean) / self.scale * self.mask @ self.w1 + self.b1
        hidden = np.maximum(pre, 0) if self.activation == "relu" else gelu(pre)
        return np.asarray(hidden @ self.w2 + self.b2)

    def probs(self, x: np.ndarray) -> np.ndarray:
        return _softmax(self.logits(x))

    def mlp_probs(self, inputs: np.ndarray) -> np.ndarray:
        return _softmax(self.mlp_logits(inputs))

    def save(self, path: Path, **meta: str) -> None:
        wh = self.words
        np.savez_compressed(path, words_mean=wh.mean, words_scale=wh.scale, words_w=wh.w, words_b=np.float32(wh.b),
                            mean=self.mean, scale=self.scale, w1=self.w1, b1=self.b1, w2=self.w2, b2=self.b2,
                            mask=self.mask, activation=np.str_(self.activation), **{f"meta_{k}": v for k, v in meta.items()})  # type: ignore[arg-type]

    @staticmethod
    def load(path: Path = HEAD_PATH) -> StateHead:
        if not path.exists():
            raise MissingModelError(f"monitor head {path} is missing: run `make train-monitor`")
        try:
            z = np.load(path)
        except (OSError, ValueError) as e:
            raise MissingModelError(f"monitor head {path} is unreadable ({e}): run `make train-monitor`") from None
        words = WordsHead(z["words_mean"], z["words_scale"], z["words_w"], float(z["words_b"]))
        activation = str(z["activation"]) if "activation" in z.files else "gelu"
        if activation not in ACTIVATIONS:
            raise MissingModelError(f"monitor head {path} has unknown activation {activation!r}: run `make train-monitor`")
        return StateHead(words, z["mean"], z["scale"], z["w1"], z["b1"], z["w2"], z["b2"], z["mask"], activation)
