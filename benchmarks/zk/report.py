"""zk.json and zk.md (Markdown) of the ZK bench, and its PASS / FAIL lines."""

from __future__ import annotations

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.report import RESULTS_DIR, Written, _compiler, _run, _table, _verdict


def with_meta(results: dict[str, Any]) -> dict[str, Any]:
    import ezkl  # version of the prover that made the numbers

    return {
        "meta": {
            **_compiler(),
            "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "git_commit": _run("git", "rev-parse", "HEAD"),
            "python": platform.python_version(),
            "ezkl": getattr(ezkl, "__version__", "23.0.5"),
            "cpus": os.cpu_count(),
            "srs": "development SRS (ezkl.gen_srs), generated per model",
            "gas_source": "receipt gasUsed on a local Anvil; verifyProof: eth_estimateGas of a direct call",
            "run_seconds": results["run_seconds"],
        },
        **results,
    }


def markdown(results: dict[str, Any]) -> str:
    rows = results["models"]
    times = [
        [r["model"], "x".join(str(d) for d in [r["layers"][0][1], *(layer[0] for layer in r["layers"])]),
         r["logrows"], *(r["seconds"][k] for k in ("compile", "srs_dev", "setup", "verifier_build", "witness",
                                                   "prove", "verify"))]
        for r in rows
    ]
    gas_rows = [
        [r["model"], r["gas"]["submitResult_zk"], r["gas"]["ezkl_verifyProof_tx_estimate"], r["gas"]["deploy_verifier"],
         r["sizes"]["proof_bytes"], r["sizes"]["instances"], r["sizes"]["verifier_bytecode_bytes"],
         r["output_max_abs_diff_vs_runtime"], "yes" if r["argmax_matches_runtime"] else "no"]
        for r in rows
    ]
    t = results["targets"]
    lines = [
        "# ZK bench (`ape run bench --zk`)",
        "",
        f"{results['meta']['date']}, commit {results['meta']['git_commit'][:10]}, {results['meta']['cpus']} CPUs "
        f"(shared), ezkl {results['meta']['ezkl']}, verifier compiled with solc-js {results['meta'].get('solc')} "
        "(optimizer on). Development SRS.",
        "",
        "Proving time per model (seconds):",
        "",
        *_table(["model", "shape", "logrows", "compile", "SRS (dev)", "setup", "verifier build", "witness", "prove",
                 "verify"], times),
        "",
        "Gas and sizes:",
        "",
        *_table(["model", "submitResult (ZK settlement)", "EZKL verifyProof (tx estimate)", "verifier deploy",
                 "proof bytes", "instances", "verifier bytecode", "max abs diff vs runtime", "argmax same"], gas_rows),
        "",
        f"The issue expects ~{results['issue_expected_verify_gas']:,} gas for an EZKL verification: the verifier's "
        "`verifyProof` as a transaction of its own (21k base + proof calldata included) is the column above; the ZK "
        "settlement adds the escrow's submit + settlement, the adapter's binding checks and the proof carried twice "
        "(escrow -> adapter -> verifier).",
        "",
        f"- every proof verifies off-chain: {_verdict(t['proofs_verify']['pass'])}",
        f"- every ZK job is closed by its submitResult: {_verdict(t['settles_at_submit']['pass'])}",
        "",
        "`max abs diff vs runtime`: the circuit rebases each layer with EZKL's rounding division where the runtime",
        "floors, so ZK outputs may differ from the optimistic runtime by a few units in the last place",
        "(docs/protocol.md).",
        "",
    ]
    return "\n".join(lines)


def verdict_lines(results: dict[str, Any]) -> list[str]:
    return [f"zk {name}: {_verdict(v['pass'])}" for name, v in results["targets"].items()]


def write_results(results: dict[str, Any], out_dir: Path = RESULTS_DIR) -> Written:
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / "zk.json", out_dir / "zk.md"
    json_path.write_text(json.dumps(results, indent=2) + "\n")
    md_path.write_text(markdown(results))
    return Written(json_path, md_path)
