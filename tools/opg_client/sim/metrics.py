"""Measurements: OPG held by every tracked party before and after (wallet, stake, claimable), token flows
from the Transfer logs (minted emissions, burns, who moved OPG), slashes, claims, job latency and gas.

Amounts are ints in wei (keys end in `_wei`); times in chain seconds; gas in gas units.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from opg_client.sim.world import World

if TYPE_CHECKING:
    from opg_client.sim.engine import Cast

ZERO = "0x0000000000000000000000000000000000000000"
LIFECYCLE = ("createJob", "claimJob", "submitResult", "finalizeJob")


@dataclass(frozen=True)
class Snapshot:
    block: int
    timestamp: int
    parties: dict[str, str]  # name -> address (agents, treasury, protocol contracts)
    wallets: dict[str, int]  # name -> OPG balance, wei
    stakes: dict[str, int]  # provider name -> active + unbonding stake, wei
    claimable: dict[str, tuple[int, int]]  # party name -> (fees, emissions) claimable in the settlement, wei
    supply: int
    settled_unswept: int
    treasury_accrued: int
    # Delegation (deployments with it): provider name -> pool assets + unbonding assets; delegator name ->
    # value of its position (active + unbonding + rewards claimable); rewards the staking contract holds.
    pools: dict[str, int] = field(default_factory=dict)
    delegations: dict[str, int] = field(default_factory=dict)
    delegator_rewards_held: int = 0

    def wealth(self, name: str) -> int:
        """What `name` owns in OPG: wallet + own stake + claimable rewards + delegated position."""
        fees, emissions = self.claimable.get(name, (0, 0))
        return self.wallets[name] + self.stakes.get(name, 0) + fees + emissions + self.delegations.get(name, 0)


def parties_of(world: World, cast: Cast) -> dict[str, str]:
    client = world.client
    parties = {a.name: a.address for a in cast.everyone()}
    parties["treasury"] = str(client.manifest.params["treasury"])
    parties["escrow"] = client.manifest.address("InferenceEscrow")
    parties["staking"] = client.manifest.address("ProviderStaking")
    parties["settlement"] = client.manifest.address("RewardSettlement")
    return parties


def take_snapshot(world: World, cast: Cast) -> Snapshot:
    client = world.client
    block = client.block_number()
    parties = parties_of(world, cast)
    token = client.contract("OPGToken").functions
    wallets = {name: int(token.balanceOf(addr).call(block_identifier=block)) for name, addr in parties.items()}
    staking = client.contract("ProviderStaking").functions
    stakes = {}
    for p in cast.providers:
        active, _locked, unbonding, _unlock = staking.stakeOf(p.address).call(block_identifier=block)
        stakes[p.name] = int(active) + int(unbonding)
    settlement = client.contract("RewardSettlement").functions
    claimable = {}
    for name, address in parties.items():  # contracts too: staking holds an account for its delegators
        fees, emissions = settlement.claimable(address).call(block_identifier=block)
        claimable[name] = (int(fees), int(emissions))
    pools: dict[str, int] = {}
    delegations: dict[str, int] = {}
    held = 0
    if cast.delegators:
        for p in cast.providers:
            assets, _shares, unbonding_assets, _ushares, _rps = staking.poolOf(p.address).call(block_identifier=block)
            pools[p.name] = int(assets) + int(unbonding_assets)
        for d in cast.delegators:
            if d.provider is None:
                delegations[d.name] = 0
                continue
            _s, amount, unbonding, _at, rewards = staking.delegationOf(d.address, d.provider.address).call(
                block_identifier=block
            )
            delegations[d.name] = int(amount) + int(unbonding) + int(rewards)
        held = int(staking.delegatorRewardsHeld().call(block_identifier=block))
    return Snapshot(
        block=block,
        timestamp=int(client.w3.eth.get_block(block)["timestamp"]),
        parties=parties,
        wallets=wallets,
        stakes=stakes,
        claimable=claimable,
        supply=int(token.totalSupply().call(block_identifier=block)),
        settled_unswept=int(client.contract("InferenceEscrow").functions.settledUnswept().call(block_identifier=block)),
        treasury_accrued=int(settlement.treasuryAccrued().call(block_identifier=block)),
        pools=pools,
        delegations=delegations,
        delegator_rewards_held=held,
    )


def _logs(world: World, contract: str, event: str, start: Snapshot, end: Snapshot) -> list[Any]:
    ev = world.client.contract(contract).events[event]()
    return list(ev.get_logs(from_block=start.block + 1, to_block=end.block))


def token_flows(world: World, start: Snapshot, end: Snapshot) -> dict[str, Any]:
    """Minted and burned wei, and every address that sent or received OPG that is not a tracked party."""
    minted = burned = 0
    tracked = {a.lower() for a in end.parties.values()}
    untracked: dict[str, int] = {}
    for log in _logs(world, "OPGToken", "Transfer", start, end):
        src, dst, value = str(log["args"]["from"]), str(log["args"]["to"]), int(log["args"]["value"])
        if src == ZERO:
            minted += value
        elif src.lower() not in tracked:
            untracked[src] = untracked.get(src, 0) - value
        if dst == ZERO:
            burned += value
        elif dst.lower() not in tracked:
            untracked[dst] = untracked.get(dst, 0) + value
    return {"minted_wei": minted, "burned_wei": burned, "untracked": untracked}


def _stats(values: list[int]) -> dict[str, Any]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def pct(q: float) -> int:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "n": len(values),
        "mean": round(statistics.fmean(values), 2),
        "p50": pct(0.5),
        "p95": pct(0.95),
        "max": ordered[-1],
        "min": ordered[0],
    }


def gini(values: list[int]) -> float | None:
    """Gini coefficient of a distribution (0: equal shares; 1: one takes all); None when empty / all zero."""
    total = sum(values)
    if not values or total == 0:
        return None
    ordered = sorted(values)
    n = len(ordered)
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return round((2 * weighted) / (n * total) - (n + 1) / n, 4)


def collect_metrics(world: World, cast: Cast, start: Snapshot, end: Snapshot, first_epoch: int) -> dict[str, Any]:
    flows = token_flows(world, start, end)
    by_address = {p.address: p for p in cast.providers}
    slashes: dict[str, dict[str, int]] = {}
    for log in _logs(world, "ProviderStaking", "Slashed", start, end):
        a = log["args"]
        row = slashes.setdefault(str(a["provider"]), {"amount": 0, "rewarded": 0, "burned": 0, "to_treasury": 0})
        row["amount"] += int(a["amount"])
        row["rewarded"] += int(a["rewarded"])
        row["burned"] += int(a["burned"])
        row["to_treasury"] += int(a["toTreasury"])
    claimed: dict[str, list[int]] = {}
    for log in _logs(world, "RewardSettlement", "RewardsClaimed", start, end):
        row2 = claimed.setdefault(str(log["args"]["account"]), [0, 0])
        row2[0] += int(log["args"]["fees"])
        row2[1] += int(log["args"]["emissions"])

    jobs = list(world.jobs.values())
    providers = []
    for p in cast.providers:
        mine = [j for j in jobs if j.provider == p.address]
        fees, emissions = claimed.get(p.address, [0, 0])
        providers.append(
            {
                "name": p.name,
                "address": p.address,
                "strategy": p.strategy.name,
                "dishonest": p.strategy.dishonest,
                "claimed": len(mine),
                "submitted": p.submitted,
                "wrong": p.wrong,
                "missed": p.missed,
                "finalized": sum(j.outcome == "finalized" for j in mine),
                "expired": sum(j.outcome == "expired" for j in mine),
                "slashed_wei": slashes.get(p.address, {}).get("amount", 0),
                "fees_claimed_wei": fees,
                "emissions_claimed_wei": emissions,
                "compute_cost_wei": p.computed * world.config.compute_cost,
                # On-chain wealth change minus what computing the results cost off chain.
                "profit_wei": end.wealth(p.name) - start.wealth(p.name) - p.computed * world.config.compute_cost,
            }
        )
    # What each provider's delegators made (rewards - slashes): part of what its strategy earned.
    backing = {p.name: 0 for p in cast.providers}
    for d in cast.delegators:
        if d.provider is not None:
            backing[d.provider.name] += end.wealth(d.name) - start.wealth(d.name)
    by_strategy: dict[str, dict[str, Any]] = {}
    for row in providers:
        row["delegators_profit_wei"] = backing[row["name"]]
        s = by_strategy.setdefault(
            row["strategy"],
            {"providers": 0, "dishonest": row["dishonest"], "profits_wei": [], "jobs": 0, "slashed_wei": 0,
             "delegators_profit_wei": 0},
        )
        s["providers"] += 1
        s["profits_wei"].append(row["profit_wei"])
        s["jobs"] += row["claimed"]
        s["slashed_wei"] += row["slashed_wei"]
        s["delegators_profit_wei"] += row["delegators_profit_wei"]
    for s in by_strategy.values():
        profits = s["profits_wei"]
        s["profit_mean_wei"] = sum(profits) // len(profits)
        s["profit_min_wei"], s["profit_max_wei"] = min(profits), max(profits)
        s["profit_total_wei"] = sum(profits)
        # Per claimed job, the provider's and its delegators' profit together: what the strategy earns per
        # opportunity, whatever share of it delegation terms pass on and however many jobs luck assigned it.
        earned = sum(profits) + s["delegators_profit_wei"]
        s["profit_per_job_wei"] = earned // s["jobs"] if s["jobs"] else None

    wrong = [j for j in jobs if j.output_correct is False]
    upheld = [j for j in jobs if j.outcome == "upheld"]
    slash_rows = list(slashes.values())
    slashed_by_strategy: dict[str, int] = {}
    for address, row3 in slashes.items():
        name = by_address[address].strategy.name if address in by_address else "other"
        slashed_by_strategy[name] = slashed_by_strategy.get(name, 0) + row3["amount"]

    finalized = [j for j in jobs if j.outcome == "finalized" and j.closed_at is not None]
    lifecycles = [sum(j.gas.get(step, 0) for step in LIFECYCLE) for j in jobs if j.outcome == "finalized"]
    watchers = {
        w.name: {
            "inspected": w.inspected, "challenged": w.challenged, "upheld": w.upheld, "rewards_wei": w.rewards,
            "profit_wei": end.wealth(w.name) - start.wealth(w.name),
        }
        for w in cast.watchers
    }
    delegators = {
        d.name: {
            "provider": d.provider.name if d.provider else None,
            "provider_strategy": d.provider.strategy.name if d.provider else None,
            "delegated_wei": world.config.delegation,
            "rewards_claimed_wei": d.claimed,
            "profit_wei": end.wealth(d.name) - start.wealth(d.name),
        }
        for d in cast.delegators
    }
    requesters = {
        r.name: {"spent_wei": start.wallets[r.name] - end.wallets[r.name], "jobs": r.created} for r in cast.requesters
    }
    emissions_by_provider = [row["emissions_claimed_wei"] for row in providers]
    return {
        "seed": world.config.seed,
        "config": world.config.to_json(),
        "model_id": world.model_id,
        "epochs": {"first": first_epoch, "last": first_epoch + world.config.epochs - 1},
        "providers": providers,
        "by_strategy": by_strategy,
        "requesters": requesters,
        "watchers": watchers,
        "delegators": delegators,
        "jobs": {
            "created": len(jobs),
            "claimed": sum(j.provider is not None for j in jobs),
            "finalized": sum(j.outcome == "finalized" for j in jobs),
            "expired": sum(j.outcome == "expired" for j in jobs),
            "expired_unclaimed": sum(j.outcome == "expired" and j.provider is None for j in jobs),
            "upheld": len(upheld),
            "open": sum(j.outcome == "open" for j in jobs),
            "challenged": sum(j.challenged > 0 for j in jobs),
        },
        "fraud": {
            "wrong_results": len(wrong),
            "caught": sum(j.outcome == "upheld" for j in wrong),
            "finalized_wrong": sum(j.outcome == "finalized" for j in wrong),
            "caught_rate": (round(sum(j.outcome == "upheld" for j in wrong) / len(wrong), 4) if wrong else None),
        },
        "slashed": {
            "total_wei": sum(r["amount"] for r in slash_rows),
            "rewarded_wei": sum(r["rewarded"] for r in slash_rows),
            "burned_wei": sum(r["burned"] for r in slash_rows),
            "to_treasury_wei": sum(r["to_treasury"] for r in slash_rows),
            "by_strategy_wei": slashed_by_strategy,
            "expected_wei": sum(j.collateral for j in jobs if j.outcome in ("expired", "upheld") and j.provider),
        },
        "latency": {
            "submit_s": _stats([j.submitted_at - j.created_at for j in jobs if j.submitted_at is not None]),
            "submit_blocks": _stats(
                [j.submitted_block - j.created_block for j in jobs if j.submitted_block is not None]
            ),
            "finalize_s": _stats([j.closed_at - j.created_at for j in finalized]),  # type: ignore[operator]
            "samples_submit_s": [j.submitted_at - j.created_at for j in jobs if j.submitted_at is not None],
            "samples_finalize_s": [j.closed_at - j.created_at for j in finalized],  # type: ignore[operator]
        },
        "gas": {
            "per_step": {
                step: {"txs": len(v), "mean": sum(v) // len(v), "max": max(v), "total": sum(v)}
                for step, v in sorted(world.gas_steps.items())
            },
            "per_job": _stats(lifecycles),
            "samples_per_job": lifecycles,
        },
        "rewards": {
            "emissions_minted_wei": flows["minted_wei"],
            "fees_claimed_wei": sum(v[0] for v in claimed.values()),
            "emissions_claimed_wei": sum(v[1] for v in claimed.values()),
            "emissions_gini": gini(emissions_by_provider),
            "epoch_emissions_wei": [
                world.client.rewards.epoch_emission(e) for e in range(first_epoch, first_epoch + world.config.epochs)
            ],
        },
        "supply": {
            "start_wei": start.supply,
            "end_wei": end.supply,
            "minted_wei": flows["minted_wei"],
            "burned_wei": flows["burned_wei"],
        },
        "untracked_flows": {a: v for a, v in flows["untracked"].items()},
    }
