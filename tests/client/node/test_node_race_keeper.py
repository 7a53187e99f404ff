"""Two nodes racing for the same job, and the keeper (finalize matured jobs, expire overdue ones for the bounty).

Race and keeper tests drive `ProviderNode.step()` in-process so the interleaving is deterministic; the
many-jobs race runs two real node processes side by side.
"""

from __future__ import annotations

from collections import Counter

from helpers_opg_node import WINDOW, create_jobs, escrow_txs, event_counts, results_count, step_until, wait_for

from opg_client.chain import OpgClient
from opg_client.models import JobStatus
from opg_client.node import JobState, NodeConfig, ProviderNode
from opg_client.node.store import TxState
from opg_client.runtime import ModelStore, digits_model_bytes


def _node(net, account, tmp_path, name: str, keeper: str = "off") -> ProviderNode:
    store = tmp_path / "models"
    ModelStore(store).put(digits_model_bytes())
    config = NodeConfig(
        db_path=tmp_path / f"{name}.sqlite",
        model_store=store,
        models=(net.model_id,),
        keeper=keeper,
        poll_interval=0.05,
        name=name,
    )
    return ProviderNode(OpgClient.connect(net.manifest_path), account, config)


def _steps(*nodes: ProviderNode, n: int = 3) -> None:
    for _ in range(n):
        for node in nodes:
            node.step()


def test_step__two_nodes_claim_same_job_in_one_block__one_wins_other_recovers(net, client, tmp_path):
    a = _node(net, net.providers[0], tmp_path, "a")
    b = _node(net, net.providers[1], tmp_path, "b")
    (job_id,) = create_jobs(client, net, 1)
    net.chain.rpc("evm_setAutomine", [False])
    a.step()  # claim and (pipelined) submit pending in the mempool
    b.step()  # sees the job still Open on chain: claims too, its submit right behind
    assert a.store.job(job_id).state == JobState.SUBMITTING
    net.chain.rpc("evm_mine")
    net.chain.rpc("evm_setAutomine", [True])
    step_until(
        [a, b],
        lambda: a.store.job(job_id).state == JobState.SUBMITTED and b.store.job(job_id).state == JobState.LOST,
        what="A submitted, B lost",
    )

    assert client.escrow.get_job(job_id).provider == a.address
    assert client.escrow.job_status(job_id) == JobStatus.Submitted
    assert a.store.job(job_id).state == JobState.SUBMITTED
    assert b.store.job(job_id).state == JobState.LOST
    assert "InvalidJobStatus" in b.store.job(job_id).note  # the loser saw the contract's named error
    # Anvil estimates against the latest block, so B's claim was sent and reverted on chain, and its pipelined
    # submit (next nonce, sent before the claim was mined) reverted too: one attempt each, no retry.
    _steps(b)
    assert escrow_txs(client, b.address) == [("claimJob", job_id, False), ("submitResult", job_id, False)]
    b_tx = {tx.action: tx for tx in b.store.txs(job_id=job_id)}
    assert b_tx["claim"].state == b_tx["submit"].state == TxState.REVERTED
    assert "InvalidJobStatus" in b_tx["claim"].error
    assert "NotProvider" in b_tx["submit"].error or "InvalidJobStatus" in b_tx["submit"].error
    assert b_tx["submit"].nonce == b_tx["claim"].nonce + 1
    assert client.w3.eth.get_transaction_count(b.address) == client.w3.eth.get_transaction_count(
        b.address, "pending"
    )  # no nonce left unused

    (next_job,) = create_jobs(client, net, 1)  # the loser carries on normally
    step_until(b, lambda: b.store.job(next_job) is not None and b.store.job(next_job).state == JobState.SUBMITTED)
    assert b.store.job(next_job).state == JobState.SUBMITTED
    assert client.escrow.get_job(next_job).provider == b.address
    a.close()
    b.close()


def test_run__two_node_processes_share_a_backlog__each_job_claimed_once(net, client, start_node):
    a = start_node(net.providers[0], name="a")
    b = start_node(net.providers[1], name="b")
    job_ids = create_jobs(client, net, 12)
    wait_for(lambda: results_count(client) == len(job_ids), 60, "all results")
    claimed = event_counts(client, "JobClaimed")
    assert all(claimed[j] == 1 for j in job_ids)
    for node, account in ((a, net.providers[0]), (b, net.providers[1])):
        assert node.proc.poll() is None
        assert node.count("step_failed") == 0
        attempts = Counter((fn, job) for fn, job, _ in escrow_txs(client, account.address))
        assert all(n == 1 for n in attempts.values())


def test_step__keeper_own__finalizes_own_matured_jobs(net, client, tmp_path):
    node = _node(net, net.providers[0], tmp_path, "a", keeper="own")
    job_ids = create_jobs(client, net, 2)
    step_until(node, lambda: results_count(client) == 2 and node.store.count_jobs(JobState.SUBMITTED) == 2)
    _steps(node)
    assert sum(event_counts(client, "JobFinalized").values()) == 0  # window still open
    net.chain.advance_time(WINDOW + 1)
    step_until(node, lambda: node.store.count_jobs(JobState.CLOSED) == 2, what="both finalized")
    finalized = event_counts(client, "JobFinalized")
    assert all(finalized[j] == 1 for j in job_ids)
    assert [node.store.job(j).state for j in job_ids] == [JobState.CLOSED] * 2
    assert client.rewards.claimable(node.address).fees > 0
    node.close()


def test_step__keeper_all__expires_overdue_claimed_job_for_the_bounty(net, client, tmp_path):
    slacker = net.providers[0]
    (job_id,) = create_jobs(client, net, 1, ttl=120)
    client.sender(slacker).wait(client.escrow.claim_job(slacker, job_id))  # claims, never submits
    keeper = _node(net, net.providers[1], tmp_path, "keeper", keeper="all")
    _steps(keeper)
    assert keeper.store.job(job_id).state == JobState.LOST
    assert client.escrow.job_status(job_id) == JobStatus.Claimed
    balance = client.token.balance_of(keeper.address)
    net.chain.advance_time(121)
    step_until(keeper, lambda: client.escrow.job_status(job_id) == JobStatus.Closed, what="expiry")
    logs = client.contract("InferenceEscrow").events.JobExpired().get_logs(from_block=client.manifest.block)
    assert len(logs) == 1 and logs[0]["args"]["caller"] == keeper.address
    bounty = int(logs[0]["args"]["bounty"])
    assert bounty > 0
    assert client.token.balance_of(keeper.address) == balance + bounty
    assert escrow_txs(client, keeper.address) == [("expireJob", job_id, True)]
    keeper.close()


def test_step__keeper_all__finalizes_another_providers_job_after_the_grace(net, client, tmp_path):
    worker = _node(net, net.providers[0], tmp_path, "worker", keeper="off")  # answers, never finalizes
    keeper = _node(net, net.providers[1], tmp_path, "keeper", keeper="all")
    (job_id,) = create_jobs(client, net, 1)
    step_until(worker, lambda: client.escrow.job_status(job_id) == JobStatus.Submitted, what="the worker's result")
    net.chain.advance_time(WINDOW + 1)
    _steps(keeper)
    assert client.escrow.job_status(job_id) == JobStatus.Submitted  # grace: the worker's turn first
    net.chain.advance_time(keeper.config.keeper_grace)
    step_until(keeper, lambda: client.escrow.job_status(job_id) == JobStatus.Closed, what="the keeper's finalize")
    assert escrow_txs(client, keeper.address) == [("finalizeJob", job_id, True)]
    worker.close()
    keeper.close()
