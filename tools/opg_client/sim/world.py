"""What the simulation knows while it runs: the client on the fork, the clock, every job it created (with
timestamps, outcome and the gas each step used) and a typed transaction helper that records gas."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eth_account.signers.local import LocalAccount
from web3.types import TxReceipt

if TYPE_CHECKING:
    from opg_client.chain import OpgClient
    from opg_client.sim.chain import ForkChain
    from opg_client.sim.config import ScenarioConfig


@dataclass
class JobRecord:
    """One job the sim created. Times are chain seconds, blocks are block numbers."""

    job_id: int
    requester: str
    fee: int
    input: bytes  # as sent (the chain encoding)
    x: tuple[int, ...]  # the input vector (fixed-point ints)
    correct_output: bytes  # what the real model outputs, chain-encoded
    correct_trace_root: bytes  # the trace root of the real execution
    input_hash: bytes  # as JobCreated carries it
    created_at: int
    created_block: int
    deadline: int
    provider: str | None = None
    collateral: int = 0
    submitted_at: int | None = None
    submitted_block: int | None = None
    output_correct: bool | None = None  # None: nothing submitted
    trace_root: bytes | None = None  # as submitted
    output_hash: bytes | None = None  # as ResultSubmitted carries it
    challenge_end: int | None = None
    outcome: str = "open"  # open | finalized | expired | cancelled | upheld
    closed_at: int | None = None
    challenged: int = 0
    gas: dict[str, int] = field(default_factory=dict)  # step -> gas used

    def add_gas(self, step: str, receipt: TxReceipt) -> None:
        self.gas[step] = self.gas.get(step, 0) + int(receipt["gasUsed"])


@dataclass
class World:
    """Shared state handed to every agent (no globals)."""

    config: ScenarioConfig
    client: OpgClient
    fork: ForkChain
    rng: random.Random
    model_id: int = 0
    version: int = 1
    jobs: dict[int, JobRecord] = field(default_factory=dict)
    gas_steps: dict[str, list[int]] = field(default_factory=dict)  # step -> gas of every tx (incl. set-up)
    events: list[dict[str, Any]] = field(default_factory=list)  # notable things (slashes, challenges, ...)
    board: Any = None  # opg_client.fraud.TraceBoard (in memory) where providers publish their traces

    def now(self) -> int:
        return self.fork.timestamp()

    def send(self, account: LocalAccount, pending: Any, step: str, job: JobRecord | None = None) -> TxReceipt:
        """Wait for `pending`'s receipt (a revert raises its named error) and book its gas."""
        receipt = self.client.sender(account).wait(pending)
        self.gas_steps.setdefault(step, []).append(int(receipt["gasUsed"]))
        if job is not None:
            job.add_gas(step, receipt)
        return receipt

    def block_time(self, receipt: TxReceipt) -> int:
        return int(self.client.w3.eth.get_block(int(receipt["blockNumber"]))["timestamp"])

    def jobs_in(self, *outcomes: str) -> list[JobRecord]:
        return [j for j in self.jobs.values() if j.outcome in outcomes]
