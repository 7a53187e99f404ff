"""fraud.json and fraud.md of the fraud-proof bench."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.report import RESULTS_DIR, Written, _run, _table

ISSUE_8X8_GAS = 100_000  # the issue's expectation for an 8x8 layer


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
    steps = [[s["name"], s["weights"], s["gas"], s["calldata_bytes"]] for s in results["steps"]]
    txs = [[c["name"], c["ruling"], c["gas"], c["evidence_bytes"], c["calldata_bytes"]] for c in results["challenges"]]
    eight = results["steps"][0]["gas"]
    lines = [
        "# Fraud-proof bench (`ape run bench --fraud`)",
        "",
        f"{results['meta']['date']}, commit {results['meta']['git_commit'][:10]}, {results['meta']['cpus']} CPUs, "
        f"{results['run_seconds']} s. Vectors and weights packed int32 (docs/runtime.md §5).",
        "",
        "One layer step as a transaction (`FixedPointLayerHarness.denseLayerTx`: layer commitment check + bit-exact "
        "re-execution + output commitment; gas includes the 21k intrinsic and calldata):",
        "",
        *_table(["layer", "weights", "gas", "calldata B"], steps),
        "",
        "Whole `challengeResult` transactions (escrow + OptimisticLayerVerifier + registry reads + slash / refund or "
        "bond credit), each checked to take the named path:",
        "",
        *_table(["challenge", "ruling", "gas", "evidence B", "calldata B"], txs),
        "",
        f"- 8x8 layer step: {eight:,} gas (the issue expects ~{ISSUE_8X8_GAS:,})",
        "",
    ]
    return "\n".join(lines)


def verdict_lines(results: dict[str, Any]) -> list[str]:
    return [f"fraud {s['name']}: {s['gas']:,} gas" for s in results["steps"]] + [
        f"fraud {c['name']}: {c['gas']:,} gas" for c in results["challenges"]
    ]


def write_results(results: dict[str, Any], out_dir: Path = RESULTS_DIR) -> Written:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "fraud.json", out_dir / "fraud.md"
    json_path.write_text(json.dumps(results, indent=2) + "\n")
    md_path.write_text(markdown(results))
    return Written(json_path, md_path)
