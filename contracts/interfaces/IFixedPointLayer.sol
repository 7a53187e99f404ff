// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IFixedPointLayer
/// @notice Errors and enums of the fixed-point dense-layer library (`FixedPointLayer`), the on-chain,
/// bit-exact re-execution of one layer of the OPG inference runtime (docs/runtime.md §3, §5, §6).
/// Each error mirrors the Python runtime's (`opg_client.runtime.errors`) and carries the same values.
/// @dev A library cannot inherit an interface: contracts that use `FixedPointLayer` inherit this
/// interface so the errors appear in their ABI.
interface IFixedPointLayer {
    /// @notice Which operand of a layer a value or length belongs to.
    /// @dev Python `what` strings: "weights", "bias", "layer {k} input" (values);
    /// "bias length", "layer {k} input length" (lengths; `WeightsLength` is Solidity-only because the
    /// runtime holds weights as a 2-D matrix).
    enum Operand {
        Weights,
        Bias,
        Input
    }

    /// @notice `what[index] = value` of layer `layer` is outside the value range: `|value| < bound`
    /// is required (`bound` = 2**24). Python: `ValueOutOfRange(what, index, value, bound)`.
    error ValueOutOfRange(uint256 layer, Operand what, uint256 index, int256 value, int256 bound);

    /// @notice Layer `layer` produced pre-activation `value` at output `index` (the lowest such
    /// index), outside `|value| < bound`. Python: `ActivationOutOfRange(layer, index, value, bound)`.
    error ActivationOutOfRange(uint256 layer, uint256 index, int256 value, int256 bound);

    /// @notice The `what` array of layer `layer` has `got` entries where `expected` were required
    /// (weights: rows * cols, bias: rows, input: cols). Python: `DimensionMismatch(what, expected, got)`.
    error DimensionMismatch(uint256 layer, Operand what, uint256 expected, uint256 got);

    /// @notice `rows` or `cols` is outside `1..maxDim` (4096). Python: `InvalidModel`.
    error LayerShapeOutOfRange(uint256 rows, uint256 cols, uint256 maxDim);

    /// @notice The packed int32 encoding of `what` (docs/runtime.md §5) of layer `layer` is `byteLength`
    /// bytes: empty or not a multiple of 4. Python: `EncodingError`.
    error PackedLengthInvalid(uint256 layer, Operand what, uint256 byteLength);

    /// @notice `fracBits` exceeds `maxFracBits` (24). Python: `InvalidModel`.
    error FracBitsOutOfRange(uint256 fracBits, uint256 maxFracBits);
}
