// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IJobVerifier} from "./IJobVerifier.sol";

/// @title IZkCircuit
/// @notice A model version's EZKL circuit verifier, as `opg zk setup` generates it: EZKL's Halo2 verifier of the
///         circuit plus the layout of its public instances (the model input first, then the model output, each
///         value a field element standing for a fixed-point integer). Its address is the version's `verifier`
///         in the ModelRegistry.
interface IZkCircuit {
    /// @notice EZKL's verifier entry point. Reverts or returns false when the proof does not verify.
    /// @param proof EZKL proof bytes (KZG commitments and evaluations).
    /// @param instances Public instances, exactly `inputs + outputs` field elements.
    function verifyProof(bytes calldata proof, uint256[] calldata instances) external view returns (bool);

    /// @notice How many public instances are the model input (first) and how many the model output (after).
    function instanceLayout() external view returns (uint256 inputs, uint256 outputs);
}

/// @title IZKVerifier
/// @notice The escrow's ZK-mode verifier: an adapter from a job to its model version's EZKL circuit verifier.
///         A ZK job's proof is accepted iff (1) the proof's input instances, as int32 values packed big-endian
///         (the chain codec), hash to the job's `inputHash`, (2) its output instances hash the same way to the
///         submitted output's `outputHash`, and (3) the EZKL verifier of the job's exact model version
///         (`ModelRegistry.verifierOf`) accepts the proof with those instances. A valid proof for another input,
///         another output or another version's circuit is therefore rejected.
/// @dev Stateless and read-only: anyone may call `verifyResult` (e.g. a provider pre-checking its proof with
///      eth_call); the escrow calls it inside `submitResult`.
interface IZKVerifier is IJobVerifier {
    /// @notice A constructor address argument was address(0).
    error ZeroAddress();
    /// @notice Version `version` of model `modelId` has no circuit verifier in the registry.
    error CircuitVerifierNotSet(uint32 modelId, uint16 version);
    /// @notice The verifier of version `version` of model `modelId`, `verifier`, has no code or does not answer
    ///         `instanceLayout()` (it is not an `IZkCircuit`).
    error NotACircuitVerifier(uint32 modelId, uint16 version, address verifier);
    /// @notice The proof of job `jobId` is not `abi.encode(bytes ezklProof, uint256[] instances)`.
    error MalformedZkProof(uint256 jobId);
    /// @notice The proof of job `jobId` carries `actual` instances; the circuit has `expected`.
    error InstanceCountMismatch(uint256 jobId, uint256 expected, uint256 actual);
    /// @notice Instance `index` of job `jobId`'s proof is a field element outside the int32 range.
    error InstanceOutOfRange(uint256 jobId, uint256 index, uint256 instance);
    /// @notice The proof of job `jobId` is for another input: its input instances hash to `provedInputHash`.
    error InputNotBound(uint256 jobId, bytes32 inputHash, bytes32 provedInputHash);
    /// @notice The submitted output of job `jobId` is not the proved one (its instances hash to `provedOutputHash`).
    error OutputNotBound(uint256 jobId, bytes32 outputHash, bytes32 provedOutputHash);
    /// @notice ZK jobs settle at submit; they have no challenge window (job `jobId`).
    error ChallengeNotSupported(uint256 jobId);

    /// @notice The ModelRegistry the circuit verifiers are read from.
    function REGISTRY() external view returns (address);

    /// @notice BN254 scalar field modulus: instance x stands for x if x < 2^31, for x - FIELD_MODULUS if
    ///         x >= FIELD_MODULUS - 2^31 (negative values), and is refused otherwise.
    function FIELD_MODULUS() external view returns (uint256);

    /// @notice keccak256 of the chain encoding (packed big-endian int32) of `instances` read as signed values.
    /// @dev Reverts InstanceOutOfRange(jobId, index, instance) (with `jobId` 0 here).
    function instancesHash(uint256[] calldata instances) external pure returns (bytes32);
}
