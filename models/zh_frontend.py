"""The Mandarin voice's text front end: written Chinese → the phoneme ids its FastSpeech2 reads.

Numbers are read out in characters (56 → 五十六, 3.5 → 三点五, 50% → 百分之五十, 2026年 → 二零二六年,
long digit strings digit by digit), characters become pinyin with tones (`pypinyin`, neutral tone
as 5), each syllable becomes the voice's (initial, final+tone) pair from models/zh_phones.json, with
the word-boundary mark "#0" between syllables and "sil" around the phrase (the voice's training
labels, DataBaker CSMSC). Anything else (Latin letters, symbols) is not Chinese: callers split it
off first (models/zh_tts.py speaks it with the English voice).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from assistant.text import HAN

PHONES_FILE = Path(__file__).with_name("zh_phones.json")
DIGITS = "零一二三四五六七八九"
UNITS = ((10**8, "亿"), (10**4, "万"), (1000, "千"), (100, "百"), (10, "十"))
SPELL_OUT_DIGITS = 9  # longer digit strings (phone numbers, codes) are read digit by digit
NUMBER = re.compile(r"(\d+(?:\.\d+)?)(%|％)?(年)?")


def _integer(n: int, leading: bool = True) -> str:
    """0 ≤ n < 10^12 in characters, as said (10 → 十, 110 → 一百一十, 1005 → 一千零五)."""
    if n < 10:
        return DIGITS[n]
    for value, unit in UNITS:
        if n >= value:
            head, rest = divmod(n, value)
            said = ("" if value == 10 and head == 1 and leading else _integer(head)) + unit
            if rest:
                said += ("零" if rest < value // 10 else "") + _integer(rest, leading=False)
            return said
    return DIGITS[n]


def number_words(match: re.Match[str]) -> str:
    digits, percent, year = match.group(1), match.group(2), match.group(3)
    whole, _, frac = digits.partition(".")
    if year and not frac and len(whole) == 4:
        return "".join(DIGITS[int(d)] for d in whole) + "年"
    if len(whole) >= SPELL_OUT_DIGITS or (len(whole) > 1 and whole.startswith("0")):
        said = "".join(DIGITS[int(d)] for d in whole)
    else:
        said = _integer(int(whole))
    if frac:
        said += "点" + "".join(DIGITS[int(d)] for d in frac)
    if percent:
        said = "百分之" + said
    return said + (year or "")


def normalise(text: str) -> str:
    """Numbers as characters."""
    return NUMBER.sub(number_words, text)


@cache
def _table() -> tuple[dict[str, int], dict[str, tuple[str, str]]]:
    t = json.loads(PHONES_FILE.read_text(encoding="utf-8"))
    return t["symbol_to_id"], {k: (v[0], v[1]) for k, v in t["pinyin_dict"].items()}


def syllables(text: str) -> list[str]:
    """Pinyin with tone numbers (neutral = 5) of the Chinese characters of `text`, in order."""
    from pypinyin import Style, lazy_pinyin

    han = "".join(HAN.findall(text))
    return lazy_pinyin(han, style=Style.TONE3, neutral_tone_with_five=True, errors="ignore") if han else []


def phonemes(text: str) -> list[str]:
    """The voice's phoneme symbols for one phrase ('sil n i3 #0 h ao3 sil'); [] if it holds no Chinese."""
    _, pinyin = _table()
    out: list[str] = []
    for syl in syllables(normalise(text)):
        base, tone = syl[:-1], syl[-1]
        if not tone.isdigit():
            base, tone = syl, "5"
        if base in ("n", "ng", "m"):  # 嗯 / 呣: the voice has them as "en"
            base = "en"
        if base not in pinyin and base.endswith("r") and base[:-1] in pinyin:  # erhua written into one syllable
            base = base[:-1]
        if base not in pinyin:
            continue
        initial, final = pinyin[base]
        out += [initial, final + tone, "#0"]
    if not out:
        return []
    return ["sil", *out[:-1], "sil"]


def ids(symbols: list[str]) -> list[int]:
    """Phoneme ids, with the end-of-sequence id the model expects."""
    table, _ = _table()
    return [table[s] for s in symbols] + [table["eos"]]
