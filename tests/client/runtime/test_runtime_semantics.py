"""Integer semantics of the runtime against an independent pure-Python reference (docs/runtime.md §3)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opg_client.runtime import (
    MAX_DIM,
    VALUE_BOUND,
    ActivationOutOfRange,
    DenseLayer,
    DimensionMismatch,
    InvalidModel,
    InvalidVector,
    Model,
    ValueOutOfRange,
    argmax,
    dense_forward,
    predict,
    run,
    to_int_vector,
    trace,
)

LIMIT = 2**24 - 1  # largest allowed magnitude
values = st.integers(min_value=-LIMIT, max_value=LIMIT)
small = st.integers(min_value=-(2**12), max_value=2**12)
frac_bits = st.integers(min_value=0, max_value=24)


class RefOverflow(Exception):
    def __init__(self, index: int, value: int) -> None:
        self.index, self.value = index, value


def ref_layer(w: list[list[int]], b: list[int], x: list[int], f: int, relu: bool) -> list[int]:
    """Exact reference with unbounded Python ints: floor division, explicit bound, then ReLU."""
    out = []
    for i, row in enumerate(w):
        acc = b[i] * 2**f
        for wij, xj in zip(row, x, strict=True):
            acc += wij * xj
        y = acc // 2**f  # Python // floors toward -inf
        if abs(y) >= 2**24:
            raise RefOverflow(i, y)
        out.append(max(y, 0) if relu else y)
    return out


@st.composite
def layer_case(draw: st.DrawFn, elems: st.SearchStrategy[int] = values):
    rows = draw(st.integers(1, 8))
    cols = draw(st.integers(1, 8))
    w = [[draw(elems) for _ in range(cols)] for _ in range(rows)]
    b = [draw(elems) for _ in range(rows)]
    x = [draw(elems) for _ in range(cols)]
    return w, b, x, draw(frac_bits), draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(layer_case())
def test_dense_forward__any_in_range_values__matches_python_reference_or_raises_same(case) -> None:
    w, b, x, f, relu = case
    layer = DenseLayer(w, b)
    try:
        expected = ref_layer(w, b, x, f, relu)
    except RefOverflow as ref:
        with pytest.raises(ActivationOutOfRange) as err:
            dense_forward(layer, to_int_vector(x), f, relu, layer_index=3)
        assert (err.value.layer, err.value.index, err.value.value) == (3, ref.index, ref.value)
        return
    got = dense_forward(layer, to_int_vector(x), f, relu)
    assert got.dtype == np.int64
    assert [int(v) for v in got] == expected


@settings(max_examples=200, deadline=None)
@given(layer_case(small))
def test_dense_forward__small_values__mostly_in_range_and_exact(case) -> None:
    w, b, x, f, relu = case
    f = max(f, 12)  # keep outputs in range so the arithmetic path (not the error path) is exercised
    assert [int(v) for v in dense_forward(DenseLayer(w, b), to_int_vector(x), f, relu)] == ref_layer(w, b, x, f, relu)


@given(st.integers(-(2**40), 2**40), st.integers(0, 24))
def test_shift__negative_accumulator__floors_toward_minus_infinity(acc: int, f: int) -> None:
    got = int(np.right_shift(np.int64(acc), f))
    assert got == acc // 2**f
    if acc < 0 and acc % 2**f:
        assert got < int(acc / 2**f)  # strictly below truncation toward zero


def test_dense_forward__minus_one_half__floors_to_minus_one() -> None:
    # W = [1], x = -1 at F = 1: acc = -1, y = floor(-1/2) = -1 (truncation would give 0).
    assert int(dense_forward(DenseLayer([[1]], [0]), to_int_vector([-1]), 1, relu=False)[0]) == -1
    assert int(dense_forward(DenseLayer([[1]], [0]), to_int_vector([-1]), 1, relu=True)[0]) == 0


@given(st.lists(values, min_size=1, max_size=16))
def test_relu__hidden_layer__clamps_negatives_and_keeps_positives(xs: list[int]) -> None:
    n = len(xs)
    identity = [[1 if i == j else 0 for j in range(n)] for i in range(n)]
    hidden = DenseLayer(identity, [0] * n)
    model = Model("id", 0, (hidden, DenseLayer(identity, [0] * n)))
    tr = trace(model, xs)
    assert [int(v) for v in tr.layer_output(0)] == [max(v, 0) for v in xs]
    assert [int(v) for v in tr.output] == [max(v, 0) for v in xs]  # last layer: identity, no ReLU
    negated = Model("neg", 0, (DenseLayer(identity, [0] * n), DenseLayer([[-v for v in r] for r in identity], [0] * n)))
    assert [int(v) for v in run(negated, xs)] == [-max(v, 0) for v in xs]


def test_dense_forward__worst_case_magnitudes__no_int64_wrap_and_raises() -> None:
    # cols = MAX_DIM, every |w| = |x| = |b| = 2**24 - 1, F = 24: |acc| ~ 2**60, far from int64 wrap.
    for sign in (1, -1):
        layer = DenseLayer(np.full((1, MAX_DIM), sign * LIMIT), [sign * LIMIT])
        x = to_int_vector([LIMIT] * MAX_DIM)
        exact = (sign * LIMIT * 2**24 + MAX_DIM * sign * LIMIT * LIMIT) // 2**24
        with pytest.raises(ActivationOutOfRange) as err:
            dense_forward(layer, x, 24, relu=False)
        assert err.value.value == exact


def test_dense_forward__output_exactly_at_bound__raises() -> None:
    ok = dense_forward(DenseLayer([[1]], [0]), to_int_vector([LIMIT]), 0, relu=False)
    assert int(ok[0]) == LIMIT
    with pytest.raises(ActivationOutOfRange) as err:
        dense_forward(DenseLayer([[1]], [1]), to_int_vector([LIMIT]), 0, relu=False)
    assert err.value.value == VALUE_BOUND
    with pytest.raises(ActivationOutOfRange):
        dense_forward(DenseLayer([[-1]], [-1]), to_int_vector([LIMIT]), 0, relu=True)  # checked before ReLU


@pytest.mark.parametrize("bad", [VALUE_BOUND, -VALUE_BOUND, 2**63, -(2**80)])
def test_to_int_vector__out_of_range_entry__raises_value_out_of_range(bad: int) -> None:
    with pytest.raises(ValueOutOfRange) as err:
        to_int_vector([0, bad])
    assert (err.value.index, err.value.value) == (1, bad)


@pytest.mark.parametrize("bad", [1.0, 0.5, True, "1", None, np.float32(2.0)])
def test_to_int_vector__non_integer_entry__raises_invalid_vector(bad: object) -> None:
    with pytest.raises(InvalidVector):
        to_int_vector([1, bad])


@pytest.mark.parametrize("bad", [VALUE_BOUND, -VALUE_BOUND])
def test_dense_layer__weight_or_bias_out_of_range__raises(bad: int) -> None:
    with pytest.raises(ValueOutOfRange):
        DenseLayer([[0, bad]], [0])
    with pytest.raises(ValueOutOfRange):
        DenseLayer([[0, 0]], [bad])


def test_dense_layer__too_many_columns__raises_invalid_model() -> None:
    with pytest.raises(InvalidModel):
        DenseLayer(np.zeros((1, MAX_DIM + 1), dtype=np.int64), [0])


def test_model__layers_do_not_chain__raises_dimension_mismatch() -> None:
    with pytest.raises(DimensionMismatch):
        Model("bad", 8, (DenseLayer([[1, 2]], [0]), DenseLayer([[1, 2]], [0])))


def test_run__wrong_input_length__raises_dimension_mismatch() -> None:
    model = Model("m", 8, (DenseLayer([[1, 2]], [0]),))
    with pytest.raises(DimensionMismatch):
        run(model, [1, 2, 3])


def test_model__arrays__are_read_only() -> None:
    layer = DenseLayer([[1, 2]], [3])
    with pytest.raises(ValueError):
        layer.weights[0, 0] = 5
    with pytest.raises(ValueError):
        layer.bias[0] = 5


@settings(max_examples=50, deadline=None)
@given(layer_case(small), layer_case(small))
def test_trace__two_layer_model__equals_layerwise_reference_and_is_deterministic(c1, c2) -> None:
    w1, b1, x, f, _ = c1
    rows2 = len(c2[0])
    w2 = [[(c2[0][i][j % len(c2[0][0])]) for j in range(len(w1))] for i in range(rows2)]
    b2 = c2[1]
    f = max(f, 14)
    model = Model("two", f, (DenseLayer(w1, b1), DenseLayer(w2, b2)))
    try:
        h = ref_layer(w1, b1, x, f, True)
        out = ref_layer(w2, b2, h, f, False)
    except RefOverflow:
        with pytest.raises(ActivationOutOfRange):
            trace(model, x)
        return
    t1, t2 = trace(model, x), trace(model, list(x))
    assert [int(v) for v in t1.layer_output(0)] == h
    assert [int(v) for v in t1.output] == out
    assert all(np.array_equal(a, b) for a, b in zip(t1.vectors, t2.vectors, strict=True))
    assert predict(model, x) == out.index(max(out))


@given(st.lists(st.integers(-5, 5), min_size=1, max_size=12))
def test_argmax__ties__lowest_index(xs: list[int]) -> None:
    assert argmax(xs) == xs.index(max(xs))


def test_argmax__empty__raises() -> None:
    with pytest.raises(DimensionMismatch):
        argmax([])


@pytest.mark.parametrize("f", [-1, 25, 64])
def test_dense_forward__frac_bits_outside_0_24__raises_invalid_model(f: int) -> None:
    with pytest.raises(InvalidModel):
        dense_forward(DenseLayer([[1]], [0]), [1], f, relu=False)
    with pytest.raises(InvalidModel):
        Model("m", f, (DenseLayer([[1]], [0]),))
