"""Outputs: `metrics.json` (wei as decimal strings), six PNG charts (matplotlib, Agg), and for a sweep one row
per setting in `sweep.csv` / `sweep.json` plus `sweep.png`."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from opg_client.errors import OpgError

OPG = 10**18
CHARTS = ("profit.png", "fraud.png", "slashed.png", "latency.png", "gas.png", "rewards.png")
COLORS = {"honest": "#2b8a3e", "lazy": "#e8590c", "cheater": "#c92a2a"}


class ReportError(OpgError):
    """The report could not be written (e.g. matplotlib is not installed: `pip install opg-client[sim]`)."""


def jsonable(value: Any, key: str = "") -> Any:
    """Wei amounts (keys ending in `_wei`) become decimal strings, recursively; everything else is kept."""
    if isinstance(value, dict):
        return {k: jsonable(v, k if isinstance(k, str) else "") for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v, key) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and key.endswith("_wei"):
        return str(value)
    return value


def write_json(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(jsonable(data), indent=2, sort_keys=False) + "\n")
    return path


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ReportError("charts need matplotlib: pip install 'opg-client[sim]' (or --no-charts)") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _opg(wei: int) -> float:
    return wei / OPG  # display only


def write_charts(out: Path, metrics: dict[str, Any]) -> list[Path]:
    plt = _pyplot()
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, draw in zip(CHARTS, (_profit, _fraud, _slashed, _latency, _gas, _rewards), strict=True):
        fig, ax = plt.subplots(figsize=(7, 4.2), dpi=100)
        draw(ax, metrics)
        fig.tight_layout()
        path = out / name
        fig.savefig(path)
        plt.close(fig)
        paths.append(path)
    return paths


def _profit(ax: Any, m: dict[str, Any]) -> None:
    by = m["by_strategy"]
    names = list(by)
    means = [_opg(by[n]["profit_mean_wei"]) for n in names]
    ax.bar(names, means, color=[COLORS.get(n, "#495057") for n in names], alpha=0.8, label="mean")
    for i, n in enumerate(names):
        ys = [_opg(p) for p in by[n]["profits_wei"]]
        ax.scatter([i] * len(ys), ys, color="black", s=14, zorder=3, label="provider" if i == 0 else None)
    ax.axhline(0, color="grey", lw=0.8)
    for i, n in enumerate(names):
        per_job = by[n]["profit_per_job_wei"]
        if per_job is not None:
            ax.annotate(f"{_opg(per_job):,.1f}/job", (i, means[i]), ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("profit (OPG): Δ wallet + stake + claimable")
    ax.set_title(f"Profit per provider strategy (seed {m['seed']}, {m['config']['epochs']} epochs)")
    ax.legend(loc="best", fontsize=8)


def _fraud(ax: Any, m: dict[str, Any]) -> None:
    f = m["fraud"]
    labels = ["wrong results", "caught (upheld)", "finalized wrong"]
    values = [f["wrong_results"], f["caught"], f["finalized_wrong"]]
    ax.bar(labels, values, color=["#c92a2a", "#2b8a3e", "#868e96"])
    rate = "n/a (no wrong results)" if f["caught_rate"] is None else f"{f['caught_rate']:.0%}"
    ax.set_title(f"Fraud caught rate: {rate}")
    ax.set_ylabel("jobs")


def _slashed(ax: Any, m: dict[str, Any]) -> None:
    s = m["slashed"]
    parts = [("challenger / keeper bounty", s["rewarded_wei"]), ("burned", s["burned_wei"]),
             ("treasury", s["to_treasury_wei"])]
    bottom = 0.0
    for (label, wei), color in zip(parts, ("#1971c2", "#495057", "#f08c00"), strict=True):
        ax.bar(["where slashes went"], [_opg(wei)], bottom=[bottom], label=label, color=color)
        bottom += _opg(wei)
    by = s["by_strategy_wei"]
    for name, wei in by.items():
        ax.bar([f"from {name}"], [_opg(wei)], color=COLORS.get(name, "#495057"))
    ax.set_ylabel("OPG slashed")
    ax.set_title(f"Slashed total: {_opg(s['total_wei']):,.2f} OPG")
    ax.legend(loc="best", fontsize=8)


def _latency(ax: Any, m: dict[str, Any]) -> None:
    lat = m["latency"]
    data = [lat["samples_submit_s"] or [0], lat["samples_finalize_s"] or [0]]
    ax.boxplot(data, tick_labels=["created → submitted", "created → finalized"])
    ax.set_ylabel("chain seconds")
    sub = lat["submit_s"]
    ax.set_title(f"Job latency (submit p50 {sub.get('p50', '-')} s, blocks p50 {lat['submit_blocks'].get('p50', '-')})")


def _gas(ax: Any, m: dict[str, Any]) -> None:
    order = ("createJob", "claimJob", "submitResult", "finalizeJob", "expireJob", "challengeResult", "claim")
    steps = {k: m["gas"]["per_step"][k] for k in order if k in m["gas"]["per_step"]}
    ax.bar(list(steps), [v["mean"] for v in steps.values()], color="#1971c2")
    per_job = m["gas"]["per_job"]
    mean = f"{per_job['mean']:,.0f}" if per_job.get("n") else "n/a"
    ax.set_title(f"Gas per step (mean); one finalized job lifecycle: {mean} gas")
    ax.set_ylabel("gas")
    ax.tick_params(axis="x", labelrotation=20)


def _rewards(ax: Any, m: dict[str, Any]) -> None:
    rows = m["providers"]
    names = [r["name"] for r in rows]
    fees = [_opg(r["fees_claimed_wei"]) for r in rows]
    emissions = [_opg(r["emissions_claimed_wei"]) for r in rows]
    ax.bar(names, fees, label="fees", color="#2b8a3e")
    ax.bar(names, emissions, bottom=fees, label="emissions", color="#74c0fc")
    delegators = m.get("delegators") or {}
    if delegators:  # what delegators claimed from each provider's pool (fees + emissions)
        ax.bar(list(delegators), [_opg(d["rewards_claimed_wei"]) for d in delegators.values()],
               label="delegator rewards", color="#9775fa")
    gini = m["rewards"]["emissions_gini"]
    who = "provider and delegator" if delegators else "provider"
    ax.set_title(f"Rewards claimed per {who}" + (f" (provider emissions Gini {gini})" if gini is not None else ""))
    ax.tick_params(axis="x", labelrotation=20)
    ax.set_ylabel("OPG claimed")
    ax.legend(loc="best", fontsize=8)


# --------------------------------------------------------------------------------------------- sweep

SWEEP_COLUMNS = (
    "param", "value", "seed", "ok", "broken", "jobs", "finalized", "expired", "fraud_caught_rate",
    "slashed_wei", "emissions_minted_wei", "latency_submit_p50_s", "gas_per_job_mean",
)


def sweep_row(param: str, value: Any, metrics: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "param": param,
        "value": value,
        "seed": metrics["seed"],
        "ok": all(i["ok"] for i in metrics["invariants"]),
        "broken": ";".join(i["name"] for i in metrics["invariants"] if not i["ok"]),
        "jobs": metrics["jobs"]["created"],
        "finalized": metrics["jobs"]["finalized"],
        "expired": metrics["jobs"]["expired"],
        "fraud_caught_rate": metrics["fraud"]["caught_rate"],
        "slashed_wei": metrics["slashed"]["total_wei"],
        "emissions_minted_wei": metrics["rewards"]["emissions_minted_wei"],
        "latency_submit_p50_s": metrics["latency"]["submit_s"].get("p50"),
        "gas_per_job_mean": metrics["gas"]["per_job"].get("mean"),
    }
    for name, s in metrics["by_strategy"].items():
        row[f"profit_mean_{name}_wei"] = s["profit_mean_wei"]
        row[f"profit_per_job_{name}_wei"] = s["profit_per_job_wei"]
    return row


def write_sweep(out: Path, rows: Sequence[dict[str, Any]], charts: bool = True) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    columns = list(SWEEP_COLUMNS)
    for row in rows:
        columns += [k for k in row if k not in columns]
    csv_path = out / "sweep.csv"
    with csv_path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
    paths = [csv_path, write_json(out / "sweep.json", {"rows": list(rows)})]
    if charts and rows:
        plt = _pyplot()
        fig, ax = plt.subplots(figsize=(7, 4.2), dpi=100)
        xs = [str(r["value"]) for r in rows]
        for key in [k for k in columns if k.startswith("profit_per_job_")]:
            name = key[len("profit_per_job_"):-len("_wei")]
            ys = [_opg(r[key]) if r.get(key) is not None else float("nan") for r in rows]
            ax.plot(xs, ys, marker="o", label=name, color=COLORS.get(name))
        for x, r in zip(xs, rows, strict=True):
            if not r["ok"]:
                ax.axvline(x, color="#c92a2a", ls=":", lw=1)
        ax.set_xlabel(rows[0]["param"])
        ax.set_ylabel("profit per claimed job (OPG)")
        ax.set_title("Sweep: profit per job by strategy (dotted: invariant broken)")
        ax.legend(loc="best", fontsize=8)
        fig.tight_layout()
        fig.savefig(out / "sweep.png")
        plt.close(fig)
        paths.append(out / "sweep.png")
    return paths
