"""Gas per operation, each measured in a warm system (one job between the parties has already run, the
registry already holds a model) and checked by its events to have taken the path it is named for."""

from __future__ import annotations

from typing import Any

from benchmarks.payloads import Payload
from benchmarks.world import PROVIDER_STAKE, BenchError, World, events, gas, job_struct

#: Operation keys, in report order.
OPERATIONS = (
    "createJob",
    "createJobWithPermit",
    "claimJob",
    "submitResult",
    "finalizeJob",
    "cancelJob",
    "expireJob",
    "challengeResult.upheld",
    "challengeResult.rejected",
    "stake",
    "stake.topUp",
    "stakeWithPermit",
    "serveModel",
    "unbond",
    "withdraw",
    "claim.feesOnly",
    "claim.feesOnlyNoSweep",
    "claim.feesAndEmissions",
    "claimTreasury",
    "registerModel",
    "publishVersion",
)

EVIDENCE = b"\x01" * 32  # what the challenger hands the (test) verifier
VERIFIER_NOTE = "incl. TestVerifier call bookkeeping (its 4 slots already non-zero)"


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise BenchError(what)


def measure_operations(w: World, payload: Payload) -> dict[str, dict[str, Any]]:
    ops: dict[str, dict[str, Any]] = {}

    def record(name: str, receipt: Any, note: str) -> None:
        ops[name] = {"gas": gas(receipt), "note": note}

    w.reset()
    epoch = w.start_next_epoch()
    w.lifecycle(w.requester, w.provider, payload)  # warm-up: the parties' first job is not an operation figure
    io = f"{payload.key} payload ({len(payload.input)} B in / {len(payload.output)} B out)"

    # Registry (already holds the digits model).
    r = w.registry.registerModel(w.version_params(), sender=w.researcher)
    record("registerModel", r, "digits model: 2 layer commitments, 66-char metadata URI; registry not empty")
    model_id = int(w.registry.modelCount())
    r = w.registry.publishVersion(model_id, w.version_params(METADATA_V2), sender=w.researcher)
    record("publishVersion", r, "version 2 of that model, same parameter sizes")

    # Requester paths.
    job_id, r = w.create_job(w.stranger, payload.input, permit=False)
    record("createJob", r, f"approve path (standing max allowance), {io}")
    r = w.escrow.cancelJob(job_id, job_struct(w.escrow, job_id), sender=w.stranger)
    _check(len(events(w.escrow, "JobCancelled", r)) == 1, "cancelJob: no JobCancelled")
    record("cancelJob", r, "open job, full refund")

    job_id, r = w.create_job(w.requester, payload.input, permit=True)
    record("createJobWithPermit", r, f"requester's second job, {io}")
    record("claimJob", w.claim(job_id, w.provider), "provider's second job (collateral into its packed stake slot)")
    record("submitResult", w.submit(job_id, w.provider, payload), f"optimistic, {io}")
    w.pass_challenge_window()
    record("finalizeJob", w.finalize(job_id, w.provider), "same epoch as the provider's previous credit")

    # Challenges, judged by the TestVerifier. It records every call in 4 slots: a first, unmeasured
    # challenge makes those non-zero, so the figures carry its bookkeeping at warm-slot prices only.
    job_id = w.submitted_job(w.stranger, w.provider, payload)
    w.verifier.setVerdicts(True, False, sender=w.deployer)
    hashes = (payload.input_hash, payload.output_hash, payload.trace_root)
    w.escrow.challengeResult(job_id, job_struct(w.escrow, job_id), *hashes, EVIDENCE, sender=w.watcher)
    r = w.escrow.challengeResult(job_id, job_struct(w.escrow, job_id), *hashes, EVIDENCE, sender=w.watcher)
    _check(len(events(w.escrow, "ChallengeRejected", r)) == 1, "challenge: not rejected")
    record("challengeResult.rejected", r, f"bond credited to the provider; {VERIFIER_NOTE}")
    w.verifier.setVerdicts(True, True, sender=w.deployer)
    r = w.escrow.challengeResult(job_id, job_struct(w.escrow, job_id), *hashes, EVIDENCE, sender=w.watcher)
    upheld = events(w.escrow, "ChallengeUpheld", r)
    _check(len(upheld) == 1 and upheld[0].reward > 0, "challenge: not upheld with a reward")
    record("challengeResult.upheld", r, f"slash + challenger reward, refund, bond back; {VERIFIER_NOTE}")

    # Expiry of a claimed job.
    job_id, _ = w.create_job(w.stranger, payload.input, permit=False, duration=600)
    w.claim(job_id, w.provider)
    w.set_time(int(job_struct(w.escrow, job_id).deadline) + 1)
    r = w.escrow.expireJob(job_id, job_struct(w.escrow, job_id), sender=w.watcher)
    expired = events(w.escrow, "JobExpired", r)
    _check(len(expired) == 1 and expired[0].slashed > 0 and expired[0].bounty > 0, "expireJob: no slash / bounty")
    record("expireJob", r, "claimed job: refund, collateral slashed (bounty to caller, burn, treasury)")

    # Rewards (all fees so far were credited in `epoch`, still open).
    _check(w.epoch() == epoch, "rewards: the epoch rolled over during the scenario")
    r = w.settlement.claim(sender=w.provider)
    _claimed(w, r, emissions=False, sweep=True)
    record("claim.feesOnly", r, "open epoch: fee balance only; sweeps settled fees from the escrow (leaving it empty)")
    r = w.settlement.claim(sender=w.researcher)
    _claimed(w, r, emissions=False, sweep=False)
    record("claim.feesOnlyNoSweep", r, "model owner's royalties, paid from the settlement's balance")
    r = w.settlement.claimTreasury(sender=w.watcher)
    _check(len(events(w.settlement, "TreasuryClaimed", r)) == 1, "claimTreasury: nothing paid")
    record("claimTreasury", r, "accrued treasury share, paid from the settlement's balance")
    w.lifecycle(w.requester, w.provider, payload)
    w.start_next_epoch()
    r = w.settlement.claim(sender=w.provider)
    _claimed(w, r, emissions=True, sweep=True)
    note = "epoch closed: folds + mints its emission share, pays fees; sweep empties escrow"
    record("claim.feesAndEmissions", r, note)

    # Staking.
    p = w.new_account()
    w.fund(p, 3 * PROVIDER_STAKE)
    record("stake", w.stake(p, PROVIDER_STAKE), "new provider, approve path")
    w.token.approve(w.staking, PROVIDER_STAKE, sender=p)
    record("stake.topUp", w.staking.stake(PROVIDER_STAKE, sender=p), "existing provider adds stake")
    q = w.new_account()
    w.fund(q, PROVIDER_STAKE)
    record("stakeWithPermit", w.stake_with_permit(q, PROVIDER_STAKE), "new provider")
    record("serveModel", w.staking.serveModel(w.model_id, sender=q), "first model served")
    record("unbond", w.staking.unbond(PROVIDER_STAKE, sender=p), "partial (half the stake); first unbonding lock")
    w.advance(int(w.staking.unbondingDelay()) + 1)
    record("withdraw", w.staking.withdraw(sender=p), "whole unlocked position")

    missing = [name for name in OPERATIONS if name not in ops]
    _check(not missing, f"operations not measured: {missing}")
    return {name: ops[name] for name in OPERATIONS}


METADATA_V2 = "ipfs://bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"


def _claimed(w: World, receipt: Any, *, emissions: bool, sweep: bool) -> None:
    claimed = events(w.settlement, "RewardsClaimed", receipt)
    _check(len(claimed) == 1 and claimed[0].fees > 0, "claim: no fees paid")
    _check((claimed[0].emissions > 0) == emissions, f"claim: emissions {'missing' if emissions else 'unexpected'}")
    swept = len(events(w.escrow, "SettledFeesSwept", receipt)) == 1
    _check(swept == sweep, f"claim: sweep {'missing' if sweep else 'unexpected'}")
