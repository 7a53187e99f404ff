"""Entry point: pick the upstream (the sim's own local chain, or `fork_url`), run one scenario or a sweep
(one fresh fork per setting), write the outputs, and raise `InvariantBroken` after writing them if any run
broke an invariant (with `strict`)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from opg_client.manifest import Manifest, load_manifest
from opg_client.sim.chain import Upstream, start_upstream
from opg_client.sim.config import ScenarioConfig, with_value
from opg_client.sim.engine import check_kinds, run_scenario
from opg_client.sim.invariants import InvariantBroken
from opg_client.sim.report import sweep_row, write_charts, write_json, write_sweep


def simulate(
    config: ScenarioConfig,
    *,
    out_dir: str | Path,
    sweep: tuple[str, Sequence[Any]] | None = None,
    charts: bool = True,
    strict: bool = True,
    artifacts: Any = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run and report; returns a summary (paths, invariant results, headline figures)."""
    say = progress or (lambda _text: None)
    check_kinds(config)  # before starting anything: agent kinds this checkout cannot run fail at once
    out = Path(out_dir)
    started = time.monotonic()
    upstream: Upstream | None = None
    try:
        if config.fork_url is None:
            say("starting the upstream chain (suite deployed, digits model registered, a few jobs settled)")
            upstream = start_upstream(artifacts)
            upstream_url, manifest = upstream.url, upstream.manifest
            history: dict[str, Any] = {"started": True, **upstream.history}
        else:
            upstream_url = config.fork_url
            manifest = load_manifest(config.manifest) if config.manifest else None
            history = {"started": False}
        if sweep is None:
            return _single(config, out, upstream_url, manifest, history, charts, strict, artifacts, say, started)
        return _sweep(config, sweep, out, upstream_url, manifest, history, charts, strict, artifacts, say, started)
    finally:
        if upstream is not None:
            upstream.stop()


def _single(
    config: ScenarioConfig, out: Path, url: str, manifest: Manifest | None, history: dict[str, Any], charts: bool,
    strict: bool, artifacts: Any, say: Callable[[str], None], started: float,
) -> dict[str, Any]:
    result = run_scenario(config, upstream_url=url, manifest=manifest, artifacts=artifacts, progress=say)
    result.metrics["upstream_history"] = history
    paths = [write_json(out / "metrics.json", result.metrics)]
    if charts:
        paths += write_charts(out, result.metrics)
    summary = _summary(result.metrics, paths, started)
    if strict and not result.ok:
        raise InvariantBroken([i for i in result.invariants if not i["ok"]], summary)
    return summary


def _sweep(
    config: ScenarioConfig, sweep: tuple[str, Sequence[Any]], out: Path, url: str, manifest: Manifest | None,
    history: dict[str, Any], charts: bool, strict: bool, artifacts: Any, say: Callable[[str], None],
    started: float,
) -> dict[str, Any]:
    field_name, values = sweep
    param = field_name.replace("_", "-")
    rows = []
    broken: list[dict[str, Any]] = []
    for value in values:
        say(f"sweep {param}={value}")
        result = run_scenario(
            with_value(config, field_name, value), upstream_url=url, manifest=manifest, artifacts=artifacts,
            progress=say,
        )
        result.metrics["upstream_history"] = history
        write_json(out / "runs" / f"{param}={value}" / "metrics.json", result.metrics)
        rows.append(sweep_row(param, value, result.metrics))
        broken += [{**i, "name": f"{i['name']}[{param}={value}]"} for i in result.invariants if not i["ok"]]
    paths = write_sweep(out, rows, charts)
    summary = {
        "sweep": {"param": param, "values": list(values)},
        "rows": rows,
        "outputs": [str(p) for p in paths],
        "ok": not broken,
        "elapsed_s": round(time.monotonic() - started, 2),
    }
    if strict and broken:
        raise InvariantBroken(broken, summary)
    return summary


def _summary(metrics: dict[str, Any], paths: Sequence[Path], started: float) -> dict[str, Any]:
    return {
        "ok": all(i["ok"] for i in metrics["invariants"]),
        "outputs": [str(p) for p in paths],
        "invariants": metrics["invariants"],
        "jobs": metrics["jobs"],
        "profit_mean_wei": {k: v["profit_mean_wei"] for k, v in metrics["by_strategy"].items()},
        "profit_per_job_wei": {k: v["profit_per_job_wei"] for k, v in metrics["by_strategy"].items()},
        "fraud_caught_rate": metrics["fraud"]["caught_rate"],
        "slashed_wei": metrics["slashed"]["total_wei"],
        "gas_per_job": metrics["gas"]["per_job"],
        "latency_submit_s": metrics["latency"]["submit_s"],
        "chain": metrics["chain"],
        "elapsed_s": round(time.monotonic() - started, 2),
    }
