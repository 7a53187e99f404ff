"""Fixed-point constants, integer vector checks and float <-> fixed conversion (docs/runtime.md §1-2)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from .errors import InvalidModel, InvalidVector, QuantizationOutOfRange, ValueOutOfRange

#: Every input, weight, bias and layer output v satisfies |v| < VALUE_BOUND (2**24).
VALUE_BITS = 24
VALUE_BOUND = 1 << VALUE_BITS
#: Largest number of rows or columns of one layer (and so the largest input dimension).
MAX_DIM = 4096
#: Fractional bits F: a fixed-point integer q stands for q / 2**F. Allowed 0 <= F <= MAX_FRAC_BITS.
MAX_FRAC_BITS = 24
DEFAULT_FRAC_BITS = 16

IntVector = npt.NDArray[np.int64]
FloatVector = npt.NDArray[np.float64]


def check_int(value: object, what: str, index: int) -> int:
    """Return `value` as a Python int if it is an integer (not bool, not float) with |v| < VALUE_BOUND."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise InvalidVector(what, index, value)
    v = int(value)
    if not -VALUE_BOUND < v < VALUE_BOUND:
        raise ValueOutOfRange(what, index, v, VALUE_BOUND)
    return v


def to_int_vector(values: Iterable[object], what: str = "input") -> IntVector:
    """Check every entry (integer, in range) and return a fresh read-only int64 vector."""
    checked = [check_int(v, what, i) for i, v in enumerate(values)]
    out = np.array(checked, dtype=np.int64).reshape(len(checked))
    out.flags.writeable = False
    return out


def round_half_away(x: npt.ArrayLike) -> FloatVector:
    """Round to nearest, ties away from zero (NumPy's own `round` is ties-to-even; we do not use it)."""
    a = np.asarray(x, dtype=np.float64)
    return np.sign(a) * np.floor(np.abs(a) + 0.5)


def quantize(values: npt.ArrayLike, frac_bits: int, what: str = "value") -> npt.NDArray[np.int64]:
    """q = round_half_away(v * 2**frac_bits), checked |q| < VALUE_BOUND (same shape as `values`).

    The product by a power of two is exact in float64 and so is `+ 0.5` below 2**52, so the result is
    bit-for-bit deterministic for any float32/float64 input.
    """
    check_frac_bits(frac_bits)
    a = np.asarray(values, dtype=np.float64)
    scaled = a * float(1 << frac_bits)
    q = round_half_away(scaled)
    bad = np.flatnonzero(~np.isfinite(q).reshape(-1) | (np.abs(q).reshape(-1) >= VALUE_BOUND))
    if bad.size:
        i = int(bad[0])
        raise QuantizationOutOfRange(what, i, float(a.reshape(-1)[i]), float(q.reshape(-1)[i]))
    return q.astype(np.int64)


def dequantize(values: npt.ArrayLike, frac_bits: int) -> FloatVector:
    """v / 2**frac_bits as float64 (exact for |v| < 2**53)."""
    check_frac_bits(frac_bits)
    return np.asarray(values, dtype=np.int64).astype(np.float64) / float(1 << frac_bits)


def check_frac_bits(frac_bits: int) -> None:
    if isinstance(frac_bits, bool) or not isinstance(frac_bits, int) or not 0 <= frac_bits <= MAX_FRAC_BITS:
        raise InvalidModel(f"frac_bits must be an int in [0, {MAX_FRAC_BITS}], got {frac_bits!r}")
