"""Provider latency in blocks, from the block of JobCreated to the block of ResultSubmitted, on an Anvil that
mines one block every `block_time` seconds. Two providers are measured in turn on the same chain and model:

- `node`: the provider node (`opg_client.node.ProviderNode`, in a thread, its own SQLite state);
- `library_loop`: a minimal loop on the library (event cursor -> inference -> claim and submit sent back to
  back, pipelined into the same block with fixed gas limits).

The requester creates `wave` jobs right after each new block (they land in the next one), for `jobs` jobs.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from benchmarks.client.config import LATENCY_TARGET_BLOCKS, ClientBenchConfig
from benchmarks.client.world import ClientBenchError, ClientWorld, Sample
from opg_client import jobstate
from opg_client.events import EventCursor, MemoryCursorStore
from opg_client.models import VerificationMode
from opg_client.runtime import decode_vector, encode_vector, trace, trace_root

Provider = Callable[[ClientWorld, int, dict[str, int]], AbstractContextManager[None]]


def _thread(target: Callable[[threading.Event], None]) -> tuple[threading.Event, threading.Thread, list[BaseException]]:
    stop, errors = threading.Event(), []

    def body() -> None:
        try:
            target(stop)
        except BaseException as exc:  # reported by the caller after join
            errors.append(exc)

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return stop, thread, errors


@contextmanager
def library_loop(world: ClientWorld, start_block: int, gas: dict[str, int]) -> Iterator[None]:
    """Event cursor -> run the model on the input -> claimJob + submitResult in one JSON-RPC batch (fixed gas,
    consecutive nonces: both land in the same block). Receipts are collected when it stops."""
    client = world.connect(from_block=start_block)
    sender = client.sender(world.loop_provider.account)
    escrow = client.escrow.contract.functions
    cursor = EventCursor(client, "bench-loop", MemoryCursorStore(), contracts=["InferenceEscrow"],
                         events=["JobCreated"], start_block=start_block)
    limit = max(gas["claimJob"], gas["submitResult"])
    pending: list[Any] = []

    def loop(stop: threading.Event) -> None:
        while not stop.is_set():
            calls = []
            for event in cursor.poll():
                if int(event.args["modelId"]) != world.model_id:
                    continue
                job_id = int(event.args["jobId"])
                tr = trace(world.model, decode_vector(bytes(event.args["input"]), "input"))
                output = encode_vector(tr.output, "output")
                job = jobstate.opened(job_id, event.args)  # the escrow takes the job's struct (one-slot jobs)
                calls += [escrow.claimJob(job_id, jobstate.struct(job)),
                          escrow.submitResult(job_id, jobstate.struct(jobstate.claimed(job, sender.address)), output,
                                              trace_root(tr))]
            if calls:
                pending.extend(sender.send_many(calls, gas=limit, label="claim+submit"))
            stop.wait(0.02)

    stop, thread, errors = _thread(loop)
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    sender.wait_all(pending)  # every claim and submit succeeded (a revert raises its named error)


@contextmanager
def provider_node(world: ClientWorld, start_block: int, gas: dict[str, int]) -> Iterator[None]:
    """The provider node in a thread (keeper off, 50 ms idle poll), state in a temporary directory."""
    from opg_client.node import NodeConfig, ProviderNode
    from opg_client.runtime import ModelStore, digits_model_bytes

    with tempfile.TemporaryDirectory(prefix="opg-bench-node-") as tmp:
        ModelStore(Path(tmp) / "models").put(digits_model_bytes())
        config = NodeConfig(db_path=Path(tmp) / "node.db", model_store=Path(tmp) / "models",
                            models=(world.model_id,), keeper="off", poll_interval=0.05, max_inflight=256,
                            name="bench")
        node = ProviderNode(world.connect(from_block=start_block), world.node_provider.account, config)
        node.preflight()
        stop, thread, errors = _thread(node.run)
        try:
            yield
        finally:
            stop.set()
            node.stop_event.set()
            thread.join(timeout=30)
            node.close()
        if errors:
            raise errors[0]


def _wait_block(world: ClientWorld, after: int, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while (block := world.client.block_number()) <= after:
        if time.monotonic() > deadline:
            raise ClientBenchError(f"no block after {after} within {timeout} s (is Anvil mining?)")
        time.sleep(0.01)
    return block


def measure_provider(world: ClientWorld, provider: Provider, samples: Sequence[Sample], wave: int,
                     block_time: int, gas: dict[str, int]) -> dict[str, Any]:
    c = world.client
    qsender = c.sender(world.requester.account)
    create = c.escrow.contract.functions.createJob
    deadline = c.timestamp() + 600
    args = (world.model_id, 1, int(VerificationMode.Optimistic), world.price, deadline)
    create_gas = c.escrow.create_gas(world.requester.account, *args, samples[0].pixels_input)
    start_block = c.block_number() + 1
    created: dict[int, int] = {}
    answered: dict[int, int] = {}
    with provider(world, start_block, gas):
        block = _wait_block(world, _wait_block(world, start_block, 5 * block_time), 5 * block_time)  # warm
        pending = []
        for i in range(0, len(samples), wave):
            block = _wait_block(world, block, 5 * block_time)
            pending += qsender.send_many([create(*args, s.pixels_input) for s in samples[i : i + wave]], gas=create_gas)
        for receipt in qsender.wait_all(pending):
            created[c.escrow.created(receipt).job_id] = int(receipt["blockNumber"])
        give_up = time.monotonic() + 10 * block_time
        event = c.escrow.contract.events.ResultSubmitted()
        while len(answered) < len(created) and time.monotonic() < give_up:
            for log in event.get_logs(from_block=start_block):
                if int(log["args"]["jobId"]) in created:
                    answered[int(log["args"]["jobId"])] = int(log["blockNumber"])
            time.sleep(0.1)
    latencies = sorted(answered[j] - created[j] for j in answered)
    out: dict[str, Any] = {"jobs": len(created), "answered": len(answered)}
    if latencies:
        out["blocks"] = {
            "min": latencies[0],
            "median": statistics.median(latencies),
            "max": latencies[-1],
            "histogram": {str(k): v for k, v in sorted(Counter(latencies).items())},
        }
        out["at_target"] = sum(1 for x in latencies if x <= LATENCY_TARGET_BLOCKS)
    return out


def measure_latency(world: ClientWorld, samples: Sequence[Sample], config: ClientBenchConfig,
                    gas: dict[str, int]) -> dict[str, Any]:
    """Switches the chain to interval mining, then measures the node (if asked) and the library loop."""
    world.interval_mining(config.block_time)
    out: dict[str, Any] = {"block_time_s": config.block_time, "wave": config.latency_wave,
                           "target_blocks": LATENCY_TARGET_BLOCKS}
    providers: list[tuple[str, Provider]] = [("library_loop", library_loop)]
    if config.node:
        providers.insert(0, ("node", provider_node))
    for name, provider in providers:
        try:
            out[name] = measure_provider(world, provider, samples, config.latency_wave, config.block_time, gas)
        except Exception as exc:  # the node is young: a failure is reported, the loop still measured
            if name != "node":
                raise
            out[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return out
