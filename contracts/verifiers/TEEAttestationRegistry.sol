// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {AttestationStatus, ITEEAttestationRegistry} from "../interfaces/ITEEAttestationRegistry.sol";

/// @title TEEAttestationRegistry
/// @notice Approved enclave measurements, attestation-verifier keys, and enclave signing keys bound to a
///         measurement and an operator. See ITEEAttestationRegistry: no hardware quote is verified here.
contract TEEAttestationRegistry is ITEEAttestationRegistry, AccessControl, EIP712 {
    /// @inheritdoc ITEEAttestationRegistry
    bytes32 public constant REVOKER_ROLE = keccak256("REVOKER_ROLE");
    /// @inheritdoc ITEEAttestationRegistry
    uint64 public constant MAX_KEY_LIFETIME = 30 days;

    bytes32 private constant _ATTESTATION_TYPEHASH =
        keccak256("EnclaveAttestation(address enclaveKey,address operator,bytes32 measurement,uint64 expiresAt)");

    mapping(bytes32 measurement => AttestationStatus) private _measurements;
    mapping(address attester => AttestationStatus) private _attesters;
    mapping(address enclaveKey => EnclaveKey) private _keys;

    /// @param admin Governance (the timelock): DEFAULT_ADMIN_ROLE, approves and revokes.
    /// @param revoker The guardian: REVOKER_ROLE, revokes without delay.
    constructor(address admin, address revoker) EIP712("OPG TEE Attestation", "1") {
        if (admin == address(0) || revoker == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REVOKER_ROLE, revoker);
    }

    modifier onlyRevoker() {
        if (!hasRole(REVOKER_ROLE, msg.sender)) _checkRole(DEFAULT_ADMIN_ROLE);
        _;
    }

    // ---------------------------------------------------------------------------------------------
    // Governance
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc ITEEAttestationRegistry
    function approveMeasurement(bytes32 measurement, string calldata description)
        external
        onlyRole(DEFAULT_ADMIN_ROLE)
    {
        if (measurement == bytes32(0)) revert ZeroMeasurement();
        AttestationStatus status = _measurements[measurement];
        if (status != AttestationStatus.None) revert MeasurementAlreadyKnown(measurement, status);
        _measurements[measurement] = AttestationStatus.Approved;
        emit MeasurementApproved(measurement, description);
    }

    /// @inheritdoc ITEEAttestationRegistry
    function revokeMeasurement(bytes32 measurement) external onlyRevoker {
        AttestationStatus status = _measurements[measurement];
        if (status != AttestationStatus.Approved) revert MeasurementNotApproved(measurement, status);
        _measurements[measurement] = AttestationStatus.Revoked;
        emit MeasurementRevoked(measurement, msg.sender);
    }

    /// @inheritdoc ITEEAttestationRegistry
    function approveAttester(address attester) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (attester == address(0)) revert ZeroAddress();
        AttestationStatus status = _attesters[attester];
        if (status != AttestationStatus.None) revert AttesterAlreadyKnown(attester, status);
        _attesters[attester] = AttestationStatus.Approved;
        emit AttesterApproved(attester);
    }

    /// @inheritdoc ITEEAttestationRegistry
    function revokeAttester(address attester) external onlyRevoker {
        AttestationStatus status = _attesters[attester];
        if (status != AttestationStatus.Approved) revert AttesterNotApproved(attester, status);
        _attesters[attester] = AttestationStatus.Revoked;
        emit AttesterRevoked(attester, msg.sender);
    }

    // ---------------------------------------------------------------------------------------------
    // Operators
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc ITEEAttestationRegistry
    function registerEnclaveKey(address enclaveKey_, bytes32 measurement, uint64 expiresAt, bytes calldata signature)
        external
    {
        if (enclaveKey_ == address(0)) revert ZeroAddress();
        uint64 latest = uint64(block.timestamp) + MAX_KEY_LIFETIME;
        if (expiresAt <= block.timestamp || expiresAt > latest) revert InvalidKeyExpiry(expiresAt, latest);
        address registeredFor = _keys[enclaveKey_].operator;
        if (registeredFor != address(0)) revert EnclaveKeyAlreadyRegistered(enclaveKey_, registeredFor);
        AttestationStatus mStatus = _measurements[measurement];
        if (mStatus != AttestationStatus.Approved) revert MeasurementNotApproved(measurement, mStatus);
        bytes32 digest = _attestationDigest(enclaveKey_, msg.sender, measurement, expiresAt);
        (address attester, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        if (err != ECDSA.RecoverError.NoError) revert InvalidAttestationSignature();
        AttestationStatus aStatus = _attesters[attester];
        if (aStatus != AttestationStatus.Approved) revert AttesterNotApproved(attester, aStatus);
        _keys[enclaveKey_] = EnclaveKey({
            operator: msg.sender,
            expiresAt: expiresAt,
            revoked: false,
            attester: attester,
            measurement: measurement
        });
        emit EnclaveKeyRegistered(enclaveKey_, msg.sender, measurement, attester, expiresAt);
    }

    /// @inheritdoc ITEEAttestationRegistry
    function revokeEnclaveKey(address enclaveKey_) external {
        EnclaveKey storage key = _keys[enclaveKey_];
        address operator = key.operator;
        if (operator == address(0)) revert UnknownEnclaveKey(enclaveKey_);
        if (key.revoked) revert EnclaveKeyIsRevoked(enclaveKey_);
        if (
            msg.sender != operator && !hasRole(REVOKER_ROLE, msg.sender) && !hasRole(DEFAULT_ADMIN_ROLE, msg.sender)
        ) revert NotKeyOperator(enclaveKey_, msg.sender);
        key.revoked = true;
        emit EnclaveKeyRevoked(enclaveKey_, msg.sender);
    }

    // ---------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------

    /// @inheritdoc ITEEAttestationRegistry
    function requireActiveKey(address enclaveKey_, address operator) public view returns (bytes32 measurement) {
        EnclaveKey storage key = _keys[enclaveKey_];
        address keyOperator = key.operator;
        if (keyOperator == address(0)) revert UnknownEnclaveKey(enclaveKey_);
        if (key.revoked) revert EnclaveKeyIsRevoked(enclaveKey_);
        uint64 expiresAt = key.expiresAt;
        if (block.timestamp > expiresAt) revert EnclaveKeyExpired(enclaveKey_, expiresAt);
        if (keyOperator != operator) revert EnclaveKeyOperatorMismatch(enclaveKey_, keyOperator, operator);
        measurement = key.measurement;
        AttestationStatus mStatus = _measurements[measurement];
        if (mStatus != AttestationStatus.Approved) revert MeasurementNotApproved(measurement, mStatus);
        address attester = key.attester;
        AttestationStatus aStatus = _attesters[attester];
        if (aStatus != AttestationStatus.Approved) revert AttesterNotApproved(attester, aStatus);
    }

    /// @inheritdoc ITEEAttestationRegistry
    function isActiveKey(address enclaveKey_, address operator) external view returns (bool) {
        EnclaveKey storage key = _keys[enclaveKey_];
        return key.operator != address(0) && key.operator == operator && !key.revoked
            && block.timestamp <= key.expiresAt && _measurements[key.measurement] == AttestationStatus.Approved
            && _attesters[key.attester] == AttestationStatus.Approved;
    }

    /// @inheritdoc ITEEAttestationRegistry
    function enclaveKey(address enclaveKey_) external view returns (EnclaveKey memory) {
        return _keys[enclaveKey_];
    }

    /// @inheritdoc ITEEAttestationRegistry
    function measurementStatus(bytes32 measurement) external view returns (AttestationStatus) {
        return _measurements[measurement];
    }

    /// @inheritdoc ITEEAttestationRegistry
    function attesterStatus(address attester) external view returns (AttestationStatus) {
        return _attesters[attester];
    }

    /// @inheritdoc ITEEAttestationRegistry
    function attestationDigest(address enclaveKey_, address operator, bytes32 measurement, uint64 expiresAt)
        external
        view
        returns (bytes32)
    {
        return _attestationDigest(enclaveKey_, operator, measurement, expiresAt);
    }

    function _attestationDigest(address enclaveKey_, address operator, bytes32 measurement, uint64 expiresAt)
        private
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(_ATTESTATION_TYPEHASH, enclaveKey_, operator, measurement, expiresAt)));
    }
}
