"""ONNX import and quantization (docs/runtime.md §7)."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import onnx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from opg_client.runtime import (
    VALUE_BOUND,
    QuantizationOutOfRange,
    UnsupportedOnnxGraph,
    UnsupportedOnnxOp,
    dequantize,
    float_forward,
    import_onnx,
    quantize,
    read_float_layers,
    run,
)

F = 16
RNG_SEED = 1234


def graph(nodes, inits: dict[str, np.ndarray], n_in: int, n_out: int, out: str = "y") -> onnx.ModelProto:
    g = helper.make_graph(
        nodes,
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", n_in])],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, ["N", n_out])],
        [numpy_helper.from_array(v, k) for k, v in inits.items()],
    )
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    return m


def mixed_graph(rng: np.random.Generator, n_in: int = 12, hidden: int = 9, n_out: int = 5) -> onnx.ModelProto:
    """Gemm(transB=1, with C) -> Relu -> MatMul -> Add -> Relu -> Gemm(transB=0, no C) -> Add."""
    f32 = np.float32
    inits = {
        "B0": rng.uniform(-1, 1, (hidden, n_in)).astype(f32),  # (out, in) for transB=1
        "C0": rng.uniform(-1, 1, (hidden,)).astype(f32),
        "W1": rng.uniform(-1, 1, (hidden, hidden)).astype(f32),  # (in, out) for MatMul
        "b1": rng.uniform(-1, 1, (1, hidden)).astype(f32),
        "B2": rng.uniform(-1, 1, (hidden, n_out)).astype(f32),  # (in, out) for transB=0
        "b2": rng.uniform(-1, 1, (n_out,)).astype(f32),
    }
    nodes = [
        helper.make_node("Gemm", ["x", "B0", "C0"], ["g0"], name="gemm0", transB=1, alpha=1.0, beta=1.0),
        helper.make_node("Relu", ["g0"], ["h0"], name="relu0"),
        helper.make_node("MatMul", ["h0", "W1"], ["m1"], name="mm1"),
        helper.make_node("Add", ["b1", "m1"], ["a1"], name="add1"),  # constant first: commutative
        helper.make_node("Relu", ["a1"], ["h1"], name="relu1"),
        helper.make_node("Gemm", ["h1", "B2"], ["g2"], name="gemm2", transB=0),
        helper.make_node("Add", ["g2", "b2"], ["y"], name="add2"),
    ]
    return graph(nodes, inits, n_in, n_out)


def error_bound(layers, x: np.ndarray, e0: float) -> np.ndarray:
    """Worst-case |dequantized - float64| per output (docs/runtime.md §7.3): for each layer,
    e_out_i = sum_j [(|w_ij| + h) e_in_j + |x_j| h] + h + 2h with h = 2**-(F+1) (rounding), 2h = floor."""
    h = 2.0 ** -(F + 1)
    a = x.astype(np.float64)
    e = np.full_like(a, e0)
    for layer in layers:
        e = (np.abs(layer.weights) + h) @ e + h * np.sum(np.abs(a)) + 3 * h
        a = a @ layer.weights.T + layer.bias
        if layer.relu:
            a = np.maximum(a, 0.0)
    return e


def test_import_onnx__gemm_matmul_add_relu__within_proven_error_bound() -> None:
    rng = np.random.default_rng(RNG_SEED)
    proto = mixed_graph(rng)
    layers = read_float_layers(proto)
    assert [(layer.weights.shape, layer.relu) for layer in layers] == [
        ((9, 12), True),
        ((9, 9), True),
        ((5, 9), False),
    ]
    model = import_onnx(proto, frac_bits=F, name="mixed")
    xs = rng.uniform(-2, 2, (200, 12))
    ref = ReferenceEvaluator(proto)
    (onnx_out,) = ref.run(None, {"x": xs.astype(np.float32)})
    f64 = float_forward(layers, xs.astype(np.float32))
    assert np.max(np.abs(onnx_out - f64)) < 1e-5  # the importer read the graph the evaluator runs
    worst = 0.0
    for x, y in zip(xs, f64, strict=True):
        xq = quantize(x, F, "input")
        e0 = float(np.max(np.abs(dequantize(xq, F) - x.astype(np.float32))))
        got = dequantize(run(model, xq), F)
        bound = error_bound(layers, x.astype(np.float32), e0)
        assert np.all(np.abs(got - y) <= bound), (got - y, bound)
        worst = max(worst, float(np.max(np.abs(got - y))))
    assert worst < 1e-3  # stated tolerance (docs/runtime.md §7.3); the bound above is the proof


def test_import_onnx__bytes_path_and_proto__same_model(tmp_path: Path) -> None:
    proto = mixed_graph(np.random.default_rng(7))
    path = tmp_path / "m.onnx"
    onnx.save(proto, str(path))
    a = import_onnx(proto, name="m")
    assert import_onnx(proto.SerializeToString(), name="m") == a
    assert import_onnx(path, name="m") == a
    assert import_onnx(str(path), name="m") == a


@pytest.mark.parametrize(
    ("op", "kwargs"),
    [("Sigmoid", {}), ("Softmax", {"axis": 1}), ("Tanh", {}), ("Identity", {})],
)
def test_import_onnx__unsupported_op__raises_unsupported_onnx_op(op: str, kwargs: dict) -> None:
    w = np.ones((3, 2), dtype=np.float32)
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"], name="mm"),
        helper.make_node(op, ["m"], ["y"], name="bad_node", **kwargs),
    ]
    with pytest.raises(UnsupportedOnnxOp) as err:
        import_onnx(graph(nodes, {"W": w}, 3, 2))
    assert (err.value.op_type, err.value.node_name) == (op, "bad_node")


def test_import_onnx__custom_domain_op__raises_unsupported_onnx_op() -> None:
    nodes = [helper.make_node("MatMul", ["x", "W"], ["y"], name="mm", domain="com.example")]
    with pytest.raises(UnsupportedOnnxOp) as err:
        import_onnx(graph(nodes, {"W": np.ones((3, 2), dtype=np.float32)}, 3, 2))
    assert err.value.op_type == "com.example.MatMul"


@pytest.mark.parametrize("attrs", [{"alpha": 0.5}, {"beta": 2.0}, {"transA": 1}])
def test_import_onnx__gemm_unsupported_attributes__raises_unsupported_graph(attrs: dict) -> None:
    nodes = [helper.make_node("Gemm", ["x", "B", "C"], ["y"], name="gemm", **attrs)]
    inits = {"B": np.ones((3, 2), dtype=np.float32), "C": np.ones((2,), dtype=np.float32)}
    with pytest.raises(UnsupportedOnnxGraph):
        import_onnx(graph(nodes, inits, 3, 2))


def test_import_onnx__hidden_layer_without_relu__raises_unsupported_graph() -> None:
    nodes = [
        helper.make_node("MatMul", ["x", "W0"], ["m0"], name="mm0"),
        helper.make_node("MatMul", ["m0", "W1"], ["y"], name="mm1"),
    ]
    inits = {"W0": np.ones((3, 3), dtype=np.float32), "W1": np.ones((3, 2), dtype=np.float32)}
    with pytest.raises(UnsupportedOnnxGraph):
        import_onnx(graph(nodes, inits, 3, 2))


def test_import_onnx__relu_on_output_layer__raises_unsupported_graph() -> None:
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"], name="mm"),
        helper.make_node("Relu", ["m"], ["y"], name="relu"),
    ]
    with pytest.raises(UnsupportedOnnxGraph):
        import_onnx(graph(nodes, {"W": np.ones((3, 2), dtype=np.float32)}, 3, 2))


def test_import_onnx__float64_weights__raises_unsupported_graph() -> None:
    nodes = [helper.make_node("MatMul", ["x", "W"], ["y"], name="mm")]
    with pytest.raises(UnsupportedOnnxGraph):
        import_onnx(graph(nodes, {"W": np.ones((3, 2), dtype=np.float64)}, 3, 2))


def test_import_onnx__skip_connection__raises_unsupported_graph() -> None:
    nodes = [
        helper.make_node("MatMul", ["x", "W"], ["m"], name="mm"),
        helper.make_node("Add", ["m", "x"], ["y"], name="residual"),
    ]
    with pytest.raises(UnsupportedOnnxGraph):
        import_onnx(graph(nodes, {"W": np.ones((3, 3), dtype=np.float32)}, 3, 3))


@pytest.mark.parametrize("bad", [256.0, -300.0, float("nan"), float("inf")])
def test_import_onnx__weight_not_quantizable__raises_quantization_out_of_range(bad: float) -> None:
    w = np.zeros((3, 2), dtype=np.float32)
    w[1, 0] = bad  # 256 * 2**16 = 2**24: just outside the bound
    nodes = [helper.make_node("MatMul", ["x", "W"], ["y"], name="mm")]
    with pytest.raises(QuantizationOutOfRange) as err:
        import_onnx(graph(nodes, {"W": w}, 3, 2), frac_bits=16)
    assert err.value.index == 1  # row-major in the runtime's (out, in) layout: W[1, 0] -> (0, 1) -> 1
    assert err.value.what == "layer 0 weights"


@given(st.floats(width=32, allow_nan=False, allow_infinity=False, min_value=-255.0, max_value=255.0))
def test_quantize__any_float32__round_half_away_from_zero_exactly(v: float) -> None:
    exact = Fraction(v) * 2**F
    expected = int(math.copysign(math.floor(abs(exact) + Fraction(1, 2)), v)) if exact else 0
    got = int(quantize(np.float32(v), F))
    assert got == expected
    assert abs(got) < VALUE_BOUND


def test_quantize__ties__away_from_zero_not_to_even() -> None:
    h = 2.0 ** -(F + 1)
    assert [int(q) for q in quantize([h, -h, 3 * h, -3 * h, 5 * h], F)] == [1, -1, 2, -2, 3]
