"""Metadata, target verdicts, and the three renderings of the results: gas.json (the committed snapshot),
gas.md (the same as Markdown tables) and the console table (that Markdown, plus PASS / FAIL lines)."""

from __future__ import annotations

import hashlib
import json
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.config import LIFECYCLE_STEADY_STATE_MAX, SCALING_MAX_RATIO, BenchConfig
from benchmarks.lifecycle import PHASES
from benchmarks.scaling import MEASURES

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
LIFECYCLE_TXS = ("createJobWithPermit", "claimJob", "submitResult", "finalizeJob")
ANATOMY_KEYS = ("intrinsic", "sstore", "fresh_slots", "logs", "other", "refund")


def _run(*cmd: str) -> str:
    try:
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _compiler() -> dict[str, Any]:
    """solc version and settings the contracts were built with (`.build/__local__.json`), a digest of the
    contract sources, and whether the build was made from exactly those sources."""
    sources = {str(p.relative_to(ROOT)): p.read_text() for p in sorted((ROOT / "contracts").rglob("*.sol"))}
    digest = hashlib.sha256("".join(f"{k}\0{v}\0" for k, v in sources.items()).encode()).hexdigest()
    try:
        build = json.loads((ROOT / ".build" / "__local__.json").read_text())
        solc = next(c for c in build["compilers"] if c.get("name") == "solidity")
    except (OSError, ValueError, KeyError, StopIteration):
        return {"solc": "unknown", "optimizer_runs": None, "evm": "unknown", "contracts_sha256": digest}
    built = {k: (v or {}).get("content") for k, v in build.get("sources", {}).items()}
    settings = solc.get("settings", {})
    optimizer = settings.get("optimizer", {})
    return {
        "solc": solc.get("version", "unknown"),
        "optimizer": bool(optimizer.get("enabled")),
        "optimizer_runs": optimizer.get("runs"),
        "evm": settings.get("evmVersion", "unknown"),
        "via_ir": bool(settings.get("viaIR", False)),
        "contracts_sha256": digest,
        "build_matches_sources": all(built.get(k) == v for k, v in sources.items()),
    }


def meta(config: BenchConfig, suite_params: dict[str, Any], seconds: float) -> dict[str, Any]:
    dirty = _run("git", "status", "--porcelain", "--", "contracts")
    return {
        **_compiler(),
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "git_commit": _run("git", "rev-parse", "HEAD"),
        "contracts_dirty": dirty not in ("", "unknown"),  # uncommitted changes under contracts/ at run time
        "chain": (_run("anvil", "--version").splitlines() or ["unknown"])[0],
        "gas_source": "receipt gasUsed on a local Anvil (after refunds), EIP-1559 fees irrelevant",
        "config": {"providers": list(config.providers), "epochs": list(config.epochs)},
        "suite_params": suite_params,
        "run_seconds": round(seconds, 1),
    }


def targets(lifecycle: dict[str, Any], scaling: dict[str, Any]) -> dict[str, Any]:
    steady = lifecycle["digits"]["steady_state"]["total"]
    verdicts: dict[str, Any] = {
        "lifecycle_steady_state": {
            "payload": "digits",
            "gas": steady,
            "pass": steady <= LIFECYCLE_STEADY_STATE_MAX,
        }
    }
    for axis in ("providers", "epochs"):
        for name in MEASURES:
            entry = scaling[axis][name]
            verdicts[f"scaling.{axis}.{name}"] = {"ratio": entry["ratio"], "pass": entry["pass"]}
    return {
        "lifecycle_steady_state_max": LIFECYCLE_STEADY_STATE_MAX,
        "scaling_max_ratio": SCALING_MAX_RATIO,
        "scaling_rule": "max(large/small, small/large) <= scaling_max_ratio",
        "verdicts": verdicts,
        "pass": all(v["pass"] for v in verdicts.values()),
    }


# -------------------------------------------------------------------------------------------------
# Rendering
# -------------------------------------------------------------------------------------------------


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [header, *[[f"{c:,}" if isinstance(c, int) and not isinstance(c, bool) else str(c) for c in r]
                       for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    numeric = [all(r[i].replace(",", "").replace(".", "").isdigit() for r in cells[1:]) for i in range(len(header))]

    columns = list(zip(widths, numeric, strict=True))

    def fmt(row: list[str]) -> str:
        return "| " + " | ".join(c.rjust(w) if n else c.ljust(w) for c, (w, n) in zip(row, columns, strict=True)) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if n else ("-" * (w + 2)) for w, n in columns) + "|"
    return [fmt(cells[0]), sep, *[fmt(r) for r in cells[1:]]]


def markdown(results: dict[str, Any]) -> str:
    m, t, ops = results["meta"], results["targets"], results["operations"]
    lines = [
        "# OPG protocol core: gas",
        "",
        f"Generated by `make bench` on {m['date']} at commit `{m['git_commit'][:12]}`"
        f"{' (contracts/ had uncommitted changes)' if m['contracts_dirty'] else ''}"
        f"{' (WARNING: the build did not match contracts/)' if not m.get('build_matches_sources', True) else ''}. "
        f"solc {m['solc']}, optimizer {m['optimizer_runs']} runs, EVM {m['evm']}; {m['chain']}. "
        "Gas = receipt `gasUsed` (refunds applied).",
        "",
        "## Operations",
        "",
        *_table(["operation", "gas", "conditions"], [[k, v["gas"], v["note"]] for k, v in ops.items()]),
        "",
        "## Optimistic job lifecycle (createJobWithPermit + claimJob + submitResult + finalizeJob)",
    ]
    for key, lc in results["lifecycle"].items():
        phases = list(PHASES)
        lines += [
            "",
            f"**{key}** — {lc['label']} ({lc['input_bytes']:,} B input, {lc['output_bytes']:,} B output)",
            "",
            *_table(
                ["tx", *phases],
                [[tx, *[lc[p][tx] for p in phases]] for tx in (*LIFECYCLE_TXS, "total")],
            ),
            "",
            f"Where the {key} steady-state gas goes (gas used = intrinsic + SSTORE + LOG + other - refund):",
            "",
            *_table(
                ["tx", "gas used", "intrinsic+calldata", "SSTORE", "fresh slots", "LOG", "other", "refund"],
                [[tx, lc["steady_state"][tx], *[a[k] for k in ANATOMY_KEYS]]
                 for tx, a in lc["steady_state_anatomy"].items()],
            ),
        ]
    lines += ["", *[f"- `{p}`: {d}" for p, d in PHASES.items()], "", "## Scaling", ""]
    rows = []
    for axis, label in (("providers", "active providers"), ("epochs", "elapsed epochs")):
        s = results["scaling"][axis]
        for name in MEASURES:
            e = s[name]
            rows.append([f"{name} vs {label}", f"{e[str(s['small'])]:,} @ {s['small']}",
                         f"{e[str(s['large'])]:,} @ {s['large']}", f"{e['ratio']:.4f}", _verdict(e["pass"])])
    lines += _table(["measure", "small", "large", "ratio", "verdict"], rows)
    lines += ["", "## Targets", ""]
    lines += _table(
        ["target", "measured", "limit", "verdict"],
        [[name, v["gas"], t["lifecycle_steady_state_max"], _verdict(v["pass"])] if "gas" in v
         else [name, f"{v['ratio']:.4f}", f"{t['scaling_max_ratio']:.4f}", _verdict(v["pass"])]
         for name, v in t["verdicts"].items()],
    )
    lines += ["", f"Overall: **{_verdict(t['pass'])}**", ""]
    return "\n".join(lines)


@dataclass(frozen=True)
class Written:
    json: Path
    markdown: Path


def write_results(results: dict[str, Any], out_dir: Path = RESULTS_DIR) -> Written:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = Written(out_dir / "gas.json", out_dir / "gas.md")
    paths.json.write_text(json.dumps(results, indent=2) + "\n")
    paths.markdown.write_text(markdown(results))
    return paths


def verdict_lines(results: dict[str, Any]) -> list[str]:
    t = results["targets"]
    out = []
    for name, v in t["verdicts"].items():
        if "gas" in v:
            out.append(f"{_verdict(v['pass'])}  {name}: {v['gas']:,} gas (max {t['lifecycle_steady_state_max']:,})")
        else:
            out.append(f"{_verdict(v['pass'])}  {name}: ratio {v['ratio']:.4f} (max {t['scaling_max_ratio']})")
    out.append(f"{_verdict(t['pass'])}  all targets")
    return out
