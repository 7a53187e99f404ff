"""Delegation scenarios on the benchmark World, each checked by its events to have taken the path it names."""

from __future__ import annotations

from typing import Any

from benchmarks.payloads import Payload
from benchmarks.world import (
    ACCOUNT_OPG,
    DEADLINE_GRAIN,
    JOB_DURATION,
    MAX_UINT256,
    BenchError,
    World,
    events,
    gas,
    job_struct,
)
from opg_client.deploy import OPG

DELEGATION = 500 * OPG  # each delegator's stake
LIFECYCLE_TXS = ("createJobWithPermit", "claimJob", "submitResult", "finalizeJob")

#: Operation keys, in report order.
OPERATIONS = (
    "setDelegationTerms.now",
    "setDelegationTerms.scheduled",
    "delegateStake.first",
    "delegateStake",
    "delegateStake.topUp",
    "delegateStakeWithPermit",
    "claimJob.delegated",
    "finalizeJob.delegated",
    "claimDelegatorRewards.pull",
    "claimDelegatorRewards.held",
    "undelegate",
    "undelegate.last",
    "withdrawDelegation",
    "expireJob.delegated",
)


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise BenchError(what)


def _delegator(w: World) -> Any:
    acct = w.new_account()
    w.fund(acct, ACCOUNT_OPG)
    w.token.approve(w.staking, MAX_UINT256, sender=acct)
    return acct


def measure_delegation(w: World, payload: Payload) -> dict[str, Any]:
    ops: dict[str, dict[str, Any]] = {}

    def record(name: str, receipt: Any, note: str) -> None:
        ops[name] = {"gas": gas(receipt), "note": note}

    st = w.staking
    w.reset()
    w.start_next_epoch()
    w.lifecycle(w.requester, w.provider, payload)  # warm-up
    without = w.lifecycle(w.requester, w.provider, payload).gas()

    r = st.setDelegationTerms(2_000, 5_000, sender=w.provider)
    record("setDelegationTerms.now", r, "favours delegators (from the defaults): applies at once")
    d1, d2, d3 = _delegator(w), _delegator(w), w.new_account()
    w.fund(d3, ACCOUNT_OPG)

    r = st.delegateStake(w.provider, DELEGATION, sender=d1)
    _check(len(events(w.settlement, "DelegationLinked", r)) == 1, "first delegation links the provider")
    record("delegateStake.first", r, "first delegator of the provider: creates the pool, marks the settlement account")
    r = st.delegateStake(w.provider, DELEGATION, sender=d2)
    record("delegateStake", r, "second delegator: new position in an existing pool")
    r = st.delegateStake(w.provider, DELEGATION, sender=d2)
    record("delegateStake.topUp", r, "existing delegator adds to its position")
    deadline = w.deadline(3_600)
    v, rs, s = w.permit(d3, st, DELEGATION, deadline)
    r = st.delegateStakeWithPermit(w.provider, DELEGATION, deadline, v, rs, s, sender=d3)
    record("delegateStakeWithPermit", r, "third delegator, EIP-2612 permit in the same call")

    w.lifecycle(w.requester, w.provider, payload)  # warm-up with delegators (staking's settlement account exists)
    delegated = w.lifecycle(w.requester, w.provider, payload)
    _check(len(events(st, "DelegatorRewardsCredited", delegated.receipts["finalizeJob"])) == 1, "pool credited")
    with_delegators = delegated.gas()
    record("claimJob.delegated", delegated.receipts["claimJob"], "provider with delegators: capacity reads the pool")
    record("finalizeJob.delegated", delegated.receipts["finalizeJob"],
           "provider with delegators: settlement asks staking for the pool's part, credits staking's account")

    r = st.claimDelegatorRewards(w.provider, sender=d1)
    _check(len(events(w.settlement, "RewardsClaimed", r)) == 1, "first claim pulls from the settlement")
    record("claimDelegatorRewards.pull", r, "pulls the pools' settlement balance (sweeps the escrow), pays")
    r = st.claimDelegatorRewards(w.provider, sender=d2)
    _check(not events(w.settlement, "RewardsClaimed", r), "second claim is paid from what staking holds")
    record("claimDelegatorRewards.held", r, "paid from rewards staking already holds")

    r = st.setDelegationTerms(10_000, 0, sender=w.provider)
    record("setDelegationTerms.scheduled", r, "disfavours delegators: scheduled one unbonding delay ahead")

    r = st.undelegate(w.provider, DELEGATION // 2, sender=d1)
    record("undelegate", r, "half a position into the delegators' unbonding pool (first unbonding share)")

    job_id, _ = w.create_job(w.requester, payload.input, permit=True)
    w.claim(job_id, w.provider)
    w.advance(JOB_DURATION + DEADLINE_GRAIN + 1)  # deadlines are rounded up to the grain
    r = w.escrow.expireJob(job_id, job_struct(w.escrow, job_id), sender=w.stranger)
    _check(len(events(st, "DelegationSlashed", r)) == 1, "collateral slashed from own stake and pool")
    record("expireJob.delegated", r, "collateral slashed pro rata from own stake and the pool")

    w.advance(int(st.unbondingDelay()) + 1)
    r = st.withdrawDelegation(w.provider, sender=d1)
    record("withdrawDelegation", r, "whole unlocked unbonding position")

    for d in (d1, d2):
        shares = st.delegationOf(d, w.provider)[0]
        st.undelegate(w.provider, shares, sender=d)
    shares = st.delegationOf(d3, w.provider)[0]
    r = st.undelegate(w.provider, shares, sender=d3)
    _check(len(events(w.settlement, "DelegationLinked", r)) == 1, "last shares unlink the provider")
    record("undelegate.last", r, "last shares of the pool: unmarks the settlement account")
    w.lifecycle(w.requester, w.provider, payload)  # warm-up (time moved on: a new epoch)
    after = w.lifecycle(w.requester, w.provider, payload).gas()
    w.reset()
    return {
        "operations": {k: ops[k] for k in OPERATIONS},
        "lifecycle": {
            "no_delegators": without,
            "with_delegators": with_delegators,
            "after_delegators_left": after,
        },
        "payload": payload.key,
    }
