// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IJobVerifier} from "../interfaces/IJobVerifier.sol";
import {IModelRegistry} from "../interfaces/IModelRegistry.sol";
import {IZkCircuit, IZKVerifier} from "../interfaces/IZKVerifier.sol";

/// @title ZKVerifier
/// @notice ZK mode of Proof of Inference: binds an EZKL proof's public instances to the job's input and output
///         hashes, then asks the job's model version's EZKL verifier. See docs/protocol.md "Proof of Inference: ZK".
contract ZKVerifier is IZKVerifier {
    /// @inheritdoc IZKVerifier
    uint256 public constant FIELD_MODULUS =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;

    /// @dev Values are int32: |v| < 2^31 on the positive side, >= -2^31 on the negative side.
    uint256 private constant _INT32_SPAN = 1 << 31;

    /// @inheritdoc IZKVerifier
    address public immutable REGISTRY;

    /// @param registry The ModelRegistry (its `verifierOf(modelId, version)` names each version's circuit).
    constructor(address registry) {
        if (registry == address(0)) revert ZeroAddress();
        REGISTRY = registry;
    }

    /// @inheritdoc IJobVerifier
    function verifyResult(JobContext calldata job, bytes calldata proof) external view returns (bool accepted) {
        address circuit = IModelRegistry(REGISTRY).verifierOf(job.modelId, job.version);
        if (circuit == address(0)) revert CircuitVerifierNotSet(job.modelId, job.version);
        (bool wellFormed, bytes calldata ezklProof, uint256[] calldata instances) = _split(proof);
        if (!wellFormed) revert MalformedZkProof(job.jobId);

        (uint256 inputs, uint256 outputs) = _layout(job, circuit);
        if (instances.length != inputs + outputs) {
            revert InstanceCountMismatch(job.jobId, inputs + outputs, instances.length);
        }
        bytes32 provedInput = _packedHash(job.jobId, instances[:inputs], 0);
        if (provedInput != job.inputHash) revert InputNotBound(job.jobId, job.inputHash, provedInput);
        bytes32 provedOutput = _packedHash(job.jobId, instances[inputs:], inputs);
        if (provedOutput != job.outputHash) revert OutputNotBound(job.jobId, job.outputHash, provedOutput);

        // EZKL's verifier reverts on most invalid proofs: that is a rejection, not an error of the job.
        try IZkCircuit(circuit).verifyProof(ezklProof, instances) returns (bool valid) {
            return valid;
        } catch {
            return false;
        }
    }

    /// @dev The circuit's instance layout; NotACircuitVerifier if `circuit` has no code or does not answer.
    function _layout(JobContext calldata job, address circuit) private view returns (uint256, uint256) {
        // A call to an address without code would revert undecoded (outside try/catch): check first.
        if (circuit.code.length == 0) revert NotACircuitVerifier(job.modelId, job.version, circuit);
        try IZkCircuit(circuit).instanceLayout() returns (uint256 inputs, uint256 outputs) {
            return (inputs, outputs);
        } catch {
            revert NotACircuitVerifier(job.modelId, job.version, circuit);
        }
    }

    /// @inheritdoc IJobVerifier
    function judgeChallenge(JobContext calldata job, address, bytes calldata) external pure returns (bool) {
        revert ChallengeNotSupported(job.jobId);
    }

    /// @inheritdoc IZKVerifier
    function instancesHash(uint256[] calldata instances) external pure returns (bytes32) {
        return _packedHash(0, instances, 0);
    }

    /// @dev keccak256 of `values` as packed big-endian int32 (the chain codec). `first` is the index of
    ///      values[0] among the proof's instances (for the error).
    function _packedHash(uint256 jobId, uint256[] calldata values, uint256 first) private pure returns (bytes32 h) {
        uint256 n = values.length;
        bytes memory packed = new bytes(n * 4);
        for (uint256 i; i < n; ++i) {
            uint256 x = values[i];
            // Positive: x < 2^31. Negative: x = FIELD_MODULUS - |v| with |v| <= 2^31.
            if (x >= _INT32_SPAN && (x >= FIELD_MODULUS || x < FIELD_MODULUS - _INT32_SPAN)) {
                revert InstanceOutOfRange(jobId, first + i, x);
            }
            // Low 32 bits of x (positive) or of x - FIELD_MODULUS mod 2^256 (negative): two's complement int32.
            uint256 word;
            unchecked {
                word = x < _INT32_SPAN ? x : x - FIELD_MODULUS;
            }
            assembly ("memory-safe") {
                // Writes 32 bytes from offset 4i: later entries overwrite the spill; the last spill lands in
                // free memory past the array.
                mstore(add(add(packed, 0x20), mul(i, 4)), shl(224, and(word, 0xffffffff)))
            }
        }
        h = keccak256(packed);
    }

    /// @dev Reads `proof` as abi.encode(bytes ezklProof, uint256[] instances) without copying, checking every
    ///      offset and length stays inside `proof`.
    function _split(bytes calldata proof)
        private
        pure
        returns (bool ok, bytes calldata ezklProof, uint256[] calldata instances)
    {
        ezklProof = proof[0:0];
        assembly ("memory-safe") {
            instances.offset := proof.offset
            instances.length := 0
        }
        uint256 size = proof.length;
        if (size < 0x80) return (false, ezklProof, instances);
        uint256 proofAt = uint256(bytes32(proof[0:0x20]));
        uint256 instancesAt = uint256(bytes32(proof[0x20:0x40]));
        if (proofAt > size - 0x20 || instancesAt > size - 0x20) return (false, ezklProof, instances);
        uint256 proofLen = uint256(bytes32(proof[proofAt:proofAt + 0x20]));
        if (proofLen > size - proofAt - 0x20) return (false, ezklProof, instances);
        uint256 count = uint256(bytes32(proof[instancesAt:instancesAt + 0x20]));
        if (count > (size - instancesAt - 0x20) / 0x20) return (false, ezklProof, instances);
        ezklProof = proof[proofAt + 0x20:proofAt + 0x20 + proofLen];
        uint256 start = instancesAt + 0x20;
        assembly ("memory-safe") {
            instances.offset := add(proof.offset, start)
            instances.length := count
        }
        ok = true;
    }
}
