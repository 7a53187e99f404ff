"""Delegators' rewards: fee share and emissions passed by the settlement through the pool's reward-per-share
accumulator, the terms' change delay (no front-running payouts), late joiners, rounding dust, claims."""

from delegation_helpers import BPS, OPG
from opg_testkit import emission_at, reverts_with

DELAY = 7 * 86_400
ROYALTY_BPS = 500


def _provider_share(suite, fee: int) -> int:
    return fee - fee * ROYALTY_BPS // BPS - fee * suite.settlement.treasuryFeeBps() // BPS


def test_finalize__delegated_provider__fee_share_goes_to_pool(suite, world, jobs, provider, delegator):
    st, se = suite.staking, suite.settlement
    st.setDelegationTerms(2_000, 5_000, sender=provider)
    st.delegateStake(provider, 1_000 * OPG, sender=delegator)
    fee = 100 * OPG + 1
    tx = jobs.finalized(provider, fee)

    share = _provider_share(suite, fee)
    to_pool = share * 5_000 // BPS
    ev = tx.events.filter(st.DelegatorRewardsCredited)[0]
    assert (ev["fees"], ev["emissions"]) == (to_pool, 0)
    assert se.accountOf(provider).claimableFees == share - to_pool
    assert se.accountOf(st).claimableFees == to_pool
    assert tx.events.filter(se.FeeCredited)[0]["providerShare"] == share  # gross, as documented
    assert st.delegationOf(delegator, provider).rewards == to_pool


def test_claim_delegator_rewards__fees_and_emissions__paid_once(
    chain, suite, world, jobs, next_epoch, provider, delegator
):
    st, se, token = suite.staking, suite.settlement, suite.token
    st.setDelegationTerms(2_000, 5_000, sender=provider)
    st.delegateStake(provider, 1_000 * OPG, sender=delegator)
    epoch = next_epoch()
    fee = 100 * OPG
    jobs.finalized(provider, fee)
    next_epoch()
    tx = jobs.finalized(provider, fee)  # folds the closed epoch's emissions

    emission = emission_at(se.INITIAL_EMISSION(), se.DECAY_BPS(), epoch)  # the provider earned all of it
    em_to_pool = emission * 8_000 // BPS
    ev = tx.events.filter(st.DelegatorRewardsCredited)
    assert [e["emissions"] for e in ev] == [em_to_pool, 0]
    assert se.accountOf(provider).owedEmissions == emission - em_to_pool
    assert se.accountOf(st).owedEmissions == em_to_pool
    fees_to_pool = 2 * (_provider_share(suite, fee) * 5_000 // BPS)
    owed = st.delegationOf(delegator, provider).rewards
    assert owed == fees_to_pool + em_to_pool

    before = token.balanceOf(delegator)
    st.claimDelegatorRewards(provider, sender=delegator)
    assert token.balanceOf(delegator) == before + owed
    assert st.delegationOf(delegator, provider).rewards == 0
    assert se.claimable(st) == (0, 0)  # the pool's credits were pulled
    with reverts_with(st.NoDelegatorRewards, delegator=delegator.address, provider=provider.address):
        st.claimDelegatorRewards(provider, sender=delegator)


def test_set_terms__worse_for_delegators_before_payout__applies_only_after_delay(
    chain, suite, world, jobs, provider, delegator
):
    st = suite.staking
    st.setDelegationTerms(2_000, 5_000, sender=provider)
    st.delegateStake(provider, 1_000 * OPG, sender=delegator)
    tx = st.setDelegationTerms(10_000, 0, sender=provider)  # front-run the payout: keep everything
    assert tx.events.filter(st.DelegationTermsSet)[0]["effectiveAt"] == tx.timestamp + DELAY
    assert st.delegationTerms(provider) == (2_000, 5_000, 10_000, 0, tx.timestamp + DELAY)

    fee = 100 * OPG
    jobs.finalized(provider, fee)
    assert st.delegationOf(delegator, provider).rewards == _provider_share(suite, fee) * 5_000 // BPS

    chain.pending_timestamp = tx.timestamp + DELAY
    before = st.delegationOf(delegator, provider).rewards
    jobs.finalized(provider, fee)
    assert st.delegationOf(delegator, provider).rewards == before
    assert st.delegationTerms(provider)[:2] == (10_000, 0)


def test_set_terms__better_for_delegators__applies_now(suite, world, provider):
    st = suite.staking
    assert st.delegationTerms(provider) == (10_000, 0, 0, 0, 0)  # defaults: keeps all, shares nothing
    tx = st.setDelegationTerms(1_000, 3_000, sender=provider)
    assert tx.events.filter(st.DelegationTermsSet)[0]["effectiveAt"] == tx.timestamp
    assert st.delegationTerms(provider) == (1_000, 3_000, 0, 0, 0)


def test_set_terms__above_bps__reverts(suite, provider):
    with reverts_with(suite.staking.InvalidTerms, rewardCutBps=10_001, feeShareBps=0):
        suite.staking.setDelegationTerms(10_001, 0, sender=provider)
    with reverts_with(suite.staking.InvalidTerms, rewardCutBps=0, feeShareBps=10_001):
        suite.staking.setDelegationTerms(0, 10_001, sender=provider)


def test_delegate__after_credit__late_joiner_gets_nothing_of_it(suite, world, jobs, provider, delegator, delegator2):
    st = suite.staking
    st.setDelegationTerms(0, 10_000, sender=provider)
    st.delegateStake(provider, 1_000 * OPG, sender=delegator)
    jobs.finalized(provider, 100 * OPG)
    st.delegateStake(provider, 1_000_000, sender=delegator2)
    assert st.delegationOf(delegator2, provider).rewards == 0
    assert st.delegationOf(delegator, provider).rewards == _provider_share(suite, 100 * OPG)


def test_undelegate__keeps_rewards_earned_and_stops_earning(suite, world, jobs, provider, delegator):
    st = suite.staking
    st.setDelegationTerms(0, 10_000, sender=provider)
    st.delegateStake(provider, 1_000 * OPG, sender=delegator)
    jobs.finalized(provider, 100 * OPG)
    st.undelegate(provider, 1_000 * OPG, sender=delegator)
    earned = st.delegationOf(delegator, provider).rewards
    assert earned == _provider_share(suite, 100 * OPG)
    tx = jobs.finalized(provider, 100 * OPG)  # no delegators left: the settlement does not call staking
    assert not tx.events.filter(st.DelegatorRewardsCredited)
    assert st.delegationOf(delegator, provider).rewards == earned
    st.claimDelegatorRewards(provider, sender=delegator)


def test_rewards__odd_shares__sum_paid_never_exceeds_credited(
    suite, world, jobs, provider, delegator, delegator2, stranger, treasury
):
    st, token = suite.staking, suite.token
    suite.token.transfer(stranger, 10 * OPG, sender=treasury)
    token.approve(st, 2**256 - 1, sender=stranger)
    st.setDelegationTerms(0, 3_333, sender=provider)
    members = ((delegator, OPG + 1), (delegator2, 2 * OPG + 3), (stranger, 3 * OPG + 7))
    for d, amount in members:
        st.delegateStake(provider, amount, sender=d)
    credited = 0
    for fee in (10 * OPG + 7, 13 * OPG + 1, 17 * OPG + 3):
        credited += jobs.finalized(provider, fee).events.filter(st.DelegatorRewardsCredited)[0]["fees"]
    paid = 0
    for d, _ in members:
        before = token.balanceOf(d)
        st.claimDelegatorRewards(provider, sender=d)
        paid += token.balanceOf(d) - before
    assert credited - len(members) * 3 <= paid <= credited
    assert token.balanceOf(st) >= st.totalStaked() + st.delegatorRewardsHeld()


def test_finalize__provider_without_delegators__keeps_whole_share(suite, world, jobs, provider):
    st, se = suite.staking, suite.settlement
    st.setDelegationTerms(0, 10_000, sender=provider)  # terms alone move nothing
    tx = jobs.finalized(provider, 100 * OPG)
    assert not tx.events.filter(st.DelegatorRewardsCredited)
    assert se.accountOf(provider).claimableFees == _provider_share(suite, 100 * OPG)
    assert not se.isDelegated(provider)
