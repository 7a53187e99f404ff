"""`opg demo` end to end (the slow one): fresh Anvil, real inference, settlement, a balance sheet that balances,
and nothing left running afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time

import requests
from helpers_opg_cli import run_cli


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a reaped child is gone; an unreaped one is a zombie ("Z")
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_demo__fresh_chain__predictions_settled_balanced_and_cleaned_up(net, tmp_path):
    result = run_cli(net, "demo", "--jobs", "10", "--providers", "2", "--logs", str(tmp_path), "--json")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    report = json.loads(result.stdout)
    assert report["ok"] is True
    jobs = report["jobs"]
    assert len(jobs) == 10 and all(0 <= j["prediction"] <= 9 for j in jobs)
    correct = sum(j["prediction"] == j["label"] for j in jobs)
    assert report["accuracy"] == correct / 10 >= 0.7
    sheet = report["balance_sheet"]
    assert sheet["check"] == 0 and sheet["sum_deltas"] == sheet["minted"] - sheet["burned"]
    assert sheet["minted"] > 0  # emissions were claimed
    deltas = {row["party"]: int(row["delta"]) for row in sheet["rows"]}
    assert deltas["model owner"] > 0 and deltas["treasury"] > 0 and deltas["requester"] < 0
    assert sum(report["jobs_per_provider"].values()) == 10
    steps = {g["step"] for g in report["gas"]}
    assert {"createJob", "claimJob", "submitResult", "finalizeJob (keeper)", "claim"} <= steps
    assert report["elapsed_s"] < 120
    assert not _alive(report["anvil_pid"]) and not any(_alive(p) for p in report["node_pids"])
    try:
        requests.post(report["rpc_url"], json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=2)
    except requests.ConnectionError:
        pass
    else:
        raise AssertionError("the demo's anvil still answers")


def _children(pid: int) -> set[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as fh:
        return {int(p) for p in fh.read().split()}


def test_demo__interrupted_with_ctrl_c__leaves_no_process(tmp_path):
    demo = subprocess.Popen(
        [sys.executable, "-m", "opg_client.cli", "demo", "--jobs", "24", "--logs", str(tmp_path), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    children: set[int] = set()
    deadline = time.monotonic() + 60
    while len(children) < 4 and demo.poll() is None and time.monotonic() < deadline:  # anvil (+ binary), 2 nodes
        children |= _children(demo.pid)
        for child in list(children):  # anvil's npm wrapper runs the real binary as its child
            with contextlib.suppress(FileNotFoundError):
                children |= _children(child)
        time.sleep(0.05)
    assert len(children) >= 4, "the demo never had anvil and both nodes running"
    demo.send_signal(signal.SIGINT)
    _, err = demo.communicate(timeout=60)
    assert demo.returncode != 0
    assert not any(_alive(pid) for pid in children), err
