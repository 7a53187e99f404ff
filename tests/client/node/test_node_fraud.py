"""Optimistic Proof of Inference through the client on Anvil: a provider cheating on a fraction of jobs
(CheatPolicy), the Watcher re-executing every result and challenging the wrong ones (one-layer proofs when
the provider published its trace, full re-execution when not), slashing and refunds; restart safety."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from helpers_opg_node import OPG, PRICE, NodeNet, NodeProc, create_jobs, event_counts, wait_for

from opg_client.chain import OpgClient
from opg_client.fraud import CheatPolicy, TraceBoard, layer_outputs
from opg_client.fraud.challenger import registry_models
from opg_client.fraud.cheat import Cheat
from opg_client.fraud.watch import WatchConfig, Watcher
from opg_client.localchain import dev_account
from opg_client.models import VerificationMode
from opg_client.roles import Researcher
from opg_client.runtime import (
    ModelStore,
    decode_vector,
    digits_model_bytes,
    encode_vector,
    layer_commitments,
    load_digits_model,
    model_hash,
    trace_root,
)

MODEL = load_digits_model()
SEED = 11


def _serve(client: OpgClient, net: NodeNet, jobs: list[int], policy: CheatPolicy, board: TraceBoard,
           publish: set[int]) -> dict[int, Cheat | None]:
    """Claim and submit every job as `policy` says (in-process provider); publish the traces of `publish`."""
    provider = net.providers[0]
    sender = client.sender(provider)
    cheats: dict[int, Cheat | None] = {}
    for job_id in jobs:
        sender.wait(client.escrow.claim_job(provider, job_id))
    for job_id in jobs:
        x = decode_vector(_input_of(client, job_id))
        tr, cheat = policy.trace(MODEL, x, job_id)
        cheats[job_id] = cheat
        if job_id in publish:
            board.publish(job_id, layer_outputs(tr))
        sender.wait(client.escrow.submit_result(provider, job_id, encode_vector(tr.output), trace_root(tr)))
    return cheats


def _input_of(client: OpgClient, job_id: int) -> bytes:
    logs = client.escrow.contract.events.JobCreated().get_logs(
        from_block=client.manifest.block, argument_filters={"jobId": job_id}
    )
    return bytes(logs[0]["args"]["input"])


def _watcher(client: OpgClient, net: NodeNet, tmp_path: Path, board: TraceBoard) -> Watcher:
    """A watcher challenging as `net.stranger`, funded here with OPG for its bonds."""
    _fund(client, net)
    store = ModelStore(tmp_path / "models")
    store.put(digits_model_bytes())
    return Watcher(client, net.stranger, registry_models(client, store), WatchConfig(tmp_path / "watch.sqlite"),
                   board)


def test_watcher__cheating_provider__challenges_every_cheat_and_slashes(client: OpgClient, net: NodeNet,
                                                                       tmp_path: Path) -> None:
    policy = CheatPolicy(rate=0.5, seed=SEED)
    jobs = create_jobs(client, net, 8)
    board = TraceBoard(tmp_path / "traces")
    publish = set(jobs[::2])  # half the providers' traces are published: one-layer proofs; the rest: full
    cheats = _serve(client, net, jobs, policy, board, publish)
    cheated = {j for j, c in cheats.items() if c is not None}
    assert cheated and cheated != set(jobs), "seed must give both honest and cheated jobs"
    assert {c.layer for c in cheats.values() if c is not None} == {0, 1}, "seed must cheat on both layers"

    provider = net.providers[0].address
    stake_before = client.staking.stake_of(provider).active
    requester_before = client.token.balance_of(net.requester.address)
    watcher = _watcher(client, net, tmp_path, board)
    try:
        while watcher.step():
            pass
        states = {j: watcher.state_of(j) for j in jobs}
    finally:
        watcher.close()

    assert {j for j, s in states.items() if s == "upheld"} == cheated
    assert {j for j, s in states.items() if s == "correct"} == set(jobs) - cheated
    assert client.token.balance_of(net.requester.address) == requester_before + PRICE * len(cheated)
    assert client.staking.stake_of(provider).active < stake_before
    upheld = client.escrow.contract.events.ChallengeUpheld().get_logs(from_block=client.manifest.block)
    assert sorted(int(e["args"]["jobId"]) for e in upheld) == sorted(cheated)
    assert all(e["args"]["challenger"] == net.stranger.address for e in upheld)


def test_watcher__restart_on_same_db__sends_nothing_twice(client: OpgClient, net: NodeNet, tmp_path: Path) -> None:
    policy = CheatPolicy(rate=1.0, seed=SEED)
    jobs = create_jobs(client, net, 2)
    board = TraceBoard(None)
    _serve(client, net, jobs, policy, board, set(jobs))
    first = _watcher(client, net, tmp_path, board)
    try:
        while first.step():
            pass
    finally:
        first.close()
    nonce = client.w3.eth.get_transaction_count(net.stranger.address)
    second = _watcher(client, net, tmp_path, board)
    try:
        assert second.step() is False  # no new event, nothing left to judge
        assert {j: second.state_of(j) for j in jobs} == dict.fromkeys(jobs, "upheld")
    finally:
        second.close()
    assert client.w3.eth.get_transaction_count(net.stranger.address) == nonce


def test_cheat_policy__same_seed__same_decisions_and_rate_roughly_kept() -> None:
    a, b = CheatPolicy(0.3, 5), CheatPolicy(0.3, 5)
    decisions = [a.plan(MODEL, j) for j in range(1, 401)]
    assert decisions == [b.plan(MODEL, j) for j in range(1, 401)]
    rate = sum(d is not None for d in decisions) / len(decisions)
    assert 0.22 < rate < 0.38
    assert all(CheatPolicy(0.0, 5).plan(MODEL, j) is None for j in range(1, 50))


def test_cli__cheating_node_and_opg_watch__every_cheat_slashed(client: OpgClient, net: NodeNet, tmp_path: Path,
                                                              start_node: Callable[..., NodeProc]) -> None:
    """The whole loop as processes: `opg provider run --cheat-rate 0.5` -> `opg watch` -> challenge -> slash."""
    board = tmp_path / "board"
    _fund(client, net)
    node = start_node(net.providers[0], "cheater", extra=("--cheat-rate", "0.5", "--cheat-seed", str(SEED),
                                                          "--trace-board", str(board)))
    watcher = _start_watch(net, tmp_path, board)
    try:
        jobs = create_jobs(client, net, 6)
        policy = CheatPolicy(0.5, SEED)
        cheated = {j for j in jobs if policy.cheats_on(j)}
        assert cheated and cheated != set(jobs)
        wait_for(lambda: set(event_counts(client, "ChallengeUpheld")) == cheated and watcher.count("result_correct")
                 == len(jobs) - len(cheated), timeout=60, what="every cheat upheld, every honest result checked")
        assert {e["job_id"] for e in node.events() if e.get("event") == "cheating"} == cheated
        assert {e["job_id"] for e in watcher.events() if e.get("event") == "challenge_upheld"} == cheated
        assert not [e for e in watcher.events() if e.get("event") == "challenge_rejected"]
    finally:
        assert watcher.stop() == 0
    assert event_counts(client, "ChallengeRejected") == {}


def _fund(client: OpgClient, net: NodeNet) -> None:
    if client.token.balance_of(net.stranger.address) < 100 * OPG:
        treasury = dev_account(1)
        client.sender(treasury).wait(client.token.transfer(treasury, net.stranger.address, 100 * OPG))


def _start_watch(net: NodeNet, tmp_path: Path, board: Path) -> NodeProc:
    log_path, db_path = tmp_path / "watch.log.jsonl", tmp_path / "watch.sqlite"
    args = [sys.executable, "-m", "opg_client.cli", "--manifest", str(net.manifest_path), "watch", "--db",
            str(db_path), "--store", str(tmp_path / "models"), "--trace-board", str(board), "--poll-interval", "0.1"]
    env = {**os.environ, "OPG_PRIVATE_KEY": "0x" + bytes(net.stranger.key).hex()}
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(args, stdout=log, stderr=log, env=env)
    return NodeProc(proc, log_path, db_path)


def test_node__weights_file_not_matching_layer_commitments__never_claims(client: OpgClient, net: NodeNet,
                                                                         start_node: Callable[..., NodeProc]) -> None:
    """A version whose layer commitments are not those of its weights file: any challenger holding weights that
    match the commitments could slash whoever serves the file, so the node skips its jobs."""
    commitments = list(reversed(layer_commitments(MODEL)))  # the right weights hash, the wrong commitments
    params = Researcher.params(model_hash(MODEL), commitments, "opg://digits-bad", PRICE, 0,
                               [VerificationMode.Optimistic])
    bad_id = Researcher(client, net.researcher).register_model(params).model_id
    provider = net.providers[0]
    client.sender(provider).wait(client.staking.serve_model(provider, bad_id))
    node = start_node(provider, "careful", extra=("--model", str(bad_id)))
    requester = net.requester
    sender = client.sender(requester)
    sender.wait(client.token.approve(requester, client.escrow.address, 10**9 * OPG))
    x = create_jobs(client, net, 1)  # one job on the good model, for contrast
    pending = client.escrow.create_job(requester, bad_id, 1, VerificationMode.Optimistic, PRICE,
                                       client.timestamp() + 1_200, _input_of(client, x[0]))
    bad_job = client.escrow.created(sender.wait(pending)).job_id
    wait_for(lambda: any(e.get("event") == "job_skipped" and e.get("job_id") == bad_job for e in node.events()),
             timeout=30, what="the node to skip the job")
    skipped = next(e for e in node.events() if e.get("event") == "job_skipped" and e.get("job_id") == bad_job)
    assert "layer commitment" in skipped["reason"]
    wait_for(lambda: event_counts(client, "ResultSubmitted").get(x[0], 0) == 1, timeout=30, what="the good job")
    assert event_counts(client, "JobClaimed").get(bad_job, 0) == 0
