// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IFixedPointLayer} from "../interfaces/IFixedPointLayer.sol";

/// @title FixedPointLayer
/// @notice Bit-exact re-execution of one dense layer of the OPG inference runtime, and the commitments
/// that pin a layer and a vector (docs/runtime.md §3, §5, §6). Pure: no storage, no external calls.
/// @dev Vectors (weights, bias, input, output) are in the chain encoding of docs/runtime.md §5: packed
/// big-endian two's-complement int32, 4 bytes per entry, no length prefix. Semantics, for i in 0..rows-1:
///   acc_i = b_i * 2**F + sum_j W[i][j] * x_j;  y_i = acc_i >> F (floor);
///   revert ActivationOutOfRange if |y_i| >= 2**24 (before ReLU, lowest i first);  y_i = max(y_i, 0) if relu.
/// Weights are row-major: entry `i * cols + j` is W[i][j]. Checks run in the Python runtime's order
/// (shape, bias length, weights, bias, fracBits, input values, input length) so both report the same
/// error for the same bad layer. With every operand in range, `|acc| < 2**61` (§3.2): the arithmetic
/// cannot overflow int256 and runs unchecked (EVM `mul`/`add` on two's complement words).
library FixedPointLayer {
    /// @notice Values (inputs, weights, biases, activations) satisfy `-VALUE_BOUND < v < VALUE_BOUND`.
    int256 internal constant VALUE_BOUND = 2 ** 24;
    /// @notice Largest number of rows or columns of a layer.
    uint256 internal constant MAX_DIM = 4096;
    /// @notice Largest number of fractional bits F.
    uint256 internal constant MAX_FRAC_BITS = 24;
    /// @notice Bytes per encoded entry (int32).
    uint256 internal constant BYTES_PER_VALUE = 4;

    /// @notice `denseLayer` reporting errors as layer 0 (for a standalone layer).
    function denseLayer(
        bytes calldata w,
        bytes calldata b,
        uint256 rows,
        uint256 cols,
        uint256 fracBits,
        bool relu,
        bytes calldata x
    ) internal pure returns (bytes memory y) {
        return denseLayer(0, w, b, rows, cols, fracBits, relu, x);
    }

    /// @notice Re-execute layer `layer` (the index only labels errors) on input `x`.
    /// @param layer Index of the layer in its model (carried by the errors, as in the runtime).
    /// @param w Weights, row-major, `rows * cols` packed int32 entries.
    /// @param b Bias, `rows` packed int32 entries.
    /// @param rows Number of outputs, 1..4096.
    /// @param cols Number of inputs, 1..4096.
    /// @param fracBits Fractional bits F of the model, 0..24.
    /// @param relu Whether ReLU follows (every layer but the last).
    /// @param x Layer input, `cols` packed int32 entries.
    /// @return y Layer output (after ReLU if `relu`), `rows` packed int32 entries (its keccak256 is the
    /// output's vector commitment).
    function denseLayer(
        uint256 layer,
        bytes calldata w,
        bytes calldata b,
        uint256 rows,
        uint256 cols,
        uint256 fracBits,
        bool relu,
        bytes calldata x
    ) internal pure returns (bytes memory y) {
        _checkShape(layer, w, b, rows, cols);
        // Compute first, flagging out-of-range weights inside the dot product (cheaper than a separate pass);
        // the operand checks then run in the runtime's order, before an activation error is reported.
        _Dims memory d = _Dims(layer, rows, cols, fracBits, relu, 0);
        y = _compute(w, b, x, d);
        _checkOperandsAfterWeights(layer, b, cols, fracBits, x);
    }

    /// @dev A layer's scalars, for `_compute` (in memory: the stack is full).
    struct _Dims {
        uint256 layer;
        uint256 rows;
        uint256 cols;
        uint256 fracBits;
        bool relu;
        uint256 bad; // set by `_compute`: bit 0 an out-of-range weight, bits 1..: 1 + the first overflowing row
    }

    /// @dev Something was flagged: report the runtime's first error (weights, bias, fracBits, input values,
    /// input length; then the activation of the flagged row, its value recomputed).
    function _fail(_Dims memory d, bytes calldata w, bytes calldata b, bytes calldata x) private pure {
        _checkValues(d.layer, IFixedPointLayer.Operand.Weights, w);
        _checkOperandsAfterWeights(d.layer, b, d.cols, d.fracBits, x);
        int256 value = _rowValue(w, b, x, d); // bit 0 alone (a weight) reverted above
        revert IFixedPointLayer.ActivationOutOfRange(d.layer, (d.bad >> 1) - 1, value, VALUE_BOUND);
    }

    /// @dev Pre-activation of the flagged row i: (b_i * 2**F + sum_j W[i][j] * x_j) >> F.
    function _rowValue(bytes calldata w, bytes calldata b, bytes calldata x, _Dims memory d)
        private
        pure
        returns (int256 value)
    {
        assembly ("memory-safe") {
            let i := sub(shr(1, mload(add(d, 0xa0))), 1)
            let cols := mload(add(d, 0x40))
            let f := mload(add(d, 0x60))
            let acc := shl(f, sar(224, calldataload(add(b.offset, shl(2, i)))))
            let wp := add(w.offset, shl(2, mul(i, cols)))
            for { let j := 0 } lt(j, cols) { j := add(j, 1) } {
                acc := add(acc, mul(sar(224, calldataload(add(wp, shl(2, j)))), sar(224, calldataload(add(x.offset, shl(2, j))))))
            }
            value := sar(f, acc)
        }
    }

    /// @dev The layer's arithmetic: `y` (packed). It flags (`bad`, bit 0) an out-of-range weight inside the dot
    /// product and stops at the first row whose pre-activation is out of range (bits 1..: 1 + that row); a flag
    /// goes to `_fail`, which reports the runtime's first error. With int32 entries every product and sum fits
    /// int256 exactly, so computing before the operand checks is safe.
    function _compute(bytes calldata w, bytes calldata b, bytes calldata x, _Dims memory d)
        private
        pure
        returns (bytes memory y)
    {
        y = new bytes(d.rows * BYTES_PER_VALUE);
        uint256 bad;
        assembly ("memory-safe") {
            let rows := mload(add(d, 0x20))
            for { let i := 0 } lt(i, rows) { i := add(i, 1) } {
                let rowBytes := shl(2, mload(add(d, 0x40)))
                let acc := shl(mload(add(d, 0x60)), sar(224, calldataload(add(b.offset, shl(2, i)))))
                let wp := add(w.offset, mul(i, rowBytes))
                for {
                    let xp := x.offset
                    let xEnd := add(xp, rowBytes)
                } lt(xp, xEnd) {
                    xp := add(xp, 4)
                    wp := add(wp, 4)
                } {
                    let wv := sar(224, calldataload(wp))
                    // out of range: wv + (2**24 - 1) > 2**25 - 2 as unsigned (negatives wrap high)
                    bad := or(bad, gt(add(wv, 0xffffff), 0x1fffffe))
                    acc := add(acc, mul(wv, sar(224, calldataload(xp))))
                }
                let yi := sar(mload(add(d, 0x60)), acc) // floor(acc / 2**F)
                if gt(add(yi, 0xffffff), 0x1fffffe) {
                    bad := or(bad, shl(1, add(i, 1)))
                    break
                }
                if and(mload(add(d, 0x80)), slt(yi, 0)) { yi := 0 }
                // 32-byte store: the low 28 zero bytes are overwritten by later entries or fall past the end
                // of `y` (unallocated memory above the free memory pointer).
                mstore(add(add(y, 32), shl(2, i)), shl(224, yi))
            }
        }
        if (bad != 0) {
            d.bad = bad;
            _fail(d, w, b, x);
        }
    }

    /// @dev The runtime's operand checks after the weights: bias, fracBits, input values, input length.
    function _checkOperandsAfterWeights(
        uint256 layer,
        bytes calldata b,
        uint256 cols,
        uint256 fracBits,
        bytes calldata x
    ) private pure {
        _checkValues(layer, IFixedPointLayer.Operand.Bias, b);
        if (fracBits > MAX_FRAC_BITS) revert IFixedPointLayer.FracBitsOutOfRange(fracBits, MAX_FRAC_BITS);
        _checkPacked(layer, IFixedPointLayer.Operand.Input, x);
        _checkValues(layer, IFixedPointLayer.Operand.Input, x);
        if (x.length != cols * BYTES_PER_VALUE) {
            revert IFixedPointLayer.DimensionMismatch(
                layer, IFixedPointLayer.Operand.Input, cols, x.length / BYTES_PER_VALUE
            );
        }
    }

    /// @notice keccak256(abi.encode(rows, cols, fracBits, relu, keccak256(w), keccak256(b))) with `w` and
    /// `b` packed int32: the registry's layer commitment (docs/runtime.md §6.2; Python `layer_commitment`).
    function layerCommitment(
        bytes calldata w,
        bytes calldata b,
        uint256 rows,
        uint256 cols,
        uint256 fracBits,
        bool relu
    ) internal pure returns (bytes32) {
        return keccak256(abi.encode(rows, cols, fracBits, relu, keccak256(w), keccak256(b)));
    }

    /// @notice keccak256 of the packed int32 encoding: the commitment to an input, a layer output or the
    /// model output (docs/runtime.md §6.1; Python `vector_commitment`).
    function vectorCommitment(bytes memory v) internal pure returns (bytes32) {
        return keccak256(v);
    }

    function _checkShape(uint256 layer, bytes calldata w, bytes calldata b, uint256 rows, uint256 cols)
        private
        pure
    {
        if (rows == 0 || rows > MAX_DIM || cols == 0 || cols > MAX_DIM) {
            revert IFixedPointLayer.LayerShapeOutOfRange(rows, cols, MAX_DIM);
        }
        _checkPacked(layer, IFixedPointLayer.Operand.Bias, b);
        if (b.length != rows * BYTES_PER_VALUE) {
            revert IFixedPointLayer.DimensionMismatch(
                layer, IFixedPointLayer.Operand.Bias, rows, b.length / BYTES_PER_VALUE
            );
        }
        _checkPacked(layer, IFixedPointLayer.Operand.Weights, w);
        if (w.length != rows * cols * BYTES_PER_VALUE) {
            revert IFixedPointLayer.DimensionMismatch(
                layer, IFixedPointLayer.Operand.Weights, rows * cols, w.length / BYTES_PER_VALUE
            );
        }
    }

    /// @dev Reverts with PackedLengthInvalid unless `v` is a non-empty multiple of 4 bytes.
    function _checkPacked(uint256 layer, IFixedPointLayer.Operand what, bytes calldata v) private pure {
        if (v.length == 0 || v.length % BYTES_PER_VALUE != 0) {
            revert IFixedPointLayer.PackedLengthInvalid(layer, what, v.length);
        }
    }

    /// @dev Reverts with ValueOutOfRange at the lowest index whose entry is outside (-2**24, 2**24).
    function _checkValues(uint256 layer, IFixedPointLayer.Operand what, bytes calldata v) private pure {
        uint256 bad = type(uint256).max;
        int256 value;
        assembly ("memory-safe") {
            let p := v.offset
            let end := add(p, v.length)
            for {} lt(p, end) { p := add(p, 4) } {
                value := sar(224, calldataload(p))
                // -2**24 < value < 2**24  <=>  value + (2**24 - 1) < 2**25 - 1 (unsigned)
                if iszero(lt(add(value, 0xffffff), 0x1ffffff)) {
                    bad := shr(2, sub(p, v.offset))
                    break
                }
            }
        }
        if (bad != type(uint256).max) revert IFixedPointLayer.ValueOutOfRange(layer, what, bad, value, VALUE_BOUND);
    }
}
