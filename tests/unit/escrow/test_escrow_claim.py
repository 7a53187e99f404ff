"""claimJob: collateral locked in staking; ineligible providers revert with staking's errors."""

from escrow_helpers import (
    CLAIMED,
    MIN_COLLATERAL,
    MIN_STAKE,
    OPG,
    PRICE,
    RATIO_BPS,
    collateral_of,
)
from opg_testkit import job_of


def test_claim__open_job__locks_collateral_and_emits(escrow, staking, make_job, provider):
    fee = 100 * OPG
    job_id = make_job(fee=fee)
    deadline = job_of(escrow, job_id).deadline
    tx = escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider)
    collateral = fee * RATIO_BPS // 10_000
    ev = tx.events.filter(escrow.JobClaimed)[0]
    assert (ev.jobId, ev["provider"], ev.collateral, ev.deadline) == (
        job_id,
        provider.address,
        collateral,
        deadline,
    )
    assert staking.stakeOf(provider).locked == collateral
    job = job_of(escrow, job_id)
    assert (job.provider, job.status) == (provider.address, CLAIMED)


def test_claim__small_fee__locks_minimum_collateral(escrow, staking, make_job, deployer, provider):
    job_id = make_job(fee=PRICE)  # 50% of 10 OPG = 5 OPG > 2 OPG minimum
    escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider)
    assert staking.stakeOf(provider).locked == collateral_of(PRICE)
    escrow.setCollateralTerms(100, MIN_COLLATERAL, sender=deployer)
    job2 = make_job(fee=PRICE)  # 1% of 10 OPG = 0.1 OPG < minimum
    escrow.claimJob(job2, job_of(escrow, job2), sender=provider)
    assert staking.stakeOf(provider).locked == collateral_of(PRICE) + MIN_COLLATERAL


def test_claim__already_claimed__reverts(escrow, make_job, provider, provider2, reverts_with):
    job_id = make_job()
    escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider)
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=CLAIMED):
        escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider2)


def test_claim__unknown_job__reverts(escrow, verifier, reverts_with, provider):
    with reverts_with(escrow.InvalidJobStatus, jobId=42, status=0):
        escrow.claimJob(42, job_of(escrow, 42), sender=provider)


def test_claim__after_deadline__reverts(chain, escrow, make_job, provider, reverts_with):
    job_id = make_job(duration=100)
    deadline = job_of(escrow, job_id).deadline
    chain.pending_timestamp = deadline + 1
    with reverts_with(escrow.DeadlinePassed, jobId=job_id, deadline=deadline):
        escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider)


def test_claim__unstaked_provider__reverts_not_serving(escrow, staking, make_job, stranger, reverts_with):
    job_id = make_job()
    with reverts_with(staking.NotServingModel, provider=stranger.address, modelId=1):
        escrow.claimJob(job_id, job_of(escrow, job_id), sender=stranger)


def test_claim__provider_not_serving_model__reverts(escrow, staking, make_job, provider, reverts_with):
    job_id = make_job(model_id=2)
    with reverts_with(staking.NotServingModel, provider=provider.address, modelId=2):
        escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider)


def test_claim__unbonding_provider__reverts_stake_too_low(escrow, staking, make_job, provider, reverts_with):
    job_id = make_job()
    active = staking.stakeOf(provider).active
    staking.unbond(active, sender=provider)  # exiting: active stake 0 < minimum
    with reverts_with(staking.StakeTooLow, provider=provider.address, have=0, need=MIN_STAKE):
        escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider)


def test_claim__under_collateralized_provider__reverts(
    accounts, opg, escrow, staking, stake_provider, make_job, treasury, reverts_with
):
    small = accounts[9]
    opg.transfer(small, MIN_STAKE, sender=treasury)
    stake_provider(small, amount=MIN_STAKE)
    fee = 3 * MIN_STAKE  # collateral 1.5x the whole stake
    job_id = make_job(fee=fee)
    with reverts_with(staking.InsufficientFreeStake, provider=small.address, free=MIN_STAKE, need=fee // 2):
        escrow.claimJob(job_id, job_of(escrow, job_id), sender=small)


def test_claim__terms_changed_after_create__uses_terms_at_creation(escrow, staking, make_job, deployer, provider):
    fee = 100 * OPG
    old_job = make_job(fee=fee)
    escrow.setCollateralTerms(10_000, MIN_COLLATERAL, sender=deployer)  # 100% for jobs created from now
    new_job = make_job(fee=fee)
    assert job_of(escrow, old_job).collateral == fee // 2
    assert job_of(escrow, new_job).collateral == fee
    escrow.claimJob(old_job, job_of(escrow, old_job), sender=provider)
    assert staking.stakeOf(provider).locked == fee // 2
    escrow.claimJob(new_job, job_of(escrow, new_job), sender=provider)
    assert staking.stakeOf(provider).locked == fee // 2 + fee
