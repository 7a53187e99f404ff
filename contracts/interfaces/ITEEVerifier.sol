// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IJobVerifier} from "./IJobVerifier.sol";
import {VerificationMode} from "./IModelRegistry.sol";

/// @title ITEEVerifier
/// @notice The TEE mode's judge: a result settles at submit when it carries an EIP-712 signature, by an
///         active enclave key of the job's provider (TEEAttestationRegistry), over
///         `TEEResult(uint256 jobId, bytes32 modelHash, bytes32 inputHash, bytes32 outputHash, uint64 timestamp)`
///         in this contract's domain ("OPG TEE Verifier", "1", chain id, this address).
///         `modelHash` is the job version's `weightsHash` in the ModelRegistry.
/// @dev Proof encoding (73 bytes, packed): `uint64 timestamp` (8 bytes, big-endian, unix seconds, the
///      enclave's signing time) ‖ `r` (32) ‖ `s` (32) ‖ `v` (1, 27 or 28).
///      Replay: the digest binds the job id, and the domain binds the chain id and this verifier, which serves
///      one escrow (immutable); the escrow accepts one submission per job, so a signature settles at most one
///      job, once. Freshness: `timestamp` must lie in [now - MAX_SIGNATURE_AGE, now + MAX_CLOCK_SKEW].
///      Rejection is by revert with a named error (never `false`), and the escrow bubbles it up.
///      TEE jobs are never challenged: `judgeChallenge` always answers false (the challenge fails).
interface ITEEVerifier is IJobVerifier {
    /// @notice `caller` is not the escrow.
    error NotEscrow(address caller);
    /// @notice An address argument was address(0).
    error ZeroAddress();
    /// @notice `maxSignatureAge` (seconds) is outside [`min`, `max`].
    error InvalidMaxSignatureAge(uint64 maxSignatureAge, uint64 min, uint64 max);
    /// @notice Job `jobId` is in mode `mode`, not TEE.
    error NotTEEJob(uint256 jobId, VerificationMode mode);
    /// @notice The proof of job `jobId` is `length` bytes long, not 73.
    error MalformedProof(uint256 jobId, uint256 length);
    /// @notice The result of job `jobId` was signed at `signedAt`, before `oldestAccepted` (unix seconds).
    error StaleResultSignature(uint256 jobId, uint64 signedAt, uint64 oldestAccepted);
    /// @notice The result of job `jobId` claims a signing time `signedAt` after `latestAccepted` (unix seconds).
    error FutureResultSignature(uint256 jobId, uint64 signedAt, uint64 latestAccepted);
    /// @notice The signature of job `jobId` is not a valid (low-s, 27/28) ECDSA signature.
    error InvalidResultSignature(uint256 jobId);

    /// @notice Job `jobId`'s result was accepted: signed at `signedAt` by `enclaveKey`, attested under `measurement`.
    event TEEResultVerified(
        uint256 indexed jobId, address indexed enclaveKey, bytes32 indexed measurement, uint64 signedAt
    );

    /// @notice The EIP-712 digest an enclave signs for a result.
    function resultDigest(uint256 jobId, bytes32 modelHash, bytes32 inputHash, bytes32 outputHash, uint64 timestamp)
        external
        view
        returns (bytes32);

    /// @notice The escrow allowed to call `verifyResult` / `judgeChallenge`.
    function ESCROW() external view returns (address);

    /// @notice The ModelRegistry the model hash (version weightsHash) is read from.
    function MODEL_REGISTRY() external view returns (address);

    /// @notice The TEEAttestationRegistry that says which enclave keys are active for which provider.
    function ATTESTATIONS() external view returns (address);

    /// @notice Oldest accepted signature, seconds before the submitting block's timestamp.
    function MAX_SIGNATURE_AGE() external view returns (uint64);

    /// @notice Furthest accepted signing time, seconds after the submitting block's timestamp (30).
    function MAX_CLOCK_SKEW() external view returns (uint64);
}
