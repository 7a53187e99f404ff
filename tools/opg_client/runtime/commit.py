"""Commitments used on chain (docs/runtime.md §6): vector (layer output) hashes, per-layer weight
commitments stored in the ModelRegistry, and the model content hash (`weightsHash`)."""

from __future__ import annotations

from collections.abc import Iterable

from eth_abi import encode
from eth_utils import keccak

from .codec import encode_vector
from .execute import Trace
from .model import DenseLayer, Model

_LAYER_TYPES = ["int256[]", "int256[]", "uint256", "uint256", "uint256", "bool"]


def vector_commitment(values: Iterable[object]) -> bytes:
    """keccak256(abi.encode(int256[] v)): the commitment to an input or a layer output vector."""
    return keccak(encode_vector(values))


def encode_layer(layer: DenseLayer, frac_bits: int, relu: bool) -> bytes:
    """abi.encode(int256[] weights, int256[] bias, uint256 rows, uint256 cols, uint256 fracBits, bool relu),

    `weights` flattened row-major: weights[i * cols + j] = W[i][j] (row i = output i).
    """
    return encode(
        _LAYER_TYPES,
        [
            [int(v) for v in layer.weights.reshape(-1)],
            [int(v) for v in layer.bias],
            layer.rows,
            layer.cols,
            frac_bits,
            relu,
        ],
    )


def layer_commitment(model: Model, layer: int) -> bytes:
    """keccak256 of `encode_layer` for layer `layer` (0-based) of `model`."""
    return keccak(encode_layer(model.layers[layer], model.frac_bits, model.relu_after(layer)))


def layer_commitments(model: Model) -> tuple[bytes, ...]:
    """One commitment per layer, layer 0 first: `VersionParams.layerCommitments` of the registry."""
    return tuple(layer_commitment(model, k) for k in range(len(model.layers)))


def trace_commitments(tr: Trace) -> tuple[bytes, ...]:
    """Commitments of every vector in a trace: [input, output of layer 0, ..., output of the last layer]."""
    return tuple(vector_commitment(v) for v in tr.vectors)
