"""What a node claims: only jobs it is eligible for (min fee, free collateral, capacity, model in its store,
well-formed input). Driven in-process with `ProviderNode.step()`."""

from __future__ import annotations

import time

import pytest
from helpers_opg_node import OPG, PRICE, create_jobs, digit_inputs, escrow_txs, results_count, step_until

from opg_client.chain import OpgClient
from opg_client.localchain import dev_account
from opg_client.models import JobStatus, VerificationMode
from opg_client.node import JobState, NodeConfig, NodeError, ProviderNode
from opg_client.node.store import ACTIVE_STATES
from opg_client.runtime import ModelStore, digits_model_bytes


def _node(net, account, tmp_path, *, store: bool = True, **overrides) -> ProviderNode:
    models = tmp_path / "models"
    if store:
        ModelStore(models).put(digits_model_bytes())
    config = NodeConfig(
        db_path=tmp_path / "node.sqlite",
        model_store=models,
        models=(net.model_id,),
        keeper="off",
        poll_interval=0.05,
        **overrides,
    )
    return ProviderNode(OpgClient.connect(net.manifest_path), account, config)


def _create(client, net, fee: int, input_data: bytes) -> int:
    requester = net.requester
    sender = client.sender(requester)
    sender.wait(client.token.approve(requester, client.escrow.address, fee))
    deadline = client.timestamp() + 600
    pending = client.escrow.create_job(
        requester, net.model_id, 1, VerificationMode.Optimistic, fee, deadline, input_data
    )
    return client.escrow.created(sender.wait(pending)).job_id


def test_step__fee_below_min_fee__skipped_without_a_transaction(net, client, tmp_path):
    node = _node(net, net.providers[0], tmp_path, min_fee=PRICE + 1)
    (job_id,) = create_jobs(client, net, 1)
    node.step()
    row = node.store.job(job_id)
    assert row.state == JobState.SKIPPED and "below min fee" in row.note
    assert escrow_txs(client, node.address) == []
    assert client.escrow.job_status(job_id) == JobStatus.Open


def test_step__capacity_reached__claims_only_up_to_max_inflight(net, client, tmp_path):
    node = _node(net, net.providers[0], tmp_path, max_inflight=1)
    job_ids = create_jobs(client, net, 3)
    net.chain.rpc("evm_setAutomine", [False])
    node.step()
    assert node.store.count_jobs(*ACTIVE_STATES) == 1  # claimed, its submit pipelined behind the claim
    assert [node.store.job(j).state for j in job_ids].count(JobState.SEEN) == 2
    net.chain.rpc("evm_setAutomine", [True])
    net.chain.rpc("evm_mine")
    for _ in range(500):
        if node.store.count_jobs(JobState.SUBMITTED) == 3:
            break
        node.step()
        assert node.store.count_jobs(*ACTIVE_STATES) <= 1  # never more than max_inflight in flight
        time.sleep(0.02)
    assert node.store.count_jobs(JobState.SUBMITTED) == 3 and results_count(client) == 3


def test_step__collateral_above_free_stake__waits_without_claiming(net, client, tmp_path):
    small = dev_account(6)
    sender = client.sender(small)
    sender.wait(client.staking.stake_with_permit(small, 100 * OPG))
    sender.wait(client.staking.serve_model(small, net.model_id))
    node = _node(net, small, tmp_path)
    fee = 150 * OPG  # collateral = 100% of the fee = 150 OPG > 100 OPG free
    job_id = _create(client, net, fee, digit_inputs(1)[0])
    node.step()
    node.step()
    assert node.store.job(job_id).state == JobState.SEEN
    assert escrow_txs(client, small.address) == []
    sender.wait(client.staking.stake_with_permit(small, 100 * OPG))  # now 200 OPG free: eligible
    step_until(node, lambda: node.store.job(job_id).state == JobState.SUBMITTED, what="the claim once eligible")


def test_step__model_not_in_local_store__skipped(net, client, tmp_path):
    node = _node(net, net.providers[0], tmp_path, store=False)
    (job_id,) = create_jobs(client, net, 1)
    node.step()
    row = node.store.job(job_id)
    assert row.state == JobState.SKIPPED and "model unavailable" in row.note
    assert escrow_txs(client, node.address) == []


def test_step__malformed_input__skipped_never_claimed(net, client, tmp_path):
    node = _node(net, net.providers[0], tmp_path)
    bad = _create(client, net, PRICE, b"\x01\x02\x03")
    short = _create(client, net, PRICE, digit_inputs(1)[0][:-32])  # truncated vector
    node.step()
    for job_id in (bad, short):
        row = node.store.job(job_id)
        assert row.state == JobState.SKIPPED and "malformed input" in row.note
    assert escrow_txs(client, node.address) == []


def test_init__database_of_another_account__refused(net, tmp_path):
    _node(net, net.providers[0], tmp_path).close()
    with pytest.raises(NodeError, match="belongs to"):
        _node(net, net.providers[1], tmp_path)


def test_init__database_already_used_by_a_running_node__refused(net, tmp_path):
    first = _node(net, net.providers[0], tmp_path)
    with pytest.raises(NodeError, match="already running"):
        _node(net, net.providers[0], tmp_path)
    first.close()
    _node(net, net.providers[0], tmp_path).close()  # free again once the first one closed
