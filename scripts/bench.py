"""Gas benchmarks of the OPG protocol core: per operation, one job lifecycle, scaling with providers and
epochs (the `benchmarks` package). Writes benchmarks/results/gas.json and gas.md and prints the table.
Then the client benchmarks (`benchmarks.client`, on an Anvil of their own): throughput vs raw Anvil and
provider latency in blocks; writes client.json and client.md. Then the simulation bench (`benchmarks.sim`,
`opg simulate` scenarios on forks of their own upstream chain): sim.json and sim.md. Then the fraud-proof bench
(`benchmarks.fraud`: one-layer re-execution and whole challenge transactions): fraud.json and fraud.md. Then the
ZK bench (`benchmarks.zk`: EZKL setup / witness / prove / verify seconds per model, gas of a ZK settlement):
zk.json and zk.md. Then the batch settlement bench (`benchmarks.batch`): gas per job at 16 / 64 / 256
jobs per batch, batch.json and batch.md.

Then delegation (`benchmarks.delegation`): each delegation operation and the lifecycle with / without
delegators; writes delegation.json and delegation.md.

    ape run bench [--out-dir DIR] [--providers 1 100] [--epochs 1 50] [--client-jobs 300] [--no-client] [--no-gas]
                  [--no-sim] [--no-fraud] [--no-tee] [--no-zk] [--no-batch] [--no-delegation]

Targets are reported PASS / FAIL (and recorded in the JSON); the command exits 0 either way.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from ape.cli import ConnectedProviderCommand
from ape.logging import logger

# cchecksum (a web3 dependency) installs an unrelated top-level `benchmarks` package into site-packages,
# which `ape run` would find before the project's: put the project root first.
ROOT = str(Path(__file__).resolve().parent.parent)
if sys.path[:1] != [ROOT]:
    sys.path.insert(0, ROOT)
if not str(getattr(sys.modules.get("benchmarks"), "__file__", ROOT)).startswith(ROOT):
    del sys.modules["benchmarks"]

from benchmarks import report as gas_report  # noqa: E402
from benchmarks.client.config import FULL as CLIENT_FULL  # noqa: E402
from benchmarks.config import FULL, BenchConfig  # noqa: E402
from benchmarks.report import RESULTS_DIR  # noqa: E402
from benchmarks.run import run_all  # noqa: E402


@click.command(cls=ConnectedProviderCommand)
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=RESULTS_DIR, show_default=True)
@click.option("--providers", nargs=2, type=int, default=FULL.providers, show_default=True,
              help="Small and large active-provider counts compared.")
@click.option("--epochs", nargs=2, type=int, default=FULL.epochs, show_default=True,
              help="Small and large elapsed-epoch counts compared.")
@click.option("--client-jobs", type=int, default=CLIENT_FULL.jobs, show_default=True,
              help="Jobs in flight in the client throughput run.")
@click.option("--client/--no-client", "with_client", default=True, help="Also run the client benchmarks.")
@click.option("--gas/--no-gas", "with_gas", default=True,
              help="Run the gas benchmarks (--no-gas: only the client benchmarks; gas.json / gas.md untouched).")
@click.option("--sim/--no-sim", "with_sim", default=True,
              help="Run the simulation bench (`opg simulate` scenarios on forks): sim.json / sim.md.")
@click.option("--fraud/--no-fraud", "with_fraud", default=True,
              help="Run the fraud-proof bench (layer re-execution, challenge txs): fraud.json / fraud.md.")
@click.option("--tee/--no-tee", "with_tee", default=True,
              help="Run the TEE bench (TEE settlement beside the optimistic lifecycle): tee.json / tee.md.")
@click.option("--zk/--no-zk", "with_zk", default=True,
              help="Run the ZK bench (EZKL setup / prove times, ZK settlement gas): zk.json / zk.md.")
@click.option("--batch/--no-batch", "with_batch", default=True,
              help="Run the batch-settlement bench (gas per job at 16 / 64 / 256 jobs per batch): batch.json/.md.")
@click.option("--delegation/--no-delegation", "with_delegation", default=True,
              help="Run the delegation benchmarks (delegation.json / delegation.md).")
def cli(ecosystem: Any, network: Any, provider: Any, out_dir: Path, providers: tuple[int, int],
        epochs: tuple[int, int], client_jobs: int, with_client: bool, with_gas: bool, with_sim: bool,
        with_fraud: bool, with_tee: bool, with_zk: bool, with_batch: bool,
        with_delegation: bool) -> None:
    """Measure gas on a local chain and write the results snapshot."""
    logger.set_level("WARNING")  # one "Confirmed" line per transaction otherwise
    if with_gas:
        _publish(gas_report, run_all(BenchConfig(providers=tuple(providers), epochs=tuple(epochs))), out_dir)
    if with_delegation:
        _delegation_bench(out_dir)
    if with_client:
        _client_bench(out_dir, client_jobs)
    if with_sim:
        _sim_bench(out_dir)
    if with_fraud:
        _fraud_bench(out_dir)
    if with_tee:
        _tee_bench(out_dir)
    if with_zk:
        _zk_bench(out_dir)
    if with_batch:
        _batch_bench(out_dir)


def _publish(report: Any, results: dict[str, Any], out_dir: Path) -> None:
    """Write one bench area's results (JSON + Markdown via its report module) and print its table, its
    PASS / FAIL lines (areas with targets define `verdict_lines`) and where it was written."""
    paths = report.write_results(results, out_dir)
    click.echo(report.markdown(results))
    for line in getattr(report, "verdict_lines", lambda _results: [])(results):
        click.echo(line)
    click.echo(f"written: {paths.json} {paths.markdown}  ({results['meta']['run_seconds']} s)")


def _delegation_bench(out_dir: Path) -> None:
    from benchmarks.delegation import report as delegation_report

    results = delegation_report.run_delegation()
    _publish(delegation_report, results, out_dir)


def _client_bench(out_dir: Path, jobs: int) -> None:
    from dataclasses import replace

    from benchmarks.client import report as client_report
    from benchmarks.client.run import run_client

    results = run_client(replace(CLIENT_FULL, jobs=jobs))
    _publish(client_report, results, out_dir)


def _batch_bench(out_dir: Path) -> None:
    from benchmarks.batch import report as batch_report
    from benchmarks.batch.run import config_from_env, run_batch

    results = batch_report.with_meta(run_batch(config_from_env()))
    _publish(batch_report, results, out_dir)


def _sim_bench(out_dir: Path) -> None:
    from benchmarks.sim import report as sim_report
    from benchmarks.sim.run import run_sim_bench

    results = sim_report.with_meta(run_sim_bench())
    _publish(sim_report, results, out_dir)


def _fraud_bench(out_dir: Path) -> None:
    from benchmarks.fraud import report as fraud_report
    from benchmarks.fraud.run import run_fraud_bench

    results = fraud_report.with_meta(run_fraud_bench())
    _publish(fraud_report, results, out_dir)


def _tee_bench(out_dir: Path) -> None:
    from benchmarks.tee import report as tee_report
    from benchmarks.tee.run import run_tee_bench

    results = tee_report.with_meta(run_tee_bench())
    _publish(tee_report, results, out_dir)


def _zk_bench(out_dir: Path) -> None:
    from benchmarks.zk import report as zk_report
    from benchmarks.zk.run import run_zk_bench

    results = zk_report.with_meta(run_zk_bench())
    _publish(zk_report, results, out_dir)
