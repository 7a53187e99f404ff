"""`opg watch`: the challenger daemon (registered on the `opg` group by opg_client.cli)."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import click


@click.command("watch")
@click.option("--db", default=None, help="Watcher SQLite database (default: .opg/watch-<address>.sqlite).")
@click.option("--store", default=None, help="Model store directory (default: $OPG_MODEL_STORE or .opg/models).")
@click.option("--trace-board", default=None, help="Directory where providers publish their traces (optional).")
@click.option("--poll-interval", type=float, default=0.5, show_default=True, help="Seconds.")
@click.option("--margin", type=click.IntRange(min=0), default=5, show_default=True,
              help="Seconds: do not start a challenge this close to the end of its window.")
@click.option("--report-only", is_flag=True, help="Log mismatches without challenging (no key needed).")
@click.option("--name", default="watcher", show_default=True, help="Watcher name (logs, cursor).")
@click.option("--json", "as_json", is_flag=True, default=False, help="(logs are always JSON lines on stderr)")
@click.option("--manifest", default=None, help="Deployment manifest.")
@click.option("--rpc", default=None, help="JSON-RPC URL (default: the manifest's).")
@click.option("--key", default=None, help="Private key (default: $OPG_PRIVATE_KEY).")
@click.option("--account-index", type=int, default=None, help="Anvil dev account (local chains).")
@click.pass_context
def watch_cmd(ctx: click.Context, db: str | None, store: str | None, trace_board: str | None, poll_interval: float,
              margin: int, report_only: bool, name: str, **params: Any) -> None:
    """Follow optimistic results, re-execute each, challenge mismatches before the window closes (posting the
    bond). JSON-lines logs on stderr; state in SQLite (restart-safe); SIGTERM / Ctrl-C stop it."""
    from opg_client.cli import DEFAULT_HOME, _account, _client, _merge
    from opg_client.fraud.challenger import registry_models
    from opg_client.fraud.cheat import TraceBoard
    from opg_client.fraud.watch import WatchConfig, Watcher
    from opg_client.node.jsonlog import setup_json_logging
    from opg_client.runtime import ModelStore

    _merge(ctx, params)
    client = _client(ctx)
    account = None if report_only else _account(ctx, client.chain_id)
    who = account.address.lower() if account is not None else "report-only"
    setup_json_logging(static={"watcher": name})
    models = ModelStore(Path(store or os.environ.get("OPG_MODEL_STORE") or DEFAULT_HOME / "models"))
    config = WatchConfig(
        db_path=Path(db) if db else DEFAULT_HOME / f"watch-{who}.sqlite",
        poll_interval=poll_interval,
        margin=margin,
        challenge=not report_only,
        name=name,
    )
    watcher = Watcher(client, account, registry_models(client, models), config,
                      TraceBoard(trace_board) if trace_board else None)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: watcher.stop())
    try:
        watcher.run()
    finally:
        watcher.close()
