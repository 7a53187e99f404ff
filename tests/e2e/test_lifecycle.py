"""End-to-end: every job path through the real contracts, then every party claims; the balance sheet of
all holders sums to the change in supply (emissions minted minus slashes burned), and each party's change
is exactly what the protocol owes it."""

from eth_utils import keccak
from opg_testkit import TRACE_ROOT, collateral_of, job_of, sign_permit

OPG = 10**18
PRICE = 10 * OPG
INPUT = bytes(range(64))
OUTPUT = b"label=7;confidence=0.9731;rank=1;ok=1;v2"


def _create(chain, s, model_id, requester, fee, mode=0, duration=3_600):
    deadline = chain.pending_timestamp + duration
    v, r, sig_s = sign_permit(s.token, requester, s.escrow, fee, deadline)
    s.escrow.createJobWithPermit(model_id, 1, mode, fee, deadline, INPUT, deadline, v, r, sig_s, sender=requester)
    return s.escrow.lastJobId()


def test_lifecycle__all_paths_then_claims__balance_sheet_sums_to_supply_change(
    chain, suite, world, deployer, treasury, researcher, provider, provider2, requester, watcher
):
    s, model_id = suite, world["model_id"]
    opg, escrow, staking, settlement, verifier = s.token, s.escrow, s.staking, s.settlement, world["verifier"]
    epoch_length, window = settlement.EPOCH_LENGTH(), escrow.challengeWindow()
    holders = {
        "requester": requester,
        "provider": provider,
        "provider2": provider2,
        "researcher": researcher,
        "treasury": treasury,
        "watcher": watcher,
        "escrow": escrow,
        "settlement": settlement,
        "staking": staking,
    }
    before = {name: opg.balanceOf(h) for name, h in holders.items()}
    supply_before = opg.totalSupply()
    stake_before = {p: staking.stakeOf(p).active for p in (provider, provider2)}

    # Start at the beginning of an epoch so every job settles in the same epoch.
    genesis = settlement.GENESIS_TIME()
    epoch = (chain.pending_timestamp - genesis) // epoch_length + 1
    chain.pending_timestamp = genesis + epoch * epoch_length
    chain.mine()

    fee_a, fee_b, fee_c, fee_d, fee_e, fee_f = 40 * OPG, 20 * OPG, 30 * OPG, 12 * OPG, PRICE, 16 * OPG

    # A: optimistic, finalized by a watcher after the window.
    a = _create(chain, s, model_id, requester, fee_a)
    escrow.claimJob(a, job_of(escrow, a), sender=provider)
    escrow.submitResult(a, job_of(escrow, a), OUTPUT, TRACE_ROOT, sender=provider)
    # B: TEE, settled at submit.
    b = _create(chain, s, model_id, requester, fee_b, mode=1)
    escrow.claimJob(b, job_of(escrow, b), sender=provider2)
    escrow.submitResult(b, job_of(escrow, b), OUTPUT, b"attestation", sender=provider2)
    # C: optimistic, fraud proven: provider slashed, requester refunded, challenger rewarded.
    c = _create(chain, s, model_id, requester, fee_c)
    escrow.claimJob(c, job_of(escrow, c), sender=provider)
    escrow.submitResult(c, job_of(escrow, c), b"wrong", TRACE_ROOT, sender=provider)
    verifier.setVerdicts(True, True, sender=deployer)
    up = escrow.challengeResult(c, job_of(escrow, c),
        keccak(INPUT), keccak(b"wrong"), TRACE_ROOT, b"proof", sender=watcher)
    reward_c = up.events.filter(escrow.ChallengeUpheld)[0].reward
    verifier.setVerdicts(True, False, sender=deployer)
    # D: claimed by provider2 who never submits: expired by the watcher.
    d = _create(chain, s, model_id, requester, fee_d, duration=600)
    escrow.claimJob(d, job_of(escrow, d), sender=provider2)
    # E: never claimed, cancelled.
    e = _create(chain, s, model_id, requester, fee_e)
    escrow.cancelJob(e, job_of(escrow, e), sender=requester)
    # F: optimistic, a wrong challenge (bond forfeited to the provider), then finalized.
    f = _create(chain, s, model_id, requester, fee_f)
    escrow.claimJob(f, job_of(escrow, f), sender=provider)
    escrow.submitResult(f, job_of(escrow, f), OUTPUT, TRACE_ROOT, sender=provider)
    escrow.challengeResult(f, job_of(escrow, f), keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"weak", sender=watcher)
    bond = escrow.challengeBond()

    chain.pending_timestamp += window + 1
    escrow.finalizeJob(a, job_of(escrow, a), sender=watcher)
    escrow.finalizeJob(f, job_of(escrow, f), sender=watcher)
    bounty_d = escrow.expireJob(d, job_of(escrow, d), sender=watcher).events.filter(escrow.JobExpired)[0].bounty
    for job in (a, b, c, d, e, f):
        assert escrow.jobStatus(job) == 4  # Closed

    # Escrow invariant: no live job, so its balance is exactly the settled-unswept amount.
    settled = fee_a + fee_b + fee_f + bond
    assert escrow.settledUnswept() == settled
    assert opg.balanceOf(escrow) == before["escrow"] + settled

    # Next epoch: everyone claims.
    chain.pending_timestamp = genesis + (epoch + 1) * epoch_length
    chain.mine()
    emission = settlement.epochEmission(epoch)
    p_fees, p2_fees = fee_a + fee_f, fee_b
    owed_p, owed_p2 = settlement.claimable(provider), settlement.claimable(provider2)
    assert owed_p.emissions == p_fees * emission // (p_fees + p2_fees)
    assert owed_p2.emissions == p2_fees * emission // (p_fees + p2_fees)
    owed_r = settlement.claimable(researcher)
    for acct in (provider, provider2, researcher):
        settlement.claim(sender=acct)
    treasury_share = settlement.claimTreasury(sender=watcher).events.filter(settlement.TreasuryClaimed)[0].amount

    after = {name: opg.balanceOf(h) for name, h in holders.items()}
    delta = {name: after[name] - before[name] for name in holders}
    supply_delta = opg.totalSupply() - supply_before
    # The balance sheet: every wei moved is accounted for; only mints and burns change the total.
    assert sum(delta.values()) == supply_delta

    minted = owed_p.emissions + owed_p2.emissions
    slashed_c = collateral_of(escrow, c)
    slashed_d = collateral_of(escrow, d)
    assert delta["requester"] == -(fee_a + fee_b + fee_f)
    assert delta["watcher"] == reward_c + bounty_d - bond
    assert delta["provider"] == owed_p.fees + owed_p.emissions
    assert delta["provider2"] == owed_p2.fees + owed_p2.emissions
    assert delta["researcher"] == owed_r.fees == (fee_a + fee_b + fee_f) * 500 // 10_000
    assert treasury_share == (fee_a + fee_b + fee_f) * settlement.treasuryFeeBps() // 10_000
    assert owed_p.fees + owed_p2.fees + owed_r.fees + treasury_share == settled
    assert delta["staking"] == -(slashed_c + slashed_d)
    assert staking.stakeOf(provider).active == stake_before[provider] - slashed_c
    assert staking.stakeOf(provider2).active == stake_before[provider2] - slashed_d
    # Fees were pulled from the escrow in one sweep; the settlement keeps only what is still owed (nothing).
    assert escrow.settledUnswept() == 0
    assert after["escrow"] == before["escrow"]
    assert after["settlement"] == before["settlement"]
    burned = minted - supply_delta
    assert burned >= 0
    assert delta["treasury"] == treasury_share + (slashed_c + slashed_d - reward_c - bounty_d - burned)
