"""Helpers of the OptimisticLayerVerifier tests: the shipped digits model, traces (honest, cheated,
inconsistent) and the job context / evidence built from them."""

from __future__ import annotations

from dataclasses import dataclass

from eth_utils import keccak
from sklearn.datasets import load_digits

from opg_client.fraud import encode_full_evidence, encode_layer_evidence, layer_outputs
from opg_client.fraud.cheat import Cheat, corrupt
from opg_client.runtime import (
    Trace,
    encode_digit_pixels,
    encode_vector,
    load_digits_meta,
    load_digits_model,
    trace,
)

OPG = 10**18
PRICE = 10 * OPG
OPTIMISTIC, TEE = 0, 1
MODEL = load_digits_model()
META = load_digits_meta()
_PIXELS = load_digits().data


def sample_input(i: int = 0) -> list[int]:
    """Fixed-point input of held-out test image `i`."""
    pixels = _PIXELS[META.test_indices[i]].astype(int)
    return encode_digit_pixels([int(p) for p in pixels], MODEL.frac_bits, META.input_scale_bits)


def root(commitments) -> bytes:
    return keccak(b"".join(bytes(c) for c in commitments))


@dataclass(frozen=True)
class Result:
    """What a provider posts: output bytes, and the layer commitments its trace root opens to."""

    input: bytes
    honest: Trace
    reported: Trace
    trace: tuple[bytes, ...]

    @property
    def output(self) -> bytes:
        return encode_vector(self.reported.output)

    @property
    def output_hash(self) -> bytes:
        return keccak(self.output)

    @property
    def trace_root(self) -> bytes:
        return root(self.trace)

    def layer_evidence(self, k: int, layer_input: bytes | None = None, model=MODEL, trace_=None) -> bytes:
        x = encode_vector(self.reported.vectors[k]) if layer_input is None else layer_input
        return encode_layer_evidence(model, k, self.trace if trace_ is None else trace_, x)

    def full_evidence(self, model=MODEL) -> bytes:
        return encode_full_evidence(model, self.input)


def honest_result(i: int = 0) -> Result:
    x = sample_input(i)
    tr = trace(MODEL, x)
    return Result(encode_vector(x), tr, tr, layer_outputs(tr))


def cheated_result(layer: int, i: int = 0, index: int = 3, delta: int = 5) -> Result:
    x = sample_input(i)
    tr = trace(MODEL, x)
    bad = corrupt(MODEL, tr, Cheat(layer, index, delta))
    return Result(encode_vector(x), tr, bad, layer_outputs(bad))


def context(job_id, requester, provider, model_id, result: Result, *, mode=OPTIMISTIC, output_hash=None,
            trace_root=None, fee=PRICE):
    return (
        job_id,
        str(requester),
        str(provider),
        model_id,
        1,
        mode,
        fee,
        keccak(result.input),
        result.output_hash if output_hash is None else output_hash,
        result.trace_root if trace_root is None else trace_root,
    )
