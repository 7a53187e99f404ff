"""tee.json and tee.md of the TEE bench."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.report import RESULTS_DIR, Written, _run, _table


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
    opt, tee = results["optimistic_steady_state"], results["tee_steady_state"]
    first = results["tee_first_job_on_version"]
    steps = ["createJobWithPermit", "claimJob", "submitResult", "finalizeJob", "total"]
    rows = [[s, opt.get(s, "-"), tee.get(s, "- (settled at submit)" if s == "finalizeJob" else "-"), first.get(s, "-")]
            for s in steps]
    registry = [[name, g] for name, g in results["registry"].items()]
    lines = [
        "# TEE bench (`ape run bench --tee`)",
        "",
        f"{results['meta']['date']}, commit {results['meta']['git_commit'][:10]}, {results['meta']['cpus']} CPUs, "
        f"{results['run_seconds']} s. Digits model, {results['payload']['input_bytes']} B input, "
        f"{results['payload']['output_bytes']} B output; same requester, provider and epoch (steady state).",
        "",
        "Gas per transaction of one job (the TEE `submitResult` checks the 73-byte enclave signature, the key's "
        "attestation status, and settles):",
        "",
        *_table(["step", "optimistic", "TEE", "TEE, first job on the version"], rows),
        "",
        f"- TEE submitResult vs optimistic submitResult + finalizeJob: {tee['submitResult']:,} vs "
        f"{opt['submitResult'] + opt['finalizeJob']:,} gas",
        f"- Whole job: TEE {tee['total']:,} vs optimistic {opt['total']:,} gas "
        f"({tee['total'] - opt['total']:+,})",
        f"- Finality: TEE at submit (one transaction; signature at most {results['max_signature_age_s']} s old); "
        f"optimistic after the {results['challenge_window_s']:,} s challenge window plus a finalizeJob transaction",
        "",
        "Attestation registry transactions:",
        "",
        *_table(["transaction", "gas"], registry),
        "",
    ]
    return "\n".join(lines)


def verdict_lines(results: dict[str, Any]) -> list[str]:
    tee, opt = results["tee_steady_state"], results["optimistic_steady_state"]
    return [
        f"tee submitResult (settles): {tee['submitResult']:,} gas; job total {tee['total']:,}",
        f"optimistic submit + finalize: {opt['submitResult'] + opt['finalizeJob']:,} gas; job total {opt['total']:,}",
    ]


def write_results(results: dict[str, Any], out_dir: Path = RESULTS_DIR) -> Written:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "tee.json", out_dir / "tee.md"
    json_path.write_text(json.dumps(results, indent=2) + "\n")
    md_path.write_text(markdown(results))
    return Written(json_path, md_path)
