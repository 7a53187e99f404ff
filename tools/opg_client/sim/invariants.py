"""Economic invariants of a run. Each check yields {"name", "ok", "detail"}; `enforce` raises
`InvariantBroken` (named, with every violation) when any fails, so a broken run fails loudly.

- tokens_conserved: Σ Δbalance over every tracked party (agents, treasury, escrow, staking, settlement) ==
  minted - burned (no OPG created or lost).
- supply_matches_flows: ΔtotalSupply == minted - burned.
- no_untracked_flows: no OPG moved to or from an address the sim does not track.
- staking_custody: Δ staking balance == Σ Δ(active + unbonding) of the sim's providers + Σ Δ their delegation
  pools (assets + unbonding) + Δ delegator rewards held.
- escrow_custody: Δ escrow balance == Δ settledUnswept (every sim job has closed: no live fees left).
- settlement_custody: Δ(settlement balance + settledUnswept) == Σ Δ claimable fees + Δ treasuryAccrued.
- all_jobs_closed: every job the sim created reads Closed on chain.
- slashes_match_faults: slashed wei == collateral of every claimed job that expired or lost a challenge.
- emissions_within_schedule: minted <= Σ epochEmission over the epochs the sim ran.
- dishonest_not_more_profitable: every dishonest strategy's profit per claimed job (provider + its delegators)
  <= the honest strategy's.
- no_wrong_result_finalized (watchers inspecting every result): no wrong output finalized.
"""

from __future__ import annotations

from typing import Any

from opg_client.errors import OpgError
from opg_client.models import JobStatus
from opg_client.sim.metrics import Snapshot
from opg_client.sim.world import World


class InvariantBroken(OpgError):
    """A simulation run broke an economic invariant; `violations` lists every failed check."""

    def __init__(self, violations: list[dict[str, Any]], summary: dict[str, Any] | None = None) -> None:
        self.violations = violations
        self.summary = summary  # what the run wrote (outputs, headline figures), when it got that far
        names = ", ".join(v["name"] for v in violations)
        first = violations[0]["detail"] if violations else ""
        super().__init__(f"{len(violations)} invariant(s) broken: {names} ({first})")


def _result(name: str, ok: bool, detail: str) -> dict[str, Any]:
    return {"name": name, "ok": bool(ok), "detail": detail}


def check_invariants(world: World, metrics: dict[str, Any], start: Snapshot, end: Snapshot) -> list[dict[str, Any]]:
    out = []
    minted, burned = metrics["supply"]["minted_wei"], metrics["supply"]["burned_wei"]
    deltas = {name: end.wallets[name] - start.wallets[name] for name in end.parties}
    sum_deltas = sum(deltas.values())
    out.append(_result(
        "tokens_conserved", sum_deltas == minted - burned,
        f"Σ Δbalance {sum_deltas} wei vs minted {minted} - burned {burned} = {minted - burned} wei",
    ))
    supply_delta = end.supply - start.supply
    out.append(_result(
        "supply_matches_flows", supply_delta == minted - burned,
        f"ΔtotalSupply {supply_delta} wei vs minted - burned {minted - burned} wei",
    ))
    untracked = metrics["untracked_flows"]
    out.append(_result(
        "no_untracked_flows", not untracked,
        "no OPG moved through untracked addresses" if not untracked else f"untracked flows (wei): {untracked}",
    ))
    stake_delta = sum(end.stakes.values()) - sum(start.stakes.values())
    pool_delta = sum(end.pools.values()) - sum(start.pools.values())
    held_rewards = end.delegator_rewards_held - start.delegator_rewards_held
    owed_by_staking = stake_delta + pool_delta + held_rewards
    out.append(_result(
        "staking_custody", deltas["staking"] == owed_by_staking,
        f"Δ staking balance {deltas['staking']} wei vs Σ Δ provider stakes {stake_delta} + Σ Δ delegation pools "
        f"{pool_delta} + Δ delegator rewards held {held_rewards} = {owed_by_staking} wei",
    ))
    unswept_delta = end.settled_unswept - start.settled_unswept
    out.append(_result(
        "escrow_custody", deltas["escrow"] == unswept_delta,
        f"Δ escrow balance {deltas['escrow']} wei vs Δ settledUnswept {unswept_delta} wei",
    ))
    fees_delta = sum(end.claimable[n][0] - start.claimable[n][0] for n in end.claimable)
    owed_delta = fees_delta + end.treasury_accrued - start.treasury_accrued
    held_delta = deltas["settlement"] + unswept_delta
    out.append(_result(
        "settlement_custody", held_delta == owed_delta,
        f"Δ(settlement balance + settledUnswept) {held_delta} wei vs Δ claimable fees + Δ treasury {owed_delta} wei",
    ))
    not_closed = [
        j.job_id for j in world.jobs.values() if world.client.escrow.job_status(j.job_id) != JobStatus.Closed
    ]
    out.append(_result(
        "all_jobs_closed", not not_closed and not world.jobs_in("open"),
        f"{len(world.jobs)} jobs, not closed: {not_closed or 'none'}",
    ))
    slashed, expected = metrics["slashed"]["total_wei"], metrics["slashed"]["expected_wei"]
    out.append(_result(
        "slashes_match_faults", slashed == expected,
        f"slashed {slashed} wei vs collateral of faulted jobs {expected} wei",
    ))
    schedule = sum(metrics["rewards"]["epoch_emissions_wei"])
    out.append(_result(
        "emissions_within_schedule", minted <= schedule,
        f"minted {minted} wei vs Σ epoch emissions {schedule} wei",
    ))
    out.append(_profitability(metrics))
    if world.config.watchers and world.config.watch_bps == 10_000:
        wrong = metrics["fraud"]["finalized_wrong"]
        out.append(_result(
            "no_wrong_result_finalized", wrong == 0,
            f"{wrong} of {metrics['fraud']['wrong_results']} wrong results finalized with watchers inspecting all",
        ))
    return out


def _profitability(metrics: dict[str, Any]) -> dict[str, Any]:
    """Dishonest strategies must earn less per claimed job than honest ones. Per job, not per provider: jobs
    go to providers at random, and a strategy must not look better only because luck sent it more work; with
    its delegators' profit included, as delegation terms only split what the strategy earned."""
    by = metrics["by_strategy"]
    honest = by.get("honest")
    dishonest = {k: v for k, v in by.items() if v["dishonest"] and v.get("profit_per_job_wei") is not None}
    if honest is None or honest.get("profit_per_job_wei") is None or not dishonest:
        return _result("dishonest_not_more_profitable", True, "not applicable (needs honest and dishonest providers "
                       "that claimed jobs)")
    bar = honest["profit_per_job_wei"]
    worse = sorted(k for k, v in dishonest.items() if v["profit_per_job_wei"] > bar)
    parts = ", ".join(f"{k} {v['profit_per_job_wei']}" for k, v in dishonest.items())
    verdict = f"; MORE profitable than honest: {worse}" if worse else ""
    return _result(
        "dishonest_not_more_profitable", not worse, f"profit per claimed job (wei): honest {bar} vs {parts}{verdict}"
    )


def enforce(invariants: list[dict[str, Any]]) -> None:
    broken = [i for i in invariants if not i["ok"]]
    if broken:
        raise InvariantBroken(broken)
