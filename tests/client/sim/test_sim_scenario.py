"""Short simulation runs on a fork of the session's upstream chain: the invariants hold for honest / lazy
providers, runs are deterministic by seed, governance parameters and emissions reach the fork, and a broken
invariant (OPG created from nothing, OPG leaving the tracked parties) is detected by name."""

from __future__ import annotations

import dataclasses

import pytest
from helpers_sim import OPG, SMALL, balance_slot, stable

from opg_client.sim.engine import run_scenario
from opg_client.sim.invariants import InvariantBroken, enforce


def _run(upstream, config=SMALL, **kwargs):
    return run_scenario(config, upstream_url=upstream.url, manifest=upstream.manifest, **kwargs)


def test_run_scenario__honest_and_lazy__every_invariant_holds(sim_upstream):
    result = _run(sim_upstream)
    m = result.metrics
    assert result.ok, [i for i in result.invariants if not i["ok"]]
    names = {i["name"] for i in result.invariants}
    assert {"tokens_conserved", "staking_custody", "settlement_custody", "all_jobs_closed",
            "slashes_match_faults", "dishonest_not_more_profitable"} <= names
    assert m["chain"]["deployment"] == "forked"
    assert m["jobs"]["created"] == 8 and m["jobs"]["open"] == 0
    assert m["jobs"]["finalized"] + m["jobs"]["expired"] == 8
    by = m["by_strategy"]
    assert by["honest"]["profit_per_job_wei"] > by["lazy"]["profit_per_job_wei"]
    lazy = next(p for p in m["providers"] if p["strategy"] == "lazy")
    assert lazy["expired"] == lazy["missed"] and lazy["slashed_wei"] == lazy["missed"] * 10 * OPG
    assert m["rewards"]["emissions_minted_wei"] > 0
    assert m["gas"]["per_job"]["n"] == m["jobs"]["finalized"] and m["gas"]["per_job"]["mean"] > 200_000
    assert m["latency"]["submit_s"]["n"] == sum(p["submitted"] for p in m["providers"])


def test_run_scenario__same_seed__same_metrics(sim_upstream):
    first, second = _run(sim_upstream), _run(sim_upstream)
    assert stable(first.metrics) == stable(second.metrics)


def test_run_scenario__other_seed__other_assignment(sim_upstream):
    first = _run(sim_upstream)
    other = _run(sim_upstream, dataclasses.replace(SMALL, seed=4))
    assert [p["claimed"] for p in first.metrics["providers"]] != [p["claimed"] for p in other.metrics["providers"]]


def test_run_scenario__governance_parameters__applied_on_the_fork(sim_upstream):
    config = dataclasses.replace(
        SMALL, collateral_ratio_bps=20_000, min_collateral=1 * OPG, challenge_window=600, bond=5 * OPG,
        providers=(("lazy", 1),), lazy_miss_bps=10_000,
    )
    m = _run(sim_upstream, config).metrics
    assert m["chain"]["deployment"] == "forked"
    assert m["jobs"]["expired"] == 8  # the lazy provider missed every job
    assert m["slashed"]["total_wei"] == 8 * 2 * config.fee  # collateral = fee x 200% (> the 1 OPG minimum)


def test_run_scenario__short_challenge_window__finalizes_sooner(sim_upstream):
    m = _run(sim_upstream, dataclasses.replace(SMALL, challenge_window=600, providers=(("honest", 1),))).metrics
    assert 600 < m["latency"]["finalize_s"]["max"] < 3_600


def test_run_scenario__different_emission__fresh_suite_on_the_fork(sim_upstream):
    m = _run(sim_upstream, dataclasses.replace(SMALL, emission=1_000 * OPG)).metrics
    assert m["chain"]["deployment"] == "fresh"
    assert m["rewards"]["epoch_emissions_wei"][0] <= 1_000 * OPG
    assert 0 < m["rewards"]["emissions_minted_wei"] <= 2 * 1_000 * OPG
    assert all(i["ok"] for i in m["invariants"])


def test_run_scenario__opg_created_from_nothing__tokens_conserved_broken(sim_upstream):
    def mint_from_nothing(world, cast):
        token = world.client.manifest.address("OPGToken")
        holder = cast.providers[0].address
        balance = world.client.token.balance_of(holder)
        slot = balance_slot(world.fork, token, holder, balance)
        world.fork.rpc("anvil_setStorageAt", [token, hex(slot), "0x" + (balance + OPG).to_bytes(32, "big").hex()])

    result = _run(sim_upstream, before_checks=mint_from_nothing)
    broken = {i["name"] for i in result.invariants if not i["ok"]}
    assert broken == {"tokens_conserved"}
    with pytest.raises(InvariantBroken) as info:
        enforce(result.invariants)
    assert [v["name"] for v in info.value.violations] == ["tokens_conserved"]
    supply = result.metrics["supply"]
    assert f"Σ Δbalance {supply['minted_wei'] - supply['burned_wei'] + OPG} wei" in info.value.violations[0]["detail"]


def test_run_scenario__opg_sent_to_an_untracked_address__flows_and_conservation_broken(sim_upstream):
    def leak(world, cast):
        requester = cast.providers[0]  # holds its claimed fees and emissions
        stranger = "0x000000000000000000000000000000000000dEaD"
        world.send(requester.account, world.client.token.transfer(requester.account, stranger, OPG), "leak")

    result = _run(sim_upstream, before_checks=leak)
    broken = {i["name"]: i["detail"] for i in result.invariants if not i["ok"]}
    assert set(broken) == {"tokens_conserved", "no_untracked_flows"}
    assert "0x000000000000000000000000000000000000dEaD" in broken["no_untracked_flows"]


def test_run_scenario__collateral_above_every_stake__jobs_expire_unclaimed_and_requesters_refunded(sim_upstream):
    config = dataclasses.replace(SMALL, fee=300 * OPG, collateral_ratio_bps=50_000, stake=1_000 * OPG)
    result = _run(sim_upstream, config)  # collateral 1,500 OPG per job > each provider's 1,000 OPG stake
    m = result.metrics
    assert result.ok, [i for i in result.invariants if not i["ok"]]
    assert m["jobs"]["expired_unclaimed"] == m["jobs"]["created"] == 8
    assert m["slashed"]["total_wei"] == 0 and m["rewards"]["emissions_minted_wei"] == 0
    assert all(r["spent_wei"] == 0 for r in m["requesters"].values())  # every fee refunded
    assert all(p["profit_wei"] == 0 for p in m["providers"])
