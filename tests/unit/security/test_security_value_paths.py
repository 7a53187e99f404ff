"""Adversarial tests over every path that moves value: who may call the cross-contract hooks, what pausing
stops, jobs whose model is deprecated or whose provider was slashed mid-job, treasury changes, and that the
books of escrow / settlement / staking stay exact after each of them."""

import ape
from opg_testkit import TRACE_ROOT, collateral_of, job_of, sign_permit
from security_helpers import OPG, OUTPUT, PRICE, STAKE

# -------------------------------------------------------------------------------------------------
# Access control on the cross-contract hooks
# -------------------------------------------------------------------------------------------------


def test_credit_fee__not_escrow__reverts(suite, stranger, provider, reverts_with):
    with reverts_with(suite.settlement.NotEscrow, caller=stranger.address):
        suite.settlement.creditFee(provider, stranger, 500, PRICE, sender=stranger)
    with reverts_with(suite.settlement.NotEscrow, caller=stranger.address):
        suite.settlement.creditBalance(stranger, PRICE, sender=stranger)


def test_sweep_settled__not_settlement__reverts_and_keeps_fees(
    suite, drive, requester, provider, stranger, reverts_with
):
    drive.finalized(requester, provider)
    unswept = suite.escrow.settledUnswept()
    assert unswept == PRICE
    with reverts_with(suite.escrow.NotSettlement, caller=stranger.address):
        suite.escrow.sweepSettled(sender=stranger)
    assert suite.escrow.settledUnswept() == unswept


def test_collateral_hooks__not_job_manager__revert(suite, drive, requester, provider, stranger, reverts_with):
    staking = suite.staking
    drive.claimed(requester, provider)
    role = staking.JOB_MANAGER_ROLE()
    with reverts_with(staking.AccessControlUnauthorizedAccount, account=stranger.address, neededRole=role):
        staking.lockCollateral(provider, drive.model_id, 1, sender=stranger)
    with reverts_with(staking.AccessControlUnauthorizedAccount, account=stranger.address, neededRole=role):
        staking.releaseCollateral(provider, 1, sender=stranger)
    with reverts_with(staking.AccessControlUnauthorizedAccount, account=stranger.address, neededRole=role):
        staking.slashCollateral(provider, 1, stranger, sender=stranger)
    with reverts_with(
        staking.AccessControlUnauthorizedAccount, account=stranger.address, neededRole=staking.SLASHER_ROLE()
    ):
        staking.slash(provider, 1, stranger, sender=stranger)


def test_mint__not_settlement__reverts(suite, stranger, reverts_with):
    token = suite.token
    with reverts_with(token.AccessControlUnauthorizedAccount, account=stranger.address, neededRole=token.MINTER_ROLE()):
        token.mint(stranger, 1, sender=stranger)


# -------------------------------------------------------------------------------------------------
# Pausing stops new jobs and stakes only
# -------------------------------------------------------------------------------------------------


def test_pause__open_jobs_still_close_and_stakes_still_exit(
    suite, drive, deployer, researcher, requester, provider, provider2, watcher, reverts_with
):
    escrow, staking, token = suite.escrow, suite.staking, suite.token
    open_job = drive.create(requester)
    to_claim = drive.create(requester)
    expiring = drive.claimed(requester, provider2, duration=600)
    submitted = drive.submitted(requester, provider)
    challenged = drive.submitted(requester, provider)
    escrow.pause(sender=deployer)
    staking.pause(sender=deployer)

    with reverts_with(escrow.EnforcedPause):
        drive.create(requester)
    token.approve(staking, PRICE, sender=provider)
    with reverts_with(staking.EnforcedPause):
        staking.stake(PRICE, sender=provider)

    escrow.cancelJob(open_job, job_of(escrow, open_job), sender=requester)
    escrow.claimJob(to_claim, job_of(escrow, to_claim), sender=provider)  # claiming is not a new job: open while paused
    escrow.submitResult(to_claim, job_of(escrow, to_claim), OUTPUT, TRACE_ROOT, sender=provider)
    in_hash, out_hash = drive.hashes()
    escrow.challengeResult(challenged, job_of(escrow, challenged),
        in_hash, out_hash, TRACE_ROOT, b"", sender=watcher)  # rejected: bond to provider
    drive.chain.pending_timestamp += 3_601
    escrow.finalizeJob(submitted, job_of(escrow, submitted), sender=watcher)
    escrow.finalizeJob(challenged, job_of(escrow, challenged), sender=watcher)
    escrow.expireJob(expiring, job_of(escrow, expiring), sender=watcher)
    suite.settlement.claim(sender=provider)
    staking.unbond(STAKE // 2, sender=provider2)
    drive.chain.pending_timestamp += staking.unbondingDelay() + 1
    assert staking.withdraw(sender=provider2).return_value == STAKE // 2
    drive.assert_books([requester, provider, provider2, watcher, researcher], open_fees=PRICE)


# -------------------------------------------------------------------------------------------------
# Mid-job changes: deprecation, ownership, treasury, slashing
# -------------------------------------------------------------------------------------------------


def test_deprecate_model__mid_job__finalize_pays_and_refunds_still_work(
    suite, drive, researcher, requester, provider, provider2, watcher
):
    escrow, token, settlement = suite.escrow, suite.token, suite.settlement
    running = drive.submitted(requester, provider)
    open_job = drive.create(requester)
    claimed = drive.claimed(requester, provider2, duration=600)
    suite.registry.deprecateModel(drive.model_id, sender=researcher)

    before = token.balanceOf(requester)
    escrow.cancelJob(open_job, job_of(escrow, open_job), sender=requester)
    drive.chain.pending_timestamp += 3_601
    escrow.finalizeJob(running, job_of(escrow, running), sender=watcher)
    escrow.expireJob(claimed, job_of(escrow, claimed), sender=watcher)
    assert token.balanceOf(requester) - before == 2 * PRICE
    assert settlement.claimable(researcher)[0] == PRICE * 500 // 10_000
    drive.assert_books([requester, provider, provider2, watcher, researcher], 0)


def test_transfer_model__mid_job__royalty_to_owner_of_record_never_zero_address(
    suite, drive, researcher, stranger, requester, provider, watcher
):
    registry, settlement = suite.registry, suite.settlement
    job_id = drive.submitted(requester, provider)
    registry.transferOwnership(drive.model_id, ape.utils.ZERO_ADDRESS, sender=researcher)  # cannot be accepted
    registry.transferOwnership(drive.model_id, stranger, sender=researcher)
    registry.acceptOwnership(drive.model_id, sender=stranger)
    drive.chain.pending_timestamp += 3_601
    suite.escrow.finalizeJob(job_id, job_of(suite.escrow, job_id), sender=watcher)
    royalty = PRICE * 500 // 10_000
    assert settlement.claimable(researcher)[0] == royalty  # owner of record when the job was created
    assert settlement.claimable(ape.utils.ZERO_ADDRESS)[0] == 0
    drive.assert_books([requester, provider, researcher, stranger, watcher], 0)


def test_set_treasury__with_accrued_share__new_treasury_claims_it_once(
    suite, drive, deployer, requester, provider, stranger, treasury, reverts_with
):
    settlement, token = suite.settlement, suite.token
    drive.finalized(requester, provider)
    accrued = settlement.treasuryAccrued()
    assert accrued == PRICE * settlement.treasuryFeeBps() // 10_000
    settlement.setTreasury(stranger, sender=deployer)
    before_old, before_new = token.balanceOf(treasury), token.balanceOf(stranger)
    settlement.claimTreasury(sender=provider)
    assert token.balanceOf(stranger) - before_new == accrued
    assert token.balanceOf(treasury) == before_old
    with reverts_with(settlement.NothingToClaim, account=stranger.address):
        settlement.claimTreasury(sender=provider)


def test_expire__provider_slashed_to_locked_only__requester_refunded_and_provider_exits(
    suite, drive, deployer, researcher, requester, provider, watcher, stranger
):
    escrow, staking, token = suite.escrow, suite.staking, suite.token
    staking.grantRole(staking.SLASHER_ROLE(), stranger, sender=deployer)
    done = drive.submitted(requester, provider, fee=20 * OPG)
    stuck = drive.claimed(requester, provider, fee=30 * OPG, duration=600)
    active, locked, _, _ = staking.stakeOf(provider)
    staking.slash(provider, active, stranger, sender=stranger)  # everything but the locked collateral
    assert staking.stakeOf(provider)[:2] == (locked, locked)

    drive.chain.pending_timestamp += 3_601
    before = token.balanceOf(requester)
    escrow.expireJob(stuck, job_of(escrow, stuck), sender=watcher)
    escrow.finalizeJob(done, job_of(escrow, done), sender=watcher)
    assert token.balanceOf(requester) - before == 30 * OPG
    remaining = staking.stakeOf(provider)[0]
    assert remaining == collateral_of(escrow, done) and staking.stakeOf(provider)[1] == 0
    staking.unbond(remaining, sender=provider)  # below the minimum, but a full exit is always allowed
    drive.chain.pending_timestamp += staking.unbondingDelay() + 1
    assert staking.withdraw(sender=provider).return_value == remaining
    drive.assert_books([requester, provider, watcher, stranger, researcher], open_fees=0)


def test_challenge__upheld_after_rejected__one_refund_one_slash_books_exact(
    suite, drive, researcher, requester, provider, watcher, stranger
):
    escrow, staking, token = suite.escrow, suite.staking, suite.token
    job_id = drive.submitted(requester, provider, fee=40 * OPG)
    collateral = job_of(escrow, job_id).collateral
    bond = escrow.challengeBond()
    in_hash, out_hash = drive.hashes()
    escrow.challengeResult(job_id, job_of(escrow, job_id),
        in_hash, out_hash, TRACE_ROOT, b"", sender=stranger)  # rejected: bond to provider
    drive.verifier.setVerdicts(True, True, sender=stranger)
    req0, w0, stake0 = token.balanceOf(requester), token.balanceOf(watcher), staking.stakeOf(provider)[0]
    escrow.challengeResult(job_id, job_of(escrow, job_id), in_hash, out_hash, TRACE_ROOT, b"", sender=watcher)
    reward = collateral * staking.slashRewardBps() // 10_000
    assert token.balanceOf(requester) - req0 == 40 * OPG
    assert token.balanceOf(watcher) - w0 == reward
    assert stake0 - staking.stakeOf(provider)[0] == collateral
    assert suite.settlement.claimable(provider)[0] == bond
    for again in (escrow.challengeResult, escrow.finalizeJob, escrow.expireJob):
        with ape.reverts(escrow.InvalidJobStatus):
            if again == escrow.challengeResult:
                again(job_id, job_of(escrow, job_id), in_hash, out_hash, TRACE_ROOT, b"", sender=watcher)
            else:
                again(job_id, job_of(escrow, job_id), sender=watcher)
    drive.assert_books([requester, provider, watcher, stranger, researcher], open_fees=0)


# -------------------------------------------------------------------------------------------------
# Permit front-running
# -------------------------------------------------------------------------------------------------


def test_create_with_permit__permit_front_run__job_still_created(suite, drive, requester, stranger):
    token, escrow = suite.token, suite.escrow
    token.approve(escrow, 0, sender=requester)
    permit_deadline = drive.chain.pending_timestamp + 3_600
    v, r, s = sign_permit(token, requester, escrow, PRICE, permit_deadline)
    token.permit(requester, escrow, PRICE, permit_deadline, v, r, s, sender=stranger)  # the front-runner
    deadline = drive.chain.pending_timestamp + 3_600
    receipt = escrow.createJobWithPermit(
        drive.model_id, 1, 0, PRICE, deadline, b"x", permit_deadline, v, r, s, sender=requester
    )
    assert job_of(escrow, receipt.return_value).fee == PRICE
    assert token.allowance(requester, escrow) == 0
