"""The model shipped with the package: an MLP on scikit-learn's digits, built by scripts/train_digits.py."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .errors import InvalidModel, InvalidVector, ValueOutOfRange
from .fileformat import load_model
from .model import Model

DIGITS_MODEL_FILE = "digits-mlp.json"
DIGITS_ONNX_FILE = "digits-mlp.onnx"
DIGITS_META_FILE = "digits-mlp.meta.json"
#: Largest pixel value of scikit-learn's digits images.
MAX_PIXEL = 16


def _read(name: str) -> bytes:
    return resources.files("opg_client").joinpath("data", "models", name).read_bytes()


@dataclass(frozen=True)
class DigitsMeta:
    """What train_digits.py measured, and the held-out test split (indices into `load_digits()`)."""

    model_hash: str
    layer_commitments: tuple[str, ...]
    frac_bits: int
    input_scale_bits: int
    float_accuracy: float
    quantized_accuracy: float
    max_abs_logit_diff: float
    test_indices: tuple[int, ...]
    test_labels: tuple[int, ...]


def digits_model_bytes() -> bytes:
    """Canonical file bytes of the shipped digits model."""
    return _read(DIGITS_MODEL_FILE)


def digits_onnx_bytes() -> bytes:
    """The float32 ONNX graph the shipped model was quantized from."""
    return _read(DIGITS_ONNX_FILE)


def load_digits_model() -> Model:
    """The shipped digits model. Inputs: 64 pixels p in 0..16 encoded as p << (frac_bits - 4) (= p/16)."""
    return load_model(digits_model_bytes())


def load_digits_meta() -> DigitsMeta:
    """Accuracies and the test split recorded when the shipped model was built."""
    obj = json.loads(_read(DIGITS_META_FILE))
    return DigitsMeta(
        model_hash=obj["model_hash"],
        layer_commitments=tuple(obj["layer_commitments"]),
        frac_bits=obj["frac_bits"],
        input_scale_bits=obj["input_scale_bits"],
        float_accuracy=obj["float_accuracy"],
        quantized_accuracy=obj["quantized_accuracy"],
        max_abs_logit_diff=obj["max_abs_logit_diff"],
        test_indices=tuple(obj["test_indices"]),
        test_labels=tuple(obj["test_labels"]),
    )


def encode_digit_pixels(pixels: Iterable[object], frac_bits: int, input_scale_bits: int = 4) -> list[int]:
    """Digits pixels (integers 0..16) to the model input: p / 2**input_scale_bits at scale 2**frac_bits,
    i.e. p << (frac_bits - input_scale_bits) (exact). Refuses non-integers and pixels outside 0..16."""
    if not 0 <= input_scale_bits <= frac_bits:
        raise InvalidModel(f"need 0 <= input_scale_bits <= frac_bits, got {input_scale_bits}, {frac_bits}")
    out = []
    for i, p in enumerate(pixels):
        if isinstance(p, bool | np.bool_) or not isinstance(p, int | np.integer):
            raise InvalidVector("pixel", i, p)
        if not 0 <= int(p) <= MAX_PIXEL:
            raise ValueOutOfRange("pixel", i, int(p), MAX_PIXEL + 1)
        out.append(int(p) << (frac_bits - input_scale_bits))
    return out
