"""Crash safety of the provider node: SIGKILL at every step of a job and at random times, then restart.

Nothing lost (every job answered), nothing doubled (one claimJob and one submitResult transaction per job,
counted on chain, none reverted; one JobClaimed and one ResultSubmitted event per job).
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter

import pytest
from helpers_opg_node import create_jobs, escrow_txs, event_counts, results_count, wait_for

from opg_client.node.store import JobState, NodeStore

CRASH_POINTS = ["claim_recorded", "claim_broadcast", "inference_done", "submit_recorded", "submit_broadcast"]


def _assert_exactly_once(client, provider: str, job_ids: list[int]) -> None:
    txs = escrow_txs(client, provider)
    assert all(ok for _, _, ok in txs), f"reverted transactions: {txs}"
    per_job = Counter((fn, job) for fn, job, _ in txs)
    for job_id in job_ids:
        assert per_job[("claimJob", job_id)] == 1, txs
        assert per_job[("submitResult", job_id)] == 1, txs
    assert len(txs) == 2 * len(job_ids)
    claimed, submitted = event_counts(client, "JobClaimed"), event_counts(client, "ResultSubmitted")
    assert all(claimed[j] == 1 and submitted[j] == 1 for j in job_ids)
    assert client.w3.eth.get_transaction_count(provider) == client.w3.eth.get_transaction_count(provider, "pending")


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_run__sigkill_at_crash_point_then_restart__every_job_answered_once(net, client, start_node, point):
    provider = net.providers[0]
    job_ids = create_jobs(client, net, 4)
    crashing = start_node(provider, env={"OPG_NODE_CRASH_AT": f"{point}:2"})
    crashing.proc.wait(timeout=60)
    assert crashing.proc.returncode == -signal.SIGKILL
    assert crashing.count("crash_point") == 1

    restarted = start_node(provider)
    wait_for(lambda: results_count(client) == len(job_ids), 60, "all results")
    wait_for(lambda: restarted.count("job_submitted") >= len(job_ids), 30, "every submit recorded")
    _assert_exactly_once(client, provider.address, job_ids)
    store = NodeStore(restarted.db_path)
    assert {row.job_id: row.state for row in store.jobs()} == dict.fromkeys(job_ids, JobState.SUBMITTED)
    store.close()


def test_run__sigkill_at_random_times__nothing_lost_nothing_doubled(net, client, start_node):
    provider = net.providers[0]
    rng = random.Random(1234)
    job_ids = create_jobs(client, net, 6)
    kills = 0
    node = start_node(provider)
    while results_count(client) < len(job_ids) and kills < 4:
        time.sleep(rng.uniform(0.3, 1.5))
        if node.proc.poll() is None:
            os.kill(node.proc.pid, signal.SIGKILL)
            node.proc.wait(timeout=10)
            kills += 1
        job_ids += create_jobs(client, net, 2)
        node = start_node(provider)
    wait_for(lambda: results_count(client) == len(job_ids), 60, "all results")
    assert kills >= 1
    time.sleep(0.5)
    _assert_exactly_once(client, provider.address, job_ids)


def test_run__sigterm__stops_gracefully_and_resumes(net, client, start_node):
    provider = net.providers[0]
    node = start_node(provider)
    wait_for(lambda: node.count("node_started") == 1, 30, "start")
    node.proc.send_signal(signal.SIGTERM)
    assert node.proc.wait(timeout=15) == 0
    assert node.count("node_stopped") == 1

    job_ids = create_jobs(client, net, 3)  # created while the node is down
    start_node(provider)
    wait_for(lambda: results_count(client) == len(job_ids), 60, "all results")
    _assert_exactly_once(client, provider.address, job_ids)


def test_store__database_of_an_older_node__refused_with_a_clear_error(tmp_path):
    import sqlite3

    from opg_client.node.store import StoreSchemaError

    path = tmp_path / "old.db"
    conn = sqlite3.connect(str(path))  # the jobs table as nodes wrote it before jobs pinned their terms
    conn.execute("CREATE TABLE jobs (job_id INTEGER PRIMARY KEY, model_id INTEGER NOT NULL, version INTEGER NOT NULL, "
                 "fee TEXT NOT NULL, deadline INTEGER NOT NULL, input BLOB NOT NULL, input_hash BLOB NOT NULL, "
                 "requester TEXT NOT NULL, state TEXT NOT NULL, provider TEXT NOT NULL DEFAULT '', "
                 "challenge_end INTEGER NOT NULL DEFAULT 0, output BLOB, note TEXT NOT NULL DEFAULT '', "
                 "updated_at REAL NOT NULL)")
    conn.close()
    with pytest.raises(StoreSchemaError, match="older node"):
        NodeStore(path)
    NodeStore(tmp_path / "new.db").close()  # a fresh database is created with the current schema
