// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IFixedPointLayer} from "../interfaces/IFixedPointLayer.sol";

/// @title FixedPointLayer
/// @notice Bit-exact re-execution of one dense layer of the OPG inference runtime, and the commitments
/// that pin a layer and a vector (docs/runtime.md §3, §6). Pure: no storage, no external calls.
/// @dev Semantics, for i in 0..rows-1:
///   acc_i = b_i * 2**F + sum_j W[i][j] * x_j;  y_i = acc_i >> F (floor);
///   revert ActivationOutOfRange if |y_i| >= 2**24 (before ReLU, lowest i first);  y_i = max(y_i, 0) if relu.
/// Weights are row-major: `w[i * cols + j] = W[i][j]`. Checks run in the Python runtime's order
/// (shape, bias length, weights, bias, fracBits, input values, input length) so both report the same
/// error for the same bad layer. With every operand in range, `|acc| < 2**61` (§3.2): the arithmetic
/// cannot overflow int256 and runs unchecked.
library FixedPointLayer {
    /// @notice Values (inputs, weights, biases, activations) satisfy `-VALUE_BOUND < v < VALUE_BOUND`.
    int256 internal constant VALUE_BOUND = 2 ** 24;
    /// @notice Largest number of rows or columns of a layer.
    uint256 internal constant MAX_DIM = 4096;
    /// @notice Largest number of fractional bits F.
    uint256 internal constant MAX_FRAC_BITS = 24;

    /// @notice `denseLayer` reporting errors as layer 0 (for a standalone layer).
    function denseLayer(
        int256[] calldata w,
        int256[] calldata b,
        uint256 rows,
        uint256 cols,
        uint256 fracBits,
        bool relu,
        int256[] calldata x
    ) internal pure returns (int256[] memory y) {
        return denseLayer(0, w, b, rows, cols, fracBits, relu, x);
    }

    /// @notice Re-execute layer `layer` (the index only labels errors) on input `x`.
    /// @param layer Index of the layer in its model (carried by the errors, as in the runtime).
    /// @param w Weights, row-major, `rows * cols` entries.
    /// @param b Bias, `rows` entries.
    /// @param rows Number of outputs, 1..4096.
    /// @param cols Number of inputs, 1..4096.
    /// @param fracBits Fractional bits F of the model, 0..24.
    /// @param relu Whether ReLU follows (every layer but the last).
    /// @param x Layer input, `cols` entries.
    /// @return y Layer output (after ReLU if `relu`), `rows` entries.
    function denseLayer(
        uint256 layer,
        int256[] calldata w,
        int256[] calldata b,
        uint256 rows,
        uint256 cols,
        uint256 fracBits,
        bool relu,
        int256[] calldata x
    ) internal pure returns (int256[] memory y) {
        _checkShape(layer, w, b, rows, cols);
        _checkValues(layer, IFixedPointLayer.Operand.Weights, w);
        _checkValues(layer, IFixedPointLayer.Operand.Bias, b);
        if (fracBits > MAX_FRAC_BITS) revert IFixedPointLayer.FracBitsOutOfRange(fracBits, MAX_FRAC_BITS);
        _checkValues(layer, IFixedPointLayer.Operand.Input, x);
        if (x.length != cols) {
            revert IFixedPointLayer.DimensionMismatch(layer, IFixedPointLayer.Operand.Input, cols, x.length);
        }
        y = new int256[](rows);
        unchecked {
            for (uint256 i; i < rows; ++i) {
                int256 acc = b[i] << fracBits;
                uint256 base = i * cols;
                for (uint256 j; j < cols; ++j) {
                    acc += w[base + j] * x[j];
                }
                int256 yi = acc >> fracBits; // arithmetic shift: floor(acc / 2**F)
                if (yi <= -VALUE_BOUND || yi >= VALUE_BOUND) {
                    revert IFixedPointLayer.ActivationOutOfRange(layer, i, yi, VALUE_BOUND);
                }
                y[i] = (relu && yi < 0) ? int256(0) : yi;
            }
        }
    }

    /// @notice keccak256(abi.encode(w, b, rows, cols, fracBits, relu)): the registry's layer commitment
    /// (docs/runtime.md §6.2; Python `layer_commitment`).
    function layerCommitment(
        int256[] calldata w,
        int256[] calldata b,
        uint256 rows,
        uint256 cols,
        uint256 fracBits,
        bool relu
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(w, b, rows, cols, fracBits, relu));
    }

    /// @notice keccak256(abi.encode(v)): the commitment to an input or layer output vector
    /// (docs/runtime.md §6.1; Python `vector_commitment`).
    function vectorCommitment(int256[] memory v) internal pure returns (bytes32) {
        return keccak256(abi.encode(v));
    }

    function _checkShape(uint256 layer, int256[] calldata w, int256[] calldata b, uint256 rows, uint256 cols)
        private
        pure
    {
        if (rows == 0 || rows > MAX_DIM || cols == 0 || cols > MAX_DIM) {
            revert IFixedPointLayer.LayerShapeOutOfRange(rows, cols, MAX_DIM);
        }
        if (b.length != rows) revert IFixedPointLayer.DimensionMismatch(layer, IFixedPointLayer.Operand.Bias, rows, b.length);
        if (w.length != rows * cols) {
            revert IFixedPointLayer.DimensionMismatch(layer, IFixedPointLayer.Operand.Weights, rows * cols, w.length);
        }
    }

    /// @dev Reverts with ValueOutOfRange at the lowest index whose entry is outside (-2**24, 2**24).
    function _checkValues(uint256 layer, IFixedPointLayer.Operand what, int256[] calldata v) private pure {
        uint256 n = v.length;
        for (uint256 i; i < n; ) {
            int256 value = v[i];
            if (value <= -VALUE_BOUND || value >= VALUE_BOUND) {
                revert IFixedPointLayer.ValueOutOfRange(layer, what, i, value, VALUE_BOUND);
            }
            unchecked {
                ++i;
            }
        }
    }
}
