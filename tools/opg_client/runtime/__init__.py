"""Deterministic fixed-point inference runtime (spec: docs/runtime.md).

Feed-forward networks of dense layers with ReLU, executed in exact integer arithmetic that a Solidity
verifier re-executes bit for bit; canonical model files, a content-addressed store, chain encodings and
commitments, and an ONNX importer with quantization.
"""

from .codec import decode_vector, encode_vector
from .commit import (
    encode_layer,
    encode_layer_operands,
    layer_commitment,
    layer_commitments,
    trace_commitments,
    trace_root,
    vector_commitment,
)
from .errors import (
    ActivationOutOfRange,
    DimensionMismatch,
    EncodingError,
    InvalidHash,
    InvalidModel,
    InvalidVector,
    ModelFormatError,
    ModelHashMismatch,
    ModelNotFound,
    ModelRuntimeError,
    OnnxImportError,
    QuantizationOutOfRange,
    UnsupportedOnnxGraph,
    UnsupportedOnnxOp,
    ValueOutOfRange,
)
from .execute import Trace, argmax, dense_forward, predict, run, trace
from .fileformat import FORMAT_TAG, dump_model, load_model, model_hash, read_model, save_model
from .fixed import (
    DEFAULT_FRAC_BITS,
    MAX_DIM,
    MAX_FRAC_BITS,
    VALUE_BITS,
    VALUE_BOUND,
    dequantize,
    quantize,
    round_half_away,
    to_int_vector,
)
from .model import DenseLayer, Model
from .onnx_import import FloatLayer, float_forward, import_onnx, quantize_layers, read_float_layers
from .shipped import (
    DigitsMeta,
    digits_model_bytes,
    digits_onnx_bytes,
    encode_digit_pixels,
    load_digits_meta,
    load_digits_model,
)
from .store import ModelStore, parse_hash

__all__ = [
    "DEFAULT_FRAC_BITS",
    "FORMAT_TAG",
    "MAX_DIM",
    "MAX_FRAC_BITS",
    "VALUE_BITS",
    "VALUE_BOUND",
    "ActivationOutOfRange",
    "DenseLayer",
    "DigitsMeta",
    "DimensionMismatch",
    "EncodingError",
    "FloatLayer",
    "InvalidHash",
    "InvalidModel",
    "InvalidVector",
    "Model",
    "ModelFormatError",
    "ModelHashMismatch",
    "ModelNotFound",
    "ModelRuntimeError",
    "ModelStore",
    "OnnxImportError",
    "QuantizationOutOfRange",
    "Trace",
    "UnsupportedOnnxGraph",
    "UnsupportedOnnxOp",
    "ValueOutOfRange",
    "argmax",
    "decode_vector",
    "dense_forward",
    "dequantize",
    "digits_model_bytes",
    "digits_onnx_bytes",
    "dump_model",
    "encode_digit_pixels",
    "encode_layer",
    "encode_layer_operands",
    "encode_vector",
    "float_forward",
    "import_onnx",
    "layer_commitment",
    "layer_commitments",
    "load_digits_meta",
    "load_digits_model",
    "load_model",
    "model_hash",
    "parse_hash",
    "predict",
    "quantize",
    "quantize_layers",
    "read_float_layers",
    "read_model",
    "round_half_away",
    "run",
    "save_model",
    "to_int_vector",
    "trace",
    "trace_commitments",
    "trace_root",
    "vector_commitment",
]
