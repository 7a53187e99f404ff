"""challengeResult: bonded challenges judged by the optimistic verifier; upheld and rejected outcomes."""

from escrow_helpers import (
    BOND,
    CLOSED,
    INPUT,
    OPG,
    OUTPUT,
    SLASH_REWARD_BPS,
    SUBMITTED,
    WINDOW,
    collateral_of,
    context_hash,
)
from eth_utils import keccak
from opg_testkit import TRACE_ROOT, job_of


def test_challenge__upheld__slashes_refunds_and_returns_bond(
    opg, escrow, staking, verifier, submitted_job, requester, provider, watcher, deployer
):
    fee = 60 * OPG
    job_id = submitted_job(fee=fee)
    verifier.setVerdicts(True, True, sender=deployer)
    collateral = collateral_of(fee)
    reward = collateral * SLASH_REWARD_BPS // 10_000
    stake_before = staking.stakeOf(provider).active
    before_requester, before_watcher = opg.balanceOf(requester), opg.balanceOf(watcher)
    tx = escrow.challengeResult(job_id, job_of(escrow, job_id),
        keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"fraud proof", sender=watcher)
    ev = tx.events.filter(escrow.ChallengeUpheld)[0]
    assert (ev.jobId, ev.challenger, ev.slashed, ev.reward, ev.refund) == (
        job_id,
        watcher.address,
        collateral,
        reward,
        fee,
    )
    assert opg.balanceOf(requester) == before_requester + fee
    assert opg.balanceOf(watcher) == before_watcher + reward  # bond back + slash reward
    assert staking.stakeOf(provider).active == stake_before - collateral
    assert staking.stakeOf(provider).locked == 0
    assert escrow.jobStatus(job_id) == CLOSED
    assert verifier.lastChallenger() == watcher.address
    assert verifier.lastData() == b"fraud proof"
    assert verifier.lastContextHash() == context_hash(
        job_id, requester.address, provider.address, 1, 1, 0, fee, keccak(INPUT), keccak(OUTPUT), TRACE_ROOT
    )


def test_challenge__rejected__forfeits_bond_to_provider(
    chain, opg, escrow, settlement, verifier, submitted_job, provider, watcher, stranger
):
    job_id = submitted_job()
    before_watcher = opg.balanceOf(watcher)
    tx = escrow.challengeResult(job_id, job_of(escrow, job_id),
        keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"weak", sender=watcher)
    ev = tx.events.filter(escrow.ChallengeRejected)[0]
    assert (ev.jobId, ev.challenger, ev.bond) == (job_id, watcher.address, BOND)
    assert opg.balanceOf(watcher) == before_watcher - BOND
    assert settlement.accountOf(provider).claimableFees == BOND
    assert escrow.settledUnswept() == BOND
    assert escrow.jobStatus(job_id) == SUBMITTED
    chain.pending_timestamp += WINDOW + 1
    escrow.finalizeJob(job_id, job_of(escrow, job_id), sender=stranger)  # the job still settles normally
    assert escrow.jobStatus(job_id) == CLOSED


def test_challenge__wrong_hashes__reverts(escrow, submitted_job, watcher, reverts_with):
    job_id = submitted_job()
    commitment = job_of(escrow, job_id).commitment
    with reverts_with(escrow.CommitmentMismatch, jobId=job_id, commitment=commitment):
        escrow.challengeResult(job_id, job_of(escrow, job_id),
            keccak(INPUT), keccak(b"other"), TRACE_ROOT, b"", sender=watcher)


def test_challenge__wrong_trace_root__reverts(escrow, verifier, submitted_job, watcher, reverts_with):
    job_id = submitted_job()
    commitment = job_of(escrow, job_id).commitment
    calls = verifier.calls()
    with reverts_with(escrow.CommitmentMismatch, jobId=job_id, commitment=commitment):
        escrow.challengeResult(job_id, job_of(escrow, job_id),
            keccak(INPUT), keccak(OUTPUT), keccak(b"another root"), b"", sender=watcher)
    assert verifier.calls() == calls  # never reaches the verifier


def test_challenge__after_window__reverts(chain, escrow, submitted_job, watcher, reverts_with):
    job_id = submitted_job()
    end = job_of(escrow, job_id).deadline
    chain.pending_timestamp = end + 1
    with reverts_with(escrow.ChallengeWindowClosed, jobId=job_id, challengeEnd=end):
        escrow.challengeResult(job_id, job_of(escrow, job_id),
            keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"", sender=watcher)


def test_challenge__claimed_job__reverts(escrow, claimed_job, watcher, reverts_with):
    job_id = claimed_job()
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=2):
        escrow.challengeResult(job_id, job_of(escrow, job_id), keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"",
                               sender=watcher)


def test_challenge__no_optimistic_verifier__reverts(escrow, submitted_job, deployer, watcher, reverts_with):
    job_id = submitted_job()
    escrow.setVerifier(0, "0x0000000000000000000000000000000000000000", sender=deployer)
    with reverts_with(escrow.VerifierNotSet, mode=0):
        escrow.challengeResult(job_id, job_of(escrow, job_id), keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"",
                               sender=watcher)


def test_challenge__without_bond_allowance__reverts(opg, escrow, submitted_job, accounts, treasury):
    challenger = accounts[9]
    opg.transfer(challenger, BOND, sender=treasury)
    job_id = submitted_job()
    import ape

    with ape.reverts(opg.ERC20InsufficientAllowance):
        escrow.challengeResult(job_id, job_of(escrow, job_id), keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"",
                               sender=challenger)
