"""Job input / output bytes the lifecycle is measured with."""

from __future__ import annotations

from dataclasses import dataclass

from eth_utils import keccak

from opg_client.runtime import (
    encode_digit_pixels,
    encode_vector,
    load_digits_meta,
    load_digits_model,
    trace,
    trace_root,
)


@dataclass(frozen=True)
class Payload:
    key: str  # results key
    label: str  # human description
    input: bytes
    output: bytes
    trace_root: bytes  # the optimistic result's 32-byte proof

    @property
    def input_hash(self) -> bytes:
        return keccak(self.input)

    @property
    def output_hash(self) -> bytes:
        return keccak(self.output)

    def describe(self) -> dict[str, object]:
        return {"label": self.label, "input_bytes": len(self.input), "output_bytes": len(self.output)}


def digits_payload(sample: int = 0) -> Payload:
    """A held-out digits image through the shipped model: input = its 64 fixed-point pixels, output = the
    10 fixed-point logits, both in the chain encoding of docs/runtime.md §5 (packed int32, 4 bytes per value)."""
    from sklearn.datasets import load_digits  # scikit-learn bundles the images (no download)

    meta = load_digits_meta()
    model = load_digits_model()
    pixels = load_digits().data[meta.test_indices[sample]]
    x = encode_digit_pixels([int(p) for p in pixels], model.frac_bits, meta.input_scale_bits)
    tr = trace(model, x)
    return Payload(
        key="digits",
        label=f"digits sample #{meta.test_indices[sample]}: 64 pixels -> 10 logits, each packed int32",
        input=encode_vector(x, "input"),
        output=encode_vector(tr.output, "output"),
        trace_root=trace_root(tr),
    )


def tiny_payload() -> Payload:
    """32-byte input and output (e.g. content hashes of data kept off-chain): the calldata / log floor."""
    return Payload(
        key="tiny",
        label="tiny: 32-byte input -> 32-byte output (content hashes)",
        input=keccak(text="opg bench input"),
        output=keccak(text="opg bench output"),
        trace_root=keccak(text="opg bench trace root"),
    )
