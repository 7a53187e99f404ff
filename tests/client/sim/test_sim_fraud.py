"""Cheating providers against watchers on the fork: real wrong results (a corrupted layer, self-consistent
trace) that the deployment's OptimisticLayerVerifier judges; without watchers cheating pays and the run is
flagged; with watchers every wrong result is caught and slashed."""

from __future__ import annotations

import dataclasses

from helpers_sim import OPG, SMALL

from opg_client.sim.engine import run_scenario

CHEATS = dataclasses.replace(SMALL, providers=(("honest", 1), ("cheater", 1)), cheat_bps=5_000)


def _run(upstream, config):
    return run_scenario(config, upstream_url=upstream.url, manifest=upstream.manifest)


def test_run_scenario__cheater_and_a_watcher__every_wrong_result_caught_and_slashed(sim_upstream):
    result = _run(sim_upstream, dataclasses.replace(CHEATS, watchers=1))
    m = result.metrics
    assert result.ok, [i for i in result.invariants if not i["ok"]]
    assert "no_wrong_result_finalized" in {i["name"] for i in result.invariants}
    fraud = m["fraud"]
    assert fraud["wrong_results"] > 0 and fraud["caught"] == fraud["wrong_results"] and fraud["caught_rate"] == 1.0
    assert m["jobs"]["upheld"] == fraud["caught"] and m["jobs"]["challenged"] == fraud["caught"]  # no false alarm
    cheater = next(p for p in m["providers"] if p["strategy"] == "cheater")
    assert cheater["slashed_wei"] == fraud["caught"] * 10 * OPG  # min collateral per caught job
    watcher = m["watchers"]["watcher1"]
    assert watcher["upheld"] == fraud["caught"] and watcher["rewards_wei"] == m["slashed"]["rewarded_wei"] > 0
    assert watcher["profit_wei"] == watcher["rewards_wei"]  # bonds came back
    by = m["by_strategy"]
    assert by["cheater"]["profit_per_job_wei"] < by["honest"]["profit_per_job_wei"]


def test_run_scenario__cheater_without_watchers__cheating_pays_and_the_run_is_flagged(sim_upstream):
    config = dataclasses.replace(CHEATS, epochs=1, compute_cost=OPG // 10)  # one epoch: same emission per fee
    result = _run(sim_upstream, config)
    m = result.metrics
    assert m["fraud"]["wrong_results"] > 0 and m["fraud"]["finalized_wrong"] == m["fraud"]["wrong_results"]
    broken = {i["name"]: i["detail"] for i in result.invariants if not i["ok"]}
    assert set(broken) == {"dishonest_not_more_profitable"}
    assert "MORE profitable than honest: ['cheater']" in broken["dishonest_not_more_profitable"]


def test_run_scenario__watcher_inspects_nothing__no_challenge_and_wrong_results_finalize(sim_upstream):
    result = _run(sim_upstream, dataclasses.replace(CHEATS, watchers=1, watch_bps=0))
    m = result.metrics
    assert m["watchers"]["watcher1"]["inspected"] == 0 and m["jobs"]["challenged"] == 0
    assert m["fraud"]["caught_rate"] == 0.0
    assert "no_wrong_result_finalized" not in {i["name"] for i in result.invariants}  # partial coverage
