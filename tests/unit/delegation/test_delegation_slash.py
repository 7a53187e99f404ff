"""Slashing with delegation: collateral and free stake are taken from the provider's own stake and the pool
pro rata (the provider's part rounded up), unbonding delegations stay slashable, a wiped pool stays usable."""

from delegation_helpers import MIN_STAKE, OPG
from opg_testkit import reverts_with

DELAY = 7 * 86_400


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def test_expire__collateral_beyond_own_stake__slashes_own_and_pool_pro_rata(
    suite, world, jobs, provider, delegator, delegator2, stranger
):
    st = suite.staking
    st.delegateStake(provider, 1_200 * OPG + 1, sender=delegator)
    st.delegateStake(provider, 600 * OPG + 7, sender=delegator2)
    own, pool = MIN_STAKE, 1_800 * OPG + 8
    fee = 1_000 * OPG + 3
    collateral = jobs.collateral(fee)
    job_id = jobs.claimed(provider, fee)
    value1 = st.delegationOf(delegator, provider).amount
    value2 = st.delegationOf(delegator2, provider).amount
    total_before = st.totalStaked()

    tx = jobs.expire(job_id, stranger)

    from_own = _ceil_div(collateral * own, own + pool)
    from_pool = collateral - from_own
    assert st.stakeOf(provider).active == own - from_own
    assert st.stakeOf(provider).locked == 0
    assert st.poolOf(provider).assets == pool - from_pool
    ev = tx.events.filter(st.DelegationSlashed)[0]
    assert (ev["fromPool"], ev["fromUnbonding"]) == (from_pool, 0)
    assert st.totalStaked() == total_before - collateral
    # Every delegator loses the same fraction (to a wei of rounding); the claims stay backed.
    left = pool - from_pool
    afters = []
    for d, before in ((delegator, value1), (delegator2, value2)):
        after = st.delegationOf(d, provider).amount
        assert abs(after * pool - before * left) <= 2 * pool
        afters.append(after)
    assert sum(afters) <= left


def test_expire__provider_without_delegators__slashes_own_stake_only(suite, world, jobs, provider, stranger):
    st = suite.staking
    fee = 100 * OPG
    job_id = jobs.claimed(provider, fee)
    tx = jobs.expire(job_id, stranger)
    assert st.stakeOf(provider).active == MIN_STAKE - jobs.collateral(fee)
    assert not tx.events.filter(st.DelegationSlashed)


def test_slash__during_unbonding__takes_free_then_both_unbonding_positions_pro_rata(
    chain, suite, world, deployer, provider, delegator
):
    st, token = suite.staking, suite.token
    st.delegateStake(provider, 2_000 * OPG, sender=delegator)
    st.undelegate(provider, 1_000 * OPG, sender=delegator)  # 1,000 unbonding, 1,000 active in the pool
    st.stake(500 * OPG, sender=provider)
    st.unbond(500 * OPG, sender=provider)  # provider's own lock: 500

    tx = st.slash(provider, 2_600 * OPG, deployer, sender=deployer)

    # Free 2,000 (own 1,000 + pool 1,000: 1,000 each), then 600 from unbonding 500 (provider) + 1,000 (pool).
    from_lock = _ceil_div(600 * OPG * 500, 1_500)
    ev = tx.events.filter(st.DelegationSlashed)[0]
    assert (ev["fromPool"], ev["fromUnbonding"]) == (1_000 * OPG, 600 * OPG - from_lock)
    assert st.stakeOf(provider).active == 0
    assert st.stakeOf(provider).unbonding == 500 * OPG - from_lock
    _, amount, unbonding, unlock_at, _ = st.delegationOf(delegator, provider)
    assert amount == 0 and unbonding == 1_000 * OPG - (600 * OPG - from_lock)

    chain.pending_timestamp = unlock_at
    before = token.balanceOf(delegator)
    st.withdrawDelegation(provider, sender=delegator)
    assert token.balanceOf(delegator) == before + unbonding  # the slashed unbonding value, not the original


def test_slash__everything__nothing_left_reverts(suite, world, deployer, provider, delegator):
    st = suite.staking
    st.delegateStake(provider, 500 * OPG, sender=delegator)
    st.slash(provider, 10**30, deployer, sender=deployer)
    assert st.capacityOf(provider) == 0
    with reverts_with(st.NothingToSlash, provider=provider.address):
        st.slash(provider, 1, deployer, sender=deployer)


def test_delegate__after_pool_wiped__new_delegator_keeps_its_value(
    suite, world, deployer, provider, delegator, delegator2
):
    st = suite.staking
    st.delegateStake(provider, 500 * OPG, sender=delegator)
    st.slash(provider, MIN_STAKE + 500 * OPG, deployer, sender=deployer)  # own and pool wiped
    assert st.poolOf(provider).assets == 0
    st.stake(MIN_STAKE, sender=provider)  # the provider restakes; the wiped shares are worth nothing
    st.delegateStake(provider, 300 * OPG, sender=delegator2)
    value_new = st.delegationOf(delegator2, provider).amount
    value_old = st.delegationOf(delegator, provider).amount
    assert 300 * OPG - 1 <= value_new <= 300 * OPG
    assert value_old + value_new <= st.poolOf(provider).assets  # claims stay backed
    assert value_old <= 1  # at most the virtual unit's rounding
