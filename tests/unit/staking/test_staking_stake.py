"""ProviderStaking.stake / stakeWithPermit: minimum on first stake, top-ups, permit, pause."""

from opg_testkit import sign_permit
from staking_helpers import MIN_STAKE, OPG


def test_stake__first_stake_at_minimum__credits_active_and_emits(staking, opg, provider, stake_for):
    before = opg.balanceOf(provider)
    receipt = stake_for(provider, MIN_STAKE)
    assert staking.stakeOf(provider) == (MIN_STAKE, 0, 0, 0)
    assert staking.freeStake(provider) == MIN_STAKE
    assert staking.totalStaked() == MIN_STAKE
    assert opg.balanceOf(staking) == MIN_STAKE
    assert opg.balanceOf(provider) == before - MIN_STAKE
    [log] = list(receipt.decode_logs(staking.Staked))
    assert (log["provider"], log.amount, log.newTotal) == (provider.address, MIN_STAKE, MIN_STAKE)


def test_stake__first_stake_below_minimum__reverts(staking, opg, provider, reverts_with):
    opg.approve(staking, MIN_STAKE, sender=provider)
    with reverts_with(staking.StakeTooLow, provider=provider.address, have=MIN_STAKE - 1, need=MIN_STAKE):
        staking.stake(MIN_STAKE - 1, sender=provider)


def test_stake__top_up_below_minimum__accepted(staking, provider, stake_for):
    stake_for(provider, MIN_STAKE)
    receipt = stake_for(provider, 1)
    assert staking.stakeOf(provider)[0] == MIN_STAKE + 1
    assert staking.totalStaked() == MIN_STAKE + 1
    [log] = list(receipt.decode_logs(staking.Staked))
    assert (log.amount, log.newTotal) == (1, MIN_STAKE + 1)


def test_stake__two_providers__total_is_sum(staking, opg, provider, provider2, stake_for):
    stake_for(provider, MIN_STAKE)
    stake_for(provider2, 3 * MIN_STAKE)
    assert staking.totalStaked() == 4 * MIN_STAKE == opg.balanceOf(staking)


def test_stake__zero_amount__reverts(staking, provider, reverts_with):
    with reverts_with(staking.ZeroAmount):
        staking.stake(0, sender=provider)


def test_stake__without_allowance__reverts(staking, opg, provider, reverts_with):
    with reverts_with(opg.ERC20InsufficientAllowance, spender=staking.address, allowance=0, needed=MIN_STAKE):
        staking.stake(MIN_STAKE, sender=provider)


def test_stake__after_full_exit__must_reach_minimum_again(staking, provider, stake_for, reverts_with):
    stake_for(provider, MIN_STAKE)
    staking.unbond(MIN_STAKE, sender=provider)
    with reverts_with(staking.StakeTooLow, provider=provider.address, have=MIN_STAKE // 2, need=MIN_STAKE):
        stake_for(provider, MIN_STAKE // 2)
    stake_for(provider, MIN_STAKE)
    assert staking.stakeOf(provider)[:3] == (MIN_STAKE, 0, MIN_STAKE)


def test_stake__while_paused__reverts(staking, deployer, provider, stake_for, reverts_with):
    staking.pause(sender=deployer)
    with reverts_with(staking.EnforcedPause):
        stake_for(provider, MIN_STAKE)


def test_stake__after_unpause__accepted(staking, deployer, provider, stake_for):
    staking.pause(sender=deployer)
    staking.unpause(sender=deployer)
    stake_for(provider, MIN_STAKE)
    assert staking.stakeOf(provider)[0] == MIN_STAKE


def test_stake_with_permit__valid_signature__stakes_without_prior_approve(staking, opg, chain, provider):
    deadline = chain.pending_timestamp + 3600
    v, r, s = sign_permit(opg, provider, staking, 2 * MIN_STAKE, deadline)
    receipt = staking.stakeWithPermit(2 * MIN_STAKE, deadline, v, r, s, sender=provider)
    assert staking.stakeOf(provider)[0] == 2 * MIN_STAKE
    assert opg.balanceOf(staking) == 2 * MIN_STAKE == staking.totalStaked()
    assert opg.allowance(provider, staking) == 0
    assert opg.nonces(provider) == 1
    [log] = list(receipt.decode_logs(staking.Staked))
    assert (log["provider"], log.amount) == (provider.address, 2 * MIN_STAKE)


def test_stake_with_permit__permit_front_run__still_stakes(staking, opg, chain, provider, stranger):
    deadline = chain.pending_timestamp + 3600
    v, r, s = sign_permit(opg, provider, staking, MIN_STAKE, deadline)
    opg.permit(provider, staking, MIN_STAKE, deadline, v, r, s, sender=stranger)  # griefer uses it first
    staking.stakeWithPermit(MIN_STAKE, deadline, v, r, s, sender=provider)
    assert staking.stakeOf(provider)[0] == MIN_STAKE


def test_stake_with_permit__bad_signature_and_no_allowance__reverts(
    staking, opg, chain, provider, reverts_with
):
    deadline = chain.pending_timestamp + 3600
    v, r, s = sign_permit(opg, provider, staking, MIN_STAKE, deadline)
    with reverts_with(opg.ERC20InsufficientAllowance, allowance=0, needed=2 * MIN_STAKE):
        staking.stakeWithPermit(2 * MIN_STAKE, deadline, v, r, s, sender=provider)  # signed for less


def test_stake_with_permit__below_minimum__reverts(staking, opg, chain, provider, reverts_with):
    deadline = chain.pending_timestamp + 3600
    v, r, s = sign_permit(opg, provider, staking, OPG, deadline)
    with reverts_with(staking.StakeTooLow, have=OPG, need=MIN_STAKE):
        staking.stakeWithPermit(OPG, deadline, v, r, s, sender=provider)


def test_stake_with_permit__while_paused__reverts(staking, opg, chain, deployer, provider, reverts_with):
    staking.pause(sender=deployer)
    deadline = chain.pending_timestamp + 3600
    v, r, s = sign_permit(opg, provider, staking, MIN_STAKE, deadline)
    with reverts_with(staking.EnforcedPause):
        staking.stakeWithPermit(MIN_STAKE, deadline, v, r, s, sender=provider)
