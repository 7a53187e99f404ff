// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IFixedPointLayer} from "../interfaces/IFixedPointLayer.sol";
import {FixedPointLayer} from "../libraries/FixedPointLayer.sol";

/// @notice Test helper: exposes `FixedPointLayer` so tests can eth_call it and measure its gas.
/// Vectors are packed int32 (docs/runtime.md §5).
contract FixedPointLayerHarness is IFixedPointLayer {
    /// @notice Emitted by `denseLayerTx`, so a transaction has an observable effect (gas measurement).
    event LayerExecuted(bytes32 outputCommitment);

    /// @notice `denseLayerTx` was given a layer whose commitment is `actual`, not `expected`.
    error LayerCommitmentMismatch(bytes32 expected, bytes32 actual);

    function denseLayer(
        uint256 layer,
        bytes calldata w,
        bytes calldata b,
        uint256 rows,
        uint256 cols,
        uint256 fracBits,
        bool relu,
        bytes calldata x
    ) external pure returns (bytes memory) {
        return FixedPointLayer.denseLayer(layer, w, b, rows, cols, fracBits, relu, x);
    }

    /// @notice The 7-argument form (errors report layer 0).
    function denseLayerStandalone(
        bytes calldata w,
        bytes calldata b,
        uint256 rows,
        uint256 cols,
        uint256 fracBits,
        bool relu,
        bytes calldata x
    ) external pure returns (bytes memory) {
        return FixedPointLayer.denseLayer(w, b, rows, cols, fracBits, relu, x);
    }

    /// @notice A one-layer fraud-proof step as a transaction: check the layer commitment, re-execute,
    /// commit to the output. For gas measurement.
    function denseLayerTx(
        bytes32 expectedLayerCommitment,
        bytes calldata w,
        bytes calldata b,
        uint256 rows,
        uint256 cols,
        uint256 fracBits,
        bool relu,
        bytes calldata x
    ) external returns (bytes32 outputCommitment) {
        bytes32 actual = FixedPointLayer.layerCommitment(w, b, rows, cols, fracBits, relu);
        if (actual != expectedLayerCommitment) revert LayerCommitmentMismatch(expectedLayerCommitment, actual);
        bytes memory y = FixedPointLayer.denseLayer(w, b, rows, cols, fracBits, relu, x);
        outputCommitment = FixedPointLayer.vectorCommitment(y);
        emit LayerExecuted(outputCommitment);
    }

    function layerCommitment(
        bytes calldata w,
        bytes calldata b,
        uint256 rows,
        uint256 cols,
        uint256 fracBits,
        bool relu
    ) external pure returns (bytes32) {
        return FixedPointLayer.layerCommitment(w, b, rows, cols, fracBits, relu);
    }

    function vectorCommitment(bytes calldata v) external pure returns (bytes32) {
        return FixedPointLayer.vectorCommitment(v);
    }
}
