"""submitResult and finalizeJob: optimistic window, TEE / ZK instant settlement, settlement credits."""

import ape
import pytest
from escrow_helpers import (
    CLAIMED,
    CLOSED,
    INPUT,
    OPG,
    OUTPUT,
    PRICE,
    ROYALTY_BPS,
    SUBMITTED,
    TEE,
    TREASURY_FEE_BPS,
    WINDOW,
    ZK,
    collateral_of,
    commit,
    context_hash,
)
from eth_utils import keccak
from opg_testkit import TRACE_ROOT, job_of


def test_submit__optimistic__opens_window_and_commits(chain, escrow, claimed_job, provider):
    job_id = claimed_job()
    tx = escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider)
    ev = tx.events.filter(escrow.ResultSubmitted)[0]
    challenge_end = ev.challengeEnd
    assert challenge_end == tx.timestamp + WINDOW
    assert (ev.jobId, ev["provider"], ev.outputHash, ev.traceRoot, ev.output) == (
        job_id,
        provider.address,
        keccak(OUTPUT),
        TRACE_ROOT,
        OUTPUT,
    )
    job = job_of(escrow, job_id)
    assert (job.status, job.deadline) == (SUBMITTED, challenge_end)
    assert job.commitment == commit(keccak(INPUT), keccak(OUTPUT), TRACE_ROOT)


@pytest.mark.parametrize("length", [0, 31, 33, 64])
def test_submit__optimistic_proof_not_32_bytes__reverts(escrow, claimed_job, provider, reverts_with, length):
    job_id = claimed_job()
    with reverts_with(escrow.InvalidTraceRoot, jobId=job_id, proofLength=length):
        escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, b"\x01" * length, sender=provider)
    assert escrow.jobStatus(job_id) == CLAIMED


def test_submit__not_provider__reverts(escrow, claimed_job, provider2, reverts_with):
    job_id = claimed_job()
    with reverts_with(escrow.NotProvider, jobId=job_id, caller=provider2.address):
        escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider2)


def test_submit__after_deadline__reverts(chain, escrow, claimed_job, provider, reverts_with):
    job_id = claimed_job(duration=100)
    deadline = job_of(escrow, job_id).deadline
    chain.pending_timestamp = deadline + 1
    with reverts_with(escrow.DeadlinePassed, jobId=job_id, deadline=deadline):
        escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider)


def test_submit__open_job__reverts(escrow, make_job, provider, reverts_with):
    job_id = make_job()
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=1):
        escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider)


def test_submit__twice__reverts(escrow, submitted_job, provider, reverts_with):
    job_id = submitted_job()
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=SUBMITTED):
        escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider)


def test_submit__tee_proof_accepted__finalizes_at_once(
    escrow, staking, settlement, verifier, claimed_job, provider, requester
):
    job_id = claimed_job(mode=TEE)
    tx = escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, b"attestation", sender=provider)
    (ev,) = tx.events.filter(escrow.ResultSubmitted)
    assert ev.traceRoot == b"\x00" * 32
    assert verifier.lastContextHash() == context_hash(
        job_id, requester.address, provider.address, 1, 1, TEE, PRICE, keccak(INPUT), keccak(OUTPUT), b"\x00" * 32
    )
    assert tx.events.filter(escrow.JobFinalized)[0].fee == PRICE
    assert escrow.jobStatus(job_id) == CLOSED
    assert staking.stakeOf(provider).locked == 0
    assert escrow.settledUnswept() == PRICE
    assert verifier.lastData() == b"attestation"


def test_submit__zk_proof_rejected__reverts_and_keeps_claim(escrow, verifier, claimed_job, provider, reverts_with):
    job_id = claimed_job(mode=ZK)
    verifier.setVerdicts(False, False, sender=provider)
    with reverts_with(escrow.ProofRejected, jobId=job_id):
        escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, b"bad proof", sender=provider)
    assert escrow.jobStatus(job_id) == CLAIMED


def test_finalize__before_window_end__reverts(chain, escrow, submitted_job, stranger, reverts_with):
    job_id = submitted_job()
    end = job_of(escrow, job_id).deadline
    chain.pending_timestamp = end
    with reverts_with(escrow.ChallengeWindowOpen, jobId=job_id, challengeEnd=end):
        escrow.finalizeJob(job_id, job_of(escrow, job_id), sender=stranger)


def test_finalize__after_window__credits_split_and_releases(
    chain, escrow, staking, settlement, opg, submitted_job, provider, researcher, stranger
):
    fee = 100 * OPG
    job_id = submitted_job(fee=fee)
    assert staking.stakeOf(provider).locked == collateral_of(fee)
    escrow_balance = opg.balanceOf(escrow)
    chain.pending_timestamp += WINDOW + 1
    tx = escrow.finalizeJob(job_id, job_of(escrow, job_id), sender=stranger)
    ev = tx.events.filter(escrow.JobFinalized)[0]
    assert (ev.jobId, ev["provider"], ev.fee) == (job_id, provider.address, fee)
    royalty = fee * ROYALTY_BPS // 10_000
    treasury_share = fee * TREASURY_FEE_BPS // 10_000
    credit = tx.events.filter(settlement.FeeCredited)[0]
    assert (credit.royalty, credit.treasuryShare, credit.providerShare) == (
        royalty,
        treasury_share,
        fee - royalty - treasury_share,
    )
    assert settlement.accountOf(provider).claimableFees == fee - royalty - treasury_share
    assert settlement.accountOf(researcher).claimableFees == royalty
    assert settlement.treasuryAccrued() == treasury_share
    assert staking.stakeOf(provider).locked == 0
    # No token moved: the fee stays in the escrow as settled-unswept.
    assert opg.balanceOf(escrow) == escrow_balance
    assert escrow.settledUnswept() == fee
    assert escrow.jobStatus(job_id) == CLOSED


def test_finalize__twice__reverts_closed(chain, escrow, submitted_job, stranger, reverts_with):
    job_id = submitted_job()
    chain.pending_timestamp += WINDOW + 1
    escrow.finalizeJob(job_id, job_of(escrow, job_id), sender=stranger)
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=CLOSED):
        escrow.finalizeJob(job_id, job_of(escrow, job_id), sender=stranger)


def test_finalize__claimed_not_submitted__reverts(escrow, claimed_job, stranger, reverts_with):
    job_id = claimed_job()
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=CLAIMED):
        escrow.finalizeJob(job_id, job_of(escrow, job_id), sender=stranger)


def test_sweep__not_settlement__reverts(escrow, stranger, reverts_with):
    with reverts_with(escrow.NotSettlement, caller=stranger.address):
        escrow.sweepSettled(sender=stranger)


def test_finalize__paused__still_finalizes(chain, escrow, submitted_job, deployer, stranger):
    job_id = submitted_job()
    escrow.pause(sender=deployer)
    chain.pending_timestamp += WINDOW + 1
    escrow.finalizeJob(job_id, job_of(escrow, job_id), sender=stranger)
    assert escrow.jobStatus(job_id) == CLOSED
    with ape.reverts(escrow.EnforcedPause):
        escrow.createJob(1, 1, 0, PRICE, chain.pending_timestamp + 600, INPUT, sender=stranger)


def test_submit__tee_verifier_removed_after_create__reverts(escrow, claimed_job, deployer, provider, reverts_with):
    job_id = claimed_job(mode=TEE)
    escrow.setVerifier(TEE, "0x0000000000000000000000000000000000000000", sender=deployer)
    with reverts_with(escrow.VerifierNotSet, mode=TEE):
        escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, b"proof", sender=provider)
