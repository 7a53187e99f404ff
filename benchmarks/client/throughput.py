"""End-to-end client throughput (jobs through create -> claim + submit -> result -> finalize, pipelined)
next to raw Anvil transaction throughput (pre-signed transfers from one sender), on the same automining Anvil.

Raw is measured two ways, both with receipts collected at the end:
- individual sends (the issue's method): one `eth_sendRawTransaction` HTTP request per transfer. The target
  (client >= 50% of raw) is judged against this baseline.
- batched sends: JSON-RPC batches of 100, as the client's `send_many` does; the ratio to it compares the
  client's own cost per transaction (ABI encoding, signing, receipt decoding, event reads, checks) plus the
  contracts' EVM work against the floor of a 21,000-gas transfer sent the cheapest way Anvil takes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from eth_account import Account
from eth_utils import keccak
from web3 import Web3
from web3.types import RPCEndpoint

from benchmarks.client.config import TXS_PER_JOB
from benchmarks.client.world import RAW_RECIPIENT, RAW_SENDER, ClientBenchError, ClientWorld, Sample, StallGuard
from opg_client import jobstate
from opg_client.events import EventCursor, MemoryCursorStore
from opg_client.localchain import dev_account
from opg_client.runtime import argmax, decode_vector, encode_vector, trace, trace_root

BATCH = 100  # eth_sendRawTransaction per JSON-RPC batch (TxSender.send_many's chunk)
RECEIPT_BATCH = 500  # eth_getTransactionReceipt per batch (TxSender.wait_all's chunk)


# ------------------------------------------------------------------------------------------------- raw


def _batch(w3: Web3, method: str, params: Sequence[list[Any]]) -> list[dict[str, Any]]:
    responses = w3.provider.make_batch_request([(method, p) for p in params])  # type: ignore[attr-defined]
    if not isinstance(responses, list):
        raise ClientBenchError(f"{method} batch failed: {responses}")
    return responses


def _presigned(w3: Web3, account: Any, txs: Sequence[dict[str, Any]]) -> list[Any]:
    nonce = w3.eth.get_transaction_count(account.address, "pending")
    base = int(w3.eth.get_block("latest")["baseFeePerGas"])
    fees = {"maxFeePerGas": 4 * base + 10**9, "maxPriorityFeePerGas": 10**9, "chainId": w3.eth.chain_id}
    return [Account.sign_transaction({**tx, **fees, "nonce": nonce + i}, account.key) for i, tx in enumerate(txs)]


def measure_raw(world: ClientWorld, n: int) -> dict[str, Any]:
    """`n` pre-signed 21,000-gas ETH transfers from one sender: sent back to back in batches, receipts
    collected at the end (batched polling). Signing is done before the clock starts."""
    to = dev_account(RAW_RECIPIENT).address
    transfers = [{"to": to, "value": 1, "gas": 21_000}] * n
    w3 = world.client.w3
    return _send_presigned(w3, _presigned(w3, dev_account(RAW_SENDER), transfers))


def measure_raw_individual(world: ClientWorld, n: int) -> dict[str, Any]:
    """The issue's method: `n` pre-signed 21,000-gas ETH transfers from one sender, each sent with its own
    `eth_sendRawTransaction` request (one after the other, no batching), receipts collected at the end (batched
    polling). Signing is done before the clock starts.

    Automine gives every transfer a block of its own (~`n` blocks): on a fresh Anvil of the same binary and flags
    (`ClientWorld.spare_chain`, one per measurement, under its own `StallGuard`) rather than the bench chain,
    where an `evm_revert` over that many blocks was once followed by a BlockOutOfRangeError."""
    to = dev_account(RAW_RECIPIENT).address
    transfers = [{"to": to, "value": 1, "gas": 21_000}] * n
    with world.spare_chain() as spare, StallGuard(spare.chain) as guard:  # type: ignore[arg-type]
        w3 = spare.w3
        assert w3 is not None
        warm = _send_presigned(w3, _presigned(w3, dev_account(RAW_SENDER), transfers[:50]), batch=False)
        out = _send_presigned(w3, _presigned(w3, dev_account(RAW_SENDER), transfers), batch=False)
        out["warm_up_tx_per_s"] = warm["tx_per_s"]
        out["stall_nudges"] = guard.nudges
    return out


def _answer(world: ClientWorld, input_data: bytes) -> tuple[bytes, bytes]:
    """(encoded output, trace root) of the bench model on a job input: what a provider submits."""
    tr = trace(world.model, decode_vector(input_data, "input"))
    return encode_vector(tr.output, "output"), trace_root(tr)


def measure_floor(world: ClientWorld, samples: Sequence[Sample], gas: dict[str, int]) -> dict[str, Any]:
    """Anvil's own cost of the client's 4 transactions per job: the same lifecycle (createJob by the
    requester; claimJob + submitResult by the provider, outputs computed beforehand; finalizeJob after the
    challenge window), every transaction pre-signed before the clock starts, each phase sent back to back in
    batches with its receipts collected at the end. The ceiling of any client on this chain."""
    c = world.client
    escrow = c.escrow.contract.functions
    requester, provider = world.requester.account, world.loop_provider.account
    args = (world.model_id, 1, 0, world.price, c.timestamp() + 600)
    create_gas = c.escrow.create_gas(requester, *args, samples[0].pixels_input)
    ids = c.escrow.next_job_ids(len(samples))  # no job closes before these are created

    def tx(fn: Any, limit: int) -> dict[str, Any]:
        return {"to": c.escrow.address, "data": fn._encode_transaction_data(), "gas": limit}

    w3 = c.w3
    creates = _presigned(w3, requester, [tx(escrow.createJob(*args, s.pixels_input), create_gas) for s in samples])
    answers: list[dict[str, Any]] = []
    terms = c.registry.job_terms(world.model_id, 1)
    pinned = {"collateral": c.escrow.collateral_for(world.price), "challengeWindow": c.escrow.challenge_window(),
              "royaltyOwner": terms.owner, "royaltyBps": terms.royalty_bps}  # what each job pins at creation
    for job_id, sample in zip(ids, samples, strict=True):
        output, root = _answer(world, sample.pixels_input)
        created = {"requester": requester.address, "fee": world.price, "modelId": world.model_id, "version": 1,
                   "mode": 0, "deadline": args[4], "inputHash": keccak(sample.pixels_input), **pinned}
        job = jobstate.opened(job_id, created)  # the escrow takes the job's struct (one-slot jobs)
        answers += [tx(escrow.claimJob(job_id, jobstate.struct(job)), gas["claimJob"]),
                    tx(escrow.submitResult(job_id, jobstate.struct(jobstate.claimed(job, provider.address)), output,
                                           root), gas["submitResult"])]
    window = c.escrow.challenge_window()
    phases = [_send_presigned(w3, creates), _send_presigned(w3, _presigned(w3, provider, answers))]
    # A finalize passes the job's struct after submit (challenge end = the submit block's time + window): the
    # finals are built from the events and signed here, outside the timed phases.
    finals = [tx(escrow.finalizeJob(job_id, c.escrow.job_struct(job_id)), gas["finalizeJob"]) for job_id in ids]
    signed_finals = _presigned(w3, provider, finals)
    world.advance_time(window + 1)
    phases.append(_send_presigned(w3, signed_finals))
    for account in (requester, provider):
        c.sender(account).nonces.resync()  # the client's counters did not see these
    seconds = sum(p["seconds"] for p in phases) + 0.0
    txs = sum(p["txs"] for p in phases)
    return {"txs": txs, "seconds": round(seconds, 3), "tx_per_s": round(txs / seconds, 1),
            "jobs_per_s": round(len(samples) / seconds, 1),
            "phases_s": dict(zip(("create", "claim_submit", "finalize"), (p["seconds"] for p in phases), strict=True))}


def _send_presigned(w3: Web3, signed: Sequence[Any], *, batch: bool = True) -> dict[str, Any]:
    """Send pre-signed transactions in batches of `BATCH` (or, `batch=False`, one request each) and collect
    every receipt; the clock covers sending and collecting."""
    n = len(signed)
    raws = ["0x" + bytes(s.raw_transaction).hex() for s in signed]
    hashes = ["0x" + bytes(s.hash).hex() for s in signed]
    start_block = w3.eth.block_number
    send = w3.provider.make_request
    started = time.perf_counter()
    if batch:
        for i in range(0, n, BATCH):
            for response in _batch(w3, "eth_sendRawTransaction", [[raw] for raw in raws[i : i + BATCH]]):
                if "error" in response:
                    raise ClientBenchError(f"raw transfer refused: {response['error']}")
    else:
        for raw in raws:
            response = send(RPCEndpoint("eth_sendRawTransaction"), [raw])
            if "error" in response:
                raise ClientBenchError(f"raw transfer refused: {response['error']}")
    receipts = _collect_receipts(w3, hashes)
    seconds = time.perf_counter() - started
    if any(int(r["status"], 16) != 1 for r in receipts):
        raise ClientBenchError("a pre-signed transaction failed")
    blocks = int(receipts[-1]["blockNumber"], 16) - start_block
    return {"txs": n, "seconds": round(seconds, 3), "tx_per_s": round(n / seconds, 1), "blocks": blocks}


def _collect_receipts(w3: Web3, hashes: list[str], timeout: float = 120.0) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + timeout
    while len(found) < len(hashes):
        missing = [h for h in hashes if h not in found]
        for i in range(0, len(missing), RECEIPT_BATCH):
            chunk = missing[i : i + RECEIPT_BATCH]
            for tx_hash, response in zip(chunk, _batch(w3, "eth_getTransactionReceipt", [[h] for h in chunk]),
                                         strict=True):
                if response.get("result"):
                    found[tx_hash] = response["result"]
        if len(found) < len(hashes):
            if time.monotonic() > deadline:
                missing = len(hashes) - len(found)
                raise ClientBenchError(f"{missing} pre-signed transactions not mined after {timeout} s")
            time.sleep(0.01)
    return [found[h] for h in hashes]


# ---------------------------------------------------------------------------------------------- client


def warm_up(world: ClientWorld, sample: Sample) -> dict[str, int]:
    """One job through every step, untimed: its gas estimates (with the sender's headroom) are the fixed gas
    limits of the pipelined sends (a dependent transaction cannot be estimated before its predecessor is
    mined), and its first-use storage writes do not land in the measured run."""
    c, provider = world.client, world.loop_provider
    psender = c.sender(provider.account)
    escrow = c.escrow.contract.functions
    job = world.requester.submit_jobs(world.model_id, [sample.pixels_input])[0]
    claim = escrow.claimJob(job.job_id, c.escrow.job_struct(job.job_id))
    gas = {"claimJob": psender.estimate_gas(claim)}
    psender.transact(claim, gas=gas["claimJob"])
    output, root = _answer(world, sample.pixels_input)
    submit = escrow.submitResult(job.job_id, c.escrow.job_struct(job.job_id), output, root)
    gas["submitResult"] = psender.estimate_gas(submit)
    psender.transact(submit, gas=gas["submitResult"])
    world.advance_time(c.escrow.challenge_window() + 1)
    finalize = escrow.finalizeJob(job.job_id, c.escrow.job_struct(job.job_id))
    gas["finalizeJob"] = psender.estimate_gas(finalize)
    psender.transact(finalize, gas=gas["finalizeJob"])
    return gas


def measure_client(world: ClientWorld, samples: Sequence[Sample], gas: dict[str, int]) -> dict[str, Any]:
    """Push `len(samples)` jobs through the client, pipelined, with every phase's transactions in flight at
    once: the requester submits all jobs (`Requester.submit_jobs`); the provider reads the JobCreated events
    (event cursor), runs the model on each input, sends every claim and every result back to back
    (`TxSender.send_many`) and collects the receipts; the requester reads the results (event cursor) and
    checks them; after the challenge window the provider finalizes every job. 4 transactions per job."""
    c, provider, requester = world.client, world.loop_provider, world.requester
    psender = c.sender(provider.account)
    start_block = c.block_number() + 1
    jobs_seen = EventCursor(c, "bench-provider", MemoryCursorStore(), contracts=["InferenceEscrow"],
                            events=["JobCreated"], start_block=start_block)
    results_seen = EventCursor(c, "bench-requester", MemoryCursorStore(), contracts=["InferenceEscrow"],
                               events=["ResultSubmitted"], start_block=start_block)
    window = c.escrow.challenge_window()
    phases: dict[str, float] = {}
    t0 = last = time.perf_counter()
    cpu0 = time.process_time()

    def lap(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        phases[name] = round(now - last, 3)
        last = now

    # requester: every createJob in flight at once
    created = requester.submit_jobs(world.model_id, [s.pixels_input for s in samples])
    lap("create")

    # provider: events -> inference -> all claims and all results in flight at once
    events = [e for e in jobs_seen.poll() if int(e.args["modelId"]) == world.model_id]
    infer_seconds = 0.0
    outputs: list[tuple[int, bytes, bytes]] = []
    jobs = {}  # job id -> its struct as JobCreated left it (the escrow takes the struct: one-slot jobs)
    for event in events:
        t = time.perf_counter()
        output, root = _answer(world, bytes(event.args["input"]))
        infer_seconds += time.perf_counter() - t
        job_id = int(event.args["jobId"])
        jobs[job_id] = jobstate.opened(job_id, event.args)
        outputs.append((job_id, output, root))
    calldata = c.escrow.calldata  # {"to", "data"} from the cached selector: no web3 ContractFunction per call
    pending = psender.send_many([calldata("claimJob", j, jobstate.struct(jobs[j])) for j, _, _ in outputs],
                                gas=gas["claimJob"])
    for job_id in jobs:
        jobs[job_id] = jobstate.claimed(jobs[job_id], psender.address)
    pending += psender.send_many([calldata("submitResult", j, jobstate.struct(jobs[j]), out, root)
                                  for j, out, root in outputs], gas=gas["submitResult"])
    psender.wait_all(pending)
    lap("claim_submit")

    # requester: results from the ResultSubmitted events
    submitted = list(results_seen.poll())
    results = {int(e.args["jobId"]): bytes(e.args["output"]) for e in submitted}
    for e in submitted:
        j = int(e.args["jobId"])
        jobs[j] = jobstate.submitted(jobs[j], bytes(e.args["outputHash"]), bytes(e.args["traceRoot"]),
                                     int(e.args["challengeEnd"]))
    lap("results")

    # after the challenge window (chain clock moved: 2 RPCs), every finalize in flight at once
    world.advance_time(window + 1)
    job_ids = [job.job_id for job in created]
    psender.wait_all(psender.send_many([calldata("finalizeJob", j, jobstate.struct(jobs[j])) for j in job_ids],
                                       gas=gas["finalizeJob"]))
    lap("finalize")
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0

    _check(world, samples, created, outputs, results, start_block)
    correct = sum(argmax(decode_vector(results[j.job_id], "output")) == s.label
                  for j, s in zip(created, samples, strict=True))
    txs = TXS_PER_JOB * len(samples)
    return {
        "jobs": len(samples),
        "txs": txs,
        "seconds": round(seconds, 3),
        "tx_per_s": round(txs / seconds, 1),
        "jobs_per_s": round(len(samples) / seconds, 1),
        "phases_s": phases,
        "cpu_s": round(cpu, 3),  # this process (all its threads): the client's own Python work
        "cpu_ms_per_tx": round(1000 * cpu / txs, 3),
        "inference": {
            "jobs": len(outputs),
            "total_s": round(infer_seconds, 4),
            "per_job_ms": round(1000 * infer_seconds / len(outputs), 3),
            "share_of_run": round(infer_seconds / seconds, 4),
        },
        "accuracy": round(correct / len(samples), 4),
        "gas_limits": gas,
        "blocks": c.block_number() - start_block + 1,
    }


def _check(world: ClientWorld, samples: Sequence[Sample], created: Sequence[Any],
           outputs: Sequence[tuple[int, bytes, bytes]], results: dict[int, bytes], start_block: int) -> None:
    """Every job was seen, answered with the model's output, and finalized (else ClientBenchError)."""
    job_ids = [job.job_id for job in created]
    if sorted(j for j, _, _ in outputs) != sorted(job_ids):
        raise ClientBenchError(f"provider saw {len(outputs)} of {len(job_ids)} jobs")
    for job, sample in zip(created, samples, strict=True):
        expected, _ = _answer(world, sample.pixels_input)
        if results.get(job.job_id) != expected:
            raise ClientBenchError(f"job {job.job_id}: result missing or not the model's output")
    finalized = world.client.escrow.contract.events.JobFinalized().get_logs(from_block=start_block)
    if {int(log["args"]["jobId"]) for log in finalized} != set(job_ids):
        raise ClientBenchError(f"{len(finalized)} of {len(job_ids)} jobs finalized")


def measure_throughput(world: ClientWorld, samples: Sequence[Sample], rounds: int = 2) -> dict[str, Any]:
    """After a short untimed warm-up of Anvil and one untimed job (gas limits): `rounds` rounds of raw
    transfers (sent individually, then batched), the pre-signed floor and the client, interleaved so load from
    other processes on the machine hits every side alike; each figure is the best of its rounds (all rounds are
    kept). Every measurement starts from the same chain state (snapshot / revert), all under a `StallGuard`."""
    n = TXS_PER_JOB * len(samples)
    runs: dict[str, list[dict[str, Any]]] = {"raw_individual": [], "raw": [], "floor": [], "client": []}
    with world.stall_guard() as guard:

        def guarded(measure: Any, *args: Any) -> dict[str, Any]:
            with world.isolated():
                before = guard.nudges
                out: dict[str, Any] = measure(*args)
                out["stall_nudges"] = guard.nudges - before
            return out

        measure_raw(world, 50)
        gas = warm_up(world, samples[0])
        for _ in range(rounds):
            runs["raw_individual"].append(measure_raw_individual(world, n))  # on a fresh Anvil of its own
            runs["raw"].append(guarded(measure_raw, world, n))
            runs["floor"].append(guarded(measure_floor, world, samples, gas))
            runs["client"].append(guarded(measure_client, world, samples, gas))
    best = {}
    for name, measured in runs.items():
        best[name] = {**min(measured, key=lambda r: r["seconds"]),
                      "runs_tx_per_s": [r["tx_per_s"] for r in measured],
                      "stall_nudges": sum(r["stall_nudges"] for r in measured)}
    individual, raw, floor, client = best["raw_individual"], best["raw"], best["floor"], best["client"]
    return {
        "rounds": rounds,
        "raw_individual": individual,  # the method: one eth_sendRawTransaction request per transfer
        "raw": raw,  # batched: JSON-RPC batches of 100
        "floor": floor,
        "client": client,
        "ratio_vs_raw_individual": round(client["tx_per_s"] / individual["tx_per_s"], 4),
        "ratio_vs_raw_batched": round(client["tx_per_s"] / raw["tx_per_s"], 4),
        "floor_ratio_vs_raw_individual": round(floor["tx_per_s"] / individual["tx_per_s"], 4),
        "floor_ratio_vs_raw_batched": round(floor["tx_per_s"] / raw["tx_per_s"], 4),
        "client_vs_floor": round(client["tx_per_s"] / floor["tx_per_s"], 4),
    }
