"""The shipped digits model: integrity, accuracy, agreement with its float ONNX graph, reproducibility."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from onnx.reference import ReferenceEvaluator
from sklearn.datasets import load_digits

from opg_client.runtime import (
    InvalidVector,
    ModelStore,
    ValueOutOfRange,
    argmax,
    decode_vector,
    dequantize,
    digits_model_bytes,
    digits_onnx_bytes,
    dump_model,
    encode_digit_pixels,
    encode_vector,
    import_onnx,
    layer_commitments,
    load_digits_meta,
    load_digits_model,
    model_hash,
    run,
)

REPO = Path(__file__).resolve().parents[3]
#: Measured when the model was built (digits-mlp.meta.json): float 0.9667, quantized 0.9667 on 450 samples.
MIN_QUANTIZED_ACCURACY = 0.94
#: Measured max |dequantized logit - float32 ONNX logit| over the test split: 3.7e-4.
LOGIT_TOLERANCE = 1e-3


@pytest.fixture(scope="module")
def digits():
    data = load_digits()
    return data.data.astype(np.int64), data.target.astype(np.int64)


def test_shipped_model__file__is_canonical_and_matches_recorded_hashes() -> None:
    model = load_digits_model()
    meta = load_digits_meta()
    data = digits_model_bytes()
    assert dump_model(model) == data
    assert "0x" + model_hash(data).hex() == meta.model_hash
    assert ["0x" + c.hex() for c in layer_commitments(model)] == list(meta.layer_commitments)
    assert [(layer.rows, layer.cols) for layer in model.layers] == [(32, 64), (10, 32)]
    assert max(layer.rows * layer.cols for layer in model.layers) <= 64 * 32
    assert model.frac_bits == meta.frac_bits == 16


def test_shipped_model__test_split__quantized_accuracy_above_threshold(digits) -> None:
    pixels, labels = digits
    model = load_digits_model()
    meta = load_digits_meta()
    idx = np.array(meta.test_indices)
    assert len(idx) == 450
    assert list(labels[idx]) == list(meta.test_labels)
    preds = [argmax(run(model, encode_digit_pixels(list(p), model.frac_bits))) for p in pixels[idx]]
    accuracy = float(np.mean(np.array(preds) == labels[idx]))
    assert accuracy == pytest.approx(meta.quantized_accuracy)
    assert accuracy >= MIN_QUANTIZED_ACCURACY


def test_shipped_model__vs_float_onnx__logits_within_tolerance_and_same_predictions(digits) -> None:
    pixels, _ = digits
    model = load_digits_model()
    meta = load_digits_meta()
    x = pixels[np.array(meta.test_indices)]
    (float_logits,) = ReferenceEvaluator(digits_onnx_bytes()).run(None, {"x": (x / 16.0).astype(np.float32)})
    q = np.stack([run(model, encode_digit_pixels(list(p), model.frac_bits)) for p in x])
    diff = np.abs(dequantize(q, model.frac_bits) - float_logits)
    assert float(np.max(diff)) < LOGIT_TOLERANCE
    assert float(np.max(diff)) == pytest.approx(meta.max_abs_logit_diff)
    assert np.array_equal(np.argmax(q, axis=1), np.argmax(float_logits, axis=1))


def test_shipped_onnx__reimported__byte_identical_model_file() -> None:
    model = import_onnx(digits_onnx_bytes(), frac_bits=16, name=load_digits_model().name)
    assert dump_model(model) == digits_model_bytes()


def test_shipped_model__through_store_and_calldata__same_prediction(tmp_path: Path, digits) -> None:
    pixels, _ = digits
    store = ModelStore(tmp_path)
    h = store.put(digits_model_bytes())
    model = store.get(h)
    meta = load_digits_meta()
    i = meta.test_indices[0]
    calldata = encode_vector(encode_digit_pixels(list(pixels[i]), model.frac_bits))
    out = decode_vector(encode_vector(run(model, decode_vector(calldata))))
    assert argmax(out) == argmax(run(load_digits_model(), encode_digit_pixels(list(pixels[i]), 16)))


def test_train_digits_script__fresh_run__reproduces_accuracy(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "train_digits.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "quantized accuracy" in result.stdout
    rebuilt = ModelStore(tmp_path / "store").get(
        ModelStore(tmp_path / "store").put((tmp_path / "digits-mlp.json").read_bytes())
    )
    meta = json.loads((tmp_path / "digits-mlp.meta.json").read_text())
    assert meta["quantized_accuracy"] >= MIN_QUANTIZED_ACCURACY
    assert meta["max_abs_logit_diff"] < LOGIT_TOLERANCE
    assert meta["test_indices"] == list(load_digits_meta().test_indices)
    assert [(layer.rows, layer.cols) for layer in rebuilt.layers] == [(32, 64), (10, 32)]


@pytest.mark.parametrize(
    ("pixels", "error"),
    [([0, 17], ValueOutOfRange), ([-1], ValueOutOfRange), ([3.7], InvalidVector), ([True], InvalidVector)],
)
def test_encode_digit_pixels__invalid_pixel__raises(pixels: list, error: type) -> None:
    with pytest.raises(error):
        encode_digit_pixels(pixels, 16)


def test_encode_digit_pixels__pixels__exact_fixed_point_of_p_over_16() -> None:
    assert encode_digit_pixels(np.arange(17), 16) == [p * 2**12 for p in range(17)]
    assert dequantize(encode_digit_pixels(np.arange(17), 16), 16).tolist() == [p / 16 for p in range(17)]
