"""Local knowledge: the operator's documents (a folder of markdown or text FAQs), found by BM25.

Each document is cut into passages: a markdown section (`## heading` and its text), or a paragraph
of a plain text file. A question finds the passage with the best BM25 score over content words
(lower case, no stop words, a crude stem; in Chinese, character pairs: assistant/tools/zh_words.py)
among the passages of its own language; it counts as found only if that score reaches `min_score`
and the passage shares at least `min_shared` content words with the question. Then the generator
answers from that passage alone (its source goes in the event); nothing found is said as such.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rank_bm25 import BM25Okapi

from assistant.text import is_chinese
from assistant.tools.zh_words import content_pairs

SUFFIXES = ("ing", "ed", "es", "s")  # stripped once from words longer than STEM_MIN_CHARS (renew/renewing)
STEM_MIN_CHARS = 4
STOPWORDS = frozenset(
    "a an the to of in on at for and or is are was be been it its my me i you your we us our they their "
    "this that these those please can could would will do does did what whats how when where which who "
    "why there here with from by as so if about into some any have has had get got need want tell "
    "know should must may might just also then than not no yes hello hi ok okay".split())
ZH_SAME = {"多少钱": "费用", "收费": "费用", "价格": "费用", "要钱": "费用", "花钱": "费用"}  # said two ways
SAME = {"id": "identity", "licence": "license", "colour": "color"}  # one spelling for words said two ways
PASSAGE_MAX_CHARS = 900  # a passage longer than this is cut (the generator's prompt stays short)
LENGTH_NORM = 0.4  # BM25 b: FAQ answers differ in length for reasons that say nothing of their topic (0.75 usual)


EXTRACT_SENTENCES = 2  # sentences of the passage said when it is quoted (the best ones, in their order)
FIRST_SENTENCE_BONUS = 0.5  # an FAQ answer's first sentence usually carries it: a tie goes to it


class KnowledgeError(ValueError):
    """The knowledge folder cannot be used (missing, empty); one line."""


@dataclass(frozen=True)
class Passage:
    source: str  # the document's file name
    title: str  # its section heading ("" for a plain paragraph)
    text: str
    topic: str = ""  # the document's own title (its `# heading`): indexed with every passage of it


@dataclass(frozen=True)
class Found:
    passage: Passage
    score: float  # BM25
    shared: int  # content words it shares with the question


def words(text: str) -> list[str]:
    for said, same in ZH_SAME.items():
        text = text.replace(said, same)
    out = content_pairs(text)
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        if w in STOPWORDS:
            continue
        w = SAME.get(w, w)
        for suffix in SUFFIXES:
            if len(w) > STEM_MIN_CHARS and w.endswith(suffix):
                w = w[: -len(suffix)]
                break
        out.append(w)
    return out


def passages_of(path: Path) -> list[Passage]:
    text = path.read_text(encoding="utf-8", errors="replace")
    found: list[Passage] = []
    topic = m.group(1).strip() if (m := re.search(r"^#\s+(.+)$", text, re.M)) else ""
    if path.suffix == ".md" and re.search(r"^##\s", text, re.M):
        for block in re.split(r"^##\s+", text, flags=re.M)[1:]:
            title, _, body = block.partition("\n")
            body = " ".join(body.split())
            if body:
                found.append(Passage(path.name, title.strip(), body[:PASSAGE_MAX_CHARS], topic))
    else:
        for para in re.split(r"\n\s*\n", text):
            body = " ".join(para.strip().lstrip("#").split())
            if body:
                found.append(Passage(path.name, "", body[:PASSAGE_MAX_CHARS]))
    return found


class _Index:
    """BM25 over the passages of one language."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        self.words = [set(words(f"{p.topic} {p.title} {p.text}")) for p in passages]
        # (a section's heading counts twice; the document's title once)
        self.bm25 = BM25Okapi([words(f"{p.topic} {p.title} {p.title} {p.text}") for p in passages], b=LENGTH_NORM)


class Knowledge:
    """The documents, one index per language (Chinese passages, the rest): a question searches those of
    its own language, and one language's documents never change the other's word weights."""

    def __init__(self, passages: list[Passage], min_score: float, min_shared: int) -> None:
        if not passages:
            raise KnowledgeError("no passages to search")
        self.passages, self.min_score, self.min_shared = passages, min_score, min_shared
        split = {zh: [p for p in passages if is_chinese(p.text) == zh] for zh in (False, True)}
        self._indexes = {zh: _Index(ps) for zh, ps in split.items() if ps}
        self._weights = {w: max(0.1, float(v)) for ix in self._indexes.values()  # (for `quote`, made once)
                         for w, v in ix.bm25.idf.items()}

    @classmethod
    def load(cls, folder: str | Path, min_score: float, min_shared: int) -> Knowledge:
        root = Path(folder)
        if not root.is_dir():
            raise KnowledgeError(f"no knowledge folder {root}")
        files = sorted(p for p in root.rglob("*") if p.suffix in (".md", ".txt") and p.is_file())
        passages = [x for f in files for x in passages_of(f)]
        if not passages:
            raise KnowledgeError(f"no .md or .txt documents with text in {root}")
        return cls(passages, min_score, min_shared)

    def weights(self) -> dict[str, float]:
        """Each indexed word's weight for `quote`: its BM25 IDF (≥ 0.1: the commonest still count a little)."""
        return self._weights

    def find(self, question: str) -> Found | None:
        """The passage that answers `question`, or None when nothing matches well enough."""
        asked = words(question)
        ix = self._indexes.get(is_chinese(question))
        if not asked or ix is None:
            return None
        scores = ix.bm25.get_scores(asked)
        best = int(scores.argmax())
        shared = len(set(asked) & ix.words[best])
        if scores[best] < self.min_score or shared < min(self.min_shared, len(set(asked))):
            return None
        return Found(ix.passages[best], float(scores[best]), shared)


def quote(passage: Passage, question: str, sentences: int = EXTRACT_SENTENCES,
          weight: dict[str, float] | None = None) -> str:
    """The passage's sentences that answer `question` best (the words they share with it, each by
    its `weight` — rarer words count more — the first sentence leading a tie), in the passage's
    order: an answer in the operator's own words, nothing invented."""
    said = [x.strip() for x in re.split(r"(?<=[.!?])\s+|(?<=[。！？])", passage.text) if x.strip()]
    glue = "" if is_chinese(passage.text) else " "
    if len(said) <= sentences:
        return glue.join(said)
    asked, weight = set(words(question)), weight or {}
    score = [sum(weight.get(w, 1.0) for w in asked & set(words(x))) + (FIRST_SENTENCE_BONUS if i == 0 else 0.0)
             for i, x in enumerate(said)]
    best = sorted(sorted(range(len(said)), key=lambda i: -score[i])[:sentences])
    return glue.join(said[i] for i in best)
