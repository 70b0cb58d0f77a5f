"""Exact answers to Mandarin questions a small model gets wrong: arithmetic ("七乘以八等于多少？",
"一百四十四除以十二是几") and the clock ("现在几点了？", "今天星期几？", "今天几号？").

Numbers may be written in characters (十二, 一百零五, 两千) or digits. Whisper base writes 乘以 as
成以 / 成一 now and then (heard on the Mandarin bench): those are read as 乘以 too. Anything else in
the question means it is not for this tool (None: the LLM answers).
"""

from __future__ import annotations

import datetime as dt
import re

from assistant.text import is_chinese

DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNIT = {"十": 10, "百": 100, "千": 1000}
NUM = r"[0-9.]+|[零〇一二两三四五六七八九十百千万]+"
OPS = {"加上": "+", "加": "+", "减去": "-", "减": "-", "乘以": "*", "成以": "*", "成一": "*", "乘": "*",
       "除以": "/", "x": "*", "×": "*", "÷": "/", "+": "+", "-": "-", "*": "*", "/": "/"}
OP = "|".join(sorted(map(re.escape, OPS), key=len, reverse=True))
LEAD = r"(?:请问|请|那么|那|你知道|告诉我)?"
ASK = r"(?:等于|是)?(?:多少|几)?(?:呢|啊|吗)?"
SUM = re.compile(rf"^{LEAD}(?P<a>{NUM})(?P<rest>(?:(?:{OP})(?:{NUM}))+){ASK}[？?。！!]*$")
STEP = re.compile(rf"({OP})({NUM})")
SAID_OP = {"+": "加", "-": "减", "*": "乘以", "/": "除以"}
WEEKDAYS = "一二三四五六日"


def number(s: str) -> float | None:
    """A number in digits or characters (十二, 一百零五, 三万五千), or None."""
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", s):
        return float(s)
    if not s or any(c not in DIGIT and c not in UNIT and c != "万" for c in s):
        return None
    total, section, digit = 0, 0, None
    for c in s:
        if c in DIGIT:
            digit = DIGIT[c] if digit is None else digit * 10 + DIGIT[c]  # (二零二六: digit by digit)
        elif c in UNIT:
            section += (1 if digit is None else digit) * UNIT[c]
            digit = None
        else:  # 万
            total = (total + section + (digit or 0)) * 10_000
            section, digit = 0, None
    return float(total + section + (digit or 0))


def _say(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:.4g}"


def arithmetic(text: str) -> str | None:
    """'七乘以八等于多少？' → '七乘以八等于56。' (None if it is not arithmetic)."""
    m = SUM.match(re.sub(r"\s+", "", text))
    if m is None:
        return None
    a = number(m.group("a"))
    steps = [(OPS[op], number(n)) for op, n in STEP.findall(m.group("rest"))]
    if a is None or any(x is None for _, x in steps):
        return None
    expr, value = _say(a), a
    for op, x in steps:
        assert x is not None
        if op == "/" and x == 0:
            return "不能除以零。"
        value = {"+": value + x, "-": value - x, "*": value * x, "/": value / x}[op]
        expr += SAID_OP[op] + _say(x)
    return f"{expr}等于{_say(round(value, 6))}。"


def clock(text: str, now: dt.datetime | None = None) -> str | None:
    """The time, weekday or date asked in Mandarin, from the device's clock."""
    now = now or dt.datetime.now()
    t = re.sub(r"\s+", "", text)
    if re.search(r"(现在|目前)?几点(了|钟)?|现在(是)?什么时间|现在的时间", t):
        return f"现在是{now.hour}点{now.minute}分。" if now.minute else f"现在是{now.hour}点整。"
    if re.search(r"(今天|今儿)(是)?(星期|礼拜|周)几", t):
        return f"今天是星期{WEEKDAYS[now.weekday()]}。"
    if re.search(r"(今天|今儿)(是)?(几号|几月几号|什么日子|哪天)|今天的日期", t):
        return f"今天是{now.month}月{now.day}日。"
    return None


def answer(text: str, now: dt.datetime | None = None) -> str | None:
    """An exact Mandarin answer, or None."""
    if not is_chinese(text):
        return None
    return clock(text, now) or arithmetic(text)
