"""Run the simulation scenarios measured by the bench (each on a fresh fork of one upstream chain)."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from opg_client.sim.chain import start_upstream
from opg_client.sim.config import ScenarioConfig
from opg_client.sim.engine import run_scenario

DEFAULT = ScenarioConfig()  # what `opg simulate` runs without flags (honest=2, lazy=1, cheater=1, 1 watcher)
LARGER = ScenarioConfig(
    epochs=5, providers=(("honest", 4), ("lazy", 2), ("cheater", 2)), requesters=3, jobs_per_round=4, watchers=2
)
UNWATCHED = ScenarioConfig(watchers=0)  # the default mix with nobody watching: cheating pays (flagged)
DEFAULT_TARGET_S = 60.0  # the issue: "keep a default run short (well under a minute)"
VOLATILE = ("elapsed_s", "chain")


def _txs(metrics: dict[str, Any]) -> int:
    return sum(step["txs"] for step in metrics["gas"]["per_step"].values())


def _scenario(name: str, config: ScenarioConfig, upstream: Any) -> dict[str, Any]:
    started = time.monotonic()
    result = run_scenario(config, upstream_url=upstream.url, manifest=upstream.manifest)
    seconds = time.monotonic() - started
    m = result.metrics
    return {
        "name": name,
        "providers": dict(config.providers),
        "requesters": config.requesters,
        "watchers": config.watchers,
        "delegators": config.delegators,
        "epochs": config.epochs,
        "jobs": m["jobs"]["created"],
        "txs": _txs(m),
        "blocks": m["chain"]["blocks"],
        "seconds": round(seconds, 2),
        "txs_per_s": round(_txs(m) / seconds, 1),
        "invariants_ok": result.ok,
        "broken": [i["name"] for i in result.invariants if not i["ok"]],
        "fraud": {k: m["fraud"][k] for k in ("wrong_results", "caught", "caught_rate")},
        "gas_per_job": m["gas"]["per_job"],
        "gas_per_step": {k: v["mean"] for k, v in m["gas"]["per_step"].items()},
        "metrics": m,
    }


def run_sim_bench() -> dict[str, Any]:
    started = time.monotonic()
    upstream = start_upstream()
    upstream_s = time.monotonic() - started
    try:
        default = _scenario("default", DEFAULT, upstream)
        again = _scenario("default (again, same seed)", DEFAULT, upstream)
        larger = _scenario("larger", LARGER, upstream)
        other_seed = _scenario("default, seed 2", dataclasses.replace(DEFAULT, seed=2), upstream)
        unwatched = _scenario("default, no watcher", UNWATCHED, upstream)
    finally:
        upstream.stop()
    same = {k: v for k, v in default["metrics"].items() if k not in VOLATILE} == {
        k: v for k, v in again["metrics"].items() if k not in VOLATILE
    }
    differs = default["metrics"]["providers"] != other_seed["metrics"]["providers"]
    default_total = upstream_s + default["seconds"]
    scenarios = [default, again, larger, other_seed, unwatched]
    for s in scenarios:
        s.pop("metrics")
    return {
        "upstream_seconds": round(upstream_s, 2),
        "scenarios": scenarios,
        "targets": {
            "default_run": {"seconds": round(default_total, 2), "target_s": DEFAULT_TARGET_S,
                            "pass": default_total <= DEFAULT_TARGET_S},
            "deterministic": {"same_seed_same_metrics": same, "other_seed_differs": differs, "pass": same and differs},
            "invariants": {"pass": all(s["invariants_ok"] for s in scenarios if s is not unwatched)},
            "unwatched_cheating_flagged": {"pass": "dishonest_not_more_profitable" in unwatched["broken"]},
        },
        "run_seconds": round(time.monotonic() - started, 1),
    }
