"""Readable event lines for the terminal: what was heard, each state token, interruptions, answers."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from assistant.core.events import (
    ClockDrift,
    Duck,
    Error,
    Event,
    Ignored,
    Interrupt,
    Paused,
    ReplyDone,
    ReplyHeard,
    ReplyText,
    Resumed,
    RolesSwapped,
    Seen,
    SegmentHeard,
    SpeechStart,
    StateToken,
    Withdrawn,
)


def line_for(ev: Event) -> str | None:
    t = f"{ev.t:7.2f}s"
    match ev:
        case SpeechStart():
            return f"{t}  ▶ speech{' (while speaking)' if ev.assistant_speaking else ''}"
        case SegmentHeard(final=True):
            return f"{t}  heard: {ev.text!r}"
        case StateToken():
            probs = " ".join(f"{k}={v:.2f}" for k, v in ev.probs.items())
            stage = "final" if ev.final else "partial"
            return f"{t}  <|{ev.token}|> {ev.p:.2f}  ({probs}; {stage}, replica {ev.replica})"
        case Ignored():
            return f"{t}  ignored: {ev.reason} {ev.p:.2f}"
        case Withdrawn():
            return f"{t}  let go: segment {ev.segment} was taken up by another voice (segment {ev.by})"
        case Resumed():
            return f"{t}  goes on with the answer it was cut in: {ev.text!r}"
        case Duck():
            if not ev.on:
                return f"{t}  volume restored" + (f" ({ev.lost_s:.1f} s unheard under the duck)" if ev.lost_s else "")
            return f"{t}  " + ("held (kept, silent)" if ev.gain_db <= -100 else f"duck {ev.gain_db:.0f} dB")
        case Paused():
            return f"{t}  ⏸ paused (query {ev.p:.2f} on a partial): the end of the utterance decides"
        case Interrupt():
            return f"{t}  ✂ interrupted at {ev.t:.2f} s"
        case ReplyHeard():
            return f"{t}  heard before the cut: {ev.text!r}"
        case RolesSwapped():
            return f"{t}  ⇄ generator={ev.generator} monitor={ev.monitor}"
        case ReplyText():
            return f"{t}  assistant: {ev.text}"
        case ReplyDone():
            return None
        case Seen():
            return f"{t}  👁 {ev.text} ({ev.ms:.0f} ms)"
        case Error():
            return f"{t}  error: {ev.message}"
        case ClockDrift():
            return f"{t}  ⚠ the loop is {ev.behind_s:.2f} s behind the mic"
    return None


def printer(out: TextIO = sys.stdout) -> Callable[[Event], None]:
    def show(ev: Event) -> None:
        line = line_for(ev)
        if line:
            print(line, file=out, flush=True)

    return show
