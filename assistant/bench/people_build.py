"""Build the human-recordings corpus (assistant/bench/people/) from its public sources.

Run once where the source repositories are reachable (they are not on a CI machine: the result is
committed); `python -m assistant.bench.people_build PICOVOICE_REPO PYANNOTE_REPO [NOIZEUS_REPO]`, each a
git directory (a bare mirror is enough: files are read with `git show`).

- requests to a device: Picovoice/speech-to-intent-benchmark (Apache-2.0), `data/speech/clean/`,
  **only the files at even positions** of the 619 sorted by name (2nd, 4th, …; the odd ones are left
  alone for checks made outside the project), with their intent labels;
- people talking to each other: pyannote/pyannote-audio (MIT; AMI meeting excerpts, CC BY 4.0)
  `tests/data/trn01..09.wav` with their speaker turns from `debug.train.rttm` (never dev* / tst*);
- read speech and real noise: NOIZEUS through skit-ai/woc-tts-enhancement (MIT; NOIZEUS is Loizou's,
  free for research), `Dataset/clean/sp01..30.wav` (30 IEEE sentences read by 6 people, 5 each, 8 kHz)
  and the 8 real noises (car, train, street, station, restaurant, exhibition, airport, babble) taken
  back out of `Dataset/noise_classes/<noise>/spNN_<noise>_sn0.wav` (noisy − clean, exact to the sample).

Each recording is trimmed to its speech (0.3 s kept around it), stored as Ogg Opus at 32 kbit/s, and
put in a half: requests by speaker (clusters of the speaker embedder's d-vectors: no voice in both
halves), meetings by the speakers they share (no person in both halves).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
import soxr

from audio.frames import SAMPLE_RATE

OUT = Path(__file__).resolve().parent / "people"
PICOVOICE_CLEAN = "data/speech/clean"
PICOVOICE_LABELS = "data/label/label.json"
PYANNOTE_DATA = "tests/data"
MEETINGS = tuple(f"trn{k:02d}" for k in range(1, 10))
NOIZEUS = "Dataset"
NOIZEUS_SENTENCES = 30  # sp01..sp30, five per reader
NOIZEUS_PER_READER = 5
NOIZES = ("car", "train", "street", "station", "restaurant", "exhibition", "airport", "babble")
MARGIN_S = 0.3  # s kept before the first and after the last speech
SPEECH_DBFS = -45.0  # a 20 ms frame louder than this is speech, for trimming
SAME_SPEAKER_DISTANCE = 0.3  # cosine distance under which two requests are one speaker's (average linkage)
OPUS_KBPS = 32


def _git_bytes(repo: Path, path: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), "show", f"HEAD:{path}"], capture_output=True, check=True).stdout


def _git_list(repo: Path, folder: str) -> list[str]:
    out = subprocess.run(["git", "-C", str(repo), "ls-tree", "--name-only", "HEAD", folder + "/"], capture_output=True,
                         check=True, text=True).stdout
    return sorted(out.split())


def _read(raw: bytes) -> np.ndarray:
    pcm, sr = sf.read(io.BytesIO(raw), dtype="float32", always_2d=True)
    mono = pcm.mean(axis=1)
    return mono if sr == SAMPLE_RATE else soxr.resample(mono, sr, SAMPLE_RATE).astype(np.float32)


def trimmed(pcm: np.ndarray) -> np.ndarray:
    hop = SAMPLE_RATE // 50
    n = pcm.size // hop
    level = 20 * np.log10(np.sqrt((pcm[: n * hop].reshape(n, hop) ** 2).mean(axis=1)) + 1e-9)
    loud = np.flatnonzero(level > SPEECH_DBFS)
    if loud.size == 0:
        return pcm
    start = max(0, loud[0] * hop - int(MARGIN_S * SAMPLE_RATE))
    end = min(pcm.size, (loud[-1] + 1) * hop + int(MARGIN_S * SAMPLE_RATE))
    return pcm[start:end]


def _write(path: Path, pcm: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(path, np.clip(pcm, -1, 1), SAMPLE_RATE, format="OGG", subtype="OPUS",
             compression_level=1.0 - OPUS_KBPS / 256)


def speaker_groups(embeddings: np.ndarray) -> np.ndarray:
    """A speaker label per recording: average-linkage clusters of the d-vectors by cosine distance."""
    from scipy.cluster.hierarchy import fcluster, linkage

    z = linkage(embeddings, method="average", metric="cosine")
    return np.asarray(fcluster(z, t=SAME_SPEAKER_DISTANCE, criterion="distance"))


def halves_of(groups: list[str], sizes: dict[str, int]) -> dict[str, str]:
    """Whole groups to "tune" / "held", largest first, each to the half with fewer items so far."""
    count = {"tune": 0, "held": 0}
    out: dict[str, str] = {}
    for g in sorted(groups, key=lambda g: (-sizes[g], g)):
        half = "held" if count["held"] < count["tune"] else "tune"
        out[g] = half
        count[half] += sizes[g]
    return out


def build_requests(repo: Path) -> dict[str, Any]:
    from models.voices import VoiceEmbedder

    labels = json.loads(_git_bytes(repo, PICOVOICE_LABELS))
    names = [Path(p).name for p in _git_list(repo, PICOVOICE_CLEAN) if p.endswith(".wav")]
    kept = names[1::2]  # 2nd, 4th, 6th… of the sorted names
    embedder = VoiceEmbedder()
    clips, vectors = {}, []
    for i, name in enumerate(kept):
        clips[name] = trimmed(_read(_git_bytes(repo, f"{PICOVOICE_CLEAN}/{name}")))
        vectors.append(embedder.embed(clips[name]))
        print(f"\rrequests: {i + 1}/{len(kept)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    speakers = [f"pv{g:03d}" for g in speaker_groups(np.stack(vectors))]
    sizes = {s: speakers.count(s) for s in set(speakers)}
    half = halves_of(list(sizes), sizes)
    index = {}
    for (name, pcm), spk in zip(clips.items(), speakers, strict=True):
        stem = Path(name).stem
        _write(OUT / "requests" / f"{stem}.opus", pcm)
        index[stem] = {"intent": labels[name]["intent"], "slots": labels[name].get("slots", {}), "speaker": spk,
                       "half": half[spk], "seconds": round(pcm.size / SAMPLE_RATE, 2)}
    return index


def build_meetings(repo: Path) -> dict[str, Any]:
    turns: dict[str, list[tuple[float, float, str]]] = {m: [] for m in MEETINGS}
    for line in _git_bytes(repo, f"{PYANNOTE_DATA}/debug.train.rttm").decode().splitlines():
        f = line.split()
        if f and f[0] == "SPEAKER" and f[1] in turns:
            turns[f[1]].append((float(f[3]), float(f[4]), f[7]))
    # meetings that share a person are one group (union-find over the speakers)
    parent = {m: m for m in MEETINGS}

    def root(m: str) -> str:
        while parent[m] != m:
            m = parent[m]
        return m
    seen: dict[str, str] = {}
    for m in MEETINGS:
        for _, _, spk in turns[m]:
            if spk in seen:
                parent[root(m)] = root(seen[spk])
            seen.setdefault(spk, m)
    groups = {m: root(m) for m in MEETINGS}
    sizes = {g: sum(1 for m in MEETINGS if groups[m] == g) for g in set(groups.values())}
    half = halves_of(list(sizes), sizes)
    index = {}
    for m in MEETINGS:
        pcm = _read(_git_bytes(repo, f"{PYANNOTE_DATA}/{m}.wav"))
        _write(OUT / "meetings" / f"{m}.opus", pcm)
        index[m] = {"half": half[groups[m]], "seconds": round(pcm.size / SAMPLE_RATE, 2),
                    "turns": [[round(s, 3), round(d, 3), spk] for s, d, spk in sorted(turns[m])]}
    return index


def build_noizeus(repo: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read sentences (halves by reader: readers 0, 2, 4 tune) and each noise's beds (one per half: the
    noise under the sentences of that half's readers, end to end)."""
    read, noise = {}, {}
    clean = {k: _read(_git_bytes(repo, f"{NOIZEUS}/clean/sp{k:02d}.wav")) for k in range(1, NOIZEUS_SENTENCES + 1)}
    def half_of(k: int) -> str:
        return ("tune", "held")[((k - 1) // NOIZEUS_PER_READER) % 2]
    for k, pcm in clean.items():
        _write(OUT / "read" / f"sp{k:02d}.opus", trimmed(pcm))
        read[f"sp{k:02d}"] = {"reader": f"noizeus{(k - 1) // NOIZEUS_PER_READER}", "half": half_of(k),
                              "seconds": round(pcm.size / SAMPLE_RATE, 2)}
    for name in NOIZES:
        for h in ("tune", "held"):
            parts = []
            for k, pcm in clean.items():
                if half_of(k) == h:
                    noisy = _read(_git_bytes(repo, f"{NOIZEUS}/noise_classes/{name}/sp{k:02d}_{name}_sn0.wav"))
                    n = min(noisy.size, pcm.size)
                    parts.append(noisy[:n] - pcm[:n])
            bed = np.concatenate(parts)
            _write(OUT / "noise" / f"{name}_{h}.opus", bed)
            noise[f"{name}_{h}"] = {"noise": name, "half": h, "seconds": round(bed.size / SAMPLE_RATE, 2)}
        print(f"\rnoise: {name}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return read, noise


def main(argv: list[str]) -> int:
    """PICOVOICE_REPO PYANNOTE_REPO [NOIZEUS_REPO]: the whole corpus; `--noizeus NOIZEUS_REPO`: only NOIZEUS's
    part, added to the index as it is."""
    if len(argv) == 2 and argv[0] == "--noizeus":
        index = json.loads((OUT / "index.json").read_text())
        index["read"], index["noise"] = build_noizeus(Path(argv[1]))
    elif len(argv) in (2, 3):
        index = {"requests": build_requests(Path(argv[0])), "meetings": build_meetings(Path(argv[1]))}
        if len(argv) == 3:
            index["read"], index["noise"] = build_noizeus(Path(argv[2]))
    else:
        print("usage: python -m assistant.bench.people_build PICOVOICE_REPO PYANNOTE_REPO [NOIZEUS_REPO]\n"
              "       python -m assistant.bench.people_build --noizeus NOIZEUS_REPO", file=sys.stderr)
        return 2
    (OUT / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False))
    for kind, idx in index.items():
        for h in ("tune", "held"):
            sel = [v for v in idx.values() if v["half"] == h]
            print(f"{kind} {h}: {len(sel)} recordings, {sum(v['seconds'] for v in sel) / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
