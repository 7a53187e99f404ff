"""Public instances <-> runtime integers, and the binding hash the on-chain adapter recomputes.

EZKL's public instances are BN254 scalar field elements; with the input scale equal to the model's
`frac_bits`, instance x stands for the fixed-point integer x (x < 2**31) or x - FIELD_MODULUS (negative).
`ZKVerifier` hashes them exactly like the chain codec (packed big-endian int32), so the proved input must be
the job's input bytes and the proved output the submitted output bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from eth_utils import keccak

from opg_client.runtime.codec import encode_vector

from .errors import ZkError

#: BN254 scalar field modulus (the `R` of EZKL's Halo2 verifier).
FIELD_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617
_INT32_SPAN = 1 << 31


def felt_to_int(felt: int) -> int:
    """The signed integer a field element stands for; ZkError outside the int32 range."""
    if 0 <= felt < _INT32_SPAN:
        return felt
    if FIELD_MODULUS - _INT32_SPAN <= felt < FIELD_MODULUS:
        return felt - FIELD_MODULUS
    raise ZkError(f"instance {felt:#x} is not an int32")


def int_to_felt(value: int) -> int:
    """The field element of a signed integer (negative values wrap modulo the field)."""
    return value % FIELD_MODULUS


def parse_felt(text: str) -> int:
    """A field element as EZKL writes it in proof JSON: 32-byte little-endian hex (no 0x)."""
    raw = bytes.fromhex(text.removeprefix("0x"))
    if len(raw) != 32:
        raise ZkError(f"field element of {len(raw)} bytes, expected 32")
    return int.from_bytes(raw, "little")


def encode_instances(felts: Iterable[int]) -> bytes:
    """The chain encoding (packed big-endian int32) of the integers `felts` stand for."""
    return encode_vector([felt_to_int(f) for f in felts], "instances")


def instances_hash(felts: Sequence[int]) -> bytes:
    """keccak256 of `encode_instances` (what `ZKVerifier.instancesHash` returns)."""
    return keccak(encode_instances(felts))
