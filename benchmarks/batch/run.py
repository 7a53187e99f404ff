"""Measures BatchSettlement on the benchmark world (the suite as deploy_suite wires it).

Per batch size N and requester mix (R requesters, N / R jobs each, job ids consecutive per requester):
- `deposit`: each requester's deposit covering its jobs of the batch (R transactions; the unlimited approve
  is made once at set-up and not counted);
- `postBatch`: the provider posts the root (collateral locked);
- `payLeaves`: one transaction paying all N leaves with one multiproof (signatures checked, requesters
  debited, one settlement credit), which also closes the batch and releases the collateral.
Amortized per job = (deposits + post + pay) / N. Two rounds per configuration: `first` (the requesters'
first jobs: fresh job-id bitmap words, first balances) and `steady` (a second batch by the same parties in
the same epoch, job ids continuing in the same bitmap words). The single-job figure is the optimistic
lifecycle of benchmarks/lifecycle.py (createJobWithPermit + claimJob + submitResult + finalizeJob), steady
state, same payload."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ape import chain, project
from hexbytes import HexBytes

from benchmarks.payloads import digits_payload
from benchmarks.world import MAX_UINT256, PRICE, BenchError, World, gas
from opg_client.batchtree import Leaf, MerkleTree, domain_separator, sign_request

SIZES = (16, 64, 256)
MIXES = (8,)  # requesters per batch (N / R jobs each)
WORST_CASE = (256, 256)  # (N, R): one job per requester
PER_JOB_TARGET = 20_000
PAY_GAS_LIMIT = 29_000_000  # explicit: under the block gas limit whatever the estimate's margin
TARGET_SIZE = 256


@dataclass(frozen=True)
class BatchConfig:
    sizes: tuple[int, ...] = SIZES
    mixes: tuple[int, ...] = MIXES
    worst_case: tuple[int, int] | None = WORST_CASE
    shapes: tuple[tuple[int, ...], ...] = ()  # explicit (jobs, requesters) pairs, instead of sizes x mixes


FULL = BatchConfig()
QUICK = BatchConfig(sizes=(16,), mixes=(4,), worst_case=None)


def _round(w: World, batch: Any, requesters: Sequence[Any], per_requester: int, first_job_id: int) -> dict[str, int]:
    payload = digits_payload()
    fee = PRICE
    leaves: list[Leaf] = []
    for r in requesters:
        for k in range(per_requester):
            leaves.append(Leaf(len(leaves), first_job_id + k, str(r.address), fee, payload.input_hash,
                               payload.output_hash, payload.trace_root))
    tree = MerkleTree(leaves)
    deadline = w.deadline(86_400)
    domain = domain_separator(chain.chain_id, str(batch.address))
    keys = {str(r.address): bytes(HexBytes(r.private_key)) for r in requesters}
    sigs = {leaf.index: sign_request(keys[leaf.requester], domain, str(w.provider.address), w.model_id, w.version,
                                     leaf, deadline) for leaf in leaves}
    deposit = sum(gas(batch.deposit(per_requester * fee, sender=r)) for r in requesters)
    post = batch.postBatch(tree.root, len(leaves), tree.total_fee, w.model_id, w.version, sender=w.provider)
    batch_id = int(batch.batchCount())
    w.advance(int(batch.CHALLENGE_WINDOW()) + 1)
    mp = tree.multiproof(range(len(leaves)))
    pay = batch.payLeaves(
        batch_id, [leaf.as_tuple() for leaf in mp.leaves], [sigs[leaf.index].as_tuple() for leaf in mp.leaves],
        list(mp.proof), list(mp.flags), sender=w.provider, gas_limit=PAY_GAS_LIMIT,
    )
    closed = list(batch.BatchClosed.from_receipt(pay))
    if not closed or int(closed[0].unpaidLeaves) != 0:
        raise BenchError("batch: the payment did not settle every leaf")
    n = len(leaves)
    total = deposit + gas(post) + gas(pay)
    return {
        "jobs": n,
        "requesters": len(requesters),
        "deposits": deposit,
        "postBatch": gas(post),
        "payLeaves": gas(pay),
        "pay_calldata_bytes": len(bytes(pay.transaction.data)),
        "total": total,
        "per_job": round(total / n),
        "per_job_provider": round((gas(post) + gas(pay)) / n),
    }


def _configuration(w: World, batch: Any, n: int, r: int) -> dict[str, Any]:
    w.reset()
    w.start_next_epoch()
    requesters = [w.new_account() for _ in range(r)]
    for acct in requesters:
        w.fund(acct, n // r * PRICE * 4)
        w.token.approve(batch, MAX_UINT256, sender=acct)
    per = n // r
    first = _round(w, batch, requesters, per, 1)
    steady = _round(w, batch, requesters, per, 1 + per)
    return {"jobs": n, "requesters": r, "first": first, "steady": steady}


def single_job(w: World) -> dict[str, int]:
    """The steady-state optimistic lifecycle (second job between the same parties), as the gas bench does."""
    w.reset()
    w.start_next_epoch()
    payload = digits_payload()
    w.lifecycle(w.requester, w.provider, payload)
    return w.lifecycle(w.requester, w.provider, payload).gas()


def config_from_env() -> BatchConfig:
    """FULL, or the shapes in $OPG_BATCH_BENCH ("256x8,256x256": jobs x requesters) for a partial run."""
    spec = os.environ.get("OPG_BATCH_BENCH", "").strip()
    if not spec:
        return FULL
    shapes = [tuple(int(x) for x in part.split("x")) for part in spec.split(",")]
    return BatchConfig(sizes=tuple(n for n, _ in shapes), mixes=(), worst_case=None, shapes=tuple(shapes))


def run_batch(config: BatchConfig = FULL) -> dict[str, Any]:
    started = time.monotonic()
    w = World()
    batch = project.BatchSettlement.at(w.addresses["BatchSettlement"])
    rows = []
    shapes = list(config.shapes) or [(n, r) for n in config.sizes for r in config.mixes]
    if config.worst_case is not None:
        shapes.append(config.worst_case)
    for n, r in shapes:
        rows.append(_configuration(w, batch, n, r))
        print(f"batch bench: {n} jobs / {r} requesters: {rows[-1]['steady']['per_job']:,} gas per job", flush=True)
    single = single_job(w)
    target_rows = [row for row in rows if row["jobs"] == TARGET_SIZE and row["requesters"] in MIXES]
    target = {
        "per_job_max": PER_JOB_TARGET,
        "jobs_per_batch": TARGET_SIZE,
        "measured": [row["steady"]["per_job"] for row in target_rows],
        # None: the target shape was not part of this (partial) run
        "pass": all(row["steady"]["per_job"] <= PER_JOB_TARGET for row in target_rows) if target_rows else None,
    }
    return {
        "rows": rows,
        "single_job": single,
        "target": target,
        "run_seconds": round(time.monotonic() - started, 1),
    }
