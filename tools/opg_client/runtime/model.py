"""The fixed-point feed-forward model: dense layers, ReLU on every layer but the last (docs/runtime.md §3)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import DimensionMismatch, InvalidModel
from .fixed import MAX_DIM, check_frac_bits, check_int

IntMatrix = npt.NDArray[np.int64]

#: Longest model name, in characters (printable ASCII only).
MAX_NAME_LENGTH = 64


@dataclass(frozen=True, eq=False, init=False)
class DenseLayer:
    """y = W·x + b in fixed point. `weights` is (rows, cols) = (outputs, inputs); `bias` has `rows` entries.

    Construction copies and checks every entry (integer, |v| < 2**24) and stores read-only int64 arrays.
    """

    weights: IntMatrix
    bias: npt.NDArray[np.int64]

    def __init__(self, weights: npt.ArrayLike | Sequence[Sequence[int]], bias: npt.ArrayLike | Sequence[int]):
        w_obj = np.asarray(weights, dtype=object)
        b_obj = np.asarray(bias, dtype=object)
        if w_obj.ndim != 2 or b_obj.ndim != 1:
            raise InvalidModel(f"weights must be 2-D and bias 1-D, got {w_obj.ndim}-D and {b_obj.ndim}-D")
        rows, cols = w_obj.shape
        if not (1 <= rows <= MAX_DIM and 1 <= cols <= MAX_DIM):
            raise InvalidModel(f"layer shape {rows}x{cols} outside 1..{MAX_DIM}")
        if b_obj.shape[0] != rows:
            raise DimensionMismatch("bias length", rows, int(b_obj.shape[0]))
        w = np.array(
            [check_int(v, "weights", i) for i, v in enumerate(w_obj.reshape(-1))], dtype=np.int64
        ).reshape(rows, cols)
        b = np.array([check_int(v, "bias", i) for i, v in enumerate(b_obj)], dtype=np.int64)
        w.flags.writeable = False
        b.flags.writeable = False
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "bias", b)

    @property
    def rows(self) -> int:
        """Number of outputs."""
        return int(self.weights.shape[0])

    @property
    def cols(self) -> int:
        """Number of inputs."""
        return int(self.weights.shape[1])

    def __eq__(self, other: Any) -> bool:
        if not isinstance(other, DenseLayer):
            return NotImplemented
        return bool(np.array_equal(self.weights, other.weights) and np.array_equal(self.bias, other.bias))

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Model:
    """A fixed-point feed-forward network. Layer k feeds layer k+1; ReLU after every layer but the last.

    `frac_bits` (F) is the number of fractional bits shared by inputs, weights, biases and activations.
    """

    name: str
    frac_bits: int
    layers: tuple[DenseLayer, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.isascii() or not self.name.isprintable():
            raise InvalidModel(f"name must be printable ASCII, got {self.name!r}")
        if len(self.name) > MAX_NAME_LENGTH:
            raise InvalidModel(f"name longer than {MAX_NAME_LENGTH} characters")
        check_frac_bits(self.frac_bits)
        object.__setattr__(self, "layers", tuple(self.layers))
        if not self.layers:
            raise InvalidModel("a model needs at least one layer")
        for k, layer in enumerate(self.layers):
            if not isinstance(layer, DenseLayer):
                raise InvalidModel(f"layer {k} is not a DenseLayer")
            if k and layer.cols != self.layers[k - 1].rows:
                raise DimensionMismatch(f"layer {k} input size", self.layers[k - 1].rows, layer.cols)

    @property
    def input_dim(self) -> int:
        """Length of an input vector."""
        return self.layers[0].cols

    @property
    def output_dim(self) -> int:
        """Length of the output vector (number of classes)."""
        return self.layers[-1].rows

    def relu_after(self, layer: int) -> bool:
        """True if ReLU follows layer `layer` (every layer but the last)."""
        if not 0 <= layer < len(self.layers):
            raise IndexError(f"layer {layer} out of range for {len(self.layers)} layers")
        return layer < len(self.layers) - 1
