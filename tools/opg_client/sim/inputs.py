"""Job inputs and real inference for the simulation: the shipped digits model on its held-out test split
(scikit-learn's bundled digits set when installed; otherwise deterministic pseudo-random 8x8 images)."""

from __future__ import annotations

import random
from functools import lru_cache

from opg_client.runtime import (
    Model,
    encode_digit_pixels,
    encode_vector,
    load_digits_meta,
    load_digits_model,
    trace,
    trace_root,
)


@lru_cache(maxsize=1)
def _test_pixels() -> tuple[tuple[int, ...], ...]:
    meta = load_digits_meta()
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        rng = random.Random(0)
        return tuple(tuple(rng.randint(0, 16) for _ in range(64)) for _ in range(len(meta.test_indices)))
    data = load_digits().data
    return tuple(tuple(int(p) for p in data[row]) for row in meta.test_indices)


def digits_inputs(n: int, offset: int = 0) -> list[list[int]]:
    """`n` model inputs (fixed-point vectors), cycling through the test split from `offset`."""
    meta = load_digits_meta()
    pixels = _test_pixels()
    return [
        encode_digit_pixels(list(pixels[(offset + i) % len(pixels)]), meta.frac_bits, meta.input_scale_bits)
        for i in range(n)
    ]


@lru_cache(maxsize=1)
def digits_model() -> Model:
    return load_digits_model()


def execute(x: list[int]) -> tuple[bytes, bytes]:
    """(output bytes, trace root) of the shipped model on input `x`: what an honest provider submits (the
    trace root, `opg_client.runtime.trace_root`, is the 32-byte proof an optimistic result carries)."""
    tr = trace(digits_model(), x)
    return encode_vector(tr.output, "output"), trace_root(tr)
