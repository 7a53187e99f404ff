"""Undelegating and withdrawing: the unbonding lock per delegator, capacity that backs locked collateral,
the provider's own unbonding with delegators, and every revert."""

from delegation_helpers import MIN_STAKE, OPG
from opg_testkit import reverts_with

DELAY = 7 * 86_400


def test_undelegate__half__moves_value_to_unbonding_and_restarts_clock(chain, suite, world, provider, delegator):
    st = suite.staking
    st.delegateStake(provider, 400 * OPG, sender=delegator)
    tx = st.undelegate(provider, 100 * OPG, sender=delegator)
    ev = tx.events.filter(st.Undelegated)[0]
    assert (ev["shares"], ev["amount"], ev["unbondingTotal"]) == (100 * OPG, 100 * OPG, 100 * OPG)
    assert ev["unlockAt"] == tx.timestamp + DELAY
    assert st.capacityOf(provider) == MIN_STAKE + 300 * OPG
    shares, amount, unbonding, unlock_at, _ = st.delegationOf(delegator, provider)
    assert (shares, amount, unbonding, unlock_at) == (300 * OPG, 300 * OPG, 100 * OPG, tx.timestamp + DELAY)

    chain.pending_timestamp += 3_600
    tx2 = st.undelegate(provider, 100 * OPG, sender=delegator)
    ev2 = tx2.events.filter(st.Undelegated)[0]
    assert ev2["unbondingTotal"] == 200 * OPG and ev2["unlockAt"] == tx2.timestamp + DELAY


def test_withdraw_delegation__before_unlock__reverts(chain, suite, world, provider, delegator):
    st = suite.staking
    st.delegateStake(provider, 400 * OPG, sender=delegator)
    tx = st.undelegate(provider, 400 * OPG, sender=delegator)
    chain.pending_timestamp = tx.timestamp + DELAY - 2
    with reverts_with(st.DelegationLocked, delegator=delegator.address, provider=provider.address,
                      unlockAt=tx.timestamp + DELAY):
        st.withdrawDelegation(provider, sender=delegator)


def test_withdraw_delegation__after_unlock__pays_and_clears(chain, suite, world, provider, delegator):
    st, token = suite.staking, suite.token
    st.delegateStake(provider, 400 * OPG, sender=delegator)
    tx = st.undelegate(provider, 400 * OPG, sender=delegator)
    assert not suite.settlement.isDelegated(provider)  # last shares left: credits stop calling staking
    chain.pending_timestamp = tx.timestamp + DELAY
    before, total_before = token.balanceOf(delegator), st.totalStaked()
    st.withdrawDelegation(provider, sender=delegator)
    assert token.balanceOf(delegator) == before + 400 * OPG
    assert st.totalStaked() == total_before - 400 * OPG
    assert st.poolOf(provider) == (0, 0, 0, 0, 0)
    with reverts_with(st.NoDelegationUnbonding, delegator=delegator.address, provider=provider.address):
        st.withdrawDelegation(provider, sender=delegator)


def test_undelegate__more_than_held__reverts(suite, world, provider, delegator):
    st = suite.staking
    st.delegateStake(provider, 100 * OPG, sender=delegator)
    with reverts_with(st.InsufficientShares, delegator=delegator.address, provider=provider.address,
                      have=100 * OPG, need=100 * OPG + 1):
        st.undelegate(provider, 100 * OPG + 1, sender=delegator)
    with reverts_with(st.ZeroAmount):
        st.undelegate(provider, 0, sender=delegator)


def test_undelegate__capacity_backs_locked_collateral__reverts(suite, world, jobs, provider, delegator):
    st = suite.staking
    st.delegateStake(provider, 2_000 * OPG, sender=delegator)
    fee = 1_000 * OPG
    jobs.claimed(provider, fee)  # collateral 1,500 OPG > own 1,000: delegated capacity backs it
    collateral = jobs.collateral(fee)
    assert st.stakeOf(provider).locked == collateral
    free = MIN_STAKE + 2_000 * OPG - collateral
    with reverts_with(st.InsufficientFreeStake, provider=provider.address, free=free, need=2_000 * OPG):
        st.undelegate(provider, 2_000 * OPG, sender=delegator)
    st.undelegate(provider, free, sender=delegator)  # exactly the free capacity may leave
    assert st.freeStake(provider) == 0


def test_claim__collateral_beyond_own_stake_without_delegators__reverts(suite, world, jobs, provider, provider2):
    st = suite.staking
    fee = 1_000 * OPG  # collateral 1,500 OPG
    assert not st.isEligible(provider, world["model_id"], jobs.collateral(fee))
    with reverts_with(st.InsufficientFreeStake):
        jobs.claimed(provider, fee)


def test_unbond__provider_own_stake_below_locked__reverts(suite, world, jobs, provider, delegator):
    st = suite.staking
    st.delegateStake(provider, 2_000 * OPG, sender=delegator)
    jobs.claimed(provider, 1_000 * OPG)  # locks 1,500 OPG, more than the provider's own 1,000
    # Its own stake is all "behind" its jobs: it may not leave them backed by delegators alone.
    with reverts_with(st.InsufficientFreeStake, provider=provider.address, free=0, need=MIN_STAKE):
        st.unbond(MIN_STAKE, sender=provider)


def test_unbond__provider_full_exit_with_delegators__stays_delegated_but_ineligible(
    suite, world, provider, delegator
):
    st = suite.staking
    st.delegateStake(provider, 2_000 * OPG, sender=delegator)
    st.unbond(MIN_STAKE, sender=provider)
    assert st.capacityOf(provider) == 2_000 * OPG
    assert not st.isEligible(provider, world["model_id"], 1)  # own stake below the minimum
    st.undelegate(provider, 2_000 * OPG, sender=delegator)  # delegators can always leave free capacity
    assert st.capacityOf(provider) == 0
