"""Adversarial providers across ProviderStaking and InferenceEscrow: exiting or over-committing while jobs
are in flight, slashing an exiting provider, self-expiry for the bounty, parameter changes mid-job.

Fixture state (tests/invariants/conftest.py): job 1 Open (25 OPG), job 2 Claimed by providers[0]
(60 OPG fee, 90 OPG collateral), job 3 Submitted by providers[1] (150 OPG fee, 225 OPG collateral);
providers[0] staked 3,000 OPG, providers[1] 1,500 OPG, providers[2] nothing; minStake 1,000 OPG."""

import ape
from eth_utils import keccak
from inv_helpers import INPUT, MODEL_ID, OPG, OUTPUT, escrow_consistent, new_job, staking_consistent
from opg_testkit import TRACE_ROOT, job_of

P0_STAKE, P1_STAKE = 3_000 * OPG, 1_500 * OPG
JOB2_COLLATERAL, JOB3_COLLATERAL = 90 * OPG, 225 * OPG
LIVE_FEES = (25 + 60 + 150) * OPG


def _past(chain, timestamp):
    """Moves time so the next block is one second after `timestamp`."""
    chain.pending_timestamp = max(chain.pending_timestamp, timestamp + 1)


def test_unbond__collateral_in_flight__cannot_leave_and_stays_slashable(chain, inv_world):
    w = inv_world
    p0 = w.providers[0]
    free = P0_STAKE - JOB2_COLLATERAL
    with ape.reverts(w.staking.InsufficientFreeStake, free=free, need=P0_STAKE):
        w.staking.unbond(P0_STAKE, sender=p0)
    with ape.reverts(w.staking.RemainingStakeTooLow, remaining=JOB2_COLLATERAL, need=w.min_stake):
        w.staking.unbond(free, sender=p0)  # would leave only the locked collateral, below the minimum

    w.staking.unbond(P0_STAKE - w.min_stake, sender=p0)  # exit down to the minimum
    _past(chain, max(job_of(w.escrow, 2).deadline, chain.pending_timestamp + w.unbonding_delay))
    assert w.staking.withdraw(sender=p0).return_value == P0_STAKE - w.min_stake

    # The abandoned job still slashes the collateral that stayed behind.
    tx = w.escrow.expireJob(2, job_of(w.escrow, 2), sender=w.keeper)
    assert tx.events.filter(w.escrow.JobExpired)[0].slashed == JOB2_COLLATERAL
    assert tuple(w.staking.stakeOf(p0))[:3] == (w.min_stake - JOB2_COLLATERAL, 0, 0)
    fresh = new_job(w, chain, w.requesters[0], 25 * OPG)
    with ape.reverts(w.staking.StakeTooLow):
        w.escrow.claimJob(fresh, job_of(w.escrow, fresh), sender=p0)
    assert staking_consistent(w)


def test_claim__more_jobs_than_stake_covers__third_reverts_and_slashes_stay_within_stake(chain, inv_world):
    w = inv_world
    p1 = w.providers[1]
    fee = 400 * OPG
    collateral = w.collateral(fee)  # 600 OPG
    jobs = [new_job(w, chain, w.requesters[0], fee) for _ in range(3)]
    w.escrow.claimJob(jobs[0], job_of(w.escrow, jobs[0]), sender=p1)
    w.escrow.claimJob(jobs[1], job_of(w.escrow, jobs[1]), sender=p1)
    free = P1_STAKE - JOB3_COLLATERAL - 2 * collateral
    with ape.reverts(w.staking.InsufficientFreeStake, free=free, need=collateral):
        w.escrow.claimJob(jobs[2], job_of(w.escrow, jobs[2]), sender=p1)
    assert w.escrow.jobStatus(jobs[2]) == 1  # still Open for someone else
    w.escrow.claimJob(jobs[2], job_of(w.escrow, jobs[2]), sender=w.providers[0])

    # p1 abandons both jobs and tries to leave with what is not locked.
    with ape.reverts(w.staking.InsufficientFreeStake):
        w.staking.unbond(free + 1, sender=p1)
    _past(chain, job_of(w.escrow, jobs[1]).deadline)
    supply = w.token.totalSupply()
    for job_id in jobs[:2]:
        w.escrow.expireJob(job_id, job_of(w.escrow, job_id), sender=w.keeper)
    active, locked, _, _ = w.staking.stakeOf(p1)
    assert (active, locked) == (P1_STAKE - 2 * collateral, JOB3_COLLATERAL)
    _, burned, _ = w.slash_split(collateral)
    assert w.token.totalSupply() == supply - 2 * burned

    # Job 3's challenge window is over: it still pays p1 and releases its collateral, but p1 (below the
    # minimum now) can take no new job.
    w.escrow.finalizeJob(3, job_of(w.escrow, 3), sender=w.keeper)
    assert tuple(w.staking.stakeOf(p1))[:2] == (P1_STAKE - 2 * collateral, 0)
    fresh = new_job(w, chain, w.requesters[0], 25 * OPG)
    with ape.reverts(w.staking.StakeTooLow, have=P1_STAKE - 2 * collateral, need=w.min_stake):
        w.escrow.claimJob(fresh, job_of(w.escrow, fresh), sender=p1)
    assert staking_consistent(w)


def test_challenge__upheld_on_provider_with_unbonding_position__slashes_only_locked(chain, inv_world):
    w = inv_world
    p1 = w.providers[1]
    leaving = P1_STAKE - JOB3_COLLATERAL - w.min_stake  # all free stake above the minimum
    w.staking.unbond(leaving, sender=p1)
    w.verifier.setVerdicts(True, True, sender=w.deployer)
    job = job_of(w.escrow, 3)
    w.escrow.challengeResult(3, job_of(w.escrow, 3),
        keccak(INPUT + (3).to_bytes(4, "big")), keccak(OUTPUT + (3).to_bytes(4, "big")),
                             TRACE_ROOT, b"fraud", sender=w.challenger)
    active, locked, unbonding, _ = w.staking.stakeOf(p1)
    assert (active, locked, unbonding) == (w.min_stake, 0, leaving)  # the unbonding position is untouched
    assert job.fee == 150 * OPG and w.escrow.jobStatus(3) == 4
    _past(chain, chain.pending_timestamp + w.unbonding_delay)
    assert w.staking.withdraw(sender=p1).return_value == leaving
    assert staking_consistent(w)
    assert escrow_consistent(w, LIVE_FEES - 150 * OPG)


def test_expire__provider_expires_its_own_abandoned_job__bounty_never_covers_the_slash(chain, inv_world):
    w = inv_world
    p0 = w.providers[0]
    _past(chain, job_of(w.escrow, 2).deadline)
    before = w.token.balanceOf(p0)
    tx = w.escrow.expireJob(2, job_of(w.escrow, 2), sender=p0)
    bounty = tx.events.filter(w.escrow.JobExpired)[0].bounty
    assert bounty == w.slash_split(JOB2_COLLATERAL)[0] > 0
    assert w.token.balanceOf(p0) == before + bounty
    active, *_ = w.staking.stakeOf(p0)
    assert active == P0_STAKE - JOB2_COLLATERAL
    assert bounty < JOB2_COLLATERAL  # net loss for the provider: self-expiry is no escape hatch
    assert escrow_consistent(w, LIVE_FEES - 60 * OPG)


def test_claimed_job__min_stake_raised_and_model_unserved_mid_job__still_settles_but_no_new_claims(
    chain, inv_world
):
    w = inv_world
    p0 = w.providers[0]
    w.staking.setMinStake(5_000 * OPG, sender=w.deployer)
    w.staking.stopServing(MODEL_ID, sender=p0)
    w.escrow.submitResult(2, job_of(w.escrow, 2), OUTPUT, TRACE_ROOT, sender=p0)
    _past(chain, job_of(w.escrow, 2).deadline)
    w.escrow.finalizeJob(2, job_of(w.escrow, 2), sender=w.keeper)
    assert tuple(w.staking.stakeOf(p0))[:2] == (P0_STAKE, 0)
    with ape.reverts(w.staking.NotServingModel):
        w.escrow.claimJob(1, job_of(w.escrow, 1), sender=p0)
    w.staking.serveModel(MODEL_ID, sender=p0)
    with ape.reverts(w.staking.StakeTooLow, have=P0_STAKE, need=5_000 * OPG):
        w.escrow.claimJob(1, job_of(w.escrow, 1), sender=p0)
    w.staking.unbond(P0_STAKE, sender=p0)  # a full exit is always allowed once nothing is locked
    assert staking_consistent(w)
    assert escrow_consistent(w, LIVE_FEES - 60 * OPG)
