"""Bound and shape violations revert with the runtime's error and its arguments (docs/runtime.md §2-3)."""

from layer_helpers import BIAS, BOUND, INPUT, WEIGHTS, eth_call, pack, run_chain, run_python

MAX = BOUND - 1
# A 2x3 layer at F = 8 whose outputs are in range for x = X.
W = [1, -2, 3, 4, 5, -6]
B = [7, -8]
X = [10, 20, -30]
F = 8


def _both(*args):
    """The chain's answer, checked equal to the runtime's."""
    got = run_chain(*args)
    assert got == run_python(*args[1:])
    return got


def test_dense_layer__input_out_of_range__reverts_value_out_of_range(harness):
    x = [10, BOUND, -BOUND]  # the lowest offending index is reported
    assert _both(harness, 2, W, B, 2, 3, F, True, x) == ("ValueOutOfRange", (2, INPUT, 1, BOUND, BOUND))


def test_dense_layer__negative_input_at_bound__reverts_value_out_of_range(harness):
    x = [-MAX, MAX, -BOUND]
    assert _both(harness, 0, W, B, 2, 3, F, True, x) == ("ValueOutOfRange", (0, INPUT, 2, -BOUND, BOUND))


def test_dense_layer__weight_out_of_range__reverts_value_out_of_range(harness):
    w = [1, -2, 3, 4, -(2**31), 6]  # the most negative int32
    assert _both(harness, 1, w, B, 2, 3, F, True, X) == ("ValueOutOfRange", (1, WEIGHTS, 4, -(2**31), BOUND))


def test_dense_layer__bias_out_of_range__reverts_value_out_of_range(harness):
    assert _both(harness, 0, W, [0, BOUND], 2, 3, F, False, X) == ("ValueOutOfRange", (0, BIAS, 1, BOUND, BOUND))


def test_dense_layer__values_at_bound__accepted(harness):
    status, y = _both(harness, 0, [MAX, -MAX, 0, 0, 0, 1], [-MAX, MAX], 2, 3, 24, False, [MAX, MAX, -MAX])
    assert status == "ok"
    # row 0: (-MAX*2**24 + MAX*MAX - MAX*MAX) >> 24 = -MAX; row 1: (MAX*2**24 - MAX) >> 24 = floor(MAX - MAX/2**24)
    assert y == [-MAX, MAX - 1]


def test_dense_layer__activation_out_of_range__reverts_with_lowest_index(harness):
    # F = 0: y = b + W x. Row 0 in range, rows 1 and 2 out of range: row 1 is reported.
    w = [1, 0, MAX, MAX, MAX, 0]
    args = (harness, 3, w, [0, 0, 0], 3, 2, 0, True, [5, 1])
    assert _both(*args) == ("ActivationOutOfRange", (3, 1, MAX + 5 * MAX, BOUND))


def test_dense_layer__negative_activation_under_relu__still_reverts(harness):
    # The bound check comes before ReLU: a hugely negative pre-activation is an error.
    args = (harness, 0, [-MAX, -MAX], [-1], 1, 2, 4, True, [MAX, 2])
    value = ((-1 << 4) - MAX * MAX - 2 * MAX) >> 4
    assert _both(*args) == ("ActivationOutOfRange", (0, 0, value, BOUND))


def test_dense_layer__activation_exactly_at_bound__reverts(harness):
    # y = BOUND exactly (F = 0): |y| < 2**24 fails; y = MAX passes.
    assert _both(harness, 0, [1], [1], 1, 1, 0, False, [MAX]) == ("ActivationOutOfRange", (0, 0, BOUND, BOUND))
    assert _both(harness, 0, [1], [0], 1, 1, 0, False, [MAX]) == ("ok", [MAX])


def test_dense_layer__floor_rounding_of_negatives__matches_spec(harness):
    # acc = -1, F = 1 -> y = -1 (floor), not 0 (truncation).
    assert _both(harness, 0, [-1], [0], 1, 1, 1, False, [1]) == ("ok", [-1])


def test_dense_layer__input_length_mismatch__reverts_dimension_mismatch(harness):
    assert _both(harness, 1, W, B, 2, 3, F, True, [1, 2]) == ("DimensionMismatch", (1, INPUT, 3, 2))


def test_dense_layer__bias_length_mismatch__reverts_dimension_mismatch(harness):
    assert _both(harness, 0, W, [1, 2, 3], 2, 3, F, True, X) == ("DimensionMismatch", (0, BIAS, 2, 3))


def test_dense_layer__weights_length_mismatch__reverts_dimension_mismatch(harness):
    # Solidity-only: the runtime holds weights as a rows x cols matrix.
    assert run_chain(harness, 0, W[:5], B, 2, 3, F, True, X) == ("DimensionMismatch", (0, WEIGHTS, 6, 5))


def test_dense_layer__zero_rows_or_too_many_cols__reverts_layer_shape(harness):
    assert run_chain(harness, 0, b"", b"", 0, 3, F, True, X) == ("LayerShapeOutOfRange", (0, 3, 4096))
    assert run_chain(harness, 0, b"", [0], 1, 4097, F, True, X) == ("LayerShapeOutOfRange", (1, 4097, 4096))


def test_dense_layer__frac_bits_above_24__reverts(harness):
    assert run_chain(harness, 0, W, B, 2, 3, 25, True, X) == ("FracBitsOutOfRange", (25, 24))


def test_dense_layer_standalone__activation_out_of_range__reports_layer_zero(harness):
    got = eth_call(harness, "denseLayerStandalone", pack([1]), pack([1]), 1, 1, 0, False, pack([MAX]))
    assert got == ("ActivationOutOfRange", (0, 0, BOUND, BOUND))
    assert eth_call(harness, "denseLayerStandalone", pack(W), pack(B), 2, 3, F, False, pack(X))[0] == "ok"


def test_dense_layer__operand_not_whole_int32s__reverts_packed_length_invalid(harness):
    # Solidity-only (the runtime raises EncodingError when decoding): empty, or not a multiple of 4 bytes.
    assert run_chain(harness, 1, W, pack(B)[:-1], 2, 3, F, True, X) == ("PackedLengthInvalid", (1, BIAS, 7))
    assert run_chain(harness, 0, pack(W) + b"\x00", B, 2, 3, F, True, X) == ("PackedLengthInvalid", (0, WEIGHTS, 25))
    assert run_chain(harness, 2, W, B, 2, 3, F, True, b"") == ("PackedLengthInvalid", (2, INPUT, 0))
    assert run_chain(harness, 2, W, B, 2, 3, F, True, pack(X)[:-2]) == ("PackedLengthInvalid", (2, INPUT, 10))
