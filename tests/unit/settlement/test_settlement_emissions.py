"""Epoch emissions: decaying schedule, per-epoch shares proportional to fees, lazy folding, the cap."""

from hypothesis import given, settings
from hypothesis import strategies as st
from settlement_helpers import DECAY_BPS, EPOCH, INITIAL_EMISSION, OPG, emission


def test_epoch_emission__schedule__decays_geometrically(settlement):
    assert settlement.epochEmission(0) == INITIAL_EMISSION
    assert settlement.epochEmission(1) == INITIAL_EMISSION * DECAY_BPS // 10_000
    assert settlement.epochEmission(2) == INITIAL_EMISSION * 81 // 100
    for e in (3, 10, 57, 365, 1_000):
        assert settlement.epochEmission(e) == emission(e)
        assert settlement.epochEmission(e) <= settlement.epochEmission(e - 1)
    assert settlement.epochEmission(10_000) == 0  # 0.9^10000 underflows


@settings(max_examples=20, deadline=None)
@given(epoch=st.integers(min_value=0, max_value=2**32 - 1))
def test_epoch_emission__any_epoch__matches_reference_and_is_bounded(settlement, epoch):
    value = settlement.epochEmission(epoch)
    assert value == emission(epoch)
    assert value <= INITIAL_EMISSION


def test_claim__after_epoch_close__emissions_proportional_to_fees(
    opg, settlement, credit, next_epoch, provider, provider2, researcher
):
    next_epoch()  # start of a fresh epoch e
    e = settlement.currentEpoch()
    credit(provider, researcher, 30 * OPG)
    credit(provider2, researcher, 10 * OPG)
    credit(provider, researcher, 20 * OPG)  # provider: 50, provider2: 10 of 60
    assert settlement.epochTotalFees(e) == 60 * OPG
    assert settlement.claimable(provider).emissions == 0
    next_epoch()
    total = emission(e)
    expected1, expected2 = 50 * total // 60, 10 * total // 60
    assert settlement.claimable(provider).emissions == expected1
    supply = opg.totalSupply()
    tx = settlement.claim(sender=provider)
    assert tx.events.filter(settlement.EmissionsAccrued)[0].amount == expected1
    assert tx.events.filter(settlement.RewardsClaimed)[0].emissions == expected1
    settlement.claim(sender=provider2)
    assert opg.totalSupply() == supply + expected1 + expected2
    assert expected1 + expected2 <= total


def test_credit__later_epoch__folds_pending_epoch_lazily(settlement, credit, next_epoch, provider, researcher):
    next_epoch()
    e = settlement.currentEpoch()
    credit(provider, researcher, 10 * OPG)
    next_epoch()
    next_epoch()  # an empty epoch in between: nothing loops over it
    tx = credit(provider, researcher, 5 * OPG)
    assert tx.events.filter(settlement.EpochClosed)[0].epoch == e
    accrued = tx.events.filter(settlement.EmissionsAccrued)[0]
    assert (accrued.account, accrued.epoch, accrued.amount) == (provider.address, e, emission(e))
    _, pending_epoch, pending_fees, owed = settlement.accountOf(provider)
    assert (pending_epoch, pending_fees, owed) == (e + 2, 5 * OPG, emission(e))


def test_claim__twice_after_close__second_reverts(settlement, credit, next_epoch, provider, researcher, reverts_with):
    next_epoch()
    credit(provider, researcher, 10 * OPG)
    next_epoch()
    settlement.claim(sender=provider)
    with reverts_with(settlement.NothingToClaim, account=provider.address):
        settlement.claim(sender=provider)


def test_claim__near_cap__mints_only_to_cap_and_keeps_rest_owed(
    project, deployer, treasury, fake_escrow, chain, provider, researcher
):
    cap = 1_000_000_000 * OPG
    token = deployer.deploy(project.OPGToken, deployer, treasury, cap - 100 * OPG)  # 100 OPG of room
    s = deployer.deploy(
        project.RewardSettlement, token, fake_escrow, deployer, treasury, 0, EPOCH, INITIAL_EMISSION, DECAY_BPS, 0
    )
    token.grantRole(token.MINTER_ROLE(), s, sender=deployer)
    token.transfer(s, OPG, sender=treasury)
    s.creditFee(provider, researcher, 0, OPG, sender=fake_escrow)
    chain.pending_timestamp += EPOCH
    chain.mine()
    owed = s.claimable(provider).emissions
    assert owed > 100 * OPG
    tx = s.claim(sender=provider)
    assert tx.events.filter(s.RewardsClaimed)[0].emissions == 100 * OPG
    assert token.totalSupply() == cap
    assert s.accountOf(provider).owedEmissions == owed - 100 * OPG
    assert s.claimable(provider) == (0, owed - 100 * OPG)
