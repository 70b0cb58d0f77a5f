"""Exact arithmetic on a spoken question: "what is one hundred forty four divided by twelve",
"fifteen percent of two hundred", "six squared", "and what is that times two" (`that` is the last
number of the previous answer). The words become an expression of numbers and operators, which is
evaluated by a small AST walker (no eval); anything else in the span means it is not arithmetic.
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable

from assistant.tools.spoken_numbers import parse, say, tokens

# (words, expression text, spoken form); longest phrases first
OPERATORS: list[tuple[tuple[str, ...], str, str]] = sorted([
    (("plus",), "+", "plus"), (("+",), "+", "plus"), (("added", "to"), "+", "plus"), (("and",), "", ""),
    (("minus",), "-", "minus"), (("-",), "-", "minus"), (("take", "away"), "-", "minus"), (("less",), "-", "minus"),
    (("times",), "*", "times"), (("multiplied", "by"), "*", "times"), (("x",), "*", "times"),
    (("*",), "*", "times"), (("×",), "*", "times"),
    (("divided", "by"), "/", "divided by"), (("over",), "/", "divided by"), (("/",), "/", "divided by"),
    (("÷",), "/", "divided by"), (("to", "the", "power", "of"), "**", "to the power of"),
    (("percent", "of"), "/100*", "percent of"), (("%", "of"), "/100*", "percent of"), (("percent",), "/100", "percent"),
    (("squared",), "**2", "squared"), (("cubed",), "**3", "cubed"),
], key=lambda o: -len(o[0]))
PREFIX_OPS: list[tuple[tuple[str, ...], str, str]] = [
    (("square", "root", "of"), "sqrt(", "the square root of"), (("the", "square", "root", "of"), "sqrt(", "the square root of"),
    (("half", "of"), "0.5*", "half of"), (("a", "half", "of"), "0.5*", "half of"), (("a", "third", "of"), "1/3*", "a third of"),
    (("a", "quarter", "of"), "0.25*", "a quarter of"), (("double",), "2*", "double"), (("twice",), "2*", "twice"),
]
REFERS = ("that", "it", "this")  # the previous answer's number
# "times two" as Whisper writes it after a number or `that` ("and what is that time to?": the QA bench)
HEARD_AS_TIMES_TWO = {("time", "to"), ("time", "too"), ("time", "two"), ("times", "to"), ("times", "too")}
TAIL_OK = {"is", "equal", "equals", "make", "makes", "please", "exactly", "again", "then", "now"}
_OPS: dict[type, Callable[..., float]] = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
                                          ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg}
MAX_POWER = 100  # exponents beyond this are not everyday arithmetic


def _value(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        a, b = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Pow) and abs(b) > MAX_POWER:
            raise ValueError("exponent too large")
        return float(_OPS[type(node.op)](a, b))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_value(node.operand)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sqrt" and len(node.args) == 1:
        return math.sqrt(_value(node.args[0]))
    raise ValueError("not arithmetic")


def _match(words: list[str], i: int, table: list[tuple[tuple[str, ...], str, str]]) -> tuple[str, str, int] | None:
    for phrase, expr, spoken in table:
        if tuple(words[i:i + len(phrase)]) == phrase:
            return expr, spoken, len(phrase)
    return None


def last_number(text: str) -> float | None:
    found = re.findall(r"-?\d[\d,]*(?:\.\d+)?", text)
    return float(found[-1].replace(",", "")) if found else None


def solve(text: str, previous: str = "") -> tuple[str, float] | None:
    """(the spoken question, its result) if `text` asks for arithmetic, else None."""
    words = _times_two([w for w in tokens(text) if w not in ("?",)])
    spoken: list[str] = []
    expr, ops, i, start = "", 0, 0, None
    open_parens = 0
    while i < len(words):
        pre = _match(words, i, PREFIX_OPS)
        num = parse(words[i:])
        op: tuple[str, str, int] | None = _match(words, i, OPERATORS) if start is not None else None
        if words[i] in REFERS and (start is not None or (i + 1 < len(words) and _match(words, i + 1, OPERATORS))):
            ref = last_number(previous)
            if ref is None:
                return None
            expr, spoken, i = expr + repr(ref), [*spoken, say(ref)], i + 1
        elif pre is not None:
            expr += pre[0]
            open_parens += pre[0].endswith("(")
            spoken.append(pre[1])
            ops, i = ops + 1, i + pre[2]
        elif num is not None and (start is not None or words[i] not in ("a", "an")):
            expr, spoken, i = expr + repr(num[0]), [*spoken, say(num[0])], i + num[1]
        elif op is not None and op[0]:
            expr, spoken, ops, i = expr + op[0], [*spoken, op[1]], ops + 1, i + op[2]
        elif start is not None and words[i] in TAIL_OK | {"and"}:
            i += 1
            continue
        elif start is not None:
            return None  # other words after the numbers began: not a sum
        else:
            i += 1
            continue
        start = i if start is None else start
    if ops == 0 or not expr:
        return None
    try:
        value = _value(ast.parse(expr + ")" * open_parens, mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError, TypeError):
        return None
    return " ".join(spoken), value


def _times_two(words: list[str]) -> list[str]:
    """"… that time to" → "… that times two" (the last words, after a number or a reference to one)."""
    out = list(words)
    while out and out[-1] in TAIL_OK:
        out.pop()
    i = len(out) - 2
    if i >= 1 and (out[i], out[i + 1]) in HEARD_AS_TIMES_TWO and (out[i - 1] in REFERS or parse(out[i - 1:i]) is not None):
        out[i], out[i + 1] = "times", "two"
    return out


def answer(text: str, previous: str = "") -> str | None:
    """The sentence to say, or None when this is no arithmetic question."""
    solved = solve(text, previous)
    if solved is None:
        return None
    question, value = solved
    exact = abs(value - round(value, 2)) < 1e-9
    return f"{question[0].upper()}{question[1:]} is {'' if exact else 'about '}{say(value)}."


WRITTEN = re.compile(r"\d+(?:\.\d+)?(?:\s*[-+−–×xX*÷/:]\s*\d+(?:\.\d+)?)+")  # a sum as written on paper
WRITTEN_OPS = {"−": "-", "–": "-", "X": "x", ":": "÷"}


def written(text: str) -> str | None:
    """The answer to the first sum written in `text` (what the camera read: "23 x 3 =", "144 ÷ 12"), or None."""
    m = WRITTEN.search(text)
    if m is None:
        return None
    expr = m.group(0)
    for a, b in WRITTEN_OPS.items():
        expr = expr.replace(a, b)
    spoken = re.sub(r"\s*-\s*", " minus ", expr)  # (the word tokenizer drops a bare "-")
    spoken = re.sub(r"\s*([+×x*÷/])\s*", r" \1 ", spoken)
    return answer(f"what is {spoken}")
