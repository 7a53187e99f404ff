"""Property: the on-chain FixedPointLayer re-execution equals the Python runtime bit for bit — the same
outputs, or the same error with the same arguments — on random layers, including values at and beyond
the bounds (docs/runtime.md §2-3)."""

from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from layer_helpers import BOUND, run_chain, run_python

MAX = BOUND - 1
# Mostly in range, some at the edges of the range, some small (so the activations stay in range).
in_range = st.one_of(
    st.integers(-MAX, MAX),
    st.sampled_from([MAX, -MAX, 0, 1, -1, MAX - 1, -MAX + 1]),
    st.integers(-(2**10), 2**10),
)
at_edges = st.sampled_from([MAX, -MAX, MAX - 1, -MAX + 1, 2**23, -(2**23), 1, -1, 0])
# int32-representable (the chain encoding is packed int32) but outside |v| < 2**24
out_of_range = st.sampled_from([BOUND, -BOUND, BOUND + 1, -BOUND - 1, 2**31 - 1, -(2**31)])


@st.composite
def layers(draw):
    rows = draw(st.integers(1, 16))
    cols = draw(st.integers(1, 16))
    frac_bits = draw(st.integers(0, 24))
    # small magnitudes: rows stay in range and outputs get compared; edge values: activations overflow.
    mode = draw(st.sampled_from(["small", "full", "edge"]))
    values = {"small": st.integers(-(2**12), 2**12), "full": in_range, "edge": at_edges}[mode]
    w = draw(st.lists(values, min_size=rows * cols, max_size=rows * cols))
    b = draw(st.lists(values, min_size=rows, max_size=rows))
    x = draw(st.lists(values, min_size=cols, max_size=cols))
    # Now and then put one out-of-range value into one operand (ValueOutOfRange on both sides).
    corrupt = draw(st.sampled_from([None, None, None, "w", "b", "x"]))
    if corrupt is not None:
        target = {"w": w, "b": b, "x": x}[corrupt]
        target[draw(st.integers(0, len(target) - 1))] = draw(out_of_range)
    return {
        "layer": draw(st.integers(0, 3)),
        "w": w,
        "b": b,
        "rows": rows,
        "cols": cols,
        "frac_bits": frac_bits,
        "relu": draw(st.booleans()),
        "x": x,
    }


@settings(
    max_examples=40,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # no shrinking: each example is an eth_call
    suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spec=layers())
def test_dense_layer__random_layers__matches_python_runtime(harness, spec):
    args = (spec["layer"], spec["w"], spec["b"], spec["rows"], spec["cols"], spec["frac_bits"], spec["relu"], spec["x"])
    expected = run_python(*args)
    event(expected[0])  # outcome mix: see --hypothesis-show-statistics
    assert run_chain(harness, *args) == expected
