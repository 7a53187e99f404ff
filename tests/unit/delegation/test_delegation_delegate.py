"""Delegating: shares, capacity, wiring and every revert of delegate / delegateWithPermit / the links."""

import ape
import pytest
from delegation_helpers import MIN_STAKE, OPG
from opg_testkit import reverts_with, sign_permit


def test_delegate__staked_provider__mints_shares_and_adds_capacity(suite, world, provider, delegator):
    st = suite.staking
    total_before, balance_before = st.totalStaked(), suite.token.balanceOf(st)
    tx = st.delegateStake(provider, 500 * OPG, sender=delegator)

    ev = tx.events.filter(st.Delegated)[0]
    assert (ev["delegator"], ev["provider"], ev["amount"], ev["shares"]) == (delegator, provider, 500 * OPG, 500 * OPG)
    assert (ev.poolAssets, ev.poolShares) == (500 * OPG, 500 * OPG)
    assert st.poolOf(provider)[:2] == (500 * OPG, 500 * OPG)
    assert st.capacityOf(provider) == MIN_STAKE + 500 * OPG
    assert st.freeStake(provider) == MIN_STAKE + 500 * OPG
    assert st.stakeOf(provider).active == MIN_STAKE  # own stake unchanged
    assert st.delegationOf(delegator, provider)[:2] == (500 * OPG, 500 * OPG)
    assert st.totalStaked() == total_before + 500 * OPG
    assert suite.token.balanceOf(st) == balance_before + 500 * OPG
    assert suite.settlement.isDelegated(provider)


def test_delegate__second_delegator__shares_at_pool_rate(suite, world, provider, delegator, delegator2):
    st = suite.staking
    st.delegateStake(provider, 300 * OPG, sender=delegator)
    st.delegateStake(provider, 600 * OPG, sender=delegator2)
    assert st.delegationOf(delegator2, provider)[:2] == (600 * OPG, 600 * OPG)
    assert st.poolOf(provider)[:2] == (900 * OPG, 900 * OPG)


def test_delegate__with_permit__pulls_without_approval(chain, suite, world, provider, stranger, treasury):
    st = suite.staking
    suite.token.transfer(stranger, 200 * OPG, sender=treasury)
    deadline = chain.pending_timestamp + 600
    v, r, s = sign_permit(suite.token, stranger, st, 200 * OPG, deadline)
    st.delegateStakeWithPermit(provider, 200 * OPG, deadline, v, r, s, sender=stranger)
    assert st.delegationOf(stranger, provider).amount == 200 * OPG


def test_delegate__zero_amount__reverts(suite, world, provider, delegator):
    with reverts_with(suite.staking.ZeroAmount):
        suite.staking.delegateStake(provider, 0, sender=delegator)


def test_delegate__unstaked_provider__reverts(suite, world, stranger, delegator):
    with reverts_with(suite.staking.StakeTooLow, provider=stranger, have=0, need=MIN_STAKE):
        suite.staking.delegateStake(stranger, 100 * OPG, sender=delegator)


def test_delegate__provider_exited__reverts(chain, suite, world, provider2, delegator):
    st = suite.staking
    st.unbond(MIN_STAKE, sender=provider2)  # full exit: own stake 0
    with reverts_with(st.StakeTooLow, provider=provider2, have=0, need=MIN_STAKE):
        st.delegateStake(provider2, 100 * OPG, sender=delegator)


def test_delegate__to_self__reverts(suite, world, provider):
    with reverts_with(suite.staking.SelfDelegation, provider=provider):
        suite.staking.delegateStake(provider, 100 * OPG, sender=provider)


def test_delegate__paused__reverts(suite, world, deployer, provider, delegator):
    suite.staking.pause(sender=deployer)
    with reverts_with(suite.staking.EnforcedPause):
        suite.staking.delegateStake(provider, 100 * OPG, sender=delegator)


def test_delegate__no_settlement_link__reverts(project, suite, deployer, treasury, delegator):
    bare = deployer.deploy(
        project.ProviderStaking, suite.token, suite.registry, deployer, treasury, MIN_STAKE, 7 * 86_400,
        ape.utils.ZERO_ADDRESS,
    )
    with reverts_with(bare.SettlementNotSet):
        bare.delegateStake(treasury, 100 * OPG, sender=delegator)


def test_set_reward_settlement__again__reverts(suite, deployer):
    with reverts_with(suite.staking.SettlementAlreadySet, current=suite.settlement.address):
        suite.staking.setRewardSettlement(suite.settlement, sender=deployer)


def test_set_reward_settlement__other_stakings_settlement__reverts(project, suite, deployer, treasury):
    bare = deployer.deploy(
        project.ProviderStaking, suite.token, suite.registry, deployer, treasury, MIN_STAKE, 7 * 86_400,
        ape.utils.ZERO_ADDRESS,
    )
    with reverts_with(bare.InvalidSettlement, settlement=suite.settlement.address):
        bare.setRewardSettlement(suite.settlement, sender=deployer)
    with reverts_with(bare.ZeroAddress):
        bare.setRewardSettlement(ape.utils.ZERO_ADDRESS, sender=deployer)


def test_set_reward_settlement__not_admin__reverts(project, suite, deployer, treasury, stranger):
    bare = deployer.deploy(
        project.ProviderStaking, suite.token, suite.registry, deployer, treasury, MIN_STAKE, 7 * 86_400,
        ape.utils.ZERO_ADDRESS,
    )
    with reverts_with(bare.AccessControlUnauthorizedAccount, account=stranger.address):
        bare.setRewardSettlement(suite.settlement, sender=stranger)


def test_credit_delegators__not_settlement__reverts(suite, provider, stranger):
    with reverts_with(suite.staking.NotSettlement, caller=stranger.address):
        suite.staking.creditDelegators(provider, 10**18, 0, sender=stranger)


def test_set_delegated__not_staking__reverts(suite, provider, stranger):
    with reverts_with(suite.settlement.NotStaking, caller=stranger.address):
        suite.settlement.setDelegated(provider, True, sender=stranger)


@pytest.mark.parametrize("amount", [1, 7, 10**18 + 3])
def test_delegate__tiny_and_odd_amounts__value_never_exceeds_amount(suite, world, provider, delegator, amount):
    st = suite.staking
    st.delegateStake(provider, amount, sender=delegator)
    assert st.delegationOf(delegator, provider).amount <= amount
    assert st.poolOf(provider).assets == amount
