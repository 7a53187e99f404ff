"""`simulate` and `opg simulate` end to end: the command's own upstream chain (started and stopped), a tester's
`--fork-url` + `--manifest`, JSON metrics, the six PNG charts, and sweep rows."""

from __future__ import annotations

import csv
import dataclasses
import json

import pytest
import requests
from click.testing import CliRunner
from helpers_sim import SMALL

from opg_client.cli import cli
from opg_client.sim import InvariantBroken, simulate
from opg_client.sim.report import CHARTS

PNG = b"\x89PNG\r\n\x1a\n"


def test_simulate__own_upstream__metrics_charts_and_nothing_left_running(tmp_path):
    summary = simulate(SMALL, out_dir=tmp_path)
    assert summary["ok"] and summary["chain"]["deployment"] == "forked"
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["upstream_history"]["started"] is True and len(metrics["upstream_history"]["jobs"]) == 3
    assert isinstance(metrics["slashed"]["total_wei"], str)  # wei as decimal strings
    for name in CHARTS:
        assert (tmp_path / name).read_bytes()[:8] == PNG
    for url in (summary["chain"]["upstream_url"], summary["chain"]["fork_url"]):
        with pytest.raises(requests.ConnectionError):
            requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=2)


def test_simulate__sweep_over_fork_url__one_row_per_value(sim_upstream, upstream_manifest, tmp_path):
    config = dataclasses.replace(SMALL, fork_url=sim_upstream.url, manifest=str(upstream_manifest), epochs=1)
    summary = simulate(config, out_dir=tmp_path, sweep=("challenge_window", [600, 1_200]), charts=True)
    rows = list(csv.DictReader((tmp_path / "sweep.csv").open()))
    assert [r["value"] for r in rows] == ["600", "1200"] and all(r["ok"] == "True" for r in rows)
    assert summary["ok"] and (tmp_path / "sweep.png").read_bytes()[:8] == PNG
    assert json.loads((tmp_path / "sweep.json").read_text())["rows"][1]["param"] == "challenge-window"
    for value in (600, 1_200):
        run = json.loads((tmp_path / "runs" / f"challenge-window={value}" / "metrics.json").read_text())
        assert run["config"]["challenge_window"] == value and run["chain"]["upstream_url"] == sim_upstream.url


def test_cli_simulate__fork_url__json_summary(sim_upstream, upstream_manifest, tmp_path):
    args = ["simulate", "--fork-url", sim_upstream.url, "--manifest", str(upstream_manifest), "--epochs", "1",
            "--rounds", "1", "--providers", "honest=1,lazy=1", "--requesters", "1", "--jobs-per-round", "3",
            "--out", str(tmp_path), "--no-charts", "--json"]
    result = CliRunner(mix_stderr=False).invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["jobs"]["created"] == 3
    assert all(i["ok"] for i in data["invariants"])
    assert not list(tmp_path.glob("*.png"))


def test_cli_simulate__unreachable_fork_url__exit_1_named_error(tmp_path):
    result = CliRunner(mix_stderr=False).invoke(
        cli, ["simulate", "--fork-url", "http://127.0.0.1:9", "--out", str(tmp_path), "--json"]
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"] == "SimChainError"


def test_simulate__sweep_with_a_broken_row__every_row_written_then_invariant_broken(
    sim_upstream, upstream_manifest, tmp_path
):
    config = dataclasses.replace(
        SMALL, fork_url=sim_upstream.url, manifest=str(upstream_manifest), epochs=1,
        providers=(("honest", 1), ("cheater", 1)), compute_cost=10**17,
    )
    with pytest.raises(InvariantBroken) as info:
        simulate(config, out_dir=tmp_path, sweep=("watchers", [1, 0]), charts=False)
    assert [v["name"] for v in info.value.violations] == ["dishonest_not_more_profitable[watchers=0]"]
    rows = list(csv.DictReader((tmp_path / "sweep.csv").open()))
    assert [(r["value"], r["ok"], r["broken"]) for r in rows] == [
        ("1", "True", ""), ("0", "False", "dishonest_not_more_profitable")
    ]
    assert float(rows[0]["fraud_caught_rate"]) == 1.0 and float(rows[1]["fraud_caught_rate"]) == 0.0
    assert info.value.summary["outputs"] == [str(tmp_path / "sweep.csv"), str(tmp_path / "sweep.json")]
