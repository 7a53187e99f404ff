"""Cross-contract settlement scenarios: what must keep working while everything is paused, fee sweeps
next to live jobs, a job challenged twice, model changes under a running job, and who earns emissions.

Fixture state (tests/invariants/conftest.py): job 1 Open (25 OPG), job 2 Claimed by providers[0]
(60 OPG), job 3 Submitted by providers[1] (150 OPG, challenge window open)."""

import ape
from eth_utils import keccak
from inv_helpers import INPUT, MODEL_ID, OPG, OUTPUT, VERSION, escrow_consistent, new_job, staking_consistent
from opg_testkit import TRACE_ROOT, job_of

LIVE_FEES = (25 + 60 + 150) * OPG


def _past(chain, timestamp):
    chain.pending_timestamp = max(chain.pending_timestamp, timestamp + 1)


def _challenge_job3(w, uphold):
    w.verifier.setVerdicts(True, uphold, sender=w.deployer)
    return w.escrow.challengeResult(
        3, job_of(w.escrow, 3), keccak(INPUT + (3).to_bytes(4, "big")), keccak(OUTPUT + (3).to_bytes(4, "big")),
        TRACE_ROOT, b"e", sender=w.challenger,
    )


def test_everything_paused__refunds_expiries_settlement_claims_and_exits_still_work(chain, inv_world):
    w = inv_world
    p0, p1 = w.providers[:2]
    w.escrow.pause(sender=w.deployer)
    w.staking.pause(sender=w.deployer)
    w.escrow.cancelJob(1, job_of(w.escrow, 1), sender=w.requesters[0])
    _past(chain, max(job_of(w.escrow, 2).deadline, job_of(w.escrow, 3).deadline))
    w.escrow.expireJob(2, job_of(w.escrow, 2), sender=w.keeper)
    w.escrow.finalizeJob(3, job_of(w.escrow, 3), sender=w.keeper)
    fees, _ = w.settlement.claim(sender=p1).return_value
    assert fees > 0
    w.settlement.claimTreasury(sender=w.keeper)
    w.settlement.claim(sender=w.researcher)
    w.staking.unbond(w.min_stake, sender=p0)
    chain.pending_timestamp += w.unbonding_delay
    w.staking.withdraw(sender=p0)
    # ... while the two entry points stay shut.
    with ape.reverts(w.escrow.EnforcedPause):
        w.escrow.createJob(MODEL_ID, VERSION, 0, 25 * OPG, chain.pending_timestamp + 600, INPUT,
                           sender=w.requesters[0])
    with ape.reverts(w.staking.EnforcedPause):
        w.staking.stake(OPG, sender=p0)
    assert escrow_consistent(w, 0) and w.escrow.settledUnswept() == 0
    assert staking_consistent(w)
    assert w.token.balanceOf(w.settlement) == w.settlement.treasuryAccrued() == 0


def test_claim__sweep_takes_only_settled_fees__live_jobs_stay_fully_refundable(chain, inv_world):
    w = inv_world
    extra = [new_job(w, chain, w.requesters[0], 400 * OPG, duration=7_200) for _ in range(3)]
    _past(chain, job_of(w.escrow, 3).deadline)
    w.escrow.finalizeJob(3, job_of(w.escrow, 3), sender=w.keeper)
    live = LIVE_FEES - 150 * OPG + 3 * 400 * OPG
    assert w.escrow.settledUnswept() == 150 * OPG
    w.settlement.claim(sender=w.providers[1])  # settlement holds nothing yet: sweeps the escrow
    assert w.escrow.settledUnswept() == 0
    assert escrow_consistent(w, live)
    assert w.token.balanceOf(w.settlement) == 150 * OPG - w.fee_split(150 * OPG)[0]  # royalty + treasury left
    # Every live job can still be refunded in full.
    w.escrow.cancelJob(1, job_of(w.escrow, 1), sender=w.requesters[0])
    for job_id in extra:
        w.escrow.cancelJob(job_id, job_of(w.escrow, job_id), sender=w.requesters[0])
    _past(chain, job_of(w.escrow, 2).deadline)
    w.escrow.expireJob(2, job_of(w.escrow, 2), sender=w.keeper)
    assert w.token.balanceOf(w.escrow) == 0
    w.settlement.claimTreasury(sender=w.keeper)
    w.settlement.claim(sender=w.researcher)
    assert w.token.balanceOf(w.settlement) == 0


def test_challenge__rejected_then_upheld__bond_stays_with_provider_and_requester_refunded(chain, inv_world):
    w = inv_world
    p1, req1 = w.providers[1], w.requesters[1]
    _challenge_job3(w, uphold=False)
    assert w.settlement.accountOf(p1)[0] == w.bond
    req_before = w.token.balanceOf(req1)
    tx = _challenge_job3(w, uphold=True)
    assert tx.events.filter(w.escrow.ChallengeUpheld)[0].refund == 150 * OPG
    assert w.token.balanceOf(req1) == req_before + 150 * OPG
    assert w.escrow.jobStatus(3) == 4
    # The forfeited bond of the first challenge is still the provider's and is backed by the escrow.
    assert w.escrow.settledUnswept() == w.bond
    assert escrow_consistent(w, LIVE_FEES - 150 * OPG)
    fees, emissions = w.settlement.claim(sender=p1).return_value
    assert (fees, emissions) == (w.bond, 0)
    _past(chain, job_of(w.escrow, 3).deadline)
    with ape.reverts(w.escrow.InvalidJobStatus, jobId=3, status=4):
        w.escrow.finalizeJob(3, job_of(w.escrow, 3), sender=w.keeper)


def test_model_changes_under_running_jobs__jobs_settle_and_royalty_goes_to_the_owner_at_creation(chain, inv_world):
    """IInferenceEscrow: a job pins its royalty recipient at creation (the version's registry owner then). An
    ownership transfer therefore applies to jobs created after it, and deprecation stops new jobs only: running
    ones still claim, settle and pay."""
    w = inv_world
    new_owner = w.keeper
    w.registry.transferOwnership(MODEL_ID, new_owner, sender=w.researcher)
    w.registry.acceptOwnership(MODEL_ID, sender=new_owner)
    _past(chain, job_of(w.escrow, 3).deadline)
    w.escrow.finalizeJob(3, job_of(w.escrow, 3), sender=w.keeper)
    assert w.settlement.accountOf(w.researcher)[0] == w.fee_split(150 * OPG)[1]
    assert w.settlement.accountOf(new_owner)[0] == 0

    job4 = new_job(w, chain, w.requesters[0], 25 * OPG)  # created after the transfer: pays the new owner
    assert (job_of(w.escrow, job4).royaltyOwner, job_of(w.escrow, 2).royaltyOwner) == (new_owner, w.researcher)
    w.registry.deprecateVersion(MODEL_ID, VERSION, sender=new_owner)
    with ape.reverts(w.escrow.ModelVersionDeprecated):
        new_job(w, chain, w.requesters[0], 25 * OPG)
    w.escrow.claimJob(1, job_of(w.escrow, 1), sender=w.providers[0])
    w.escrow.claimJob(job4, job_of(w.escrow, job4), sender=w.providers[0])
    for job_id in (2, job4):
        w.escrow.submitResult(job_id, job_of(w.escrow, job_id), OUTPUT, TRACE_ROOT, sender=w.providers[0])
    _past(chain, max(job_of(w.escrow, 2).deadline, job_of(w.escrow, job4).deadline))
    w.escrow.finalizeJob(2, job_of(w.escrow, 2), sender=w.keeper)  # created before the transfer
    assert w.settlement.accountOf(w.researcher)[0] == w.fee_split(150 * OPG)[1] + w.fee_split(60 * OPG)[1]
    assert w.settlement.accountOf(new_owner)[0] == 0
    w.escrow.finalizeJob(job4, job_of(w.escrow, job4), sender=w.keeper)
    assert w.settlement.accountOf(new_owner)[0] == w.fee_split(25 * OPG)[1]
    assert escrow_consistent(w, 25 * OPG)  # job 1, claimed on the deprecated version, still live
    assert w.escrow.jobStatus(1) == 2


def test_emissions__shared_by_finalized_fees_only__slashed_jobs_earn_nothing(chain, inv_world):
    w = inv_world
    p0, p1 = w.providers[:2]
    # Roll into a fresh epoch so every fee below lands in the same one.
    epoch = w.settlement.currentEpoch() + 1
    chain.pending_timestamp = w.genesis_time + epoch * w.epoch_length + 1
    ids = [new_job(w, chain, w.requesters[0], fee) for fee in (100 * OPG, 300 * OPG, 50 * OPG)]
    for job_id, provider in zip(ids, (p0, p1, p0), strict=True):
        w.escrow.claimJob(job_id, job_of(w.escrow, job_id), sender=provider)
    w.escrow.submitResult(ids[0], job_of(w.escrow, ids[0]), OUTPUT, TRACE_ROOT, sender=p0)
    w.escrow.submitResult(ids[1], job_of(w.escrow, ids[1]), OUTPUT, TRACE_ROOT, sender=p1)
    # ids[2] is abandoned: expired and slashed, its fee refunded, never part of the epoch's fees.
    _past(chain, max(job_of(w.escrow, i).deadline for i in ids))
    w.escrow.finalizeJob(ids[0], job_of(w.escrow, ids[0]), sender=w.keeper)
    w.escrow.finalizeJob(ids[1], job_of(w.escrow, ids[1]), sender=w.keeper)
    w.escrow.expireJob(ids[2], job_of(w.escrow, ids[2]), sender=w.keeper)
    assert w.settlement.currentEpoch() == epoch
    assert w.settlement.claimable(p0)[1] == 0  # nothing before the epoch closes
    assert w.settlement.epochTotalFees(epoch) == 400 * OPG

    chain.pending_timestamp = w.genesis_time + (epoch + 1) * w.epoch_length
    chain.mine()
    emission = w.emission(epoch)
    _, e0 = w.settlement.claim(sender=p0).return_value
    _, e1 = w.settlement.claim(sender=p1).return_value
    assert (e0, e1) == (100 * OPG * emission // (400 * OPG), 300 * OPG * emission // (400 * OPG))
    assert e0 + e1 <= emission
    with ape.reverts(w.settlement.NothingToClaim):
        w.settlement.claim(sender=p0)
