"""Commitments used on chain (docs/runtime.md §6): vector (input / layer output) hashes, per-layer weight
commitments stored in the ModelRegistry, the trace of an execution and the trace root an optimistic result
carries."""

from __future__ import annotations

from collections.abc import Iterable

from eth_abi import encode
from eth_utils import keccak

from .codec import encode_vector
from .execute import Trace
from .model import DenseLayer, Model

_LAYER_TYPES = ["uint256", "uint256", "uint256", "bool", "bytes32", "bytes32"]


def vector_commitment(values: Iterable[object]) -> bytes:
    """keccak256 of the chain encoding (packed int32, §5): the commitment to an input or a layer output.

    So a job's `inputHash` is the commitment to its input vector and its `outputHash` to its output.
    """
    return keccak(encode_vector(values))


def encode_layer_operands(layer: DenseLayer) -> tuple[bytes, bytes]:
    """(weights, bias) in the chain encoding: weights flattened row-major (entry i * cols + j = W[i][j])."""
    return encode_vector(layer.weights.reshape(-1), "weights"), encode_vector(layer.bias, "bias")


def encode_layer(layer: DenseLayer, frac_bits: int, relu: bool) -> bytes:
    """abi.encode(uint256 rows, uint256 cols, uint256 fracBits, bool relu, bytes32 keccak256(w), bytes32 keccak256(b)),

    `w`, `b` as given by `encode_layer_operands`: the pre-image of the layer commitment.
    """
    w, b = encode_layer_operands(layer)
    return encode(_LAYER_TYPES, [layer.rows, layer.cols, frac_bits, relu, keccak(w), keccak(b)])


def layer_commitment(model: Model, layer: int) -> bytes:
    """keccak256 of `encode_layer` for layer `layer` (0-based) of `model`."""
    return keccak(encode_layer(model.layers[layer], model.frac_bits, model.relu_after(layer)))


def layer_commitments(model: Model) -> tuple[bytes, ...]:
    """One commitment per layer, layer 0 first: `VersionParams.layerCommitments` of the registry."""
    return tuple(layer_commitment(model, k) for k in range(len(model.layers)))


def trace_commitments(tr: Trace) -> tuple[bytes, ...]:
    """Commitments of every vector in a trace: [input, output of layer 0, ..., output of the last layer]."""
    return tuple(vector_commitment(v) for v in tr.vectors)


def trace_root(tr: Trace) -> bytes:
    """The trace root of an optimistic result (`submitResult`'s 32-byte proof): keccak256 of the concatenated
    per-layer output commitments, layer 0 first (`trace_commitments(tr)[1:]`; the input is bound separately)."""
    return keccak(b"".join(trace_commitments(tr)[1:]))
