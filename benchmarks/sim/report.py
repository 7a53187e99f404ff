"""sim.json and sim.md (Markdown) of the simulation bench, and its PASS / FAIL lines."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.report import RESULTS_DIR, Written, _run, _table, _verdict


def with_meta(results: dict[str, Any]) -> dict[str, Any]:
    return {
        "meta": {
            "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "git_commit": _run("git", "rev-parse", "HEAD"),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "run_seconds": results["run_seconds"],
        },
        **results,
    }


def markdown(results: dict[str, Any]) -> str:
    t = results["targets"]
    rows = [
        [s["name"], ", ".join(f"{k}={v}" for k, v in s["providers"].items()), s["requesters"], s["watchers"],
         s["delegators"], s["epochs"], s["jobs"],
         s["txs"], s["seconds"], s["txs_per_s"], round(s["gas_per_job"].get("mean", 0)),
         f"{s['fraud']['caught']}/{s['fraud']['wrong_results']}",
         "yes" if s["invariants_ok"] else "broken: " + ", ".join(s["broken"])]
        for s in results["scenarios"]
    ]
    steps = results["scenarios"][0]["gas_per_step"]
    lines = [
        "# Simulation bench (`ape run bench --sim`)",
        "",
        f"{results['meta']['date']}, commit {results['meta']['git_commit'][:10]}, {results['meta']['cpus']} CPUs. "
        f"Upstream chain (deploy + history): {results['upstream_seconds']} s; each scenario on a fresh fork.",
        "",
        *_table(["scenario", "providers", "requesters", "watchers", "delegators", "epochs", "jobs", "txs", "seconds",
                 "tx/s", "gas / finalized job", "wrong caught", "invariants"], rows),
        "",
        "Gas per step in the default scenario (mean):",
        "",
        *_table(["step", "gas"], [[k, v] for k, v in steps.items()]),
        "",
        f"- default run (upstream + scenario) {t['default_run']['seconds']} s, target <= "
        f"{t['default_run']['target_s']} s: {_verdict(t['default_run']['pass'])}",
        f"- deterministic by seed (same seed -> same metrics; another seed -> another assignment):"
        f" {_verdict(t['deterministic']['pass'])}",
        f"- invariants hold in every watched scenario: {_verdict(t['invariants']['pass'])}",
        f"- with no watcher, cheating pays and the run is flagged (dishonest_not_more_profitable): "
        f"{_verdict(t['unwatched_cheating_flagged']['pass'])}",
        "",
    ]
    return "\n".join(lines)


def verdict_lines(results: dict[str, Any]) -> list[str]:
    return [f"sim {name}: {_verdict(v['pass'])}" for name, v in results["targets"].items()]


def write_results(results: dict[str, Any], out_dir: Path = RESULTS_DIR) -> Written:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "sim.json", out_dir / "sim.md"
    json_path.write_text(json.dumps(results, indent=2) + "\n")
    md_path.write_text(markdown(results))
    return Written(json_path, md_path)
