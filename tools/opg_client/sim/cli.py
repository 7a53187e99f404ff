"""`opg simulate`: the click command (registered on the `opg` group in opg_client.cli)."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import click

from opg_client.sim.config import ScenarioConfig, parse_mix, parse_sweep
from opg_client.sim.invariants import InvariantBroken
from opg_client.units import format_opg, parse_opg


def _opg_amount(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        wei = parse_opg(value)
    except (ArithmeticError, ValueError) as exc:
        raise click.BadParameter(f"invalid OPG amount {value!r}: {exc}") from None
    if wei < 0:
        raise click.BadParameter(f"invalid OPG amount {value!r}: negative")
    return wei


@click.command("simulate")
@click.option("--fork-url", default=None, help="Upstream RPC to fork (default: a local chain started here with the "
              "protocol deployed and some history).")
@click.option("--manifest", default=None, help="With --fork-url: the deployment on that chain (default: deploy a "
              "fresh suite on the fork).")
@click.option("--epochs", type=int, default=3, show_default=True)
@click.option("--rounds", type=int, default=2, show_default=True, help="Job waves per epoch.")
@click.option("--providers", "mix", default="honest=2,lazy=1,cheater=1", show_default=True,
              help="Provider strategies and counts: honest, lazy, cheater.")
@click.option("--requesters", type=int, default=2, show_default=True)
@click.option("--watchers", type=int, default=1, show_default=True)
@click.option("--delegators", type=int, default=2, show_default=True)
@click.option("--jobs-per-round", type=int, default=4, show_default=True, help="Jobs each requester creates per wave.")
@click.option("--fee", default="2", show_default=True, callback=_opg_amount, help="Price per job, OPG.")
@click.option("--stake", default="2000", show_default=True, callback=_opg_amount, help="Stake per provider, OPG.")
@click.option("--lazy-miss-bps", type=int, default=5_000, show_default=True,
              help="Share of claimed jobs a lazy provider never submits.")
@click.option("--cheat-bps", type=int, default=5_000, show_default=True,
              help="Share of its jobs a cheating provider answers wrongly.")
@click.option("--watch-bps", type=int, default=10_000, show_default=True,
              help="Chance a watcher inspects a given result.")
@click.option("--compute-cost", default="0", show_default=True, callback=_opg_amount,
              help="Off-chain cost per result a provider computes honestly, OPG (subtracted from its profit).")
@click.option("--delegation", default="1000", show_default=True, callback=_opg_amount,
              help="OPG each delegator delegates (to a provider picked at random).")
@click.option("--reward-cut-bps", type=int, default=2_000, show_default=True,
              help="Providers' delegation terms: share of emissions they keep.")
@click.option("--fee-share-bps", type=int, default=5_000, show_default=True,
              help="Providers' delegation terms: share of their fees delegators get.")
@click.option("--collateral-ratio-bps", type=int, default=None, help="Collateral per job, bps of its fee.")
@click.option("--min-collateral", default=None, callback=_opg_amount, help="Minimum collateral per job, OPG.")
@click.option("--challenge-window", type=int, default=None, help="Seconds.")
@click.option("--bond", default=None, callback=_opg_amount, help="Challenge bond, OPG.")
@click.option("--emission", default=None, callback=_opg_amount,
              help="Initial emission per epoch, OPG (immutable on chain: a different value deploys a fresh suite "
              "on the fork).")
@click.option("--out", "out_dir", default="sim-out", show_default=True, help="Output directory.")
@click.option("--sweep", "sweep_text", default=None,
              help="param=v1,v2,... (collateral-ratio-bps, challenge-window, bond, emission, fee, lazy-miss-bps, "
              "cheat-bps, watch-bps, watchers, compute-cost, delegators, reward-cut-bps, fee-share-bps, "
              "jobs-per-round, seed): one run and one row per value.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--no-charts", is_flag=True, help="Skip the PNG charts.")
@click.option("--json", "as_json", is_flag=True, default=False, help="Machine-readable output.")
@click.pass_context
def simulate_cmd(ctx: click.Context, **opts: Any) -> None:
    """Agent-based economic simulation on an Anvil fork; fails (exit 1) if an economic invariant breaks."""
    from opg_client.cli import _settings, emit
    from opg_client.sim.run import simulate

    settings = _settings(ctx)
    settings.json = settings.json or opts["as_json"]
    config = ScenarioConfig(
        seed=opts["seed"],
        epochs=opts["epochs"],
        rounds_per_epoch=opts["rounds"],
        providers=parse_mix(opts["mix"]),
        requesters=opts["requesters"],
        watchers=opts["watchers"],
        delegators=opts["delegators"],
        jobs_per_round=opts["jobs_per_round"],
        fee=opts["fee"],
        stake=opts["stake"],
        lazy_miss_bps=opts["lazy_miss_bps"],
        cheat_bps=opts["cheat_bps"],
        watch_bps=opts["watch_bps"],
        compute_cost=opts["compute_cost"],
        delegation=opts["delegation"],
        reward_cut_bps=opts["reward_cut_bps"],
        fee_share_bps=opts["fee_share_bps"],
        collateral_ratio_bps=opts["collateral_ratio_bps"],
        min_collateral=opts["min_collateral"],
        challenge_window=opts["challenge_window"],
        bond=opts["bond"],
        emission=opts["emission"],
        fork_url=opts["fork_url"],
        manifest=opts["manifest"],
    )
    sweep = parse_sweep(opts["sweep_text"]) if opts["sweep_text"] else None
    started = time.monotonic()

    def progress(text: str) -> None:
        if not settings.json:
            click.echo(f"[{time.monotonic() - started:6.1f}s] {text}", err=True)

    try:
        summary = simulate(
            config, out_dir=opts["out_dir"], sweep=sweep, charts=not opts["no_charts"], progress=progress
        )
    except InvariantBroken as exc:
        data = {"ok": False, "error": "InvariantBroken", "message": str(exc), "violations": exc.violations,
                "summary": exc.summary}
        if settings.json:
            click.echo(json.dumps(data, default=str))
        else:
            click.echo(f"error: {exc}", err=True)
            for v in exc.violations:
                click.echo(f"  BROKEN {v['name']}: {v['detail']}", err=True)
            if exc.summary:
                click.echo(f"  outputs: {', '.join(exc.summary['outputs'])}", err=True)
        ctx.exit(1)
        return
    emit(ctx, {k: _plain(v) for k, v in summary.items()}, lambda: _human(summary))


def _plain(value: Any) -> Any:
    from opg_client.sim.report import jsonable

    return jsonable(value)


def _human(summary: dict[str, Any]) -> None:
    if "rows" in summary:
        for row in summary["rows"]:
            state = "ok" if row["ok"] else f"BROKEN ({row['broken']})"
            profits = ", ".join(
                f"{k[len('profit_per_job_'):-4]} {format_opg(v)}"
                for k, v in row.items()
                if k.startswith("profit_per_job_") and v is not None
            )
            click.echo(f"{row['param']}={row['value']}: {state}; profit per job {profits}; jobs {row['jobs']}")
    else:
        for inv in summary["invariants"]:
            click.echo(f"  {'ok    ' if inv['ok'] else 'BROKEN'} {inv['name']}: {inv['detail']}")
        profits = ", ".join(f"{k} {format_opg(v)}" for k, v in summary["profit_mean_wei"].items())
        per_job = ", ".join(
            f"{k} {format_opg(v)}" for k, v in summary["profit_per_job_wei"].items() if v is not None
        )
        click.echo(f"mean provider profit (own account): {profits}; per claimed job (with delegators): {per_job}")
        jobs = summary["jobs"]
        click.echo(f"jobs: {jobs['created']} created, {jobs['finalized']} finalized, {jobs['expired']} expired")
        gas = summary["gas_per_job"]
        if gas.get("n"):
            click.echo(f"gas per finalized job (create+claim+submit+finalize): mean {gas['mean']:,.0f}")
        click.echo(f"slashed: {format_opg(summary['slashed_wei'])}")
    click.echo(f"outputs: {', '.join(summary['outputs'])} ({summary['elapsed_s']} s)")
    sys.stdout.flush()

