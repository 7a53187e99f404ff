"""Named errors of the inference runtime. Each carries the offending values as attributes."""

from __future__ import annotations

from opg_client.errors import OpgError


class ModelRuntimeError(OpgError):
    """Root of every error raised by `opg_client.runtime` (under the package root `OpgError`)."""


class InvalidVector(ModelRuntimeError):
    """An input vector is not a sequence of Python/NumPy integers (floats and bools are refused)."""

    def __init__(self, what: str, index: int, value: object) -> None:
        self.what = what
        self.index = index
        self.value = value
        super().__init__(f"{what}[{index}] = {value!r} is not an integer")


class ValueOutOfRange(ModelRuntimeError):
    """A fixed-point value lies outside the signed range |v| < 2**24 (see docs/runtime.md)."""

    def __init__(self, what: str, index: int, value: int, bound: int) -> None:
        self.what = what
        self.index = index
        self.value = value
        self.bound = bound
        super().__init__(f"{what}[{index}] = {value} is out of range: |v| must be < {bound}")


class ActivationOutOfRange(ValueOutOfRange):
    """Layer `layer` produced `value` at output `index`, outside the activation range."""

    def __init__(self, layer: int, index: int, value: int, bound: int) -> None:
        self.layer = layer
        super().__init__(f"layer {layer} output", index, value, bound)


class DimensionMismatch(ModelRuntimeError):
    """A vector or matrix has `got` entries where `expected` were required."""

    def __init__(self, what: str, expected: int, got: int) -> None:
        self.what = what
        self.expected = expected
        self.got = got
        super().__init__(f"{what}: expected {expected}, got {got}")


class InvalidModel(ModelRuntimeError):
    """A model's structure violates the format rules (layer chaining, limits, frac bits, name)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class ModelFormatError(ModelRuntimeError):
    """Model file bytes are not a canonical model file (bad JSON, wrong keys/types, non-canonical)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class EncodingError(ModelRuntimeError):
    """Bytes are not a chain-encoded vector (packed int32: non-empty, a multiple of 4 bytes; docs §5)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class ModelNotFound(ModelRuntimeError):
    """The store holds no file under `model_hash`."""

    def __init__(self, model_hash: bytes) -> None:
        self.model_hash = model_hash
        super().__init__(f"no model stored under 0x{model_hash.hex()}")


class ModelHashMismatch(ModelRuntimeError):
    """A stored file's keccak256 (`actual`) differs from the hash it is stored under (`expected`)."""

    def __init__(self, expected: bytes, actual: bytes) -> None:
        self.expected = expected
        self.actual = actual
        super().__init__(f"model file hash mismatch: expected 0x{expected.hex()}, got 0x{actual.hex()}")


class OnnxImportError(ModelRuntimeError):
    """Root of the ONNX import errors."""


class UnsupportedOnnxOp(OnnxImportError):
    """The graph holds node `node_name` of type `op_type`; only MatMul, Gemm, Add and Relu are supported."""

    def __init__(self, op_type: str, node_name: str) -> None:
        self.op_type = op_type
        self.node_name = node_name
        super().__init__(
            f"unsupported ONNX op {op_type!r} (node {node_name!r}); supported: MatMul, Gemm, Add, Relu"
        )


class UnsupportedOnnxGraph(OnnxImportError):
    """The graph uses supported ops in an unsupported way (attributes, shapes, wiring, dtypes)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class QuantizationOutOfRange(OnnxImportError):
    """Quantizing `what`[`index`] = `value` gives `quantized`, outside |q| < 2**24 (or it is not finite)."""

    def __init__(self, what: str, index: int, value: float, quantized: float) -> None:
        self.what = what
        self.index = index
        self.value = value
        self.quantized = quantized
        super().__init__(f"{what}[{index}] = {value!r} quantizes to {quantized!r}, out of range")


class InvalidHash(ModelRuntimeError, ValueError):
    """`value` is not a 32-byte hash (bytes, or hex with or without 0x)."""

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        super().__init__(f"invalid model hash {value!r}: {reason}")
