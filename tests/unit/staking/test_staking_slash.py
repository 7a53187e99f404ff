"""ProviderStaking.slashCollateral / slash: beneficiary / burn / treasury split, and what each can reach."""

import pytest
from staking_helpers import MIN_STAKE, MODEL, UNBONDING_DELAY, ZERO_ADDRESS, split


@pytest.fixture
def locked_provider(staking, staked_provider, job_manager):
    """`staked_provider` with 2 x MIN_STAKE locked for a job (5 x MIN_STAKE active)."""
    staking.lockCollateral(staked_provider, MODEL, 2 * MIN_STAKE, sender=job_manager)
    return staked_provider


def _balances(opg, *accounts):
    return [opg.balanceOf(a) for a in accounts]


def test_slash_collateral__with_beneficiary__splits_reward_burn_treasury(
    staking, opg, locked_provider, job_manager, treasury, watcher
):
    amount = MIN_STAKE + 7  # odd amount: rounding goes to the treasury
    rewarded, burned, to_treasury = split(amount, 2_500, 5_000)
    supply, t_before, w_before = opg.totalSupply(), opg.balanceOf(treasury), opg.balanceOf(watcher)
    receipt = staking.slashCollateral(locked_provider, amount, watcher, sender=job_manager)
    assert receipt.return_value == rewarded
    assert staking.stakeOf(locked_provider)[:2] == (5 * MIN_STAKE - amount, 2 * MIN_STAKE - amount)
    assert opg.balanceOf(watcher) == w_before + rewarded
    assert opg.balanceOf(treasury) == t_before + to_treasury
    assert opg.totalSupply() == supply - burned
    assert staking.totalStaked() == 5 * MIN_STAKE - amount == opg.balanceOf(staking)
    [log] = list(receipt.decode_logs(staking.Slashed))
    assert log["provider"] == locked_provider.address
    assert (log.amount, log.beneficiary, log.rewarded, log.burned, log.toTreasury) == (
        amount,
        watcher.address,
        rewarded,
        burned,
        to_treasury,
    )


def test_slash_collateral__zero_beneficiary__no_reward(staking, opg, locked_provider, job_manager, treasury):
    rewarded, burned, to_treasury = split(MIN_STAKE, 2_500, 5_000, has_beneficiary=False)
    assert rewarded == 0
    t_before, supply = opg.balanceOf(treasury), opg.totalSupply()
    receipt = staking.slashCollateral(locked_provider, MIN_STAKE, ZERO_ADDRESS, sender=job_manager)
    assert receipt.return_value == 0
    assert opg.balanceOf(treasury) == t_before + to_treasury
    assert opg.totalSupply() == supply - burned
    [log] = list(receipt.decode_logs(staking.Slashed))
    assert (log.rewarded, log.burned, log.toTreasury) == (0, burned, to_treasury)


def test_slash_collateral__beneficiary_is_staking__treated_as_none(
    staking, opg, locked_provider, job_manager
):
    receipt = staking.slashCollateral(locked_provider, MIN_STAKE, staking, sender=job_manager)
    assert receipt.return_value == 0
    assert staking.totalStaked() == opg.balanceOf(staking)


def test_slash_collateral__by_slasher__reverts(staking, locked_provider, slasher, watcher, reverts_with):
    # Locked collateral belongs to the escrow's jobs: only the job manager may slash it (security review).
    with reverts_with(
        staking.AccessControlUnauthorizedAccount, account=slasher.address, neededRole=staking.JOB_MANAGER_ROLE()
    ):
        staking.slashCollateral(locked_provider, 2 * MIN_STAKE, watcher, sender=slasher)
    assert staking.stakeOf(locked_provider)[:2] == (5 * MIN_STAKE, 2 * MIN_STAKE)


def test_slash_collateral__all_locked__leaves_free_stake(staking, locked_provider, job_manager, reverts_with):
    staking.slashCollateral(locked_provider, 2 * MIN_STAKE, ZERO_ADDRESS, sender=job_manager)
    assert staking.stakeOf(locked_provider)[:2] == (3 * MIN_STAKE, 0)
    with reverts_with(staking.InsufficientCollateral, locked=0, need=1):
        staking.releaseCollateral(locked_provider, 1, sender=job_manager)


def test_slash_collateral__more_than_locked__reverts(staking, locked_provider, job_manager, reverts_with):
    with reverts_with(
        staking.InsufficientCollateral,
        provider=locked_provider.address,
        locked=2 * MIN_STAKE,
        need=2 * MIN_STAKE + 1,
    ):
        staking.slashCollateral(locked_provider, 2 * MIN_STAKE + 1, ZERO_ADDRESS, sender=job_manager)


def test_slash_collateral__zero_amount__noop_returns_zero(staking, opg, locked_provider, job_manager):
    supply = opg.totalSupply()
    receipt = staking.slashCollateral(locked_provider, 0, ZERO_ADDRESS, sender=job_manager)
    assert receipt.return_value == 0
    assert list(receipt.decode_logs(staking.Slashed)) == []
    assert staking.stakeOf(locked_provider)[:2] == (5 * MIN_STAKE, 2 * MIN_STAKE)
    assert opg.totalSupply() == supply


def test_slash_collateral__without_role__reverts(staking, locked_provider, stranger, reverts_with):
    with reverts_with(
        staking.AccessControlUnauthorizedAccount, account=stranger.address, neededRole=staking.JOB_MANAGER_ROLE()
    ):
        staking.slashCollateral(locked_provider, 1, stranger, sender=stranger)
    with reverts_with(staking.AccessControlUnauthorizedAccount, account=locked_provider.address):
        staking.slashCollateral(locked_provider, 1, locked_provider, sender=locked_provider)


def test_slash_collateral__while_paused__accepted(staking, deployer, locked_provider, job_manager):
    staking.pause(sender=deployer)
    staking.slashCollateral(locked_provider, MIN_STAKE, ZERO_ADDRESS, sender=job_manager)
    assert staking.stakeOf(locked_provider)[1] == MIN_STAKE


def test_slash_collateral__custom_split__follows_parameters(
    staking, opg, deployer, locked_provider, job_manager, treasury, watcher
):
    staking.setSlashSplit(5_000, 10_000, sender=deployer)  # half rewarded, the rest all burned
    t_before, supply = opg.balanceOf(treasury), opg.totalSupply()
    receipt = staking.slashCollateral(locked_provider, 2 * MIN_STAKE, watcher, sender=job_manager)
    assert receipt.return_value == MIN_STAKE
    assert opg.balanceOf(treasury) == t_before
    assert opg.totalSupply() == supply - MIN_STAKE


def test_slash_collateral__no_burn__remainder_to_treasury(
    staking, opg, deployer, locked_provider, job_manager, treasury
):
    staking.setSlashSplit(0, 0, sender=deployer)
    t_before, supply = opg.balanceOf(treasury), opg.totalSupply()
    staking.slashCollateral(locked_provider, MIN_STAKE, treasury, sender=job_manager)
    assert opg.balanceOf(treasury) == t_before + MIN_STAKE
    assert opg.totalSupply() == supply


def test_slash__free_active_stake__takes_active_first(
    staking, opg, staked_provider, slasher, watcher, treasury
):
    staking.unbond(MIN_STAKE, sender=staked_provider)  # 4 active, 1 unbonding
    rewarded, burned, to_treasury = split(3 * MIN_STAKE, 2_500, 5_000)
    w_before, t_before, supply = opg.balanceOf(watcher), opg.balanceOf(treasury), opg.totalSupply()
    receipt = staking.slash(staked_provider, 3 * MIN_STAKE, watcher, sender=slasher)
    assert receipt.return_value == [3 * MIN_STAKE, rewarded]
    assert staking.stakeOf(staked_provider)[:3] == (MIN_STAKE, 0, MIN_STAKE)
    assert opg.balanceOf(watcher) == w_before + rewarded
    assert opg.balanceOf(treasury) == t_before + to_treasury
    assert opg.totalSupply() == supply - burned
    assert staking.totalStaked() == 2 * MIN_STAKE == opg.balanceOf(staking)
    [log] = list(receipt.decode_logs(staking.Slashed))
    assert (log.amount, log.rewarded, log.burned, log.toTreasury) == (
        3 * MIN_STAKE,
        rewarded,
        burned,
        to_treasury,
    )


def test_slash__beyond_free_active__spills_into_unbonding_keeping_unlock(staking, staked_provider, slasher):
    receipt = staking.unbond(2 * MIN_STAKE, sender=staked_provider)  # 3 active, 2 unbonding
    unlock_at = receipt.timestamp + UNBONDING_DELAY
    staking.slash(staked_provider, 4 * MIN_STAKE, ZERO_ADDRESS, sender=slasher)
    assert staking.stakeOf(staked_provider) == (0, 0, MIN_STAKE, unlock_at)


def test_slash__unbonding_only__reduces_unbonding(staking, opg, chain, staked_provider, slasher):
    staking.unbond(5 * MIN_STAKE, sender=staked_provider)
    staking.slash(staked_provider, 2 * MIN_STAKE, ZERO_ADDRESS, sender=slasher)
    assert staking.stakeOf(staked_provider)[:3] == (0, 0, 3 * MIN_STAKE)
    chain.pending_timestamp += UNBONDING_DELAY
    receipt = staking.withdraw(sender=staked_provider)
    assert receipt.return_value == 3 * MIN_STAKE
    assert staking.totalStaked() == 0 == opg.balanceOf(staking)


def test_slash__whole_unbonding__clears_position(staking, staked_provider, slasher, reverts_with):
    staking.unbond(5 * MIN_STAKE, sender=staked_provider)
    staking.slash(staked_provider, 5 * MIN_STAKE, ZERO_ADDRESS, sender=slasher)
    assert staking.stakeOf(staked_provider) == (0, 0, 0, 0)
    with reverts_with(staking.NothingToWithdraw, provider=staked_provider.address):
        staking.withdraw(sender=staked_provider)


def test_slash__more_than_available__caps_and_spares_locked(
    staking, opg, staked_provider, job_manager, slasher
):
    staking.lockCollateral(staked_provider, MODEL, 2 * MIN_STAKE, sender=job_manager)
    staking.unbond(MIN_STAKE, sender=staked_provider)  # 4 active (2 locked), 1 unbonding
    receipt = staking.slash(staked_provider, 100 * MIN_STAKE, ZERO_ADDRESS, sender=slasher)
    assert receipt.return_value == [3 * MIN_STAKE, 0]
    assert staking.stakeOf(staked_provider)[:3] == (2 * MIN_STAKE, 2 * MIN_STAKE, 0)
    # The open job can still settle either way.
    staking.releaseCollateral(staked_provider, 2 * MIN_STAKE, sender=job_manager)
    assert staking.totalStaked() == 2 * MIN_STAKE == opg.balanceOf(staking)


def test_slash__only_locked_left__reverts(staking, staked_provider, job_manager, slasher, reverts_with):
    staking.lockCollateral(staked_provider, MODEL, 5 * MIN_STAKE, sender=job_manager)
    with reverts_with(staking.NothingToSlash, provider=staked_provider.address):
        staking.slash(staked_provider, 1, ZERO_ADDRESS, sender=slasher)


def test_slash__unstaked_provider__reverts(staking, stranger, slasher, reverts_with):
    with reverts_with(staking.NothingToSlash, provider=stranger.address):
        staking.slash(stranger, 1, ZERO_ADDRESS, sender=slasher)


def test_slash__zero_amount__reverts(staking, staked_provider, slasher, reverts_with):
    with reverts_with(staking.ZeroAmount):
        staking.slash(staked_provider, 0, ZERO_ADDRESS, sender=slasher)


def test_slash__job_manager_without_slasher_role__reverts(
    staking, staked_provider, job_manager, stranger, reverts_with
):
    role = staking.SLASHER_ROLE()
    for caller in (job_manager, stranger):
        with reverts_with(staking.AccessControlUnauthorizedAccount, account=caller.address, neededRole=role):
            staking.slash(staked_provider, 1, ZERO_ADDRESS, sender=caller)


def test_slash__while_paused__accepted(staking, deployer, staked_provider, slasher):
    staking.pause(sender=deployer)
    staking.slash(staked_provider, MIN_STAKE, ZERO_ADDRESS, sender=slasher)
    assert staking.stakeOf(staked_provider)[0] == 4 * MIN_STAKE
