"""The shipped digits model re-executed layer by layer on chain equals the runtime's trace, and the
on-chain commitments equal commitment.py's (docs/runtime.md §6, §8)."""

import pytest
from eth_utils import to_bytes
from hypothesis import given, settings
from hypothesis import strategies as st
from layer_helpers import pack, run_chain, unpack
from sklearn.datasets import load_digits

from opg_client.runtime import (
    encode_digit_pixels,
    encode_layer_operands,
    encode_vector,
    layer_commitment,
    load_digits_meta,
    load_digits_model,
    trace,
    trace_commitments,
    vector_commitment,
)

MODEL = load_digits_model()
META = load_digits_meta()


def _layer_args(k):
    layer = MODEL.layers[k]
    w, b = encode_layer_operands(layer)
    return w, b, layer.rows, layer.cols, MODEL.frac_bits, MODEL.relu_after(k)


@pytest.fixture(scope="module")
def sample_trace():
    """Runtime trace of the first held-out test image."""
    pixels = load_digits().data[META.test_indices[0]].astype(int)
    x = encode_digit_pixels([int(p) for p in pixels], MODEL.frac_bits, META.input_scale_bits)
    return trace(MODEL, x)


@pytest.mark.parametrize("k", [0, 1])
def test_dense_layer__shipped_layer_on_test_sample__equals_runtime_trace(harness, sample_trace, k):
    w, b, rows, cols, frac_bits, relu = _layer_args(k)
    x = [int(v) for v in sample_trace.layer_input(k)]
    expected = [int(v) for v in sample_trace.layer_output(k)]
    assert run_chain(harness, k, w, b, rows, cols, frac_bits, relu, x) == ("ok", expected)


def test_dense_layer__shipped_model_chained__output_commitment_equals_runtime(harness, sample_trace):
    v = encode_vector(sample_trace.vectors[0])
    for k in range(len(MODEL.layers)):
        v = bytes(harness.denseLayer(k, *_layer_args(k)[:6], v))
    commitments = trace_commitments(sample_trace)
    assert harness.vectorCommitment(v) == commitments[-1]
    assert unpack(v) == [int(a) for a in sample_trace.output]


@pytest.mark.parametrize("k", [0, 1])
def test_layer_commitment__shipped_layer__equals_runtime_and_meta(harness, k):
    on_chain = harness.layerCommitment(*_layer_args(k))
    assert on_chain == layer_commitment(MODEL, k)
    assert on_chain == to_bytes(hexstr=META.layer_commitments[k])


@settings(max_examples=25, deadline=None)
@given(v=st.lists(st.integers(-(2**24) + 1, 2**24 - 1), min_size=1, max_size=40))
def test_vector_commitment__random_vector__equals_runtime(harness, v):
    assert harness.vectorCommitment(pack(v)) == vector_commitment(v)
