"""cancelJob (requester, Open only) and expireJob (anyone, after the deadline)."""

from escrow_helpers import CLAIMED, CLOSED, OPG, SLASH_REWARD_BPS, SUBMITTED, collateral_of
from opg_testkit import job_of


def test_cancel__open_job__refunds_in_full(opg, escrow, make_job, requester):
    fee = 25 * OPG
    job_id = make_job(fee=fee)
    before = opg.balanceOf(requester)
    tx = escrow.cancelJob(job_id, job_of(escrow, job_id), sender=requester)
    ev = tx.events.filter(escrow.JobCancelled)[0]
    assert (ev.jobId, ev.requester, ev.refund) == (job_id, requester.address, fee)
    assert opg.balanceOf(requester) == before + fee
    assert escrow.jobStatus(job_id) == CLOSED


def test_cancel__not_requester__reverts(escrow, make_job, stranger, reverts_with):
    job_id = make_job()
    with reverts_with(escrow.NotRequester, jobId=job_id, caller=stranger.address):
        escrow.cancelJob(job_id, job_of(escrow, job_id), sender=stranger)


def test_cancel__after_claim__reverts(escrow, claimed_job, requester, reverts_with):
    job_id = claimed_job()
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=CLAIMED):
        escrow.cancelJob(job_id, job_of(escrow, job_id), sender=requester)


def test_cancel__twice__reverts_closed(escrow, make_job, requester, reverts_with):
    job_id = make_job()
    escrow.cancelJob(job_id, job_of(escrow, job_id), sender=requester)
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=CLOSED):
        escrow.cancelJob(job_id, job_of(escrow, job_id), sender=requester)


def test_expire__before_deadline__reverts(escrow, make_job, watcher, reverts_with):
    job_id = make_job()
    deadline = job_of(escrow, job_id).deadline
    with reverts_with(escrow.DeadlineNotPassed, jobId=job_id, deadline=deadline):
        escrow.expireJob(job_id, job_of(escrow, job_id), sender=watcher)


def test_expire__unclaimed__refunds_only(chain, opg, escrow, make_job, requester, watcher):
    fee = 20 * OPG
    job_id = make_job(fee=fee, duration=100)
    before_requester, before_watcher = opg.balanceOf(requester), opg.balanceOf(watcher)
    chain.pending_timestamp += 101
    tx = escrow.expireJob(job_id, job_of(escrow, job_id), sender=watcher)
    ev = tx.events.filter(escrow.JobExpired)[0]
    assert (ev.refund, ev.slashed, ev.bounty) == (fee, 0, 0)
    assert opg.balanceOf(requester) == before_requester + fee
    assert opg.balanceOf(watcher) == before_watcher
    assert escrow.jobStatus(job_id) == CLOSED


def test_expire__claimed__refunds_slashes_and_pays_bounty(
    chain, opg, escrow, staking, claimed_job, requester, provider, watcher
):
    fee = 40 * OPG
    job_id = claimed_job(fee=fee, duration=100)
    collateral = collateral_of(fee)
    stake_before = staking.stakeOf(provider).active
    before_requester, before_watcher = opg.balanceOf(requester), opg.balanceOf(watcher)
    chain.pending_timestamp += 101
    tx = escrow.expireJob(job_id, job_of(escrow, job_id), sender=watcher)
    bounty = collateral * SLASH_REWARD_BPS // 10_000
    ev = tx.events.filter(escrow.JobExpired)[0]
    assert (ev.caller, ev.refund, ev.slashed, ev.bounty) == (watcher.address, fee, collateral, bounty)
    assert opg.balanceOf(requester) == before_requester + fee
    assert opg.balanceOf(watcher) == before_watcher + bounty
    stake = staking.stakeOf(provider)
    assert (stake.active, stake.locked) == (stake_before - collateral, 0)


def test_expire__submitted__reverts(chain, escrow, submitted_job, watcher, reverts_with):
    job_id = submitted_job(duration=100)
    chain.pending_timestamp += 101
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=SUBMITTED):
        escrow.expireJob(job_id, job_of(escrow, job_id), sender=watcher)


def test_expire__paused__still_expires(chain, escrow, make_job, deployer, watcher):
    job_id = make_job(duration=100)
    escrow.pause(sender=deployer)
    chain.pending_timestamp += 101
    escrow.expireJob(job_id, job_of(escrow, job_id), sender=watcher)
    assert escrow.jobStatus(job_id) == CLOSED
