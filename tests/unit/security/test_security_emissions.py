"""Epoch emissions: never credited before an epoch closes, folded once, proportional to fees, rounded down,
never minted past the cap (the rest stays owed, fees still paid). Self-dealing is an economic risk: a
provider paying itself captures emissions in proportion to the fees it cycles (documented, not fixable
cheaply; the test pins what it costs and what it earns)."""

from opg_testkit import job_of
from security_helpers import OPG, PRICE


def _finalize_many(drive, requester, provider, count, fee=PRICE):
    ids = [drive.submitted(requester, provider, fee=fee) for _ in range(count)]
    drive.chain.pending_timestamp += drive.suite.escrow.challengeWindow() + 1
    for job_id in ids:
        drive.suite.escrow.finalizeJob(job_id, job_of(drive.suite.escrow, job_id), sender=requester)


def test_claim__before_epoch_close__fees_only_then_emissions_once(suite, drive, requester, provider, reverts_with):
    settlement, token = suite.settlement, suite.token
    epoch = settlement.currentEpoch()
    _finalize_many(drive, requester, provider, 2)
    fees, emissions = settlement.claimable(provider)
    assert emissions == 0
    receipt = settlement.claim(sender=provider)
    assert receipt.return_value == (fees, 0)

    drive.next_epoch()
    assert settlement.claimable(provider) == (0, settlement.epochEmission(epoch))
    supply = token.totalSupply()
    assert settlement.claim(sender=provider).return_value == (0, settlement.epochEmission(epoch))
    assert token.totalSupply() - supply == settlement.epochEmission(epoch)
    with reverts_with(settlement.NothingToClaim, account=provider.address):
        settlement.claim(sender=provider)
    # A later credit must not fold the already-folded epoch again.
    _finalize_many(drive, requester, provider, 1)
    assert settlement.accountOf(provider)[3] == 0  # owed emissions
    drive.next_epoch()
    assert settlement.claimable(provider)[1] == settlement.epochEmission(settlement.currentEpoch() - 1)


def test_claim__two_providers_uneven_fees__shares_round_down_within_emission(
    suite, drive, requester, provider, provider2
):
    settlement = suite.settlement
    epoch = settlement.currentEpoch()
    _finalize_many(drive, requester, provider, 1, fee=PRICE)
    _finalize_many(drive, requester, provider2, 2, fee=PRICE + 7)
    drive.next_epoch()
    total = 3 * PRICE + 14
    emission = settlement.epochEmission(epoch)
    e1 = settlement.claim(sender=provider).return_value[1]
    e2 = settlement.claim(sender=provider2).return_value[1]
    assert e1 == PRICE * emission // total
    assert e2 == (2 * PRICE + 14) * emission // total
    assert e1 + e2 <= emission


def test_claim__emissions_past_cap__minted_to_cap_rest_owed_fees_paid(
    suite, drive, deployer, requester, provider, reverts_with
):
    settlement, token = suite.settlement, suite.token
    epoch = settlement.currentEpoch()
    _finalize_many(drive, requester, provider, 1)
    drive.next_epoch()
    token.grantRole(token.MINTER_ROLE(), deployer, sender=deployer)
    room = 3 * OPG
    token.mint(deployer, token.cap() - token.totalSupply() - room, sender=deployer)
    fees, owed = settlement.claimable(provider)
    assert owed == settlement.epochEmission(epoch) > room

    assert settlement.claim(sender=provider).return_value == (fees, room)
    assert token.totalSupply() == token.cap()
    assert settlement.accountOf(provider)[3] == owed - room
    with reverts_with(settlement.NothingToClaim, account=provider.address):
        settlement.claim(sender=provider)


def test_emissions__self_dealing_provider__captures_share_of_fees_it_cycles(
    suite, drive, requester, provider, provider2, researcher
):
    """Economic risk (documented): a staked provider that is also requester and model owner pays fees to
    itself; it loses only the treasury share and gas, and earns emissions in proportion to those fees."""
    settlement, token = suite.settlement, suite.token
    suite.token.approve(suite.escrow, 2**256 - 1, sender=provider2)
    epoch = settlement.currentEpoch()
    _finalize_many(drive, requester, provider, 1)  # honest demand: one job
    start = token.balanceOf(provider2) + suite.staking.stakeOf(provider2)[0]
    _finalize_many(drive, provider2, provider2, 9)  # wash jobs
    drive.next_epoch()
    _fees, emissions = settlement.claim(sender=provider2).return_value
    emission = settlement.epochEmission(epoch)
    assert emissions == 9 * PRICE * emission // (10 * PRICE)  # 90% of the epoch's emission
    end = token.balanceOf(provider2) + suite.staking.stakeOf(provider2)[0]
    treasury_cut = 9 * (PRICE * settlement.treasuryFeeBps() // 10_000)
    royalty = 9 * (PRICE * 500 // 10_000)  # to the model owner here; zero cost if the dealer owns the model
    assert end - start == emissions - treasury_cut - royalty
    assert emissions > treasury_cut + royalty  # profitable while honest fees are small vs the emission


def test_claim__minter_role_revoked__fees_paid_emissions_stay_owed(
    suite, drive, deployer, requester, provider, reverts_with
):
    """Governance retiring this settlement as minter must not lock the fees of accounts owed emissions."""
    settlement, token = suite.settlement, suite.token
    epoch = settlement.currentEpoch()
    _finalize_many(drive, requester, provider, 1)
    drive.next_epoch()
    token.revokeRole(token.MINTER_ROLE(), settlement, sender=deployer)
    fees, owed = settlement.claimable(provider)
    assert fees > 0 and owed == settlement.epochEmission(epoch)

    before, supply = token.balanceOf(provider), token.totalSupply()
    receipt = settlement.claim(sender=provider)
    assert receipt.return_value == (fees, 0)
    assert token.balanceOf(provider) - before == fees and token.totalSupply() == supply
    assert settlement.accountOf(provider)[3] == owed
    with reverts_with(settlement.NothingToClaim, account=provider.address):
        settlement.claim(sender=provider)

    token.grantRole(token.MINTER_ROLE(), settlement, sender=deployer)
    assert settlement.claim(sender=provider).return_value == (0, owed)
