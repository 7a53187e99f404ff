// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IFixedPointLayer} from "../interfaces/IFixedPointLayer.sol";
import {IJobVerifier} from "../interfaces/IJobVerifier.sol";
import {IModelRegistry, VerificationMode} from "../interfaces/IModelRegistry.sol";
import {IOptimisticLayerVerifier} from "../interfaces/IOptimisticLayerVerifier.sol";
import {FixedPointLayer} from "../libraries/FixedPointLayer.sol";

/// @title OptimisticLayerVerifier
/// @notice One-round fraud proofs for optimistic jobs: re-executes one disputed layer (or, for a trace the
/// challenger cannot open, the whole model) and rules. Stateless: holds no funds and no state, so any
/// contract (the escrow, a batch settlement) may ask it for a verdict.
contract OptimisticLayerVerifier is IOptimisticLayerVerifier, IFixedPointLayer {
    /// @inheritdoc IOptimisticLayerVerifier
    address public immutable REGISTRY;

    /// @dev Words of an abi-encoded JobContext (a static struct): the proof's offset in the inner call is
    /// right after them and its own offset word.
    uint256 private constant _JOB_CONTEXT_WORDS = 10;

    /// @param registry The ModelRegistry whose per-layer commitments pin the weights.
    constructor(address registry) {
        if (registry == address(0)) revert ZeroRegistry();
        REGISTRY = registry;
    }

    /// @inheritdoc IJobVerifier
    /// @dev Optimistic results carry no proof to verify at submit time: nothing is accepted here.
    function verifyResult(JobContext calldata, bytes calldata) external pure returns (bool accepted) {
        return false;
    }

    /// @inheritdoc IJobVerifier
    function judgeChallenge(JobContext calldata job, address, bytes calldata evidence)
        external
        view
        returns (bool providerAtFault)
    {
        return _providerAtFault(_rule(job, evidence));
    }

    /// @inheritdoc IOptimisticLayerVerifier
    function rule(JobContext calldata job, bytes calldata evidence) external view returns (Ruling) {
        return _rule(job, evidence);
    }

    /// @inheritdoc IOptimisticLayerVerifier
    function ruleLayer(JobContext calldata job, LayerProof calldata proof) external view returns (Ruling) {
        if (keccak256(abi.encodePacked(proof.trace)) != job.traceRoot) return Ruling.TraceNotOpened;
        uint256 count = _layerCount(job);
        if (proof.trace.length != count) return Ruling.TraceLengthMismatch;
        if (proof.trace[count - 1] != job.outputHash) return Ruling.OutputNotInTrace;
        uint256 k = proof.layer;
        if (k >= count) return Ruling.MalformedEvidence;
        bool relu = k < count - 1;
        if (_layerCommitment(proof.data, relu) != _registeredCommitment(job, k)) return Ruling.ForgedWeights;
        if (keccak256(proof.input) != (k == 0 ? job.inputHash : proof.trace[k - 1])) return Ruling.ForgedInput;
        try this.execute(k, proof.data, relu, proof.input) returns (bytes memory y) {
            return keccak256(y) == proof.trace[k] ? Ruling.LayerCorrect : Ruling.WrongLayerOutput;
        } catch (bytes memory reason) {
            return _caught(reason, true);
        }
    }

    /// @inheritdoc IOptimisticLayerVerifier
    function ruleFull(JobContext calldata job, FullProof calldata proof) external view returns (Ruling) {
        uint256 count = _layerCount(job);
        if (proof.layers.length != count) return Ruling.MalformedEvidence;
        if (keccak256(proof.input) != job.inputHash) return Ruling.ForgedInput;
        for (uint256 k; k < count; ++k) {
            if (_layerCommitment(proof.layers[k], k < count - 1) != _registeredCommitment(job, k)) {
                return Ruling.ForgedWeights;
            }
        }
        bytes memory x = proof.input;
        bytes32[] memory outputs = new bytes32[](count);
        for (uint256 k; k < count; ++k) {
            try this.execute(k, proof.layers[k], k < count - 1, x) returns (bytes memory y) {
                outputs[k] = keccak256(y);
                x = y;
            } catch (bytes memory reason) {
                // Layer 0's input is the job's (the provider answered it); later inputs are computed here.
                return _caught(reason, k == 0);
            }
        }
        bool same = keccak256(abi.encodePacked(outputs)) == job.traceRoot && outputs[count - 1] == job.outputHash;
        return same ? Ruling.ResultCorrect : Ruling.WrongResult;
    }

    /// @inheritdoc IOptimisticLayerVerifier
    function execute(uint256 layer, LayerData calldata data, bool relu, bytes calldata x)
        external
        pure
        returns (bytes memory y)
    {
        return FixedPointLayer.denseLayer(layer, data.weights, data.bias, data.rows, data.cols, data.fracBits, relu, x);
    }

    /// @inheritdoc IOptimisticLayerVerifier
    function traceRoot(bytes32[] calldata layerOutputs) external pure returns (bytes32) {
        return keccak256(abi.encodePacked(layerOutputs));
    }

    /// @dev Dispatches on the kind byte to `ruleLayer` / `ruleFull` through a self-staticcall whose calldata
    /// is the job followed by the evidence's own ABI encoding (no re-encoding: the proof stays in calldata).
    /// A revert of the inner call is malformed evidence, unless it ran out of gas (then this reverts).
    function _rule(JobContext calldata job, bytes calldata evidence) private view returns (Ruling) {
        if (job.mode != VerificationMode.Optimistic) return Ruling.NotOptimistic;
        // kind byte, then abi.encode(struct): its first word is the struct's offset, 0x20
        if (evidence.length < 33 || uint8(evidence[0]) > uint8(EvidenceKind.Full)) return Ruling.MalformedEvidence;
        if (uint256(bytes32(evidence[1:33])) != 0x20) return Ruling.MalformedEvidence;
        bytes4 selector = uint8(evidence[0]) == uint8(EvidenceKind.Layer) ? this.ruleLayer.selector : this.ruleFull.selector;
        bytes memory data = bytes.concat(selector, abi.encode(job), bytes32((_JOB_CONTEXT_WORDS + 1) * 32), evidence[33:]);
        uint256 gasBefore = gasleft();
        (bool ok, bytes memory ret) = address(this).staticcall(data);
        if (ok) return abi.decode(ret, (Ruling));
        if (gasleft() <= gasBefore / 63) revert RulingOutOfGas(gasleft());
        if (ret.length >= 4 && bytes4(ret) == RulingOutOfGas.selector) {
            assembly ("memory-safe") {
                revert(add(ret, 32), mload(ret))
            }
        }
        return Ruling.MalformedEvidence;
    }

    /// @dev A caught revert of `execute`. Empty data: out of gas (its calldata is well-formed by
    /// construction), so the whole ruling reverts. An error about the layer's input (committed by the provider
    /// when `inputCommitted`) or its activations: the provider's fault. Anything else (weights, bias, shape,
    /// fracBits out of range): the registered layer is invalid, which no challenge can prove the provider wrong on.
    function _caught(bytes memory reason, bool inputCommitted) private view returns (Ruling) {
        if (reason.length < 4) revert RulingOutOfGas(gasleft());
        bytes4 selector = bytes4(reason);
        if (selector == IFixedPointLayer.ActivationOutOfRange.selector) return Ruling.ActivationOverflow;
        if (
            inputCommitted && reason.length >= 68
                && (
                    selector == IFixedPointLayer.ValueOutOfRange.selector
                        || selector == IFixedPointLayer.DimensionMismatch.selector
                        || selector == IFixedPointLayer.PackedLengthInvalid.selector
                )
        ) {
            uint256 what;
            assembly ("memory-safe") {
                what := mload(add(reason, 68)) // second argument: the Operand
            }
            if (what == uint256(IFixedPointLayer.Operand.Input)) return Ruling.InvalidLayerInput;
        }
        return Ruling.InvalidRegisteredLayer;
    }

    /// @dev Registry reads go through try/catch so that one running out of gas (empty revert data) reverts
    /// the ruling as `RulingOutOfGas` instead of reading as malformed evidence; other reverts bubble up.
    function _layerCount(JobContext calldata job) private view returns (uint256) {
        try IModelRegistry(REGISTRY).getVersion(job.modelId, job.version) returns (
            IModelRegistry.VersionInfo memory info
        ) {
            return info.layerCount;
        } catch (bytes memory reason) {
            _bubble(reason);
        }
    }

    function _registeredCommitment(JobContext calldata job, uint256 layer) private view returns (bytes32) {
        try IModelRegistry(REGISTRY).layerCommitment(job.modelId, job.version, layer) returns (bytes32 commitment) {
            return commitment;
        } catch (bytes memory reason) {
            _bubble(reason);
        }
    }

    function _bubble(bytes memory reason) private view {
        if (reason.length == 0) revert RulingOutOfGas(gasleft());
        assembly ("memory-safe") {
            revert(add(reason, 32), mload(reason))
        }
    }

    function _layerCommitment(LayerData calldata data, bool relu) private pure returns (bytes32) {
        return FixedPointLayer.layerCommitment(data.weights, data.bias, data.rows, data.cols, data.fracBits, relu);
    }

    function _providerAtFault(Ruling ruling) private pure returns (bool) {
        return ruling >= Ruling.TraceLengthMismatch;
    }
}
