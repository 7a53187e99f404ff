// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {IJobVerifier} from "../interfaces/IJobVerifier.sol";
import {IModelRegistry, VerificationMode} from "../interfaces/IModelRegistry.sol";
import {ITEEAttestationRegistry} from "../interfaces/ITEEAttestationRegistry.sol";
import {ITEEVerifier} from "../interfaces/ITEEVerifier.sol";

/// @title TEEVerifier
/// @notice Settles TEE jobs at submit on an EIP-712 result signature by an active enclave key of the provider.
/// @dev A version's weightsHash is immutable in the registry, so it is memoised here on the first TEE job of
///      each version (one registry call then; one storage read afterwards).
contract TEEVerifier is ITEEVerifier, EIP712 {
    /// @inheritdoc ITEEVerifier
    uint64 public constant MAX_CLOCK_SKEW = 30 seconds;
    uint64 private constant _MIN_SIGNATURE_AGE = 1 minutes;
    uint64 private constant _MAX_SIGNATURE_AGE = 1 days;
    uint256 private constant _PROOF_LENGTH = 73;

    bytes32 private constant _RESULT_TYPEHASH = keccak256(
        "TEEResult(uint256 jobId,bytes32 modelHash,bytes32 inputHash,bytes32 outputHash,uint64 timestamp)"
    );

    /// @inheritdoc ITEEVerifier
    address public immutable ESCROW;
    /// @inheritdoc ITEEVerifier
    address public immutable MODEL_REGISTRY;
    /// @inheritdoc ITEEVerifier
    address public immutable ATTESTATIONS;
    /// @inheritdoc ITEEVerifier
    uint64 public immutable MAX_SIGNATURE_AGE;

    mapping(uint32 modelId => mapping(uint16 version => bytes32 weightsHash)) private _modelHashes;

    /// @param escrow The InferenceEscrow (sole caller).
    /// @param modelRegistry The ModelRegistry (version weightsHash = model hash).
    /// @param attestations The TEEAttestationRegistry.
    /// @param maxSignatureAge Oldest accepted result signature, seconds (60 .. 86_400).
    constructor(address escrow, address modelRegistry, address attestations, uint64 maxSignatureAge)
        EIP712("OPG TEE Verifier", "1")
    {
        if (escrow == address(0) || modelRegistry == address(0) || attestations == address(0)) revert ZeroAddress();
        if (maxSignatureAge < _MIN_SIGNATURE_AGE || maxSignatureAge > _MAX_SIGNATURE_AGE) {
            revert InvalidMaxSignatureAge(maxSignatureAge, _MIN_SIGNATURE_AGE, _MAX_SIGNATURE_AGE);
        }
        ESCROW = escrow;
        MODEL_REGISTRY = modelRegistry;
        ATTESTATIONS = attestations;
        MAX_SIGNATURE_AGE = maxSignatureAge;
    }

    modifier onlyEscrow() {
        if (msg.sender != ESCROW) revert NotEscrow(msg.sender);
        _;
    }

    /// @inheritdoc IJobVerifier
    function verifyResult(JobContext calldata job, bytes calldata proof) external onlyEscrow returns (bool) {
        uint256 jobId = job.jobId;
        if (job.mode != VerificationMode.TEE) revert NotTEEJob(jobId, job.mode);
        if (proof.length != _PROOF_LENGTH) revert MalformedProof(jobId, proof.length);
        uint64 signedAt = uint64(bytes8(proof[0:8]));
        _requireFresh(jobId, signedAt);
        bytes32 digest = _resultDigest(jobId, _modelHash(job.modelId, job.version), job.inputHash, job.outputHash, signedAt);
        (address enclaveKey, ECDSA.RecoverError err,) =
            ECDSA.tryRecover(digest, uint8(proof[72]), bytes32(proof[8:40]), bytes32(proof[40:72]));
        if (err != ECDSA.RecoverError.NoError) revert InvalidResultSignature(jobId);
        // A forged, replayed or wrong-domain signature recovers to an unregistered key: UnknownEnclaveKey.
        bytes32 measurement = ITEEAttestationRegistry(ATTESTATIONS).requireActiveKey(enclaveKey, job.provider);
        emit TEEResultVerified(jobId, enclaveKey, measurement, signedAt);
        return true;
    }

    /// @inheritdoc IJobVerifier
    /// @dev TEE jobs settle at submit and are never in the challenge window; a challenge routed here fails.
    function judgeChallenge(JobContext calldata, address, bytes calldata) external view onlyEscrow returns (bool) {
        return false;
    }

    /// @inheritdoc ITEEVerifier
    function resultDigest(uint256 jobId, bytes32 modelHash, bytes32 inputHash, bytes32 outputHash, uint64 timestamp)
        external
        view
        returns (bytes32)
    {
        return _resultDigest(jobId, modelHash, inputHash, outputHash, timestamp);
    }

    function _requireFresh(uint256 jobId, uint64 signedAt) private view {
        uint64 latest = uint64(block.timestamp) + MAX_CLOCK_SKEW;
        if (signedAt > latest) revert FutureResultSignature(jobId, signedAt, latest);
        uint64 oldest = block.timestamp > MAX_SIGNATURE_AGE ? uint64(block.timestamp) - MAX_SIGNATURE_AGE : 0;
        if (signedAt < oldest) revert StaleResultSignature(jobId, signedAt, oldest);
    }

    function _modelHash(uint32 modelId, uint16 version) private returns (bytes32 weightsHash) {
        weightsHash = _modelHashes[modelId][version];
        if (weightsHash == bytes32(0)) {
            weightsHash = IModelRegistry(MODEL_REGISTRY).getVersion(modelId, version).weightsHash;
            _modelHashes[modelId][version] = weightsHash;
        }
    }

    function _resultDigest(uint256 jobId, bytes32 modelHash, bytes32 inputHash, bytes32 outputHash, uint64 timestamp)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(_RESULT_TYPEHASH, jobId, modelHash, inputHash, outputHash, timestamp))
        );
    }
}
