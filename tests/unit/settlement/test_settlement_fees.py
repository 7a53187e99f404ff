"""Fee split, pull balances, treasury, access control and governance of RewardSettlement."""

import ape
from hypothesis import given, settings
from hypothesis import strategies as st
from settlement_helpers import OPG, TREASURY_FEE_BPS


def test_credit_fee__split__provider_owner_treasury(settlement, credit, provider, researcher):
    fee = 100 * OPG
    tx = credit(provider, researcher, fee, royalty_bps=500)
    royalty, treasury_share = fee * 500 // 10_000, fee * TREASURY_FEE_BPS // 10_000
    ev = tx.events.filter(settlement.FeeCredited)[0]
    assert (ev["provider"], ev.modelOwner, ev.fee, ev.epoch) == (provider.address, researcher.address, fee, 0)
    assert (ev.providerShare, ev.royalty, ev.treasuryShare) == (fee - royalty - treasury_share, royalty, treasury_share)
    assert settlement.accountOf(provider) == (fee - royalty - treasury_share, 0, fee, 0)
    assert settlement.accountOf(researcher).claimableFees == royalty
    assert settlement.treasuryAccrued() == treasury_share
    assert settlement.epochTotalFees(0) == fee


def test_credit_fee__owner_is_provider__gets_both_shares(settlement, credit, provider):
    fee = 10 * OPG
    credit(provider, provider, fee)
    assert settlement.accountOf(provider).claimableFees == fee - fee * TREASURY_FEE_BPS // 10_000


@settings(max_examples=15, deadline=None)
@given(
    fee=st.integers(min_value=0, max_value=2**96 - 1),
    royalty_bps=st.integers(min_value=0, max_value=5_000),
)
def test_credit_fee__any_fee__parts_sum_to_fee(settlement, fake_escrow, provider, researcher, fee, royalty_bps):
    tx = settlement.creditFee(provider, researcher, royalty_bps, fee, sender=fake_escrow)
    ev = tx.events.filter(settlement.FeeCredited)[0]
    assert ev.providerShare + ev.royalty + ev.treasuryShare == fee
    assert ev.royalty == fee * royalty_bps // 10_000


def test_credit__not_escrow__reverts(settlement, provider, stranger, reverts_with):
    with reverts_with(settlement.NotEscrow, caller=stranger.address):
        settlement.creditFee(provider, provider, 0, 1, sender=stranger)
    with reverts_with(settlement.NotEscrow, caller=stranger.address):
        settlement.creditBalance(provider, 1, sender=stranger)


def test_credit_balance__escrow__adds_to_claimable(settlement, fake_escrow, provider):
    tx = settlement.creditBalance(provider, 7, sender=fake_escrow)
    assert tx.events.filter(settlement.BalanceCredited)[0].amount == 7
    assert settlement.accountOf(provider).claimableFees == 7


def test_claim__fees_in_open_epoch__pays_fees_only(opg, settlement, credit, provider, researcher):
    fee = 100 * OPG
    credit(provider, researcher, fee)
    share = settlement.accountOf(provider).claimableFees
    before = opg.balanceOf(provider)
    supply = opg.totalSupply()
    tx = settlement.claim(sender=provider)
    ev = tx.events.filter(settlement.RewardsClaimed)[0]
    assert (ev.fees, ev.emissions) == (share, 0)
    assert opg.balanceOf(provider) == before + share
    assert opg.totalSupply() == supply  # nothing minted before the epoch closes


def test_claim__twice__second_reverts(settlement, credit, provider, researcher, reverts_with):
    credit(provider, researcher, 10 * OPG)
    settlement.claim(sender=provider)
    with reverts_with(settlement.NothingToClaim, account=provider.address):
        settlement.claim(sender=provider)


def test_claim__nothing__reverts(settlement, stranger, reverts_with):
    with reverts_with(settlement.NothingToClaim, account=stranger.address):
        settlement.claim(sender=stranger)


def test_claim_treasury__accrued__pays_treasury_once(opg, settlement, credit, provider, researcher, treasury, stranger):
    fee = 100 * OPG
    credit(provider, researcher, fee)
    accrued = settlement.treasuryAccrued()
    before = opg.balanceOf(treasury)
    tx = settlement.claimTreasury(sender=stranger)
    assert tx.events.filter(settlement.TreasuryClaimed)[0].amount == accrued
    assert opg.balanceOf(treasury) == before + accrued
    with ape.reverts(settlement.NothingToClaim):
        settlement.claimTreasury(sender=stranger)


def test_set_treasury_fee__above_cap__reverts(settlement, deployer, reverts_with):
    cap = settlement.MAX_TREASURY_FEE_BPS()
    with reverts_with(settlement.TreasuryFeeTooHigh, bps=cap + 1, max=cap):
        settlement.setTreasuryFeeBps(cap + 1, sender=deployer)


def test_set_treasury_fee__admin__applies_to_next_credit(settlement, credit, deployer, provider, researcher):
    tx = settlement.setTreasuryFeeBps(2_000, sender=deployer)
    assert tx.events.filter(settlement.TreasuryFeeUpdated)[0].newBps == 2_000
    credit(provider, researcher, 100 * OPG)
    assert settlement.treasuryAccrued() == 20 * OPG


def test_governance__stranger__reverts(settlement, stranger):
    with ape.reverts(settlement.AccessControlUnauthorizedAccount):
        settlement.setTreasuryFeeBps(1, sender=stranger)
    with ape.reverts(settlement.AccessControlUnauthorizedAccount):
        settlement.setTreasury(stranger, sender=stranger)


def test_set_treasury__zero__reverts(settlement, deployer):
    with ape.reverts(settlement.ZeroAddress):
        settlement.setTreasury(ape.utils.ZERO_ADDRESS, sender=deployer)


def test_deploy__bad_schedule__reverts(project, deployer, treasury, opg, fake_escrow, settlement, deploy_reverts_with):
    with deploy_reverts_with(settlement.InvalidSchedule, 0, 0, 1, 9_000):
        deployer.deploy(project.RewardSettlement, opg, fake_escrow, deployer, treasury, 0, 0, 1, 9_000, 0)
    with deploy_reverts_with(settlement.InvalidSchedule, 0, 1, 1, 10_001):
        deployer.deploy(project.RewardSettlement, opg, fake_escrow, deployer, treasury, 0, 1, 1, 10_001, 0)
    future = 2**40
    with deploy_reverts_with(settlement.InvalidSchedule, future, 1, 1, 9_000):
        deployer.deploy(project.RewardSettlement, opg, fake_escrow, deployer, treasury, future, 1, 1, 9_000, 0)
    with deploy_reverts_with(settlement.ZeroAddress):
        deployer.deploy(project.RewardSettlement, opg, ape.utils.ZERO_ADDRESS, deployer, treasury, 0, 1, 1, 9_000, 0)
    with deploy_reverts_with(settlement.TreasuryFeeTooHigh, 2_001, 2_000):
        deployer.deploy(project.RewardSettlement, opg, fake_escrow, deployer, treasury, 0, 1, 1, 9_000, 2_001)
