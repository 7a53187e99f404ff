"""Import float32 ONNX feed-forward graphs (MatMul/Gemm/Add/Relu) and quantize them (docs/runtime.md §7).

`onnx` is an optional dependency (extra `train`); it is imported only when a graph is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from .errors import UnsupportedOnnxGraph, UnsupportedOnnxOp
from .fixed import DEFAULT_FRAC_BITS, MAX_DIM, check_frac_bits, quantize
from .model import DenseLayer, Model

if TYPE_CHECKING:
    import onnx

SUPPORTED_OPS = ("MatMul", "Gemm", "Add", "Relu")
_ONNX_DOMAINS = ("", "ai.onnx")


@dataclass(frozen=True, eq=False)
class FloatLayer:
    """A float dense layer read from ONNX: y = weights @ x + bias, weights (rows, cols) = (out, in)."""

    weights: npt.NDArray[np.float64]
    bias: npt.NDArray[np.float64]
    relu: bool


@dataclass
class _Pending:
    weights: npt.NDArray[np.float64]
    bias: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    relu: bool = False


def _load(source: onnx.ModelProto | bytes | str | Path) -> onnx.ModelProto:
    import onnx

    if isinstance(source, onnx.ModelProto):
        return source
    if isinstance(source, bytes | bytearray):
        return onnx.load_from_string(bytes(source))
    return onnx.load(str(source))


def _attrs(node: Any) -> dict[str, Any]:
    import onnx

    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def read_float_layers(source: onnx.ModelProto | bytes | str | Path) -> tuple[FloatLayer, ...]:
    """The dense layers of a linear-chain float32 graph: (MatMul [+Add] | Gemm [+Add]) then Relu, repeated,
    the last dense layer without Relu. Raises UnsupportedOnnxOp / UnsupportedOnnxGraph otherwise."""
    import onnx
    from onnx import numpy_helper

    model = _load(source)
    graph = model.graph
    for node in graph.node:  # report an unsupported op before anything else
        if node.op_type not in SUPPORTED_OPS or node.domain not in _ONNX_DOMAINS:
            raise UnsupportedOnnxOp(
                node.op_type if not node.domain else f"{node.domain}.{node.op_type}", node.name
            )
    consts: dict[str, npt.NDArray[np.float64]] = {}
    for init in graph.initializer:
        if init.data_type != onnx.TensorProto.FLOAT:
            raise UnsupportedOnnxGraph(f"initializer {init.name!r} is not float32")
        consts[init.name] = numpy_helper.to_array(init).astype(np.float64)
    data_inputs = [i for i in graph.input if i.name not in consts]
    if len(data_inputs) != 1:
        raise UnsupportedOnnxGraph(f"expected exactly one data input, got {len(data_inputs)}")
    if data_inputs[0].type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
        raise UnsupportedOnnxGraph("the graph input is not float32")
    if len(graph.output) != 1:
        raise UnsupportedOnnxGraph(f"expected exactly one graph output, got {len(graph.output)}")

    current = data_inputs[0].name
    layers: list[FloatLayer] = []
    pending: _Pending | None = None

    def close() -> None:
        nonlocal pending
        if pending is not None:
            layers.append(FloatLayer(pending.weights, pending.bias, pending.relu))
            pending = None

    for node in graph.node:
        where = f"node {node.name!r} ({node.op_type})"
        inputs = [n for n in node.input if n]
        data = [n for n in inputs if n not in consts]
        params = [consts[n] for n in inputs if n in consts]
        if data != [current] or len(node.output) != 1:
            raise UnsupportedOnnxGraph(f"{where} is not a single-input link of the layer chain")
        if node.op_type in ("MatMul", "Gemm"):
            if pending is not None and not pending.relu:
                raise UnsupportedOnnxGraph(f"{where}: two dense layers without a Relu between them")
            close()
            pending = _dense(node, inputs, current, consts, where)
        elif node.op_type == "Add":
            if pending is None or pending.relu or len(params) != 1:
                raise UnsupportedOnnxGraph(f"{where}: Add must add one constant bias to a dense layer output")
            b = params[0]
            rows = pending.weights.shape[0]
            if b.size not in (1, rows) or (b.ndim == 2 and b.shape[0] != 1) or b.ndim > 2:
                raise UnsupportedOnnxGraph(f"{where}: bias of shape {b.shape} for {rows} outputs")
            pending.bias = pending.bias + np.broadcast_to(b.reshape(-1), (rows,))
        else:  # Relu
            if pending is None or pending.relu:
                raise UnsupportedOnnxGraph(f"{where}: Relu must follow a dense layer")
            pending.relu = True
        current = node.output[0]
    close()
    if current != graph.output[0].name:
        raise UnsupportedOnnxGraph("the graph output is not the end of the layer chain")
    if not layers:
        raise UnsupportedOnnxGraph("the graph has no dense layer")
    for k, layer in enumerate(layers):
        last = k == len(layers) - 1
        if layer.relu == last:
            raise UnsupportedOnnxGraph(
                "the output layer must not have a Relu" if last else f"hidden layer {k} has no Relu"
            )
        if k and layer.weights.shape[1] != layers[k - 1].weights.shape[0]:
            raise UnsupportedOnnxGraph(f"layer {k} input size does not match layer {k - 1} output size")
    return tuple(layers)


def _dense(
    node: Any, inputs: list[str], current: str, consts: dict[str, npt.NDArray[np.float64]], where: str
) -> _Pending:
    if inputs[0] != current or len(inputs) < 2 or inputs[1] not in consts:
        raise UnsupportedOnnxGraph(f"{where}: expected (running tensor, constant weights[, constant bias])")
    w = consts[inputs[1]]
    if w.ndim != 2:
        raise UnsupportedOnnxGraph(f"{where}: weights must be 2-D, got shape {w.shape}")
    bias_in: npt.NDArray[np.float64] | None = None
    if node.op_type == "MatMul":
        if len(inputs) != 2:
            raise UnsupportedOnnxGraph(f"{where}: MatMul takes two inputs")
        weights = w.T  # x @ W with W (in, out)  ->  rows = out
    else:
        attrs = _attrs(node)
        alpha = float(attrs.get("alpha", 1.0))
        beta = float(attrs.get("beta", 1.0))
        if alpha != 1.0 or beta != 1.0 or int(attrs.get("transA", 0)) != 0:
            raise UnsupportedOnnxGraph(f"{where}: Gemm needs alpha=1, beta=1, transA=0 (got {attrs})")
        weights = w if int(attrs.get("transB", 0)) else w.T  # transB: B is (out, in)
        if len(inputs) == 3:
            bias_in = consts[inputs[2]]
    rows, cols = weights.shape
    if not (1 <= rows <= MAX_DIM and 1 <= cols <= MAX_DIM):
        raise UnsupportedOnnxGraph(f"{where}: layer shape {rows}x{cols} outside 1..{MAX_DIM}")
    bias = np.zeros(rows)
    if bias_in is not None:
        if bias_in.size not in (1, rows) or bias_in.ndim > 2 or (bias_in.ndim == 2 and bias_in.shape[0] != 1):
            raise UnsupportedOnnxGraph(f"{where}: Gemm C of shape {bias_in.shape} for {rows} outputs")
        bias = bias + np.broadcast_to(bias_in.reshape(-1), (rows,))
    return _Pending(np.ascontiguousarray(weights, dtype=np.float64), bias)


def quantize_layers(layers: tuple[FloatLayer, ...], frac_bits: int, name: str) -> Model:
    """Round every weight and bias to nearest (ties away from zero) at scale 2**frac_bits; bounds checked."""
    check_frac_bits(frac_bits)
    out = []
    for k, layer in enumerate(layers):
        w = quantize(layer.weights, frac_bits, f"layer {k} weights")
        b = quantize(layer.bias, frac_bits, f"layer {k} bias")
        out.append(DenseLayer(w, b))
    return Model(name=name, frac_bits=frac_bits, layers=tuple(out))


def import_onnx(
    source: onnx.ModelProto | bytes | str | Path,
    *,
    frac_bits: int = DEFAULT_FRAC_BITS,
    name: str = "onnx-model",
) -> Model:
    """Read a float32 ONNX graph (model proto, serialized bytes or a path) and quantize it to a `Model`."""
    return quantize_layers(read_float_layers(source), frac_bits, name)


def float_forward(layers: tuple[FloatLayer, ...], x: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Float64 reference forward pass of imported layers (x: (n, in) or (in,))."""
    v = np.asarray(x, dtype=np.float64)
    for layer in layers:
        v = v @ layer.weights.T + layer.bias
        if layer.relu:
            v = np.maximum(v, 0.0)
    return v
