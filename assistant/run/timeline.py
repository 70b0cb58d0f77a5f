"""A timeline plot of a replay: mic waveform, speech segments, state tokens, assistant audio."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from assistant.core.events import Event, Interrupt, Paused, SegmentHeard, StateToken
from audio.frames import SAMPLE_RATE

COLOURS = {"query": "tab:green", "noise": "tab:gray", "side": "tab:orange"}


def plot_timeline(mic_pcm: np.ndarray, assistant: np.ndarray, events: Iterable[Event], path: Path) -> None:
    """`mic_pcm` and `assistant`: 16 kHz on the mic timeline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = max(mic_pcm.size, assistant.size)
    t = np.arange(n) / SAMPLE_RATE
    mic = np.pad(mic_pcm, (0, n - mic_pcm.size))
    out = np.pad(assistant, (0, n - assistant.size))
    fig, ax = plt.subplots(2, 1, figsize=(12, 4.5), sharex=True)
    ax[0].plot(t[::8], mic[::8], lw=0.4, color="tab:blue")
    ax[0].set_ylabel("mic")
    for ev in events:
        if isinstance(ev, SegmentHeard) and ev.final:
            ax[0].axvspan(ev.start, ev.end, color="tab:blue", alpha=0.12)
        if isinstance(ev, StateToken):
            ax[0].annotate(f"{ev.token} {ev.p:.2f}", (ev.t, 0.8), color=COLOURS[ev.token], fontsize=7,
                           xycoords=("data", "axes fraction"), rotation=60)
            ax[0].axvline(ev.t, color=COLOURS[ev.token], lw=0.8, ls=":")
        if isinstance(ev, Interrupt | Paused):
            for a in ax:
                a.axvline(ev.t, color="tab:red", lw=1.2, ls="-" if isinstance(ev, Interrupt) else "--")
    ax[1].plot(t[::8], out[::8], lw=0.4, color="tab:purple")
    ax[1].set_ylabel("assistant")
    ax[1].set_xlabel("mic time (s)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
