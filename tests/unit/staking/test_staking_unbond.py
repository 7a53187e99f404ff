"""ProviderStaking.unbond / withdraw: the aggregated timed unbonding lock."""

from staking_helpers import MIN_STAKE, MODEL, UNBONDING_DELAY


def test_unbond__partial_above_minimum__moves_to_unbonding_and_emits(staking, opg, chain, staked_provider):
    receipt = staking.unbond(2 * MIN_STAKE, sender=staked_provider)
    unlock_at = receipt.timestamp + UNBONDING_DELAY
    assert staking.stakeOf(staked_provider) == (3 * MIN_STAKE, 0, 2 * MIN_STAKE, unlock_at)
    assert staking.totalStaked() == 5 * MIN_STAKE == opg.balanceOf(staking)  # unbonding still counted
    [log] = list(receipt.decode_logs(staking.Unbonded))
    assert log["provider"] == staked_provider.address
    assert (log.amount, log.activeLeft, log.unbondingTotal, log.unlockAt) == (
        2 * MIN_STAKE,
        3 * MIN_STAKE,
        2 * MIN_STAKE,
        unlock_at,
    )


def test_unbond__remaining_exactly_minimum__accepted(staking, staked_provider):
    staking.unbond(4 * MIN_STAKE, sender=staked_provider)
    assert staking.stakeOf(staked_provider)[0] == MIN_STAKE


def test_unbond__full_exit__active_zero(staking, staked_provider):
    staking.unbond(5 * MIN_STAKE, sender=staked_provider)
    assert staking.stakeOf(staked_provider)[:3] == (0, 0, 5 * MIN_STAKE)


def test_unbond__remaining_below_minimum__reverts(staking, staked_provider, reverts_with):
    with reverts_with(
        staking.RemainingStakeTooLow,
        provider=staked_provider.address,
        remaining=MIN_STAKE - 1,
        need=MIN_STAKE,
    ):
        staking.unbond(4 * MIN_STAKE + 1, sender=staked_provider)


def test_unbond__more_than_active__reverts(staking, staked_provider, reverts_with):
    with reverts_with(
        staking.InsufficientFreeStake,
        provider=staked_provider.address,
        free=5 * MIN_STAKE,
        need=5 * MIN_STAKE + 1,
    ):
        staking.unbond(5 * MIN_STAKE + 1, sender=staked_provider)


def test_unbond__locked_collateral__reverts(staking, staked_provider, job_manager, reverts_with):
    staking.lockCollateral(staked_provider, MODEL, 2 * MIN_STAKE, sender=job_manager)
    with reverts_with(
        staking.InsufficientFreeStake,
        provider=staked_provider.address,
        free=3 * MIN_STAKE,
        need=5 * MIN_STAKE,
    ):
        staking.unbond(5 * MIN_STAKE, sender=staked_provider)  # full exit from under a job


def test_unbond__all_free_stake_while_locked__reverts_below_minimum(
    staking, staked_provider, job_manager, reverts_with
):
    staking.lockCollateral(staked_provider, MODEL, MIN_STAKE // 2, sender=job_manager)
    # Free stake is 4.5 x MIN; unbonding all of it would leave only the locked half-minimum active.
    with reverts_with(staking.RemainingStakeTooLow, remaining=MIN_STAKE // 2, need=MIN_STAKE):
        staking.unbond(5 * MIN_STAKE - MIN_STAKE // 2, sender=staked_provider)


def test_unbond__free_part_while_locked__accepted(staking, staked_provider, job_manager):
    staking.lockCollateral(staked_provider, MODEL, 2 * MIN_STAKE, sender=job_manager)
    staking.unbond(3 * MIN_STAKE, sender=staked_provider)
    assert staking.stakeOf(staked_provider)[:3] == (2 * MIN_STAKE, 2 * MIN_STAKE, 3 * MIN_STAKE)
    assert staking.freeStake(staked_provider) == 0


def test_unbond__zero_amount__reverts(staking, staked_provider, reverts_with):
    with reverts_with(staking.ZeroAmount):
        staking.unbond(0, sender=staked_provider)


def test_unbond__not_staked__reverts(staking, stranger, reverts_with):
    with reverts_with(staking.InsufficientFreeStake, provider=stranger.address, free=0, need=1):
        staking.unbond(1, sender=stranger)


def test_unbond__second_unbond__aggregates_and_restarts_clock(staking, chain, staked_provider):
    first = staking.unbond(MIN_STAKE, sender=staked_provider)
    chain.pending_timestamp += UNBONDING_DELAY - 10
    second = staking.unbond(MIN_STAKE, sender=staked_provider)
    assert second.timestamp > first.timestamp
    assert staking.stakeOf(staked_provider) == (
        3 * MIN_STAKE,
        0,
        2 * MIN_STAKE,
        second.timestamp + UNBONDING_DELAY,
    )


def test_unbond__while_paused__accepted(staking, deployer, staked_provider):
    staking.pause(sender=deployer)
    staking.unbond(MIN_STAKE, sender=staked_provider)
    assert staking.stakeOf(staked_provider)[2] == MIN_STAKE


def test_withdraw__before_unlock__reverts(staking, chain, staked_provider, reverts_with):
    receipt = staking.unbond(MIN_STAKE, sender=staked_provider)
    unlock_at = receipt.timestamp + UNBONDING_DELAY
    chain.pending_timestamp = unlock_at - 1
    with reverts_with(staking.UnbondingLocked, provider=staked_provider.address, unlockAt=unlock_at):
        staking.withdraw(sender=staked_provider)


def test_withdraw__after_restarted_clock__reverts_until_new_unlock(
    staking, chain, staked_provider, reverts_with
):
    staking.unbond(MIN_STAKE, sender=staked_provider)
    chain.pending_timestamp += UNBONDING_DELAY - 5
    second = staking.unbond(MIN_STAKE, sender=staked_provider)
    chain.pending_timestamp += 10  # first position's original unlock time has passed
    with reverts_with(staking.UnbondingLocked, unlockAt=second.timestamp + UNBONDING_DELAY):
        staking.withdraw(sender=staked_provider)


def test_withdraw__at_unlock__pays_out_and_emits(staking, opg, chain, staked_provider):
    receipt = staking.unbond(2 * MIN_STAKE, sender=staked_provider)
    chain.pending_timestamp = receipt.timestamp + UNBONDING_DELAY
    before = opg.balanceOf(staked_provider)
    receipt = staking.withdraw(sender=staked_provider)
    assert receipt.return_value == 2 * MIN_STAKE
    assert opg.balanceOf(staked_provider) == before + 2 * MIN_STAKE
    assert staking.stakeOf(staked_provider) == (3 * MIN_STAKE, 0, 0, 0)
    assert staking.totalStaked() == 3 * MIN_STAKE == opg.balanceOf(staking)
    [log] = list(receipt.decode_logs(staking.Withdrawn))
    assert (log["provider"], log.amount) == (staked_provider.address, 2 * MIN_STAKE)


def test_withdraw__full_exit__provider_emptied(staking, opg, chain, staked_provider):
    staking.unbond(5 * MIN_STAKE, sender=staked_provider)
    chain.pending_timestamp += UNBONDING_DELAY
    staking.withdraw(sender=staked_provider)
    assert staking.stakeOf(staked_provider) == (0, 0, 0, 0)
    assert staking.totalStaked() == 0 == opg.balanceOf(staking)


def test_withdraw__twice__second_reverts(staking, chain, staked_provider, reverts_with):
    staking.unbond(MIN_STAKE, sender=staked_provider)
    chain.pending_timestamp += UNBONDING_DELAY
    staking.withdraw(sender=staked_provider)
    with reverts_with(staking.NothingToWithdraw, provider=staked_provider.address):
        staking.withdraw(sender=staked_provider)


def test_withdraw__nothing_unbonding__reverts(staking, staked_provider, reverts_with):
    with reverts_with(staking.NothingToWithdraw, provider=staked_provider.address):
        staking.withdraw(sender=staked_provider)


def test_withdraw__while_paused__accepted(staking, opg, chain, deployer, staked_provider):
    staking.unbond(MIN_STAKE, sender=staked_provider)
    staking.pause(sender=deployer)
    chain.pending_timestamp += UNBONDING_DELAY
    before = opg.balanceOf(staked_provider)
    staking.withdraw(sender=staked_provider)
    assert opg.balanceOf(staked_provider) == before + MIN_STAKE


def test_withdraw__delay_changed_after_unbond__keeps_original_unlock(
    staking, chain, deployer, staked_provider
):
    receipt = staking.unbond(MIN_STAKE, sender=staked_provider)
    staking.setUnbondingDelay(UNBONDING_DELAY * 2, sender=deployer)
    chain.pending_timestamp = receipt.timestamp + UNBONDING_DELAY
    staking.withdraw(sender=staked_provider)
    assert staking.stakeOf(staked_provider)[2] == 0
