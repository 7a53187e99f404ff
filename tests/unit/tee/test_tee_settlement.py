"""TEE submitResult through the real escrow: an enclave-signed result settles at once; every fraud path is
refused by its named error and moves no value (job stays Claimed, balances unchanged)."""

import pytest
from eth_account import Account
from eth_utils import keccak
from opg_testkit import deploy_reverts_with, job_of, reverts_with
from tee_helpers import (
    CLAIMED,
    CLOSED,
    ENCLAVE,
    ENCLAVE2,
    MAX_CLOCK_SKEW,
    MAX_SIGNATURE_AGE,
    MEASUREMENT,
    OUTPUT,
    PRICE,
    REVOKED,
    UNREGISTERED,
    proof_for,
    recovered_signer,
)

from opg_client.tee import DevAttester, SoftwareEnclave

SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141


@pytest.fixture
def snapshot_values(suite, requester, provider, provider2):
    def _take():
        return (
            suite.token.balanceOf(suite.escrow),
            suite.token.balanceOf(requester),
            suite.staking.stakeOf(provider),
            suite.staking.freeStake(provider),
            suite.staking.freeStake(provider2),
            suite.settlement.claimable(provider),
            suite.settlement.claimable(provider2),
        )

    return _take


def _assert_refused(suite, job_id, before, snapshot_values):
    assert suite.escrow.jobStatus(job_id) == CLAIMED
    assert snapshot_values() == before


def test_submit_tee__enclave_signed__settles_at_once_and_credits_fee(
    suite, tee_verifier, claimed_tee_job, provider, requester, researcher, chain
):
    job_id = claimed_tee_job(provider)
    escrow_before = suite.token.balanceOf(suite.escrow)
    fees_before, _ = suite.settlement.claimable(provider)
    royalty_before, _ = suite.settlement.claimable(researcher)
    proof = proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp)

    receipt = suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)

    assert suite.escrow.jobStatus(job_id) == CLOSED
    verified = tee_verifier.TEEResultVerified.from_receipt(receipt)
    assert [(e.jobId, e.enclaveKey, e.measurement) for e in verified] == [(job_id, ENCLAVE.address, MEASUREMENT)]
    finalized = suite.escrow.JobFinalized.from_receipt(receipt)
    assert [(e.jobId, e["provider"], e.fee) for e in finalized] == [(job_id, provider.address, PRICE)]
    # The fee stays in the escrow as settled (pulled by the settlement at claim); the split is credited.
    assert suite.token.balanceOf(suite.escrow) == escrow_before
    fees_after, _ = suite.settlement.claimable(provider)
    royalty_after, _ = suite.settlement.claimable(researcher)
    assert fees_after > fees_before and royalty_after == royalty_before + PRICE * 500 // 10_000


def test_submit_tee__signature_at_max_age__accepted(suite, tee_verifier, claimed_tee_job, provider, chain):
    job_id = claimed_tee_job(provider)
    proof = proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp - MAX_SIGNATURE_AGE)
    suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    assert suite.escrow.jobStatus(job_id) == CLOSED


def test_submit_tee__forged_signature__reverts_unknown_enclave_key(
    suite, attestations, tee_verifier, claimed_tee_job, provider, chain, snapshot_values
):
    job_id = claimed_tee_job(provider)
    forger = SoftwareEnclave(Account.create(), MEASUREMENT)
    proof = proof_for(tee_verifier, forger, job_id, chain.pending_timestamp)
    before = snapshot_values()
    with reverts_with(attestations.UnknownEnclaveKey, enclaveKey=forger.address):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__other_jobs_signature_replayed__reverts_unknown_enclave_key(
    suite, attestations, tee_verifier, claimed_tee_job, provider, chain, snapshot_values
):
    first = claimed_tee_job(provider)
    second = claimed_tee_job(provider)
    proof = proof_for(tee_verifier, ENCLAVE, first, chain.pending_timestamp)
    before = snapshot_values()
    with reverts_with(attestations.UnknownEnclaveKey, enclaveKey=recovered_signer(tee_verifier, proof, second)):
        suite.escrow.submitResult(second, job_of(suite.escrow, second), OUTPUT, proof, sender=provider)
    _assert_refused(suite, second, before, snapshot_values)
    suite.escrow.submitResult(first, job_of(suite.escrow, first),
        OUTPUT, proof, sender=provider)  # the signature is good for its own job
    assert suite.escrow.jobStatus(first) == CLOSED


def test_submit_tee__settled_jobs_signature_resubmitted__reverts_invalid_job_status(
    suite, tee_verifier, claimed_tee_job, provider, chain
):
    job_id = claimed_tee_job(provider)
    proof = proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp)
    suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    with reverts_with(suite.escrow.InvalidJobStatus, jobId=job_id, status=CLOSED):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)


def test_submit_tee__signed_for_another_chain__reverts_unknown_enclave_key(
    suite, attestations, tee_verifier, claimed_tee_job, provider, chain, snapshot_values
):
    job_id = claimed_tee_job(provider)
    proof = proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp, chain_id=chain.chain_id + 1)
    before = snapshot_values()
    with reverts_with(attestations.UnknownEnclaveKey, enclaveKey=recovered_signer(tee_verifier, proof, job_id)):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__signature_over_other_output__reverts_unknown_enclave_key(
    suite, attestations, tee_verifier, claimed_tee_job, provider, chain, snapshot_values
):
    job_id = claimed_tee_job(provider)
    proof = proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp, output=b"the honest output")
    before = snapshot_values()
    forged = recovered_signer(tee_verifier, proof, job_id, output=b"a tampered output")
    with reverts_with(attestations.UnknownEnclaveKey, enclaveKey=forged):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), b"a tampered output", proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__signature_over_other_model__reverts_unknown_enclave_key(
    suite, attestations, tee_verifier, claimed_tee_job, provider, chain, snapshot_values
):
    job_id = claimed_tee_job(provider)
    proof = proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp, model_hash=keccak(text="other model"))
    before = snapshot_values()
    with reverts_with(attestations.UnknownEnclaveKey, enclaveKey=recovered_signer(tee_verifier, proof, job_id)):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__stale_timestamp__reverts_stale_result_signature(
    suite, tee_verifier, claimed_tee_job, provider, chain, snapshot_values
):
    job_id = claimed_tee_job(provider)
    now = chain.pending_timestamp
    chain.pending_timestamp = now  # pin the submitting block's time
    signed_at = now - MAX_SIGNATURE_AGE - 1
    proof = proof_for(tee_verifier, ENCLAVE, job_id, signed_at)
    before = snapshot_values()
    with reverts_with(
        tee_verifier.StaleResultSignature, jobId=job_id, signedAt=signed_at, oldestAccepted=now - MAX_SIGNATURE_AGE
    ):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__future_timestamp__reverts_future_result_signature(
    suite, tee_verifier, claimed_tee_job, provider, chain, snapshot_values
):
    job_id = claimed_tee_job(provider)
    now = chain.pending_timestamp
    chain.pending_timestamp = now
    signed_at = now + MAX_CLOCK_SKEW + 1
    proof = proof_for(tee_verifier, ENCLAVE, job_id, signed_at)
    before = snapshot_values()
    with reverts_with(
        tee_verifier.FutureResultSignature, jobId=job_id, signedAt=signed_at, latestAccepted=now + MAX_CLOCK_SKEW
    ):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__measurement_revoked__reverts_measurement_not_approved(
    suite, attestations, tee_verifier, claimed_tee_job, provider, register_key, watcher, chain, snapshot_values
):
    register_key(ENCLAVE2, provider)  # a second key under the same measurement: both go with it
    job_id = claimed_tee_job(provider)
    attestations.revokeMeasurement(MEASUREMENT, sender=watcher)
    before = snapshot_values()
    for enclave in (ENCLAVE, ENCLAVE2):
        proof = proof_for(tee_verifier, enclave, job_id, chain.pending_timestamp)
        with reverts_with(attestations.MeasurementNotApproved, measurement=MEASUREMENT, status=REVOKED):
            suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)
    assert not attestations.isActiveKey(ENCLAVE.address, provider)
    assert not attestations.isActiveKey(ENCLAVE2.address, provider)


def test_submit_tee__attester_revoked__reverts_attester_not_approved(
    suite, attestations, tee_verifier, claimed_tee_job, provider, deployer, chain, snapshot_values
):
    from tee_helpers import ATTESTER

    job_id = claimed_tee_job(provider)
    attestations.revokeAttester(ATTESTER.address, sender=deployer)
    proof = proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp)
    before = snapshot_values()
    with reverts_with(attestations.AttesterNotApproved, attester=ATTESTER.address, status=REVOKED):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__key_revoked__reverts_enclave_key_is_revoked(
    suite, attestations, tee_verifier, claimed_tee_job, provider, chain, snapshot_values
):
    job_id = claimed_tee_job(provider)
    attestations.revokeEnclaveKey(ENCLAVE.address, sender=provider)
    proof = proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp)
    before = snapshot_values()
    with reverts_with(attestations.EnclaveKeyIsRevoked, enclaveKey=ENCLAVE.address):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__key_expired__reverts_enclave_key_expired(
    suite, attestations, tee_verifier, claimed_tee_job, provider, register_key, chain, snapshot_values
):
    register_key(ENCLAVE2, provider, lifetime=120)
    expires_at = attestations.enclaveKey(ENCLAVE2.address).expiresAt
    job_id = claimed_tee_job(provider)
    chain.pending_timestamp = expires_at + 1
    proof = proof_for(tee_verifier, ENCLAVE2, job_id, expires_at + 1)
    before = snapshot_values()
    with reverts_with(attestations.EnclaveKeyExpired, enclaveKey=ENCLAVE2.address, expiresAt=expires_at):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__unregistered_key__reverts_unknown_enclave_key(
    suite, attestations, tee_verifier, claimed_tee_job, provider, chain, snapshot_values
):
    job_id = claimed_tee_job(provider)
    proof = proof_for(tee_verifier, UNREGISTERED, job_id, chain.pending_timestamp)
    before = snapshot_values()
    with reverts_with(attestations.UnknownEnclaveKey, enclaveKey=UNREGISTERED.address):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__key_of_another_provider__reverts_operator_mismatch(
    suite, attestations, tee_verifier, claimed_tee_job, provider, provider2, chain, snapshot_values
):
    job_id = claimed_tee_job(provider2)  # provider2 claimed; it signs with provider's enclave key
    proof = proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp)
    before = snapshot_values()
    with reverts_with(
        attestations.EnclaveKeyOperatorMismatch,
        enclaveKey=ENCLAVE.address,
        operator=provider.address,
        provider=provider2.address,
    ):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider2)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__key_attested_by_unapproved_attester__cannot_register(
    attestations, register_key, provider2
):
    rogue = DevAttester(Account.create())
    with reverts_with(attestations.AttesterNotApproved, attester=rogue.address, status=0):
        register_key(ENCLAVE2, provider2, attester=rogue)


@pytest.mark.parametrize("length", [0, 72, 74])
def test_submit_tee__proof_of_wrong_length__reverts_malformed_proof(
    suite, tee_verifier, claimed_tee_job, provider, chain, length, snapshot_values
):
    job_id = claimed_tee_job(provider)
    proof = (proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp) + b"\x00")[:length]
    before = snapshot_values()
    with reverts_with(tee_verifier.MalformedProof, jobId=job_id, length=length):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)


def test_submit_tee__high_s_twin_of_valid_signature__reverts_invalid_result_signature(
    suite, tee_verifier, claimed_tee_job, provider, chain, snapshot_values
):
    job_id = claimed_tee_job(provider)
    proof = proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp)
    s = int.from_bytes(proof[40:72], "big")
    twin = proof[:40] + (SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - proof[72]])  # v 27 <-> 28
    before = snapshot_values()
    # Ape leaves this bubbled-up error undecoded: match the raw revert data against its selector.
    with deploy_reverts_with(tee_verifier.InvalidResultSignature, jobId=job_id):
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, twin, sender=provider)
    _assert_refused(suite, job_id, before, snapshot_values)
