"""Bit-exact integer execution of a `Model` (docs/runtime.md §3), with a per-layer trace for fraud proofs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .errors import ActivationOutOfRange, DimensionMismatch
from .fixed import VALUE_BOUND, IntVector, check_frac_bits, to_int_vector
from .model import DenseLayer, Model


def dense_forward(
    layer: DenseLayer, x: Iterable[object], frac_bits: int, relu: bool, layer_index: int = 0
) -> IntVector:
    """One layer: acc = W·x + b·2**F (exact int64), y = acc >> F (floor), bound check, then optional ReLU.

    `x` is checked (integers, |x| < 2**24) first. With |x|, |W|, |b| < 2**24, cols <= 4096 and F <= 24,
    |acc| < 2**61, so no int64 partial sum can overflow (proof in docs/runtime.md §3.2).
    """
    check_frac_bits(frac_bits)
    x = to_int_vector(x, f"layer {layer_index} input")  # cheap re-check: callers may pass raw arrays
    if x.shape != (layer.cols,):
        raise DimensionMismatch(f"layer {layer_index} input length", layer.cols, int(x.size))
    acc = layer.weights @ x + layer.bias * np.int64(1 << frac_bits)
    y = np.right_shift(acc, frac_bits)  # arithmetic shift on int64: floor(acc / 2**F)
    bad = np.flatnonzero(np.abs(y) >= VALUE_BOUND)
    if bad.size:
        i = int(bad[0])
        raise ActivationOutOfRange(layer_index, i, int(y[i]), VALUE_BOUND)
    if relu:
        y = np.maximum(y, 0)
    y.flags.writeable = False
    return y


@dataclass(frozen=True, eq=False)
class Trace:
    """Execution trace: `vectors[0]` is the input, `vectors[k + 1]` the output of layer k."""

    vectors: tuple[IntVector, ...]

    @property
    def output(self) -> IntVector:
        """The model output (last layer, no ReLU): the logits in fixed point."""
        return self.vectors[-1]

    def layer_input(self, layer: int) -> IntVector:
        """The vector layer `layer` consumed."""
        return self.vectors[layer]

    def layer_output(self, layer: int) -> IntVector:
        """The vector layer `layer` produced."""
        return self.vectors[layer + 1]


def trace(model: Model, x: Iterable[object]) -> Trace:
    """Run `model` on `x` (fixed-point ints, `model.frac_bits` fractional bits), keeping every layer."""
    v = to_int_vector(x, "input")
    if v.shape != (model.input_dim,):
        raise DimensionMismatch("input length", model.input_dim, int(v.size))
    vectors = [v]
    for k, layer in enumerate(model.layers):
        v = dense_forward(layer, v, model.frac_bits, model.relu_after(k), k)
        vectors.append(v)
    return Trace(tuple(vectors))


def run(model: Model, x: Iterable[object]) -> IntVector:
    """The model output (fixed-point logits) for input `x`."""
    return trace(model, x).output


def argmax(values: Iterable[object]) -> int:
    """Index of the largest entry; ties go to the lowest index. Refuses an empty vector."""
    v = to_int_vector(values, "output")
    if v.size == 0:
        raise DimensionMismatch("argmax vector length", 1, 0)
    return int(np.argmax(v))  # NumPy returns the first occurrence of the maximum


def predict(model: Model, x: Iterable[object]) -> int:
    """Predicted class: argmax of the output, ties to the lowest index."""
    return argmax(run(model, x))
