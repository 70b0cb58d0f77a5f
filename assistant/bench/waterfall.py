"""The latency waterfall of one answer: where the time from the end of the user's speech to the
first audible word went, read from the replay's events (all times on the mic timeline).

Steps, each a time after the end of the user's speech (s):
  end_of_turn   the segment version that was judged was cut (VAD silence reached)
  asr           the shared encoder + Whisper transcript were done
  verdict       the monitor's state token (query)
  first_token   the generator's first text
  first_clause  the first clause went to TTS
  tts           its audio was synthesised and queued (or released)
  audible       the first assistant audio above -45 dBFS
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from assistant.core.events import Event, ReplyAudio, ReplyProgress, SegmentHeard, StateToken

STEPS = ("end_of_turn", "asr", "verdict", "first_token", "first_clause", "tts", "audible")
DRAFT_BEFORE_END_S = 0.5  # a draft may start this long before the true speech end (a VAD end in a pause)


def stages(events: Sequence[Event], speech_end: float, audible: float | None) -> dict[str, float]:
    """The waterfall of the answer to speech that ended at `speech_end` (empty if none was drafted)."""
    drafted = next((e for e in events if isinstance(e, ReplyProgress) and e.step == "drafted"
                    and e.t >= speech_end - DRAFT_BEFORE_END_S), None)
    if drafted is None:
        return {}
    at: dict[str, float] = {}
    # the version whose words drafted it: judged at the draft, or (drafted before the verdict) after it
    heard = [e for e in events if isinstance(e, SegmentHeard) and e.judge_s > 0 and e.t >= drafted.t]
    if heard and heard[0].t - heard[0].judge_s <= drafted.t:
        h = heard[0]
        at["end_of_turn"] = h.end
        at["asr"] = h.t - h.judge_s + h.asr_s
    token = [e for e in events if isinstance(e, StateToken) and e.t >= drafted.t]
    if token:
        at["verdict"] = token[0].t
    for e in events:
        if isinstance(e, ReplyProgress) and e.reply == drafted.reply and e.step in STEPS:
            at.setdefault(e.step, e.t)
        elif isinstance(e, ReplyAudio) and e.reply == drafted.reply:
            at.setdefault("tts", e.t)
    if audible is not None:
        at["audible"] = audible
    return {k: round(at[k] - speech_end, 3) for k in STEPS if k in at}


def plot(rows: Sequence[tuple[str, dict[str, float]]], path: Path) -> None:
    """One horizontal bar per answer, one coloured piece per step (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [(name, st) for name, st in rows if st]
    fig, ax = plt.subplots(figsize=(10, 0.3 * len(rows) + 1.5))
    colours = plt.get_cmap("tab10")
    for y, (_, st) in enumerate(rows):
        prev = 0.0
        for i, step in enumerate(STEPS):
            if step not in st:
                continue
            ax.barh(y, st[step] - prev, left=prev, color=colours(i), label=step if y == 0 else None)
            prev = st[step]
    ax.set_yticks(range(len(rows)), [name for name, _ in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("s after the end of the user's speech")
    ax.axvline(0.8, color="k", ls=":", lw=0.8)
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
