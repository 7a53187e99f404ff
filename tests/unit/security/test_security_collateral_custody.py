"""Only the escrow (JOB_MANAGER_ROLE) may move the collateral it locked for its jobs: a SLASHER_ROLE holder
(a verifier) that slashed job collateral directly would leave the escrow unable to release or slash it, so
the job could never close and the requester's fee would be stuck."""

from opg_testkit import TRACE_ROOT, job_of
from security_helpers import OPG, OUTPUT


def test_slash_collateral__by_slasher_only__reverts_and_job_still_closes(
    suite, drive, deployer, requester, provider, stranger, reverts_with
):
    staking, escrow = suite.staking, suite.escrow
    staking.grantRole(staking.SLASHER_ROLE(), stranger, sender=deployer)  # a verifier
    job_id = drive.claimed(requester, provider)
    collateral = job_of(escrow, job_id).collateral
    assert staking.stakeOf(provider)[1] == collateral

    with reverts_with(
        staking.AccessControlUnauthorizedAccount, account=stranger.address, neededRole=staking.JOB_MANAGER_ROLE()
    ):
        staking.slashCollateral(provider, collateral, stranger, sender=stranger)

    escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider)
    drive.chain.pending_timestamp += escrow.challengeWindow() + 1
    escrow.finalizeJob(job_id, job_of(escrow, job_id), sender=requester)
    assert staking.stakeOf(provider)[1] == 0


def test_expire__slasher_cannot_drain_locked_collateral__requester_refunded(
    suite, drive, deployer, requester, provider, stranger
):
    staking, escrow, token = suite.staking, suite.escrow, suite.token
    staking.grantRole(staking.SLASHER_ROLE(), stranger, sender=deployer)
    job_id = drive.claimed(requester, provider, fee=40 * OPG)
    # The general slash never reaches locked collateral: take everything else.
    active, locked, _, _ = staking.stakeOf(provider)
    staking.slash(provider, active, stranger, sender=stranger)
    assert staking.stakeOf(provider)[:2] == (locked, locked)

    drive.chain.pending_timestamp += 3_601
    before = token.balanceOf(requester)
    escrow.expireJob(job_id, job_of(escrow, job_id), sender=stranger)
    assert token.balanceOf(requester) - before == 40 * OPG
    assert staking.stakeOf(provider)[:2] == (0, 0)
    drive.assert_books([requester, provider, stranger], open_fees=0)
