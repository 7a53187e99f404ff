// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {VerificationMode} from "./IModelRegistry.sol";

/// @title IJobVerifier
/// @notice A verification mode's judge, set per mode by governance on the escrow
///         (`InferenceEscrow.setVerifier`). TEE and ZK verifiers check a provider's proof at submit time
///         (the job settles instantly when they accept it); the optimistic verifier judges a challenger's
///         evidence (e.g. a one-layer re-execution fraud proof) during the challenge window.
/// @dev Called only by the escrow, inside its re-entrancy guard: a verifier cannot re-enter the escrow.
///      A verifier returns a verdict; it never moves funds itself (the escrow applies the outcome).
interface IJobVerifier {
    /// @notice Everything the escrow knows about a job that a verifier may need.
    /// @param jobId Escrow job id.
    /// @param requester Who created (and paid for) the job.
    /// @param provider Who claimed the job and produced the output.
    /// @param modelId Registry model id.
    /// @param version Exact model version the job pinned (its layer commitments are in the registry).
    /// @param mode Verification mode of the job.
    /// @param fee Escrowed job fee, in wei of OPG.
    /// @param inputHash keccak256 of the job's input bytes.
    /// @param outputHash keccak256 of the provider's output bytes.
    /// @param traceRoot Optimistic jobs: the provider's trace root, a commitment to every layer's output
    ///        (docs/runtime.md, `trace_root`), opaque to the escrow and bound into the job's result
    ///        commitment. Zero for TEE / ZK jobs.
    struct JobContext {
        uint256 jobId;
        address requester;
        address provider;
        uint32 modelId;
        uint16 version;
        VerificationMode mode;
        uint256 fee;
        bytes32 inputHash;
        bytes32 outputHash;
        bytes32 traceRoot;
    }

    /// @notice Checks a provider's proof for a TEE / ZK job at submit time.
    /// @param job The job and the submitted output's hash.
    /// @param proof Mode-specific proof (EIP-712 attestation signature, EZKL proof, ...).
    /// @return accepted True if the proof establishes that `outputHash` is the model's output on the input.
    function verifyResult(JobContext calldata job, bytes calldata proof) external returns (bool accepted);

    /// @notice Judges a challenger's evidence against an optimistic job's submitted output.
    /// @param job The job and the disputed output's hash.
    /// @param challenger Who posted the challenge bond.
    /// @param evidence Mode-specific fraud proof (e.g. the disputed layer's inputs, weights and outputs).
    /// @return providerAtFault True if the evidence proves the output wrong (the provider is slashed);
    ///         false rejects the challenge (the challenger's bond is forfeited).
    function judgeChallenge(JobContext calldata job, address challenger, bytes calldata evidence)
        external
        returns (bool providerAtFault);
}
