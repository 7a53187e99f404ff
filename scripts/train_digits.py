"""Train, export, quantize and ship the digits model (`python scripts/train_digits.py [--out DIR]`).

1. scikit-learn `load_digits` (1797 8x8 images, pixels 0..16, bundled with scikit-learn: no download).
2. Fixed stratified split (25% test, random_state=0); inputs scaled to pixel/16.
3. `MLPClassifier(hidden_layer_sizes=(32,), activation="relu", random_state=0)`: layers 64x32 and 32x10.
4. Export a float32 ONNX graph built with `onnx.helper` from the learned coefficients (MatMul+Add+Relu,
   MatMul+Add), checked by `onnx.checker`.
5. Import that ONNX file through `opg_client.runtime.import_onnx` (quantization at FRAC_BITS).
6. Measure float accuracy (ONNX ReferenceEvaluator) and quantized accuracy (integer runtime) on the test
   split, and the largest |dequantized logit - float logit|.
7. Write `digits-mlp.json` (canonical model file), `digits-mlp.onnx` and `digits-mlp.meta.json`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

from opg_client.runtime import (
    dequantize,
    dump_model,
    encode_digit_pixels,
    import_onnx,
    layer_commitments,
    model_hash,
    run,
)
from opg_client.runtime.shipped import DIGITS_META_FILE, DIGITS_MODEL_FILE, DIGITS_ONNX_FILE

FRAC_BITS = 16
INPUT_SCALE_BITS = 4  # model input = pixel / 2**4; pixel in 0..16, so the input is exact in fixed point
HIDDEN = (32,)
SEED = 0
TEST_SIZE = 0.25
MODEL_NAME = "digits-mlp-64x32x10"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "tools" / "opg_client" / "data" / "models"


def split() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pixels (ints) and labels of the digits dataset, and the fixed train / test index split."""
    digits = load_digits()
    pixels = digits.data.astype(np.int64)
    labels = digits.target.astype(np.int64)
    train_idx, test_idx = train_test_split(
        np.arange(len(labels)), test_size=TEST_SIZE, random_state=SEED, stratify=labels
    )
    return pixels, labels, np.sort(train_idx), np.sort(test_idx)


def to_onnx(clf: MLPClassifier) -> onnx.ModelProto:
    """A float32 graph x[N,64] -> logits[N,10] from the classifier's coefficients."""
    nodes = []
    inits = []
    current = "x"
    n_layers = len(clf.coefs_)
    for k, (w, b) in enumerate(zip(clf.coefs_, clf.intercepts_, strict=True)):
        inits.append(numpy_helper.from_array(np.asarray(w, dtype=np.float32), f"W{k}"))
        inits.append(numpy_helper.from_array(np.asarray(b, dtype=np.float32), f"b{k}"))
        nodes.append(helper.make_node("MatMul", [current, f"W{k}"], [f"mm{k}"], name=f"matmul{k}"))
        out = "logits" if k == n_layers - 1 else f"pre{k}"
        nodes.append(helper.make_node("Add", [f"mm{k}", f"b{k}"], [out], name=f"add{k}"))
        if k < n_layers - 1:
            nodes.append(helper.make_node("Relu", [out], [f"h{k}"], name=f"relu{k}"))
            current = f"h{k}"
    n_in = clf.coefs_[0].shape[0]
    n_out = clf.coefs_[-1].shape[1]
    graph = helper.make_graph(
        nodes,
        "digits_mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", n_in])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", n_out])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="opg")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def train_and_export(out_dir: Path) -> dict[str, Any]:
    """Run the whole pipeline, write the three files into `out_dir`, return the metadata written."""
    pixels, labels, train_idx, test_idx = split()
    scale = float(1 << INPUT_SCALE_BITS)
    clf = MLPClassifier(
        hidden_layer_sizes=HIDDEN, activation="relu", max_iter=2000, random_state=SEED, tol=1e-6
    )
    clf.fit(pixels[train_idx] / scale, labels[train_idx])

    proto = to_onnx(clf)
    onnx_bytes = proto.SerializeToString()
    model = import_onnx(onnx_bytes, frac_bits=FRAC_BITS, name=MODEL_NAME)

    x_test = (pixels[test_idx] / scale).astype(np.float32)
    (float_logits,) = ReferenceEvaluator(proto).run(None, {"x": x_test})
    float_logits = np.asarray(float_logits, dtype=np.float64)
    float_pred = np.argmax(float_logits, axis=1)
    sk_pred = clf.predict(x_test)
    if not np.array_equal(float_pred, sk_pred):
        raise SystemExit("ONNX export disagrees with scikit-learn predictions")

    q_logits = np.stack(
        [run(model, encode_digit_pixels(list(p), FRAC_BITS, INPUT_SCALE_BITS)) for p in pixels[test_idx]]
    )
    q_pred = np.argmax(q_logits, axis=1)  # first maximum: same tie rule as runtime.argmax
    y_test = labels[test_idx]
    float_acc = float(np.mean(float_pred == y_test))
    quant_acc = float(np.mean(q_pred == y_test))
    max_diff = float(np.max(np.abs(dequantize(q_logits, FRAC_BITS) - float_logits)))

    data = dump_model(model)
    meta: dict[str, Any] = {
        "model_file": DIGITS_MODEL_FILE,
        "onnx_file": DIGITS_ONNX_FILE,
        "model_name": MODEL_NAME,
        "model_hash": "0x" + model_hash(data).hex(),
        "layer_commitments": ["0x" + c.hex() for c in layer_commitments(model)],
        "layer_shapes": [[layer.rows, layer.cols] for layer in model.layers],
        "frac_bits": FRAC_BITS,
        "input_scale_bits": INPUT_SCALE_BITS,
        "input_encoding": "pixel p (0..16) -> p << (frac_bits - input_scale_bits), i.e. p/16 in fixed point",
        "dataset": "sklearn.datasets.load_digits",
        "split": {"test_size": TEST_SIZE, "random_state": SEED, "stratify": True},
        "classifier": {"hidden_layer_sizes": list(HIDDEN), "activation": "relu", "random_state": SEED},
        "float_accuracy": float_acc,
        "quantized_accuracy": quant_acc,
        "prediction_agreement": float(np.mean(q_pred == float_pred)),
        "max_abs_logit_diff": max_diff,
        "test_indices": [int(i) for i in test_idx],
        "test_labels": [int(v) for v in y_test],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / DIGITS_MODEL_FILE).write_bytes(data)
    (out_dir / DIGITS_ONNX_FILE).write_bytes(onnx_bytes)
    (out_dir / DIGITS_META_FILE).write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")
    return meta


def main() -> None:
    """Entry point (also for `ape run train_digits`): writes into the package data directory."""
    report(train_and_export(DEFAULT_OUT), DEFAULT_OUT)


def report(meta: dict[str, Any], out_dir: Path) -> None:
    print(f"wrote {out_dir / DIGITS_MODEL_FILE} ({meta['model_hash']})")
    print(f"test samples          {len(meta['test_indices'])}")
    print(f"float accuracy        {meta['float_accuracy']:.4f}")
    print(f"quantized accuracy    {meta['quantized_accuracy']:.4f}")
    print(f"prediction agreement  {meta['prediction_agreement']:.4f}")
    print(f"max |logit diff|      {meta['max_abs_logit_diff']:.3e}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args()
    report(train_and_export(args.out), args.out)
