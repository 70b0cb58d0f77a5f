"""`make train-monitor`: synthesise labelled segments, read them with the real models, train the head.

Steps (each with a progress bar): synthesise train + held-apart examples (assistant/training/monitor_data.py),
run the shared Whisper encoder + transcriber and the LM state encoder on each (and the LM on the
training phrases as text), fit the words read-out and the two-layer MLP (assistant/training/head_fit.py,
scikit-learn, group folds by speaker / meeting / phrase family, fixed seed), compare them on the held-apart
split with simpler monitors (VAD alone, the
untrained LM judging the transcript, the words read-out alone, sound-only and words-only heads),
and write the weights, a metrics JSON and the model card next to models/state_head.py.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from assistant.core.ears import Ears
from assistant.core.prompt import Turn, judge_prompt
from assistant.core.speaker import Tts
from assistant.core.verdict import combine, own_voice_overlap
from assistant.training import zh_phrases
from assistant.training.head_fit import choose_alpha, cross_fit_logits, fit_mlp, fit_words, source_balanced_accuracy, split_lm
from assistant.training.monitor_data import Example, Maker
from assistant.training.monitor_phrases import phrases
from assistant.training.people_data import PeopleMaker
from assistant.training.zh_monitor_data import ZhMaker
from audio.frames import FRAME_S, FRAME_SAMPLES
from audio.vad import SileroVad
from models.llm import LocalEngine
from models.lm_state import LmStateEncoder
from models.state_head import AUDIO_DIM, HEAD_PATH, LABELS, ZH_HEAD_PATH, Context, StateHead, feature_vector
from models.state_tokens import STATE_TOKENS
from models.tts import PiperTts
from models.weights import cache_dir
from models.whisper import SharedAudioEncoder
from models.whisper_multi import MultilingualWhisper
from models.zh_tts import BakerVoice

N_TRAIN = (300, 300, 240)  # query, side, noise segments for training
N_VAL = (90, 90, 72)  # held-apart: other phrases (whole families) and other voices
N_PEOPLE_TRAIN = (240, 200, 100)  # query, side, noise segments from real people (tune half of the people corpus)
N_PEOPLE_VAL = (80, 60, 30)  # ... from the tune half's other speakers, meetings and readers
N_ZH_TRAIN = (240, 240, 160)  # the Mandarin head's (`--language zh`)
N_ZH_VAL = (60, 60, 48)
ZH_PREFIX_CHARS = (3, 4, 5, 6)  # a Mandarin phrase's partial: its first characters
SIDE_FAMILY_OFFSET = 1000  # family ids of side phrases, kept apart from query ones
PREFIX_WORDS = (2, 3, 4)  # clean-text rows also include a prefix of each phrase (a partial)
VAD_MIN_SPEECH_S = 0.1  # VAD-only monitor: this much speech in a segment = a query
SOUND_WEIGHT = 0.25  # the pooled encoder frames' scale into the MLP (1 = as the words logit and cues; see masks)
VAD_ONSET = 0.5


@dataclass
class Table:
    x: np.ndarray  # full feature rows: LM state, sound, cues
    y: np.ndarray  # label index (LABELS)
    kinds: list[str]
    family: np.ndarray  # phrase family (side offset by SIDE_FAMILY_OFFSET); -1 for noise
    vad: np.ndarray  # VAD-only verdict (label index)
    lm: np.ndarray  # untrained LM judge verdict (label index), -1 when not run


@dataclass
class TextRows:
    """LM states of the training phrases as written (and of their first words): the words head's extra data."""

    lm: np.ndarray
    query: np.ndarray  # bool
    family: np.ndarray


def _vad_verdict(pcm: np.ndarray) -> int:
    vad = SileroVad()
    frames = [vad(pcm[i : i + FRAME_SAMPLES]) for i in range(0, pcm.size - FRAME_SAMPLES + 1, FRAME_SAMPLES)]
    speech_s = sum(p >= VAD_ONSET for p in frames) * FRAME_S
    return LABELS.index("query" if speech_s >= VAD_MIN_SPEECH_S else "noise")


def _family(ex: Example) -> int:
    return -1 if ex.label == "noise" else ex.family + (SIDE_FAMILY_OFFSET if ex.label == "side" else 0)


@dataclass(frozen=True)
class TrainingModels:
    encoder: SharedAudioEncoder
    tts: Tts  # the assistant's voice (its own voice leaking back)
    state: LmStateEncoder
    engine: LocalEngine
    ears: Ears | None = None  # Mandarin: segments heard as the product hears them (language read, then words)


def read_examples(examples: list[Example], models: TrainingModels, tag: str, lm_judge: bool) -> Table:
    enc_m, state_m, engine = models.encoder, models.state, models.engine
    xs, vad, lm = [], [], []
    for ex in tqdm(examples, desc=f"reading {tag} segments", unit="seg"):
        enc = enc_m.encode(ex.pcm)
        tr = models.ears.transcribe(ex.pcm, enc, "", ("zh", "en")) if models.ears else enc_m.transcribe(enc)
        ctx = Context(own_voice_overlap(tr.text, ex.saying), bool(ex.saying))
        xs.append(feature_vector(state_m.state(tr.text), enc, tr, ctx))
        vad.append(_vad_verdict(ex.pcm))
        if lm_judge:
            probs = engine.next_token_probs(judge_prompt([Turn("user", tr.text)]), slot=0, candidates=STATE_TOKENS)
            lm.append(LABELS.index(combine(probs, tr, ex.saying).token))
        else:
            lm.append(-1)
    return Table(np.stack(xs), np.array([LABELS.index(ex.label) for ex in examples]), [ex.kind for ex in examples],
                 np.array([_family(ex) for ex in examples]), np.array(vad), np.array(lm))


def read_texts(models: TrainingModels, rng: np.random.Generator, language: str = "en") -> TextRows:
    rows = []
    for kind in ("query", "side"):
        for text, fam in (zh_phrases.phrases if language == "zh" else phrases)(kind, False):
            if language == "zh":
                n = int(rng.choice(ZH_PREFIX_CHARS))
                variants = [text] + ([text[:n]] if len(text) > n + 2 else [])
            else:
                words = text.split()
                n = int(rng.choice(PREFIX_WORDS))
                variants = [text] + ([" ".join(words[:n])] if len(words) > n + 1 else [])
            rows += [(v, kind == "query", fam + (SIDE_FAMILY_OFFSET if kind == "side" else 0)) for v in variants]
    lm = [models.state.state(t) for t, _, _ in tqdm(rows, desc="reading phrase texts", unit="text")]
    return TextRows(np.stack(lm), np.array([q for _, q, _ in rows]), np.array([f for _, _, f in rows]))


def _load_models(quiet: bool, language: str = "en") -> TrainingModels:
    from models.llm import LocalEngineOptions
    from models.lm_state import STATE_MODEL
    from models.weights import gguf_path

    gguf = str(gguf_path(STATE_MODEL, progress=not quiet))
    encoder = SharedAudioEncoder(quiet=quiet)
    zh = language == "zh"
    engine = LocalEngine(LocalEngineOptions(gguf, slots=1, n_ctx=1024), quiet=quiet)
    return TrainingModels(encoder, BakerVoice(quiet=quiet) if zh else PiperTts(quiet=quiet),
                          LmStateEncoder(gguf, quiet=quiet), engine,
                          Ears(encoder, MultilingualWhisper(quiet=quiet)) if zh else None)


def build_tables(seed: int, scale: float, language: str = "en", people: bool = True) -> tuple[Table, Table, TextRows]:
    models = _load_models(quiet=False, language=language)
    echo_cache: dict[str, np.ndarray] = {}

    def echo(line: str) -> np.ndarray:
        if line not in echo_cache:
            echo_cache[line] = models.tts.synthesize(line)
        return echo_cache[line]

    zh = language == "zh"
    make = ZhMaker if zh else Maker
    n_tr = [max(3, int(k * scale)) for k in (N_ZH_TRAIN if zh else N_TRAIN)]
    n_va = [max(3, int(k * scale)) for k in (N_ZH_VAL if zh else N_VAL)]
    train_ex = list(tqdm(make(echo, val=False, seed=seed).examples(*n_tr), total=sum(n_tr), desc="synthesising train",
                         unit="seg"))
    val_ex = list(tqdm(make(echo, val=True, seed=seed + 1).examples(*n_va), total=sum(n_va),
                       desc="synthesising held-apart", unit="seg"))
    if people and not zh:  # real people's requests and conversations (assistant/training/people_data.py)
        n_ptr = [max(3, int(k * scale)) for k in N_PEOPLE_TRAIN]
        n_pva = [max(3, int(k * scale)) for k in N_PEOPLE_VAL]
        ptr, pva = PeopleMaker(echo, val=False, seed=seed + 3), PeopleMaker(echo, val=True, seed=seed + 4)
        train_ex += list(tqdm(ptr.examples(*n_ptr[:3]), total=sum(n_ptr), desc="mixing people (train)", unit="seg"))
        val_ex += list(tqdm(pva.examples(*n_pva[:3]), total=sum(n_pva), desc="mixing people (held-apart speakers)",
                            unit="seg"))
    texts = read_texts(models, np.random.default_rng(seed + 2), language)
    return read_examples(train_ex, models, "train", False), read_examples(val_ex, models, "val", True), texts


def masks(d: int) -> dict[str, np.ndarray]:
    """Input groups of the MLP ([words logit, sound, cues]) for the head and its ablations.

    The sound enters at SOUND_WEIGHT: under the MLP's weight decay a smaller input needs larger weights,
    so the head leans on the words and cues and less on what one recording set's voices and mics sound like.
    """
    full = np.ones(d, np.float32)
    full[1 : 1 + AUDIO_DIM] = SOUND_WEIGHT
    no_words = full.copy()
    no_words[0] = 0
    no_sound = full.copy()
    no_sound[1 : 1 + AUDIO_DIM] = 0
    return {"full": full, "sound+cues": no_words, "words+cues": no_sound}


SOURCES = {"human:query": "people: kiosk orders (Picovoice)", "human:side": "people: meetings (AMI)",
           "human:read": "people: reading nearby (NOIZEUS)", "human:radio": "people: reading on a radio (NOIZEUS)",
           "human:real_noise": "real noise (NOIZEUS)"}


def source(kind: str) -> str:
    """A segment's source: each human recording set apart, the synthetic ones by label."""
    base = kind.removesuffix(":partial")
    return SOURCES.get(base, "synthetic: " + base.split(":")[0])


def groups(t: Table) -> np.ndarray:
    """Group ids for folds: a phrase family, a speaker, a meeting or a reader; each noise segment alone."""
    return np.where(t.family >= 0, t.family, -1 - np.arange(t.family.size))


def report(tr: Table, va: Table, texts: TextRows, seed: int) -> tuple[StateHead, dict[str, dict[str, float]]]:
    q, s = LABELS.index("query"), LABELS.index("side")
    lm_tr, rest_tr = split_lm(tr.x)
    speech = tr.family >= 0
    z_tr = cross_fit_logits(lm_tr, tr.y == q, tr.family, texts.lm, texts.query, texts.family)
    words = fit_words(np.vstack([texts.lm, lm_tr[speech]]), np.concatenate([texts.query, tr.y[speech] == q]))
    in_tr = np.concatenate([z_tr[:, None], rest_tr], axis=1)
    all_masks = masks(in_tr.shape[1])
    alpha, cv = choose_alpha(in_tr, tr.y, all_masks["full"], words, groups(tr), [source(k) for k in tr.kinds], seed)
    heads = {name: fit_mlp(in_tr, tr.y, mask, words, seed, alpha=alpha) for name, mask in all_masks.items()}
    res = {f"head ({name})": metrics(h.probs(va.x).argmax(axis=1), va.y, va.kinds) for name, h in heads.items()}
    human = np.array([k.startswith("human:") for k in va.kinds])
    if human.any():  # real people apart (other speakers of the people corpus's tune half)
        for name, h in heads.items():
            res[f"head ({name}), real people only"] = metrics(h.probs(va.x[human]).argmax(axis=1), va.y[human],
                                                              [k for k, m in zip(va.kinds, human, strict=True) if m])
            res[f"head ({name}), synthetic only"] = metrics(h.probs(va.x[~human]).argmax(axis=1), va.y[~human],
                                                            [k for k, m in zip(va.kinds, human, strict=True) if not m])
    words_only = np.where(words.logit(split_lm(va.x)[0]) > 0, q, s)
    res["words read-out alone (query if the LM state says so)"] = metrics(words_only, va.y, va.kinds)
    res["VAD alone (Silero: any speech = query)"] = metrics(va.vad, va.y, va.kinds)
    res["untrained LM judge + Whisper no-speech"] = metrics(va.lm, va.y, va.kinds)
    res["head (full), on its own training data"] = metrics(heads["full"].probs(tr.x).argmax(axis=1), tr.y, tr.kinds)
    pred, va_sources = heads["full"].probs(va.x).argmax(axis=1), [source(k) for k in va.kinds]
    for query_only, what in ((True, "answer or not"), (False, "the state token")):
        res[f"per source, held-apart, {what} right"] = {
            k: round(v, 3) for k, v in source_balanced_accuracy(pred, va.y, va_sources, query_only).items()}
    for a, sc in cv.items():
        name = f"per source, group folds of the training rows, answer or not right, alpha {a:g}"
        res[name + (" (chosen)" if a == alpha else "")] = {
            k: round(v, 3) for k, v in sc.items()}
    return heads["full"], res


def metrics(pred: np.ndarray, y: np.ndarray, kinds: list[str]) -> dict[str, float]:
    q, n, s = (LABELS.index(k) for k in ("query", "noise", "side"))
    out = {
        "query_recall": float(np.mean(pred[y == q] == q)) if np.any(y == q) else float("nan"),
        "side_false_query": float(np.mean(pred[y == s] == q)) if np.any(y == s) else float("nan"),
        "noise_false_query": float(np.mean(pred[y == n] == q)) if np.any(y == n) else float("nan"),
        "accuracy": float(np.mean(pred == y)),
        "balanced_accuracy": float(np.mean([np.mean(pred[y == c] == c) for c in (q, n, s) if np.any(y == c)])),
    }
    for kind in sorted(set(kinds)):
        sel = np.array([k == kind for k in kinds])
        out[f"correct[{kind}]"] = float(np.mean(pred[sel] == y[sel]))
    return {k: round(v, 3) for k, v in out.items()}


BARGE_IN_BARS = (0.5, 0.7, 0.8, 0.9)  # p(query) bars shown in the card (the policy default is 0.8)


def bar_table(head: StateHead, va: Table) -> str:
    """Share of held-apart segments that would interrupt the assistant at each p(query) bar."""
    p = head.probs(va.x)
    is_q = p.argmax(axis=1) == LABELS.index("query")
    kinds = ("query", "query:partial", "side", "side:partial", "noise:tv")
    lines = ["| p(query) ≥ | " + " | ".join(kinds) + " |", "|---|" + "---|" * len(kinds)]
    for bar in BARGE_IN_BARS:
        sel = [np.array([k == kind for k in va.kinds]) for kind in kinds]
        lines.append(f"| {bar:.1f} | " + " | ".join(f"{np.mean(is_q[m] & (p[m, 0] >= bar)):.2f}" for m in sel) + " |")
    return "\n".join(lines)


def _table(res: dict[str, dict[str, float]]) -> str:
    cols = ("query_recall", "side_false_query", "noise_false_query", "balanced_accuracy")
    lines = ["| monitor | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    lines += [f"| {name} | " + " | ".join(f"{r[c]:.3f}" for c in cols) + " |" for name, r in res.items() if cols[0] in r]
    return "\n".join(lines)


def _source_table(res: dict[str, dict[str, float]]) -> str:
    """Share right per source (each human source holds one label, so this is its balanced accuracy)."""
    rows = {name: r for name, r in res.items() if name.startswith("per source")}
    if not rows:
        return ""
    cols = [c for c in next(iter(rows.values())) if c != "mean"] + ["mean"]
    lines = ["| | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    lines += [f"| {name[len('per source, '):]} | " + " | ".join(f"{r.get(c, float('nan')):.2f}" for c in cols) + " |"
              for name, r in rows.items()]
    return "\n".join(lines)


CARD = """# Model card: the monitor's state head (`models/state_head.npz`)

**What**: a linear words read-out (896 → 1) of the frozen Qwen2.5-0.5B's last hidden state after a
one-line chat template around the Whisper transcript, and a two-layer MLP ({d} inputs → {hidden} {act}
units → 3 state tokens `query` / `noise` / `side`) over that words logit, the mean and spread of the
shared Whisper tiny.en encoder's frames over the segment (768: voice, distance, loudspeaker, speech vs.
not) and 7 context numbers (Whisper no-speech probability and mean token log-probability, word
count, level, length, share of the heard words the assistant is saying, assistant speaking).
{kb} KB. Made by `make train-monitor` (assistant/training/train_monitor.py, seed {seed}, {made} on a
2-core CPU) on {date}, with scikit-learn (`LogisticRegression`, `MLPClassifier`, `GroupKFold`). The MLP is trained
on words logits cross-fitted by group (5 folds by phrase family, speaker, meeting or reader), so it learns how far
to trust the words on phrasings and people it has not met. The encoder's frames enter the MLP at a quarter
of the scale of the words logit and cues (`SOUND_WEIGHT`): under weight decay the head leans on the words,
and less on what one recording set's voices and microphones sound like.

**Data** (assistant/training/monitor_data.py, all synthesised, fixed seed): {n_train} training and {n_val}
held-apart segments, plus {n_texts} phrase texts (each training phrase as written and a 2–4-word
prefix) for the words read-out. Queries and commands to the assistant (barge-in openers included) at
-32 to -18 dBFS; people talking to each other at -38 to -24 dBFS, often further away
(duller, more reverberant); 30 % of speech cut to its first 0.4–1.2 s (a barge-in partial);
60 % over a pink / road / hum / music / white / babble bed at 5–30 dB SNR; 40 % while the assistant's
own voice (Piper) leaks back 12–30 dB down. Noise: the six beds alone, a TV (a talker and music
through a band-limited loudspeaker in a room), and the assistant's own voice through a
speaker → room → mic path (30–150 ms, -6 to -20 dB, low-passed). espeak-ng voices: 8 accents ×
12 speaker variants for training; the held-apart split uses 5 other speaker variants and whole
phrase families never used in training (assistant/training/monitor_phrases.py). The bench's phrases are
in neither.{people}

**Held-apart results** (other voices, other phrases; rates over segments):

{table}

Per kind (full head, held-apart): {kinds}

**Per source** (share judged right: the answer-or-not decision, or the exact state token; each human source
holds one label, so a share is its balanced accuracy). The MLP's L2 strength is chosen by 5 group folds of the
training rows (`GroupKFold`: no speaker, meeting, reader or phrase family on both sides of a fold), on the mean
over sources of the answer-or-not share:

{sources}

While the assistant speaks, a verdict interrupts only if p(query) reaches
`[policy] barge_in_min_p_query` (default 0.8; below it the playout stays ducked and the next
partial decides). Share of held-apart segments that would interrupt, per bar:

{bars}

**Retrain**: `make train-monitor` (about 15 min here: synthesis, Whisper + LM reading of every
segment, then training in a few seconds; `--reuse` retrains on the cached features). Metrics vary
by a few points with the seed.

**Limits**: {voices}; English; text cues carry most of the
query-vs-side decision, so a question to another person ("can you pass me the salt?") can still
read as a query; the LM states come from the 0.5B whatever LLM answers (the head is tied to them).
"""


PEOPLE_CARD = """

**Real people** (assistant/training/people_data.py): among those segments, human recordings from the tune
half of the people bench's corpus only (assistant/bench/people/: Picovoice's crowd-sourced spoken kiosk
orders as `query`, AMI meeting excerpts as `side`, mixed with the same levels, beds, rooms, cuts and own
voice as the synthetic ones); the held-apart rows take the tune half's other speakers and meetings
(every 4th). The people bench's held half (other speakers) is in neither."""

PEOPLE_LIMIT = ("two human sources, each tied to one label (every human query a phone recording of a kiosk order, "
                "every human side a meeting's mic), so a source's sound can stand in for its label")


ZH_CARD = """# Model card: the monitor's Mandarin state head (`models/state_head_zh.npz`)

**What**: the English head's architecture (models/state_head.md) — a linear words read-out of the frozen
Qwen2.5-0.5B's last hidden state and a two-layer MLP ({d} inputs → {hidden} {act} units → `query` /
`noise` / `side`) over it, the shared Whisper tiny.en encoder's pooled frames and 7 context numbers — trained
on Mandarin segments. The judge uses it for segments heard as Mandarin (Whisper base's language ID), the
English head for the rest. {kb} KB. Made by `make train-monitor-zh` (assistant/training/train_monitor.py
`--language zh`, seed {seed}, {made} on a 2-core CPU) on {date}.

**Data** (assistant/training/zh_monitor_data.py, synthesised, fixed seed): {n_train} training and {n_val}
held-apart segments, plus {n_texts} phrase texts (each training phrase and its first 3–6 characters). The
English recipe (levels, cuts, beds, rooms, own voice) with Mandarin words (assistant/training/zh_phrases.py:
requests and commands; people talking to each other; a Mandarin TV: news, ads, quiz questions; the
assistant's Mandarin voice leaking back), heard as the product hears them (language read, Mandarin words
by Whisper base). Voices: the one natural Mandarin voice that installs here (DataBaker's), reshaped in rate,
intonation and vocal tract; the held-apart split uses other vocal tracts and whole phrase families never
used in training. The Mandarin bench's lines and voice shapes are in neither.

**Held-apart results** (other voice shapes, other phrases; rates over segments):

{table}

Per kind (full head, held-apart): {kinds}

Share of held-apart segments that would interrupt the assistant, per p(query) bar:

{bars}

**Limits**: one speaker reshaped, not many people; synthetic rooms; the LM states come from the 0.5B.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="train-monitor", description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the default example counts (quick runs)")
    ap.add_argument("--reuse", action="store_true", help="reuse the cached features of the last run (retrain only)")
    ap.add_argument("--language", choices=("en", "zh"), default="en",
                    help="zh: the Mandarin head (models/state_head_zh.npz) on Mandarin segments")
    ap.add_argument("--no-people", action="store_true", help="synthetic voices only (no human recordings)")
    ap.add_argument("--out", type=Path)
    a = ap.parse_args(argv)
    a.out = a.out or (ZH_HEAD_PATH if a.language == "zh" else HEAD_PATH)
    t0 = time.perf_counter()
    tag = ("-zh" if a.language == "zh" else "") + ("" if a.no_people or a.language == "zh" else "-people")
    cache = cache_dir() / f"monitor-features{tag}-s{a.seed}-x{a.scale:g}.npz"
    fields = ("x", "y", "kinds", "family", "vad", "lm")
    reused = a.reuse and cache.exists()
    if reused:
        z = np.load(cache)
        tr, va = (Table(z[f"{p}_x"], z[f"{p}_y"], [str(k) for k in z[f"{p}_kinds"]], z[f"{p}_family"], z[f"{p}_vad"],
                        z[f"{p}_lm"]) for p in ("tr", "va"))
        texts = TextRows(z["tx_lm"], z["tx_query"], z["tx_family"])
    else:
        tr, va, texts = build_tables(a.seed, a.scale, a.language, people=not a.no_people)
        np.savez_compressed(cache, tx_lm=texts.lm, tx_query=texts.query, tx_family=texts.family,
                            **{f"{p}_{k}": np.array(getattr(t, k)) for p, t in (("tr", tr), ("va", va))  # type: ignore[arg-type]
                               for k in fields})
    people = any(k.startswith("human:") for k in tr.kinds)
    made = "retrained in seconds on the features an earlier run read (4335 s)" if reused else f"{time.perf_counter() - t0:.0f} s"
    head, res = report(tr, va, texts, a.seed)
    head.save(a.out, trained=time.strftime("%Y-%m-%d"), seed=str(a.seed))
    out_json = a.out.with_suffix(".json")
    out_json.write_text(json.dumps({"n_train": int(tr.y.size), "n_val": int(va.y.size), "n_texts": int(texts.query.size),
                                    "seed": a.seed,
                                    "results": res}, indent=1))
    full = res["head (full)"]
    kinds = ", ".join(f"{k[8:-1]} {v:.2f}" for k, v in full.items() if k.startswith("correct["))
    a.out.with_suffix(".md").write_text((ZH_CARD if a.language == "zh" else CARD).format(
        d=head.w1.shape[0], hidden=head.w1.shape[1], act=head.activation.upper(), kb=a.out.stat().st_size // 1024, seed=a.seed,
        made=made, date=time.strftime("%Y-%m-%d"), n_train=tr.y.size, n_val=va.y.size,
        n_texts=texts.query.size, people=PEOPLE_CARD if people else "",
        voices=PEOPLE_LIMIT if people else "espeak voices only (no real recordings)",
        table=_table(res), kinds=kinds, bars=bar_table(head, va), sources=_source_table(res)))
    print(_table(res))
    print(_source_table(res))
    print(f"wrote {a.out} ({a.out.stat().st_size // 1024} KB) and {out_json} in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
