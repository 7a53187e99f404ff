"""Chain encoding of input/output vectors: packed big-endian int32, 4 bytes per entry (docs/runtime.md §5)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .errors import EncodingError
from .fixed import IntVector, to_int_vector

#: Bytes per encoded entry (two's-complement int32, big-endian).
BYTES_PER_VALUE = 4
_BE_INT32 = np.dtype(">i4")


def encode_vector(values: Iterable[object], what: str = "vector") -> bytes:
    """Entries as big-endian two's-complement int32, concatenated, no length prefix (`abi.encodePacked(int32...)`).

    Entries are checked first (integers with |v| < 2**24); an empty vector is refused (`EncodingError`),
    so every encoding is non-empty and its length is a multiple of 4.
    """
    v = to_int_vector(values, what)
    if v.size == 0:
        raise EncodingError(f"{what}: an empty vector has no encoding")
    return v.astype(_BE_INT32).tobytes()


def decode_vector(data: bytes, what: str = "vector") -> IntVector:
    """Inverse of `encode_vector`. Refuses empty input, a length that is not a multiple of 4
    (`EncodingError`) and any entry with |v| >= 2**24 (`ValueOutOfRange`): every accepted byte string is
    exactly the encoding of the vector returned.
    """
    if not isinstance(data, bytes | bytearray):
        raise EncodingError(f"expected bytes, got {type(data).__name__}")
    if len(data) == 0:
        raise EncodingError(f"{what}: empty encoding")
    if len(data) % BYTES_PER_VALUE:
        raise EncodingError(f"{what}: {len(data)} bytes is not a multiple of {BYTES_PER_VALUE}")
    return to_int_vector(np.frombuffer(bytes(data), dtype=_BE_INT32).astype(np.int64), what)
