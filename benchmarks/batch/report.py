"""batch.json and batch.md (Markdown) of the batch-settlement bench, and its PASS / FAIL line."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.report import RESULTS_DIR, Written, _compiler, _run, _table, _verdict


def with_meta(results: dict[str, Any]) -> dict[str, Any]:
    return {
        "meta": {
            "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "git_commit": _run("git", "rev-parse", "HEAD"),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "compiler": _compiler(),
            "run_seconds": results["run_seconds"],
        },
        **results,
    }


def markdown(results: dict[str, Any]) -> str:
    rows = []
    for row in results["rows"]:
        for phase in ("first", "steady"):
            m = row[phase]
            rows.append([row["jobs"], row["requesters"], phase, m["deposits"], m["postBatch"], m["payLeaves"],
                         m["total"], m["per_job"], m["per_job_provider"]])
    single = results["single_job"]
    t = results["target"]
    lines = [
        "# Batch Merkle settlement gas (`ape run bench --batch`)",
        "",
        f"{results['meta']['date']}, commit {results['meta']['git_commit'][:10]}. One batch = the requesters'"
        " deposits for its jobs + postBatch + one payLeaves of every leaf (multiproof); `first`: the requesters'"
        " first jobs, `steady`: a second batch by the same parties in the same epoch. Gas per job ="
        " (deposits + post + pay) / jobs; `provider` leaves the deposits out.",
        "",
        *_table(["jobs", "requesters", "round", "deposits", "postBatch", "payLeaves", "total", "gas / job",
                 "provider gas / job"], rows),
        "",
        "Single-job optimistic lifecycle, steady state (createJobWithPermit + claimJob + submitResult +"
        " finalizeJob, digits payload):",
        "",
        *_table(["tx", "gas"], [[k, v] for k, v in single.items()]),
        "",
        f"- target: <= {t['per_job_max']:,} gas per job amortized at {t['jobs_per_batch']} jobs per batch"
        f" (steady state): measured {', '.join(f'{v:,}' for v in t['measured'])}: {_target_verdict(t)}",
        "",
    ]
    return "\n".join(lines)


def _target_verdict(t: dict[str, Any]) -> str:
    return "not measured (partial run)" if t["pass"] is None else _verdict(t["pass"])


def verdict_lines(results: dict[str, Any]) -> list[str]:
    t = results["target"]
    return [f"batch: <= {t['per_job_max']:,} gas/job at {t['jobs_per_batch']} jobs: {_target_verdict(t)}"]


def write_results(results: dict[str, Any], out_dir: Path = RESULTS_DIR) -> Written:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = Written(out_dir / "batch.json", out_dir / "batch.md")
    paths.json.write_text(json.dumps(results, indent=2) + "\n")
    paths.markdown.write_text(markdown(results))
    return paths
