"""TEEAttestationRegistry: governance approves measurements and attestation verifiers, revokers revoke (final),
operators register enclave keys with an attestation statement and may revoke their own."""

import pytest
from eth_account import Account
from eth_utils import keccak
from opg_testkit import deploy_reverts_with, reverts_with
from tee_helpers import (
    APPROVED,
    ATTESTER,
    ENCLAVE,
    ENCLAVE2,
    KEY_LIFETIME,
    MEASUREMENT,
    OTHER_MEASUREMENT,
    REVOKED,
    UNKNOWN,
    attestation_domain,
    call_revert,
)

from opg_client.tee import SoftwareEnclave

ZERO = "0x0000000000000000000000000000000000000000"
MAX_KEY_LIFETIME = 30 * 86_400


# --------------------------------------------------------------------------------------------- deploy


def test_deploy__zero_revoker__reverts_zero_address(project, deployer):
    with deploy_reverts_with(project.TEEAttestationRegistry, "ZeroAddress"):
        deployer.deploy(project.TEEAttestationRegistry, deployer, ZERO)


def test_deploy_suite__registry_wired__admin_and_guardian_roles(attestations, tee_verifier, suite, deployer):
    assert attestations.hasRole(attestations.DEFAULT_ADMIN_ROLE(), deployer)
    assert attestations.hasRole(attestations.REVOKER_ROLE(), deployer)  # suite guardian
    assert suite.escrow.verifier(1) == tee_verifier.address
    assert tee_verifier.ESCROW() == suite.escrow.address
    assert tee_verifier.ATTESTATIONS() == attestations.address
    assert tee_verifier.MODEL_REGISTRY() == suite.registry.address
    assert attestations.MAX_KEY_LIFETIME() == MAX_KEY_LIFETIME


# ---------------------------------------------------------------------------------------- measurements


def test_approve_measurement__admin__approved_and_event(attestations, tee_world, deployer):
    receipt = attestations.approveMeasurement(OTHER_MEASUREMENT, "build 2", sender=deployer)
    assert attestations.measurementStatus(OTHER_MEASUREMENT) == APPROVED
    events = attestations.MeasurementApproved.from_receipt(receipt)
    assert [(e.measurement, e.description) for e in events] == [(OTHER_MEASUREMENT, "build 2")]


def test_approve_measurement__stranger__reverts_unauthorized(attestations, tee_world, stranger):
    with reverts_with(attestations.AccessControlUnauthorizedAccount, account=stranger.address):
        attestations.approveMeasurement(OTHER_MEASUREMENT, "", sender=stranger)


def test_approve_measurement__revoker_only__reverts_unauthorized(attestations, tee_world, watcher):
    with reverts_with(attestations.AccessControlUnauthorizedAccount, account=watcher.address):
        attestations.approveMeasurement(OTHER_MEASUREMENT, "", sender=watcher)


def test_approve_measurement__zero__reverts_zero_measurement(attestations, tee_world, deployer):
    with reverts_with(attestations.ZeroMeasurement):
        attestations.approveMeasurement(b"\x00" * 32, "", sender=deployer)


def test_approve_measurement__already_approved__reverts_already_known(attestations, tee_world, deployer):
    with reverts_with(attestations.MeasurementAlreadyKnown, measurement=MEASUREMENT, status=APPROVED):
        attestations.approveMeasurement(MEASUREMENT, "", sender=deployer)


def test_approve_measurement__after_revocation__reverts_already_known_revoked(
    attestations, registered, deployer, provider
):
    attestations.revokeMeasurement(MEASUREMENT, sender=deployer)
    with reverts_with(attestations.MeasurementAlreadyKnown, measurement=MEASUREMENT, status=REVOKED):
        attestations.approveMeasurement(MEASUREMENT, "", sender=deployer)
    assert not attestations.isActiveKey(ENCLAVE.address, provider)  # no way to revive its keys


def test_revoke_measurement__revoker__revoked_and_event(attestations, tee_world, watcher):
    receipt = attestations.revokeMeasurement(MEASUREMENT, sender=watcher)
    assert attestations.measurementStatus(MEASUREMENT) == REVOKED
    events = attestations.MeasurementRevoked.from_receipt(receipt)
    assert [(e.measurement, e.by) for e in events] == [(MEASUREMENT, watcher.address)]


def test_revoke_measurement__stranger__reverts_unauthorized(attestations, tee_world, stranger):
    with reverts_with(attestations.AccessControlUnauthorizedAccount, account=stranger.address):
        attestations.revokeMeasurement(MEASUREMENT, sender=stranger)


def test_revoke_measurement__never_approved__reverts_not_approved(attestations, tee_world, deployer):
    with reverts_with(attestations.MeasurementNotApproved, measurement=OTHER_MEASUREMENT, status=UNKNOWN):
        attestations.revokeMeasurement(OTHER_MEASUREMENT, sender=deployer)


# ------------------------------------------------------------------------------------------- attesters


def test_approve_attester__zero__reverts_zero_address(attestations, tee_world, deployer):
    with reverts_with(attestations.ZeroAddress):
        attestations.approveAttester(ZERO, sender=deployer)


def test_approve_attester__stranger__reverts_unauthorized(attestations, tee_world, stranger):
    with reverts_with(attestations.AccessControlUnauthorizedAccount, account=stranger.address):
        attestations.approveAttester(stranger, sender=stranger)


def test_approve_attester__twice__reverts_already_known(attestations, tee_world, deployer):
    with reverts_with(attestations.AttesterAlreadyKnown, attester=ATTESTER.address, status=APPROVED):
        attestations.approveAttester(ATTESTER.address, sender=deployer)


def test_revoke_attester__revoker__final(attestations, tee_world, watcher, deployer):
    receipt = attestations.revokeAttester(ATTESTER.address, sender=watcher)
    assert [(e.attester, e.by) for e in attestations.AttesterRevoked.from_receipt(receipt)] == [
        (ATTESTER.address, watcher.address)
    ]
    assert attestations.attesterStatus(ATTESTER.address) == REVOKED
    with reverts_with(attestations.AttesterAlreadyKnown, attester=ATTESTER.address, status=REVOKED):
        attestations.approveAttester(ATTESTER.address, sender=deployer)
    with reverts_with(attestations.AttesterNotApproved, attester=ATTESTER.address, status=REVOKED):
        attestations.revokeAttester(ATTESTER.address, sender=watcher)


# --------------------------------------------------------------------------------------- enclave keys


def test_register_key__attested__record_event_and_active(attestations, tee_world, register_key, provider, chain):
    fresh = SoftwareEnclave.generate(MEASUREMENT)
    receipt = register_key(fresh, provider)
    record = attestations.enclaveKey(fresh.address)
    assert (record.operator, record.revoked, record.attester, record.measurement) == (
        provider.address, False, ATTESTER.address, MEASUREMENT,
    )
    assert record.expiresAt == chain.blocks.head.timestamp + KEY_LIFETIME
    events = attestations.EnclaveKeyRegistered.from_receipt(receipt)
    assert [(e.enclaveKey, e.operator, e.measurement, e.attester, e.expiresAt) for e in events] == [
        (fresh.address, provider.address, MEASUREMENT, ATTESTER.address, record.expiresAt)
    ]
    assert attestations.isActiveKey(fresh.address, provider)
    assert attestations.requireActiveKey(fresh.address, provider) == MEASUREMENT


def test_register_key__twice__reverts_already_registered(attestations, registered, register_key, provider):
    with reverts_with(attestations.EnclaveKeyAlreadyRegistered, enclaveKey=ENCLAVE.address, operator=provider.address):
        register_key(ENCLAVE, provider)


def test_register_key__after_revocation_same_statement__reverts_already_registered(
    attestations, tee_world, provider, chain
):
    fresh = SoftwareEnclave.generate(MEASUREMENT)
    expires_at = chain.pending_timestamp + KEY_LIFETIME
    sig = ATTESTER.attest(attestation_domain(attestations), fresh.address, provider.address, MEASUREMENT, expires_at)
    attestations.registerEnclaveKey(fresh.address, MEASUREMENT, expires_at, sig, sender=provider)
    attestations.revokeEnclaveKey(fresh.address, sender=provider)
    with reverts_with(attestations.EnclaveKeyAlreadyRegistered, enclaveKey=fresh.address):
        attestations.registerEnclaveKey(fresh.address, MEASUREMENT, expires_at, sig, sender=provider)


def test_register_key__statement_for_other_operator__reverts_attester_not_approved(
    attestations, tee_world, provider, provider2, chain
):
    fresh = SoftwareEnclave.generate(MEASUREMENT)
    expires_at = chain.pending_timestamp + KEY_LIFETIME
    sig = ATTESTER.attest(attestation_domain(attestations), fresh.address, provider.address, MEASUREMENT, expires_at)
    with reverts_with(attestations.AttesterNotApproved, status=UNKNOWN) as info:
        attestations.registerEnclaveKey(fresh.address, MEASUREMENT, expires_at, sig, sender=provider2)
    assert info.value.inputs["attester"] != ATTESTER.address  # the statement names provider: recovers garbage


def test_register_key__unapproved_measurement__reverts_not_approved(attestations, tee_world, register_key, provider):
    fresh = SoftwareEnclave.generate(MEASUREMENT)
    with reverts_with(attestations.MeasurementNotApproved, measurement=OTHER_MEASUREMENT, status=UNKNOWN):
        register_key(fresh, provider, measurement=OTHER_MEASUREMENT)


def test_register_key__revoked_attester__reverts_attester_not_approved(
    attestations, tee_world, register_key, provider, deployer
):
    fresh = SoftwareEnclave.generate(MEASUREMENT)
    attestations.revokeAttester(ATTESTER.address, sender=deployer)
    with reverts_with(attestations.AttesterNotApproved, attester=ATTESTER.address, status=REVOKED):
        register_key(fresh, provider)


@pytest.mark.parametrize("lifetime", [0, MAX_KEY_LIFETIME + 1])
def test_register_key__expiry_out_of_range__reverts_invalid_key_expiry(
    attestations, tee_world, register_key, provider, chain, lifetime
):
    fresh = SoftwareEnclave.generate(MEASUREMENT)
    with reverts_with(attestations.InvalidKeyExpiry, expiresAt=chain.pending_timestamp + lifetime):
        register_key(fresh, provider, lifetime=lifetime)


def test_register_key__max_lifetime__accepted(attestations, tee_world, register_key, provider):
    fresh = SoftwareEnclave.generate(MEASUREMENT)
    register_key(fresh, provider, lifetime=MAX_KEY_LIFETIME)
    assert attestations.isActiveKey(fresh.address, provider)


def test_register_key__zero_key__reverts_zero_address(attestations, tee_world, provider, chain):
    with reverts_with(attestations.ZeroAddress):
        attestations.registerEnclaveKey(ZERO, MEASUREMENT, chain.pending_timestamp + 60, b"\x00" * 65, sender=provider)


def test_register_key__64_byte_signature__reverts_invalid_attestation_signature(
    attestations, tee_world, provider, chain
):
    fresh = SoftwareEnclave.generate(MEASUREMENT)
    with reverts_with(attestations.InvalidAttestationSignature):
        attestations.registerEnclaveKey(
            fresh.address, MEASUREMENT, chain.pending_timestamp + 60, b"\x01" * 64, sender=provider
        )


def test_attestation_digest__matches_client_typed_data(attestations, tee_world, provider):
    from eth_account.messages import encode_typed_data
    from eth_utils import keccak as k

    from opg_client.tee import ATTESTATION_TYPES

    message = {"enclaveKey": ENCLAVE.address, "operator": provider.address, "measurement": MEASUREMENT,
               "expiresAt": 1_900_000_000}
    signable = encode_typed_data(attestation_domain(attestations), ATTESTATION_TYPES, message)
    expected = k(b"\x19" + signable.version + signable.header + signable.body)
    assert attestations.attestationDigest(ENCLAVE.address, provider, MEASUREMENT, 1_900_000_000) == expected


# ---------------------------------------------------------------------------------------- key revocation


def test_revoke_key__operator__revoked_event(attestations, registered, provider):
    receipt = attestations.revokeEnclaveKey(ENCLAVE.address, sender=provider)
    events = attestations.EnclaveKeyRevoked.from_receipt(receipt)
    assert [(e.enclaveKey, e.by) for e in events] == [(ENCLAVE.address, provider.address)]
    assert attestations.enclaveKey(ENCLAVE.address).revoked
    assert not attestations.isActiveKey(ENCLAVE.address, provider)


@pytest.mark.parametrize("who", ["watcher", "deployer"])
def test_revoke_key__revoker_or_admin__revoked(attestations, registered, provider, who, request):
    attestations.revokeEnclaveKey(ENCLAVE.address, sender=request.getfixturevalue(who))
    assert attestations.enclaveKey(ENCLAVE.address).revoked


def test_revoke_key__another_operator__reverts_not_key_operator(attestations, registered, provider2):
    with reverts_with(attestations.NotKeyOperator, enclaveKey=ENCLAVE.address, caller=provider2.address):
        attestations.revokeEnclaveKey(ENCLAVE.address, sender=provider2)


def test_revoke_key__unknown__reverts_unknown_enclave_key(attestations, tee_world, provider):
    with reverts_with(attestations.UnknownEnclaveKey, enclaveKey=ENCLAVE2.address):
        attestations.revokeEnclaveKey(ENCLAVE2.address, sender=provider)


def test_revoke_key__twice__reverts_is_revoked(attestations, registered, provider):
    attestations.revokeEnclaveKey(ENCLAVE.address, sender=provider)
    with reverts_with(attestations.EnclaveKeyIsRevoked, enclaveKey=ENCLAVE.address):
        attestations.revokeEnclaveKey(ENCLAVE.address, sender=provider)


# ------------------------------------------------------------------------------------------ active keys


def test_is_active_key__wrong_operator_or_unknown__false(attestations, registered, provider, provider2):
    assert attestations.isActiveKey(ENCLAVE.address, provider)
    assert not attestations.isActiveKey(ENCLAVE.address, provider2)
    assert not attestations.isActiveKey(Account.create().address, provider)
    assert call_revert(attestations, "requireActiveKey", ENCLAVE.address, provider2.address) == (
        "EnclaveKeyOperatorMismatch",
        {"enclaveKey": ENCLAVE.address, "operator": provider.address, "provider": provider2.address},
    )


def test_is_active_key__after_expiry__false(attestations, registered, provider, chain):
    expires_at = attestations.enclaveKey(ENCLAVE.address).expiresAt
    chain.mine(timestamp=expires_at)
    assert attestations.isActiveKey(ENCLAVE.address, provider)  # valid through expiresAt inclusive
    chain.mine(timestamp=expires_at + 1)
    assert not attestations.isActiveKey(ENCLAVE.address, provider)


def test_measurement_status__unknown__none(attestations, tee_world):
    assert attestations.measurementStatus(keccak(text="nothing")) == UNKNOWN
