"""Canonical model file: compact JSON, sorted keys, integers only (docs/runtime.md §4).

The content hash of a model is keccak256 of exactly these bytes, so `load_model` refuses any byte string
that is not what `dump_model` would write for the model it describes: one model, one file, one hash.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eth_utils import keccak

from .errors import ModelFormatError
from .model import DenseLayer, Model

FORMAT_TAG = "opg-ffn-v1"
_TOP_KEYS = {"format", "frac_bits", "layers", "name"}
_LAYER_KEYS = {"bias", "cols", "rows", "weights"}


def _to_obj(model: Model) -> dict[str, Any]:
    return {
        "format": FORMAT_TAG,
        "frac_bits": model.frac_bits,
        "name": model.name,
        "layers": [
            {
                "rows": layer.rows,
                "cols": layer.cols,
                "weights": [int(v) for v in layer.weights.reshape(-1)],
                "bias": [int(v) for v in layer.bias],
            }
            for layer in model.layers
        ],
    }


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode(
        "ascii"
    )


def dump_model(model: Model) -> bytes:
    """The canonical file bytes of `model`."""
    return _canonical(_to_obj(model))


def model_hash(model_or_bytes: Model | bytes) -> bytes:
    """keccak256 of the canonical file bytes (the registry's `weightsHash`). Bytes are hashed as given."""
    data = dump_model(model_or_bytes) if isinstance(model_or_bytes, Model) else bytes(model_or_bytes)
    return keccak(data)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ModelFormatError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _reject_float(text: str) -> Any:
    raise ModelFormatError(f"non-integer number {text!r}")


def _reject_constant(text: str) -> Any:
    raise ModelFormatError(f"non-finite number {text!r}")


def _int(value: Any, what: str) -> int:
    if type(value) is not int:
        raise ModelFormatError(f"{what} must be an integer, got {value!r}")
    return value


def _int_list(value: Any, what: str) -> list[int]:
    if not isinstance(value, list):
        raise ModelFormatError(f"{what} must be a list")
    return [_int(v, f"{what}[{i}]") for i, v in enumerate(value)]


def load_model(data: bytes) -> Model:
    """Parse canonical model file bytes. Raises ModelFormatError (or a structural ModelRuntimeError)."""
    if not isinstance(data, bytes | bytearray):
        raise ModelFormatError(f"expected bytes, got {type(data).__name__}")
    try:
        text = bytes(data).decode("ascii")
        obj = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_reject_float,
            parse_constant=_reject_constant,
        )
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ModelFormatError(f"not a JSON model file: {exc}") from exc
    if not isinstance(obj, dict) or set(obj) != _TOP_KEYS:
        raise ModelFormatError(f"top-level keys must be {sorted(_TOP_KEYS)}")
    if obj["format"] != FORMAT_TAG:
        raise ModelFormatError(f"unknown format {obj['format']!r}, expected {FORMAT_TAG!r}")
    if not isinstance(obj["name"], str):
        raise ModelFormatError("name must be a string")
    layers_obj = obj["layers"]
    if not isinstance(layers_obj, list):
        raise ModelFormatError("layers must be a list")
    layers: list[DenseLayer] = []
    for k, lo in enumerate(layers_obj):
        if not isinstance(lo, dict) or set(lo) != _LAYER_KEYS:
            raise ModelFormatError(f"layer {k} keys must be {sorted(_LAYER_KEYS)}")
        rows = _int(lo["rows"], f"layers[{k}].rows")
        cols = _int(lo["cols"], f"layers[{k}].cols")
        weights = _int_list(lo["weights"], f"layers[{k}].weights")
        bias = _int_list(lo["bias"], f"layers[{k}].bias")
        if rows < 1 or cols < 1 or len(weights) != rows * cols:
            raise ModelFormatError(f"layer {k}: {len(weights)} weights for shape {rows}x{cols}")
        layers.append(DenseLayer([weights[i * cols : (i + 1) * cols] for i in range(rows)], bias))
    model = Model(name=obj["name"], frac_bits=_int(obj["frac_bits"], "frac_bits"), layers=tuple(layers))
    if dump_model(model) != bytes(data):
        raise ModelFormatError("file is not in canonical form (key order, whitespace or number spelling)")
    return model


def save_model(model: Model, path: str | Path) -> bytes:
    """Write the canonical bytes of `model` to `path`; returns its content hash."""
    data = dump_model(model)
    Path(path).write_bytes(data)
    return keccak(data)


def read_model(path: str | Path) -> Model:
    """`load_model` of a file's bytes."""
    return load_model(Path(path).read_bytes())
