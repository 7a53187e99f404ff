"""ProviderStaking.lockCollateral / releaseCollateral: job eligibility and the hot-path accounting."""

from staking_helpers import MIN_STAKE, MODEL, OTHER_MODEL, UNBONDING_DELAY


def test_lock_collateral__eligible_provider__locks_without_own_event(staking, staked_provider, job_manager):
    receipt = staking.lockCollateral(staked_provider, MODEL, MIN_STAKE, sender=job_manager)
    assert staking.stakeOf(staked_provider)[:2] == (5 * MIN_STAKE, MIN_STAKE)
    assert staking.freeStake(staked_provider) == 4 * MIN_STAKE
    assert staking.totalStaked() == 5 * MIN_STAKE  # no token moves
    assert receipt.logs == []  # the job manager's event carries provider and amount


def test_lock_collateral__whole_free_stake__accepted_then_next_reverts(
    staking, staked_provider, job_manager, reverts_with
):
    staking.lockCollateral(staked_provider, MODEL, 3 * MIN_STAKE, sender=job_manager)
    staking.lockCollateral(staked_provider, MODEL, 2 * MIN_STAKE, sender=job_manager)
    assert staking.freeStake(staked_provider) == 0
    with reverts_with(staking.InsufficientFreeStake, provider=staked_provider.address, free=0, need=1):
        staking.lockCollateral(staked_provider, MODEL, 1, sender=job_manager)


def test_lock_collateral__more_than_free__reverts(staking, staked_provider, job_manager, reverts_with):
    staking.lockCollateral(staked_provider, MODEL, 4 * MIN_STAKE, sender=job_manager)
    with reverts_with(
        staking.InsufficientFreeStake, provider=staked_provider.address, free=MIN_STAKE, need=MIN_STAKE + 1
    ):
        staking.lockCollateral(staked_provider, MODEL, MIN_STAKE + 1, sender=job_manager)
    assert not staking.isEligible(staked_provider, MODEL, MIN_STAKE + 1)
    assert staking.isEligible(staked_provider, MODEL, MIN_STAKE)


def test_lock_collateral__zero_amount__checks_eligibility_only(staking, staked_provider, job_manager):
    staking.lockCollateral(staked_provider, MODEL, 0, sender=job_manager)
    assert staking.stakeOf(staked_provider)[1] == 0


def test_lock_collateral__model_not_served__reverts(staking, staked_provider, job_manager, reverts_with):
    with reverts_with(staking.NotServingModel, provider=staked_provider.address, modelId=OTHER_MODEL):
        staking.lockCollateral(staked_provider, OTHER_MODEL, 1, sender=job_manager)
    assert not staking.isEligible(staked_provider, OTHER_MODEL, 1)


def test_lock_collateral__stopped_serving__reverts(staking, staked_provider, job_manager, reverts_with):
    staking.stopServing(MODEL, sender=staked_provider)
    with reverts_with(staking.NotServingModel, provider=staked_provider.address, modelId=MODEL):
        staking.lockCollateral(staked_provider, MODEL, 1, sender=job_manager)


def test_lock_collateral__unstaked_provider__reverts(staking, provider2, job_manager, reverts_with):
    staking.serveModel(MODEL, sender=provider2)
    with reverts_with(staking.StakeTooLow, provider=provider2.address, have=0, need=MIN_STAKE):
        staking.lockCollateral(provider2, MODEL, 0, sender=job_manager)
    assert not staking.isEligible(provider2, MODEL, 0)


def test_lock_collateral__exiting_provider__reverts(staking, staked_provider, job_manager, reverts_with):
    staking.unbond(5 * MIN_STAKE, sender=staked_provider)  # still serving, stake all unbonding
    with reverts_with(staking.StakeTooLow, provider=staked_provider.address, have=0, need=MIN_STAKE):
        staking.lockCollateral(staked_provider, MODEL, 1, sender=job_manager)


def test_lock_collateral__partially_unbonding_above_minimum__accepted(staking, staked_provider, job_manager):
    staking.unbond(4 * MIN_STAKE, sender=staked_provider)
    staking.lockCollateral(staked_provider, MODEL, MIN_STAKE, sender=job_manager)
    assert staking.stakeOf(staked_provider)[:3] == (MIN_STAKE, MIN_STAKE, 4 * MIN_STAKE)


def test_lock_collateral__slashed_below_minimum__reverts(
    staking, staked_provider, job_manager, slasher, reverts_with
):
    staking.slash(staked_provider, 4 * MIN_STAKE + 1, staked_provider, sender=slasher)
    assert staking.stakeOf(staked_provider)[0] == MIN_STAKE - 1
    with reverts_with(
        staking.StakeTooLow, provider=staked_provider.address, have=MIN_STAKE - 1, need=MIN_STAKE
    ):
        staking.lockCollateral(staked_provider, MODEL, 1, sender=job_manager)


def test_lock_collateral__minimum_raised_above_stake__reverts(
    staking, staked_provider, deployer, job_manager, reverts_with
):
    staking.setMinStake(6 * MIN_STAKE, sender=deployer)
    with reverts_with(staking.StakeTooLow, have=5 * MIN_STAKE, need=6 * MIN_STAKE):
        staking.lockCollateral(staked_provider, MODEL, 1, sender=job_manager)


def test_lock_collateral__under_collateralized_provider__reverts(
    staking, provider2, stake_for, job_manager, reverts_with
):
    stake_for(provider2, MIN_STAKE)
    staking.serveModel(MODEL, sender=provider2)
    with reverts_with(
        staking.InsufficientFreeStake, provider=provider2.address, free=MIN_STAKE, need=2 * MIN_STAKE
    ):
        staking.lockCollateral(provider2, MODEL, 2 * MIN_STAKE, sender=job_manager)


def test_lock_collateral__not_job_manager__reverts(staking, staked_provider, slasher, stranger, reverts_with):
    role = staking.JOB_MANAGER_ROLE()
    for caller in (stranger, slasher, staked_provider):
        with reverts_with(staking.AccessControlUnauthorizedAccount, account=caller.address, neededRole=role):
            staking.lockCollateral(staked_provider, MODEL, 1, sender=caller)


def test_lock_collateral__while_paused__accepted(staking, staked_provider, deployer, job_manager):
    staking.pause(sender=deployer)
    staking.lockCollateral(staked_provider, MODEL, MIN_STAKE, sender=job_manager)
    assert staking.stakeOf(staked_provider)[1] == MIN_STAKE


def test_release_collateral__locked__returns_to_free_without_own_event(staking, staked_provider, job_manager):
    staking.lockCollateral(staked_provider, MODEL, 3 * MIN_STAKE, sender=job_manager)
    receipt = staking.releaseCollateral(staked_provider, 2 * MIN_STAKE, sender=job_manager)
    assert staking.stakeOf(staked_provider)[:2] == (5 * MIN_STAKE, MIN_STAKE)
    assert staking.freeStake(staked_provider) == 4 * MIN_STAKE
    assert receipt.logs == []


def test_release_collateral__then_unbond_all__accepted(staking, chain, opg, staked_provider, job_manager):
    staking.lockCollateral(staked_provider, MODEL, 3 * MIN_STAKE, sender=job_manager)
    staking.releaseCollateral(staked_provider, 3 * MIN_STAKE, sender=job_manager)
    staking.unbond(5 * MIN_STAKE, sender=staked_provider)
    chain.pending_timestamp += UNBONDING_DELAY
    staking.withdraw(sender=staked_provider)
    assert staking.totalStaked() == 0 == opg.balanceOf(staking)


def test_release_collateral__more_than_locked__reverts(staking, staked_provider, job_manager, reverts_with):
    staking.lockCollateral(staked_provider, MODEL, MIN_STAKE, sender=job_manager)
    with reverts_with(
        staking.InsufficientCollateral, provider=staked_provider.address, locked=MIN_STAKE, need=MIN_STAKE + 1
    ):
        staking.releaseCollateral(staked_provider, MIN_STAKE + 1, sender=job_manager)


def test_release_collateral__not_job_manager__reverts(
    staking, staked_provider, job_manager, slasher, reverts_with
):
    staking.lockCollateral(staked_provider, MODEL, MIN_STAKE, sender=job_manager)
    with reverts_with(staking.AccessControlUnauthorizedAccount, account=slasher.address):
        staking.releaseCollateral(staked_provider, MIN_STAKE, sender=slasher)
    with reverts_with(staking.AccessControlUnauthorizedAccount, account=staked_provider.address):
        staking.releaseCollateral(staked_provider, MIN_STAKE, sender=staked_provider)


def test_job_manager__escrow_by_address__locks_releases_slashes_without_the_role(
    project, deployer, treasury, opg, registry, provider2, stranger, reverts_with
):
    # `escrow` (an account standing in for the InferenceEscrow) is fixed at deployment and holds no role.
    escrow = stranger
    fresh = deployer.deploy(project.ProviderStaking, opg, registry, deployer, treasury, MIN_STAKE, UNBONDING_DELAY,
                            escrow)
    assert fresh.ESCROW() == escrow.address
    assert not fresh.hasRole(fresh.JOB_MANAGER_ROLE(), escrow)
    opg.approve(fresh, 2 * MIN_STAKE, sender=provider2)
    fresh.stake(2 * MIN_STAKE, sender=provider2)
    fresh.serveModel(MODEL, sender=provider2)
    fresh.lockCollateral(provider2, MODEL, MIN_STAKE, sender=escrow)
    fresh.releaseCollateral(provider2, MIN_STAKE // 2, sender=escrow)
    fresh.slashCollateral(provider2, MIN_STAKE // 4, deployer, sender=escrow)
    assert fresh.stakeOf(provider2)[:2] == (2 * MIN_STAKE - MIN_STAKE // 4, MIN_STAKE // 4)
    # Anyone else still needs the role.
    with reverts_with(fresh.AccessControlUnauthorizedAccount, account=deployer.address,
                      neededRole=fresh.JOB_MANAGER_ROLE()):
        fresh.lockCollateral(provider2, MODEL, 1, sender=deployer)
