"""Evidence bytes for `OptimisticLayerVerifier` (IOptimisticLayerVerifier): one kind byte, then
`abi.encode(LayerProof)` or `abi.encode(FullProof)`; and the verifier's `Ruling` mirrored as an IntEnum."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum

from eth_abi import encode
from eth_utils import keccak

from opg_client.runtime import Model, Trace, encode_layer_operands, encode_vector

_LAYER_DATA = "(bytes,bytes,uint256,uint256,uint256)"
_LAYER_PROOF = f"(uint256,bytes32[],{_LAYER_DATA},bytes)"
_FULL_PROOF = f"(bytes,{_LAYER_DATA}[])"


class EvidenceKind(IntEnum):
    """IOptimisticLayerVerifier.EvidenceKind."""

    Layer = 0
    Full = 1


class Ruling(IntEnum):
    """IOptimisticLayerVerifier.Ruling: the verdict and its reason."""

    MalformedEvidence = 0
    NotOptimistic = 1
    TraceNotOpened = 2
    ForgedWeights = 3
    ForgedInput = 4
    InvalidRegisteredLayer = 5
    LayerCorrect = 6
    ResultCorrect = 7
    TraceLengthMismatch = 8
    OutputNotInTrace = 9
    InvalidLayerInput = 10
    ActivationOverflow = 11
    WrongLayerOutput = 12
    WrongResult = 13

    @property
    def provider_at_fault(self) -> bool:
        return self >= Ruling.TraceLengthMismatch


PROVIDER_FAULT = frozenset(r for r in Ruling if r.provider_at_fault)


def layer_outputs(tr: Trace) -> tuple[bytes, ...]:
    """The commitments c_1 .. c_L a trace root opens to (every layer's output, layer 0 first)."""
    return tuple(keccak(encode_vector(v)) for v in tr.vectors[1:])


def trace_root_of(commitments: Iterable[bytes]) -> bytes:
    """keccak256 of the concatenated layer output commitments (`runtime.trace_root` of a trace)."""
    return keccak(b"".join(bytes(c) for c in commitments))


def _layer_data(model: Model, k: int) -> tuple[bytes, bytes, int, int, int]:
    layer = model.layers[k]
    w, b = encode_layer_operands(layer)
    return (w, b, layer.rows, layer.cols, model.frac_bits)


def encode_layer_evidence(model: Model, layer: int, trace: Sequence[bytes], layer_input: bytes) -> bytes:
    """A one-layer fraud proof: dispute layer `layer` of the provider's opened trace `trace` (c_1 .. c_L),
    re-executing it on `layer_input` (packed; its keccak must be c_layer, the job input for layer 0)."""
    proof = (layer, [bytes(c) for c in trace], _layer_data(model, layer), bytes(layer_input))
    return bytes([EvidenceKind.Layer]) + encode([_LAYER_PROOF], [proof])


def encode_full_evidence(model: Model, job_input: bytes) -> bytes:
    """A full re-execution proof: the job's input bytes and every layer of the model."""
    proof = (bytes(job_input), [_layer_data(model, k) for k in range(len(model.layers))])
    return bytes([EvidenceKind.Full]) + encode([_FULL_PROOF], [proof])


def first_disputed_layer(honest: Sequence[bytes], provider: Sequence[bytes]) -> int | None:
    """The first layer k whose output commitment in the provider's trace differs from the honest one
    (inputs agree there: c_k is the honest input, the job input for k = 0). None if the common prefix
    covers the shorter trace (then the trace length or the output is what is wrong)."""
    for k, (h, p) in enumerate(zip(honest, provider, strict=False)):
        if bytes(h) != bytes(p):
            return k
    return None
