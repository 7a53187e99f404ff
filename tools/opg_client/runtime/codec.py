"""Chain encoding of input/output vectors: Solidity `abi.encode(int256[])` (docs/runtime.md §5)."""

from __future__ import annotations

from collections.abc import Iterable

from eth_abi import decode, encode
from eth_abi.exceptions import DecodingError

from .errors import EncodingError
from .fixed import IntVector, to_int_vector

_VECTOR_TYPE = ["int256[]"]


def encode_vector(values: Iterable[object], what: str = "vector") -> bytes:
    """`abi.encode(int256[] v)`: offset word (0x20), length word, one two's-complement word per entry.

    Entries are checked first (integers with |v| < 2**24), so only valid runtime vectors are encoded.
    """
    v = to_int_vector(values, what)
    return encode(_VECTOR_TYPE, [[int(x) for x in v]])


def decode_vector(data: bytes, what: str = "vector") -> IntVector:
    """Inverse of `encode_vector`. Refuses any byte string that is not exactly the canonical encoding

    (other offsets, trailing bytes, dirty padding) and any entry with |v| >= 2**24.
    """
    if not isinstance(data, bytes | bytearray):
        raise EncodingError(f"expected bytes, got {type(data).__name__}")
    try:
        (items,) = decode(_VECTOR_TYPE, bytes(data), strict=True)
    except (DecodingError, OverflowError, ValueError) as exc:
        raise EncodingError(f"not an abi-encoded int256[]: {exc}") from exc
    vector = to_int_vector(items, what)
    if encode(_VECTOR_TYPE, [list(items)]) != bytes(data):
        raise EncodingError("non-canonical int256[] encoding")
    return vector
