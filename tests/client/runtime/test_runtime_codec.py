"""Chain encodings and commitments against hand-built bytes (docs/runtime.md §5-6)."""

from __future__ import annotations

import pytest
from eth_utils import keccak
from hypothesis import given
from hypothesis import strategies as st

from opg_client.runtime import (
    VALUE_BOUND,
    DenseLayer,
    EncodingError,
    Model,
    ValueOutOfRange,
    decode_vector,
    encode_layer,
    encode_layer_operands,
    encode_vector,
    layer_commitment,
    layer_commitments,
    trace,
    trace_commitments,
    trace_root,
    vector_commitment,
)

values = st.integers(min_value=-(VALUE_BOUND - 1), max_value=VALUE_BOUND - 1)
vectors = st.lists(values, min_size=1, max_size=40)


def word(v: int, signed: bool = True) -> bytes:
    return v.to_bytes(32, "big", signed=signed)


def manual_vector(v: list[int]) -> bytes:
    """Packed big-endian two's-complement int32, no length prefix."""
    return b"".join(x.to_bytes(4, "big", signed=True) for x in v)


def manual_layer(w: list[list[int]], b: list[int], f: int, relu: bool) -> bytes:
    """abi.encode(rows, cols, F, relu, keccak(w packed), keccak(b packed)) (uint256 x3, bool, bytes32 x2)."""
    flat = [x for row in w for x in row]
    return (
        word(len(w))
        + word(len(w[0]))
        + word(f)
        + word(int(relu))
        + keccak(manual_vector(flat))
        + keccak(manual_vector(b))
    )


@given(vectors)
def test_encode_vector__any_vector__is_packed_int32_and_roundtrips(v: list[int]) -> None:
    data = encode_vector(v)
    assert data == manual_vector(v)
    assert len(data) == 4 * len(v)
    assert [int(x) for x in decode_vector(data)] == v
    assert vector_commitment(v) == keccak(manual_vector(v))


def test_encode_vector__out_of_range_entry__raises() -> None:
    with pytest.raises(ValueOutOfRange):
        encode_vector([0, VALUE_BOUND])
    with pytest.raises(ValueOutOfRange):
        encode_vector([-VALUE_BOUND])


def test_encode_vector__empty__raises_encoding_error() -> None:
    with pytest.raises(EncodingError):
        encode_vector([])


@given(st.lists(values, min_size=1, max_size=8), st.binary(min_size=1, max_size=3))
def test_decode_vector__partial_trailing_entry__raises(v: list[int], junk: bytes) -> None:
    with pytest.raises(EncodingError):
        decode_vector(encode_vector(v) + junk)


def test_decode_vector__empty_or_malformed__raises() -> None:
    good = manual_vector([1, -2, 3])
    with pytest.raises(EncodingError):
        decode_vector(good[:-1])  # truncated
    with pytest.raises(EncodingError):
        decode_vector(b"")
    with pytest.raises(EncodingError):
        decode_vector("0x" + good.hex())  # type: ignore[arg-type]


def test_decode_vector__entry_out_of_range__raises() -> None:
    with pytest.raises(ValueOutOfRange):
        decode_vector(manual_vector([VALUE_BOUND]))
    with pytest.raises(ValueOutOfRange):
        decode_vector(manual_vector([5, -(2**31)]))
    with pytest.raises(ValueOutOfRange):
        decode_vector(manual_vector([2**31 - 1]))


@given(
    st.integers(1, 4).flatmap(
        lambda cols: st.tuples(
            st.lists(st.lists(values, min_size=cols, max_size=cols), min_size=1, max_size=4),
            st.integers(0, 24),
            st.booleans(),
        )
    ),
    st.data(),
)
def test_encode_layer__any_layer__matches_hand_built_preimage(case, data) -> None:
    w, f, relu = case
    b = data.draw(st.lists(values, min_size=len(w), max_size=len(w)))
    layer = DenseLayer(w, b)
    assert encode_layer(layer, f, relu) == manual_layer(w, b, f, relu)
    assert encode_layer_operands(layer) == (manual_vector([x for row in w for x in row]), manual_vector(b))


def test_layer_commitments__two_layers__relu_only_on_hidden_layer() -> None:
    hidden = DenseLayer([[1, -2], [3, 4], [5, 6]], [7, -8, 9])
    out = DenseLayer([[1, 2, 3]], [-4])
    model = Model("m", 12, (hidden, out))
    c = layer_commitments(model)
    assert c == (
        keccak(manual_layer([[1, -2], [3, 4], [5, 6]], [7, -8, 9], 12, True)),
        keccak(manual_layer([[1, 2, 3]], [-4], 12, False)),
    )
    assert layer_commitment(model, 1) == c[1]
    assert all(len(x) == 32 for x in c)


def test_trace_commitments__model__input_then_each_layer_output() -> None:
    model = Model("m", 4, (DenseLayer([[16, -16]], [1]),))
    tr = trace(model, [32, 48])  # acc = 16*32 - 16*48 + 16 = -240 -> -240 >> 4 = -15
    assert [int(v) for v in tr.output] == [-15]
    assert trace_commitments(tr) == (keccak(manual_vector([32, 48])), keccak(manual_vector([-15])))


def test_trace_root__two_layers__keccak_of_layer_output_commitments_in_order() -> None:
    model = Model("m", 0, (DenseLayer([[1, 0], [0, 1]], [0, 0]), DenseLayer([[1, 2]], [3])))
    tr = trace(model, [5, 7])
    hidden, out = tr.vectors[1], tr.vectors[2]
    assert [int(v) for v in out] == [5 + 14 + 3]
    assert trace_root(tr) == keccak(vector_commitment(hidden) + vector_commitment(out))
    assert trace_root(tr) != keccak(vector_commitment(out) + vector_commitment(hidden))  # order matters
    assert trace_root(tr) != keccak(b"".join(trace_commitments(tr)))  # the input is not part of the root


@given(st.binary(max_size=200))
def test_decode_vector__arbitrary_bytes__vector_or_named_error_only(data: bytes) -> None:
    try:
        v = decode_vector(data)
    except (EncodingError, ValueOutOfRange):
        return
    assert encode_vector(v) == data


@given(st.lists(st.integers(-(2**31), 2**31 - 1), min_size=1, max_size=5))
def test_decode_vector__arbitrary_int32s__vector_or_named_error_only(entries: list[int]) -> None:
    data = manual_vector(entries)
    try:
        v = decode_vector(data)
    except ValueOutOfRange as e:
        assert abs(e.value) >= VALUE_BOUND
        return
    assert [int(x) for x in v] == entries
