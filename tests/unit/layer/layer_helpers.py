"""Helpers of the FixedPointLayer library tests: one adapter that runs a layer through the Python runtime and
another through the harness, both returning ("ok", y) or (error name, args)."""

import numpy as np
from eth_abi import decode
from eth_utils import keccak
from hexbytes import HexBytes

from opg_client.runtime import (
    ActivationOutOfRange,
    DenseLayer,
    DimensionMismatch,
    ValueOutOfRange,
    decode_vector,
    dense_forward,
)

# IFixedPointLayer.Operand
WEIGHTS, BIAS, INPUT = 0, 1, 2
BOUND = 2**24


def _operand(what: str, layer: int) -> tuple[int, int]:
    """Python `what` string -> (layer, Operand) as the Solidity errors carry them."""
    if what in ("weights", "bias"):  # checked at DenseLayer construction: the caller's layer index
        return layer, WEIGHTS if what == "weights" else BIAS
    if what == "bias length":
        return layer, BIAS
    prefix, k, *rest = what.split(" ")
    assert prefix == "layer" and rest in (["input"], ["input", "length"]), what
    return int(k), INPUT


def pack(values) -> bytes:
    """Packed big-endian int32 (docs/runtime.md §5) without the range check, so tests can put
    out-of-range (but int32-representable) values on chain."""
    return b"".join(int(v).to_bytes(4, "big", signed=True) for v in values)


def unpack(data: bytes) -> list[int]:
    return [int(v) for v in decode_vector(bytes(data))]


def run_python(layer, w, b, rows, cols, frac_bits, relu, x):
    """The runtime's answer for one layer (`w` row-major): ("ok", y) or (error name, args tuple)."""
    try:
        dense = DenseLayer(np.array(w, dtype=object).reshape(rows, cols), b)
        y = dense_forward(dense, x, frac_bits, relu, layer)
    except ActivationOutOfRange as e:
        return "ActivationOutOfRange", (e.layer, e.index, e.value, e.bound)
    except ValueOutOfRange as e:
        return "ValueOutOfRange", (*_operand(e.what, layer), e.index, e.value, e.bound)
    except DimensionMismatch as e:
        return "DimensionMismatch", (*_operand(e.what, layer), e.expected, e.got)
    return "ok", [int(v) for v in y]


def decode_error(contract, data: bytes) -> tuple[str, tuple[int, ...]]:
    """Revert data -> (error name, args) using the contract's ABI (every custom error is matched)."""
    for abi in contract.contract_type.errors:
        if keccak(text=abi.selector)[:4] == data[:4]:
            args = decode([ipt.canonical_type for ipt in abi.inputs], data[4:])
            return abi.name, tuple(int(a) for a in args)
    raise AssertionError(f"revert data {data.hex()} matches no custom error")


def eth_call(contract, method: str, *args):
    """eth_call `method`: ("ok", decoded return) or (error name, args) decoded from the revert data.

    (Ape leaves custom errors of a reverting eth_call undecoded, so the raw JSON-RPC call is used.)"""
    web3 = contract.provider.web3
    data = getattr(contract, method).encode_input(*args)
    try:
        web3.eth.call({"to": contract.address, "data": HexBytes(data)})
    except Exception as e:  # web3 raises ContractCustomError / ContractLogicError carrying the revert data
        revert = getattr(e, "data", None)
        if not isinstance(revert, str) or not revert.startswith("0x") or len(revert) < 10:
            raise
        return decode_error(contract, HexBytes(revert))
    return "ok", getattr(contract, method)(*args)  # did not revert: let Ape decode the return value


def run_chain(harness, layer, w, b, rows, cols, frac_bits, relu, x):
    """The harness's answer (eth_call) in the same shape as `run_python`; `w`, `b`, `x` are int lists
    (packed here) or already-packed bytes."""
    w, b, x = (v if isinstance(v, bytes) else pack(v) for v in (w, b, x))
    status, out = eth_call(harness, "denseLayer", layer, w, b, rows, cols, frac_bits, relu, x)
    return (status, unpack(out)) if status == "ok" else (status, out)
