// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Lifecycle of an enclave measurement or an attestation-verifier key. Revocation is final: a
/// revoked entry is never approved again (so re-approval cannot silently revive keys registered under it).
enum AttestationStatus {
    None,
    Approved,
    Revoked
}

/// @title ITEEAttestationRegistry
/// @notice Which enclave keys may sign TEE results, and for which provider.
///         Governance approves enclave measurements (the hash identifying an enclave build, e.g. an SGX
///         MRENCLAVE or a TDX MRTD folded to 32 bytes) and attestation-verifier keys. An operator (provider)
///         registers an enclave signing key with an attestation statement signed (EIP-712) by an approved
///         attestation-verifier key: "`enclaveKey` lives in an enclave running `measurement`, operated by
///         `operator`, until `expiresAt`". The attestation verifier is the trust hook: it checks the
///         hardware quote off-chain; this contract verifies no hardware quote.
///         A key is active while: it is registered and not revoked, not expired, its measurement is still
///         approved and its attestation verifier is still approved. Every check is O(1): revoking a
///         measurement (or an attestation verifier) disables every key under it at once, with no loop.
/// @dev Roles: DEFAULT_ADMIN_ROLE (governance, behind the timelock) approves and revokes; REVOKER_ROLE (the
///      guardian, no delay) only revokes. An operator may revoke its own keys.
interface ITEEAttestationRegistry {
    /// @notice An enclave signing key as registered.
    /// @param operator The provider the key signs for (results of other providers' jobs are refused).
    /// @param expiresAt Unix time (seconds) after which the key signs nothing.
    /// @param revoked True once revoked (by its operator or a revoker); final.
    /// @param attester The attestation-verifier key that signed the registration statement.
    /// @param measurement The enclave measurement the key was attested under.
    struct EnclaveKey {
        address operator;
        uint64 expiresAt;
        bool revoked;
        address attester;
        bytes32 measurement;
    }

    // ---------------------------------------------------------------------------------------------
    // Errors
    // ---------------------------------------------------------------------------------------------

    /// @notice An address argument (admin, revoker, attester, enclave key) was address(0).
    error ZeroAddress();
    /// @notice The measurement was zero.
    error ZeroMeasurement();
    /// @notice `measurement` is already `status` (approved, or revoked for good): it cannot be approved.
    error MeasurementAlreadyKnown(bytes32 measurement, AttestationStatus status);
    /// @notice `measurement` is `status`, not approved (registering under it, revoking it, or signing with a
    ///         key attested under it).
    error MeasurementNotApproved(bytes32 measurement, AttestationStatus status);
    /// @notice Attestation verifier `attester` is already `status`: it cannot be approved.
    error AttesterAlreadyKnown(address attester, AttestationStatus status);
    /// @notice `attester` is `status`, not an approved attestation verifier.
    error AttesterNotApproved(address attester, AttestationStatus status);
    /// @notice The attestation statement's signature is malformed (not a 65-byte, low-s ECDSA signature).
    error InvalidAttestationSignature();
    /// @notice `expiresAt` is not in (now, `latest`] (unix seconds).
    error InvalidKeyExpiry(uint64 expiresAt, uint64 latest);
    /// @notice `enclaveKey` was registered before (for `operator`); a key is registered once, ever.
    error EnclaveKeyAlreadyRegistered(address enclaveKey, address operator);
    /// @notice `enclaveKey` is not registered.
    error UnknownEnclaveKey(address enclaveKey);
    /// @notice `enclaveKey` was revoked.
    error EnclaveKeyIsRevoked(address enclaveKey);
    /// @notice `enclaveKey` expired at `expiresAt` (unix seconds).
    error EnclaveKeyExpired(address enclaveKey, uint64 expiresAt);
    /// @notice `enclaveKey` signs for `operator`, not for `provider`.
    error EnclaveKeyOperatorMismatch(address enclaveKey, address operator, address provider);
    /// @notice `caller` is neither the operator of `enclaveKey` nor a revoker.
    error NotKeyOperator(address enclaveKey, address caller);

    // ---------------------------------------------------------------------------------------------
    // Events
    // ---------------------------------------------------------------------------------------------

    /// @notice Governance approved enclave measurement `measurement`; `description` names the build (not stored).
    event MeasurementApproved(bytes32 indexed measurement, string description);
    /// @notice `measurement` was revoked by `by`: every key attested under it is disabled. Final.
    event MeasurementRevoked(bytes32 indexed measurement, address indexed by);
    /// @notice Governance approved attestation-verifier key `attester`.
    event AttesterApproved(address indexed attester);
    /// @notice Attestation verifier `attester` was revoked by `by`: every key it attested is disabled. Final.
    event AttesterRevoked(address indexed attester, address indexed by);
    /// @notice `operator` registered `enclaveKey`, attested by `attester` to run `measurement` until `expiresAt`.
    event EnclaveKeyRegistered(
        address indexed enclaveKey,
        address indexed operator,
        bytes32 indexed measurement,
        address attester,
        uint64 expiresAt
    );
    /// @notice `enclaveKey` was revoked by `by` (its operator or a revoker). Final.
    event EnclaveKeyRevoked(address indexed enclaveKey, address indexed by);

    // ---------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------

    /// @notice Approves enclave measurement `measurement` (only DEFAULT_ADMIN_ROLE).
    /// @dev Reverts: ZeroMeasurement, MeasurementAlreadyKnown (approved, or revoked: revocation is final).
    ///      Emits MeasurementApproved.
    /// @param description Human-readable name of the build (e.g. "opg-node 1.2 SGX"), emitted only.
    function approveMeasurement(bytes32 measurement, string calldata description) external;

    /// @notice Revokes `measurement` for good (DEFAULT_ADMIN_ROLE or REVOKER_ROLE); disables its keys at once.
    /// @dev Reverts: MeasurementNotApproved. Emits MeasurementRevoked.
    function revokeMeasurement(bytes32 measurement) external;

    /// @notice Approves attestation-verifier key `attester` (only DEFAULT_ADMIN_ROLE).
    /// @dev Reverts: ZeroAddress, AttesterAlreadyKnown. Emits AttesterApproved.
    function approveAttester(address attester) external;

    /// @notice Revokes attestation verifier `attester` for good (DEFAULT_ADMIN_ROLE or REVOKER_ROLE); disables
    ///         every key it attested at once.
    /// @dev Reverts: AttesterNotApproved. Emits AttesterRevoked.
    function revokeAttester(address attester) external;

    // ---------------------------------------------------------------------------------------------
    // Operators
    // ---------------------------------------------------------------------------------------------

    /// @notice Registers `enclaveKey` for the caller (its operator) under `measurement`, until `expiresAt`.
    /// @dev `signature` is an EIP-712 signature of `EnclaveAttestation(address enclaveKey, address operator,
    ///      bytes32 measurement, uint64 expiresAt)` (operator = msg.sender) by an approved attestation
    ///      verifier, over this contract's domain ("OPG TEE Attestation", "1").
    ///      Reverts: ZeroAddress, InvalidKeyExpiry(expiresAt, now + MAX_KEY_LIFETIME),
    ///      EnclaveKeyAlreadyRegistered, MeasurementNotApproved, InvalidAttestationSignature,
    ///      AttesterNotApproved(recovered signer, status). Emits EnclaveKeyRegistered.
    function registerEnclaveKey(address enclaveKey, bytes32 measurement, uint64 expiresAt, bytes calldata signature)
        external;

    /// @notice Revokes `enclaveKey` for good (its operator, DEFAULT_ADMIN_ROLE or REVOKER_ROLE).
    /// @dev Reverts: UnknownEnclaveKey, EnclaveKeyIsRevoked, NotKeyOperator. Emits EnclaveKeyRevoked.
    function revokeEnclaveKey(address enclaveKey) external;

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @notice Reverts unless `enclaveKey` is active and signs for `operator`; returns its measurement.
    /// @dev O(1): four storage reads, no loop. Reverts: UnknownEnclaveKey, EnclaveKeyIsRevoked,
    ///      EnclaveKeyExpired, EnclaveKeyOperatorMismatch, MeasurementNotApproved, AttesterNotApproved.
    function requireActiveKey(address enclaveKey, address operator) external view returns (bytes32 measurement);

    /// @notice Whether `enclaveKey` is active and signs for `operator` (the non-reverting `requireActiveKey`).
    function isActiveKey(address enclaveKey, address operator) external view returns (bool);

    /// @notice The registration record of `enclaveKey` (all zero if never registered).
    function enclaveKey(address enclaveKey) external view returns (EnclaveKey memory);

    /// @notice Status of enclave measurement `measurement`.
    function measurementStatus(bytes32 measurement) external view returns (AttestationStatus);

    /// @notice Status of attestation-verifier key `attester`.
    function attesterStatus(address attester) external view returns (AttestationStatus);

    /// @notice The EIP-712 digest an attestation verifier signs to let `operator` register `enclaveKey`.
    function attestationDigest(address enclaveKey, address operator, bytes32 measurement, uint64 expiresAt)
        external
        view
        returns (bytes32);

    /// @notice Role that may revoke measurements, attestation verifiers and enclave keys (no approval power).
    function REVOKER_ROLE() external view returns (bytes32);

    /// @notice Longest registration an attestation may grant, seconds from registration (30 days).
    function MAX_KEY_LIFETIME() external view returns (uint64);
}
