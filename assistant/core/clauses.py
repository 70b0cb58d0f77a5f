"""Cutting streamed answer text into clauses for TTS, so first audio comes before the answer ends.
English and Chinese punctuation both end clauses; a Chinese word counts as 1.5 characters."""

from __future__ import annotations

import re

from assistant.text import word_count

_SENTENCE_END = re.compile(r"[.!?](?=\s)|[。！？]+|\n")  # (Chinese marks need no space after them)
_CLAUSE_END = re.compile(r"[,;:](?=\s)|[，；：]")
# (a verb too: "The capital of Japan | is Tokyo." — the first words are heard ~0.15 s sooner)
_JOIN = re.compile(r"\s(?:and|but|or|that|which|who|because|so|while|with|in|of|for|to|is|are|was|were)\s")


class ClauseSplitter:
    def __init__(self, first_clause_words: int = 4, clause_words: int = 8) -> None:
        self.first_clause_words = first_clause_words  # words before a comma or a joining word may end the first clause
        self.clause_words = clause_words  # words before a comma may end a later clause
        self._buf = ""
        self._emitted = 0

    def push(self, delta: str) -> list[str]:
        self._buf += delta
        out: list[str] = []
        while True:
            cut = self._cut()
            if cut is None:
                return out
            clause, self._buf = self._buf[:cut].strip(), self._buf[cut:]
            if clause:
                out.append(clause)
                self._emitted += 1

    def _cut(self) -> int | None:
        m = _SENTENCE_END.search(self._buf)
        if m:
            return m.end()
        need = self.first_clause_words if self._emitted == 0 else self.clause_words
        for m in _CLAUSE_END.finditer(self._buf):
            if word_count(self._buf[: m.end()]) >= need:
                return m.end()
        if self._emitted == 0:
            # the first clause decides when the user hears something: break before a joining
            # word once it is long enough, rather than wait for the end of a long sentence
            for m in _JOIN.finditer(self._buf):
                if word_count(self._buf[: m.start()]) >= self.first_clause_words:
                    return m.start()
        return None

    def flush(self) -> list[str]:
        rest, self._buf = self._buf.strip(), ""
        return [rest] if rest else []


def speakable(text: str) -> str:
    """Drop what TTS should not read aloud (markdown marks; a clause with no word in it, like "…")."""
    if not re.search(r"[^\W_]", text):
        return ""
    text = re.sub(r"[*_`#>|]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()
