"""Helpers of the provider-node tests (imported by module name; pytest puts this directory on sys.path)."""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount

from opg_client.chain import OpgClient
from opg_client.localchain import LocalChain
from opg_client.manifest import Manifest
from opg_client.models import VerificationMode
from opg_client.runtime import encode_digit_pixels, encode_vector, load_digits_meta

OPG = 10**18
PRICE = 2 * OPG
MIN_STAKE = 100 * OPG
WINDOW = 60  # challenge window, seconds (the escrow's minimum)


@dataclass(frozen=True)
class NodeNet:
    chain: LocalChain
    manifest: Manifest
    manifest_path: Path
    model_id: int
    researcher: LocalAccount
    providers: tuple[LocalAccount, LocalAccount]
    requester: LocalAccount
    stranger: LocalAccount

    @property
    def url(self) -> str:
        return self.chain.url


def digit_inputs(n: int) -> list[bytes]:
    """Encoded inputs of the first n samples of the shipped test split."""
    from sklearn.datasets import load_digits

    meta = load_digits_meta()
    data = load_digits().data
    return [
        encode_vector(encode_digit_pixels([int(p) for p in data[i]], meta.frac_bits, meta.input_scale_bits))
        for i in meta.test_indices[:n]
    ]


def create_jobs(client: OpgClient, net: NodeNet, n: int, ttl: int = 1_200) -> list[int]:
    """n jobs by the requester (approve once, pipelined createJob); returns their ids."""
    requester = net.requester
    sender = client.sender(requester)
    escrow = client.escrow
    if client.token.allowance(requester.address, escrow.address) < n * PRICE:
        sender.wait(client.token.approve(requester, escrow.address, 10**9 * OPG))
    deadline = client.timestamp() + ttl
    pendings = [
        escrow.create_job(requester, net.model_id, 1, VerificationMode.Optimistic, PRICE, deadline, x)
        for x in digit_inputs(n)
    ]
    return [escrow.created(r).job_id for r in sender.wait_all(pendings)]


@dataclass
class NodeProc:
    proc: subprocess.Popen[bytes]
    log_path: Path
    db_path: Path

    def events(self) -> list[dict[str, Any]]:
        out = []
        for line in self.log_path.read_text().splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut by SIGKILL
        return out

    def count(self, event: str) -> int:
        return sum(1 for e in self.events() if e.get("event") == event)

    def stop(self, timeout: float = 15.0) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=timeout)
        return int(self.proc.returncode)


def wait_for(predicate: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.1)


def escrow_txs(client: OpgClient, sender: str) -> list[tuple[str, int, bool]]:
    """Every escrow transaction `sender` got mined since deployment: (function name, job id, succeeded)."""
    escrow = client.contract("InferenceEscrow")
    out = []
    for number in range(client.manifest.block, client.block_number() + 1):
        block = client.w3.eth.get_block(number, full_transactions=True)
        for tx in block["transactions"]:
            if tx["from"] != sender or tx["to"] != escrow.address:
                continue
            fn, args = escrow.decode_function_input(tx["input"])
            receipt = client.w3.eth.get_transaction_receipt(tx["hash"])
            out.append((fn.fn_name, int(args["jobId"]), receipt["status"] == 1))
    return out


def event_counts(client: OpgClient, event: str) -> Counter[int]:
    """How many times `event` was emitted per job id since deployment."""
    logs = client.contract("InferenceEscrow").events[event]().get_logs(from_block=client.manifest.block)
    return Counter(int(log["args"]["jobId"]) for log in logs)


def results_count(client: OpgClient) -> int:
    return sum(event_counts(client, "ResultSubmitted").values())


def step_until(nodes: Any, predicate: Callable[[], bool], timeout: float = 30.0, what: str = "condition") -> None:
    """Step in-process nodes (round robin) until `predicate()` holds (receipts may lag a send by a moment)."""
    nodes = list(nodes) if isinstance(nodes, list | tuple) else [nodes]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s of steps waiting for {what}")
        for node in nodes:
            node.step()
        time.sleep(0.02)
