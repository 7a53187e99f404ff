"""Delegators on the fork: they back providers picked at random, share their rewards by the providers' terms
and their slashes pro rata; custody of the staking contract (own stakes + pools + rewards held) balances."""

from __future__ import annotations

import dataclasses

from helpers_sim import OPG, SMALL

from opg_client.sim.engine import run_scenario

DELEGATED = dataclasses.replace(
    SMALL, providers=(("honest", 1), ("lazy", 1)), lazy_miss_bps=10_000, delegators=4, delegation=500 * OPG,
    reward_cut_bps=2_000, fee_share_bps=5_000,
)


def test_run_scenario__delegators__rewards_shared_slashes_pro_rata_custody_balanced(sim_upstream):
    result = run_scenario(DELEGATED, upstream_url=sim_upstream.url, manifest=sim_upstream.manifest)
    m = result.metrics
    assert result.ok, [i for i in result.invariants if not i["ok"]]
    staking = next(i for i in result.invariants if i["name"] == "staking_custody")
    assert "Σ Δ delegation pools" in staking["detail"]
    backers = {name: d for name, d in m["delegators"].items()}
    honest_backers = [d for d in backers.values() if d["provider_strategy"] == "honest"]
    lazy_backers = [d for d in backers.values() if d["provider_strategy"] == "lazy"]
    assert honest_backers and lazy_backers  # seed 3 spreads the four delegators over both providers
    for d in honest_backers:  # rewards claimed, never slashed
        assert d["rewards_claimed_wei"] > 0 and d["profit_wei"] == d["rewards_claimed_wei"]
    for d in lazy_backers:  # the lazy provider missed every job: its pool shared the slashes, earned nothing
        assert d["rewards_claimed_wei"] == 0 and d["profit_wei"] < 0
    lazy = next(p for p in m["providers"] if p["strategy"] == "lazy")
    assert lazy["delegators_profit_wei"] == sum(d["profit_wei"] for d in lazy_backers)
    assert -lazy["delegators_profit_wei"] < lazy["slashed_wei"]  # pro rata: the provider bore its own part
