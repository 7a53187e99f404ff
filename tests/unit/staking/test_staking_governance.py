"""ProviderStaking governance setters (hard caps, events) and pause roles."""

import pytest
from staking_helpers import MIN_STAKE, OPG, UNBONDING_DELAY, ZERO_ADDRESS

DAY = 24 * 3600


def test_set_min_stake__in_range__updates_and_emits(staking, deployer):
    receipt = staking.setMinStake(2 * MIN_STAKE, sender=deployer)
    assert staking.minStake() == 2 * MIN_STAKE
    [log] = list(receipt.decode_logs(staking.MinStakeUpdated))
    assert (log.oldMinStake, log.newMinStake) == (MIN_STAKE, 2 * MIN_STAKE)


@pytest.mark.parametrize("bad", [0, 10_000_000 * OPG + 1])
def test_set_min_stake__out_of_range__reverts(staking, deployer, reverts_with, bad):
    with reverts_with(staking.InvalidMinStake, minStake=bad):
        staking.setMinStake(bad, sender=deployer)


def test_set_min_stake__raised__first_stake_needs_new_minimum(
    staking, deployer, provider, stake_for, reverts_with
):
    staking.setMinStake(2 * MIN_STAKE, sender=deployer)
    with reverts_with(staking.StakeTooLow, have=MIN_STAKE, need=2 * MIN_STAKE):
        stake_for(provider, MIN_STAKE)


def test_set_unbonding_delay__in_range__updates_and_emits(staking, deployer, staked_provider):
    receipt = staking.setUnbondingDelay(DAY, sender=deployer)
    assert staking.unbondingDelay() == DAY
    [log] = list(receipt.decode_logs(staking.UnbondingDelayUpdated))
    assert (log.oldDelay, log.newDelay) == (UNBONDING_DELAY, DAY)
    unbond = staking.unbond(MIN_STAKE, sender=staked_provider)
    assert staking.stakeOf(staked_provider)[3] == unbond.timestamp + DAY


@pytest.mark.parametrize("bad", [DAY - 1, 90 * DAY + 1, 0])
def test_set_unbonding_delay__out_of_range__reverts(staking, deployer, reverts_with, bad):
    with reverts_with(staking.InvalidUnbondingDelay, unbondingDelay=bad):
        staking.setUnbondingDelay(bad, sender=deployer)


def test_set_slash_split__at_caps__updates_and_emits(staking, deployer):
    receipt = staking.setSlashSplit(5_000, 10_000, sender=deployer)
    assert (staking.slashRewardBps(), staking.slashBurnBps()) == (5_000, 10_000)
    [log] = list(receipt.decode_logs(staking.SlashSplitUpdated))
    assert (log.slashRewardBps, log.slashBurnBps) == (5_000, 10_000)


def test_set_slash_split__reward_above_cap__reverts(staking, deployer, reverts_with):
    with reverts_with(staking.SlashRewardBpsTooHigh, slashRewardBps=5_001, max=5_000):
        staking.setSlashSplit(5_001, 0, sender=deployer)


def test_set_slash_split__burn_above_cap__reverts(staking, deployer, reverts_with):
    with reverts_with(staking.SlashBurnBpsTooHigh, slashBurnBps=10_001, max=10_000):
        staking.setSlashSplit(0, 10_001, sender=deployer)


def test_set_treasury__nonzero__updates_and_emits(staking, deployer, treasury, stranger):
    receipt = staking.setTreasury(stranger, sender=deployer)
    assert staking.treasury() == stranger.address
    [log] = list(receipt.decode_logs(staking.TreasuryUpdated))
    assert (log.oldTreasury, log.newTreasury) == (treasury.address, stranger.address)


def test_set_treasury__zero__reverts(staking, deployer, reverts_with):
    with reverts_with(staking.ZeroAddress):
        staking.setTreasury(ZERO_ADDRESS, sender=deployer)


def test_setters__not_admin__revert(staking, job_manager, slasher, stranger, reverts_with):
    admin_role = b"\x00" * 32
    for caller in (stranger, job_manager, slasher):
        with reverts_with(
            staking.AccessControlUnauthorizedAccount, account=caller.address, neededRole=admin_role
        ):
            staking.setMinStake(2 * MIN_STAKE, sender=caller)
        with reverts_with(
            staking.AccessControlUnauthorizedAccount, account=caller.address, neededRole=admin_role
        ):
            staking.setUnbondingDelay(DAY, sender=caller)
        with reverts_with(
            staking.AccessControlUnauthorizedAccount, account=caller.address, neededRole=admin_role
        ):
            staking.setSlashSplit(0, 0, sender=caller)
        with reverts_with(
            staking.AccessControlUnauthorizedAccount, account=caller.address, neededRole=admin_role
        ):
            staking.setTreasury(caller, sender=caller)


def test_pause__not_pauser__reverts(staking, stranger, job_manager, reverts_with):
    role = staking.PAUSER_ROLE()
    for caller in (stranger, job_manager):
        with reverts_with(staking.AccessControlUnauthorizedAccount, account=caller.address, neededRole=role):
            staking.pause(sender=caller)


def test_unpause__not_pauser__reverts(staking, deployer, stranger, reverts_with):
    staking.pause(sender=deployer)
    with reverts_with(staking.AccessControlUnauthorizedAccount, account=stranger.address):
        staking.unpause(sender=stranger)
    assert staking.paused()


def test_pause__pauser__emits_and_sets_flag(staking, deployer):
    receipt = staking.pause(sender=deployer)
    assert staking.paused()
    [log] = list(receipt.decode_logs(staking.Paused))
    assert log.account == deployer.address


def test_unpause__not_paused__reverts(staking, deployer, reverts_with):
    with reverts_with(staking.ExpectedPause):
        staking.unpause(sender=deployer)
