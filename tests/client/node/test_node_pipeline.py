"""Next-block results: the node runs the model before claiming, then sends claimJob and submitResult back to back
(consecutive nonces, the submit with a fixed gas limit). Failure cases of that pipeline (submit out of gas,
transactions lost from the node's mempool) and the deadline margin. Driven in-process with `ProviderNode.step()`
and manual mining, so blocks are counted exactly."""

from __future__ import annotations

import random

import pytest
from helpers_opg_node import create_jobs, escrow_txs, results_count, step_until, wait_for
from hexbytes import HexBytes

from opg_client.chain import OpgClient
from opg_client.events import DecodedEvent
from opg_client.models import VerificationMode
from opg_client.node import JobState, NodeConfig, ProviderNode, TxState
from opg_client.node.provider import calldata_gas, submit_gas_limit
from opg_client.runtime import ModelStore, decode_vector, digits_model_bytes, load_model, trace, trace_root


def _node(net, account, tmp_path, name: str = "node", **overrides) -> ProviderNode:
    models = tmp_path / "models"
    ModelStore(models).put(digits_model_bytes())
    config = NodeConfig(
        db_path=tmp_path / f"{name}.sqlite",
        model_store=models,
        models=(net.model_id,),
        keeper="off",
        poll_interval=0.05,
        name=name,
        **overrides,
    )
    return ProviderNode(OpgClient.connect(net.manifest_path), account, config)


def _state(node: ProviderNode, job_id: int) -> JobState | None:
    row = node.store.job(job_id)
    return None if row is None else row.state


def _mempool_size(net) -> int:
    status = net.chain.rpc("txpool_status")
    return int(status["pending"], 16) + int(status["queued"], 16)


def _no_nonce_gap(client, address: str) -> bool:
    return client.w3.eth.get_transaction_count(address) == client.w3.eth.get_transaction_count(address, "pending")


def _block_of(client, event: str, job_id: int) -> int:
    logs = client.contract("InferenceEscrow").events[event]().get_logs(from_block=client.manifest.block)
    (block,) = [int(log["blockNumber"]) for log in logs if int(log["args"]["jobId"]) == job_id]
    return block


def test_step__new_job__claim_and_submit_mined_in_the_next_block(net, client, tmp_path):
    node = _node(net, net.providers[0], tmp_path)
    (job_id,) = create_jobs(client, net, 1)
    net.chain.rpc("evm_setAutomine", [False])
    node.step()  # one step: event -> inference -> claim + submit broadcast, nothing mined yet
    txs = node.store.txs(job_id=job_id)
    assert [(tx.action, tx.state) for tx in txs] == [("claim", TxState.SENT), ("submit", TxState.SENT)]
    assert txs[1].nonce == txs[0].nonce + 1
    assert node.store.job(job_id).state == JobState.SUBMITTING
    assert _mempool_size(net) == 2
    net.chain.rpc("evm_mine")  # a single block
    step_until(node, lambda: _state(node, job_id) == JobState.SUBMITTED, what="the submit receipt")

    created = _block_of(client, "JobCreated", job_id)
    assert _block_of(client, "JobClaimed", job_id) == created + 1
    assert _block_of(client, "ResultSubmitted", job_id) == created + 1
    assert escrow_txs(client, node.address) == [("claimJob", job_id, True), ("submitResult", job_id, True)]
    # the trace root submitted is the runtime's, over the node's own re-execution of the job's input
    tr = trace(load_model(digits_model_bytes()), decode_vector(node.store.job(job_id).input, "input"))
    assert client.escrow.find_result(job_id).trace_root == trace_root(tr)
    node.close()


def test_submit_gas_limit__digits_output__above_the_measured_gas_and_the_calldata_floor(net, client, tmp_path):
    node = _node(net, net.providers[0], tmp_path)
    (job_id,) = create_jobs(client, net, 1)
    step_until(node, lambda: _state(node, job_id) == JobState.SUBMITTED, what="the submit receipt")
    submit = node.store.txs(job_id=job_id, action="submit")[0]
    sent = client.w3.eth.get_transaction(submit.tx_hash)
    data = bytes(sent["input"])
    assert sent["gas"] == submit_gas_limit(data, len(node.store.job(job_id).output))
    assert sent["gas"] >= 2 * submit.gas_used  # 384-byte output: ~47k used
    assert sent["gas"] > 21_000 + max(calldata_gas(data))
    node.close()


@pytest.mark.parametrize("size", [0, 1_000, 10_000, 100_000])
def test_submit_gas_limit__random_outputs_up_to_100_kb__enough_for_submit_result(net, client, size):
    provider = net.providers[0]
    sender = client.sender(provider)
    (job_id,) = create_jobs(client, net, 1)
    sender.wait(client.escrow.claim_job(provider, job_id))
    output, root = random.Random(size).randbytes(size), b"\x5a" * 32
    args = [job_id, client.escrow.job_struct(job_id), output, root]
    data = bytes(HexBytes(client.contract("InferenceEscrow").encode_abi("submitResult", args=args)))
    limit = submit_gas_limit(data, size)
    receipt = sender.wait(client.escrow.submit_result(provider, job_id, output, root, gas=limit))
    assert receipt["status"] == 1
    assert receipt["gasUsed"] * 6 // 5 <= limit  # at least 20% to spare


def test_step__pipelined_submit_out_of_gas__retried_once_with_an_estimate(net, client, tmp_path):
    node = _node(net, net.providers[0], tmp_path, submit_gas=30_000)  # below the ~40k the submit needs
    (job_id,) = create_jobs(client, net, 1)
    step_until(node, lambda: _state(node, job_id) == JobState.SUBMITTED, what="the retried submit")

    assert escrow_txs(client, node.address) == [
        ("claimJob", job_id, True),
        ("submitResult", job_id, False),
        ("submitResult", job_id, True),
    ]
    submits = node.store.txs(job_id=job_id, action="submit")
    assert [tx.state for tx in submits] == [TxState.REVERTED, TxState.MINED]
    assert submits[0].error == "out of gas"
    assert client.w3.eth.get_transaction(submits[1].tx_hash)["gas"] > 40_000  # estimated, not the fixed limit
    assert results_count(client) == 1 and _no_nonce_gap(client, node.address)
    for _ in range(3):
        node.step()
    assert len(escrow_txs(client, node.address)) == 3  # nothing more
    node.close()


def test_restart__claim_and_submit_lost_from_the_mempool__same_bytes_rebroadcast_once(net, client, tmp_path):
    node = _node(net, net.providers[0], tmp_path)
    (job_id,) = create_jobs(client, net, 1)
    net.chain.rpc("evm_setAutomine", [False])
    node.step()
    recorded = {tx.action: tx for tx in node.store.txs(job_id=job_id)}
    node.close()  # the node dies with both transactions pending ...
    net.chain.rpc("anvil_dropAllTransactions")  # ... and the chain's node forgets them
    assert _mempool_size(net) == 0

    restarted = _node(net, net.providers[0], tmp_path)
    restarted.step()  # reconcile: both unknown to the chain's node, nonces unused -> same bytes again
    assert _mempool_size(net) == 2
    net.chain.rpc("evm_mine")
    net.chain.rpc("evm_setAutomine", [True])
    step_until(restarted, lambda: _state(restarted, job_id) == JobState.SUBMITTED, what="the submit")

    txs = restarted.store.txs(job_id=job_id)
    assert [(tx.action, tx.tx_hash, tx.state) for tx in txs] == [
        ("claim", recorded["claim"].tx_hash, TxState.MINED),
        ("submit", recorded["submit"].tx_hash, TxState.MINED),
    ]
    assert escrow_txs(client, restarted.address) == [("claimJob", job_id, True), ("submitResult", job_id, True)]
    assert _no_nonce_gap(client, restarted.address)
    restarted.close()


@pytest.mark.parametrize(("margin", "claimed"), [(None, False), (5, True)])
def test_step__deadline_closer_than_margin__skipped_unless_margin_allows(net, client, tmp_path, margin, claimed):
    overrides = {} if margin is None else {"deadline_margin": margin}
    node = _node(net, net.providers[0], tmp_path, **overrides)
    assert node.config.deadline_margin == (30 if margin is None else margin)
    (job_id,) = create_jobs(client, net, 1, ttl=20)  # too short for the default 30 s margin
    node.step()
    if claimed:
        step_until(node, lambda: _state(node, job_id) == JobState.SUBMITTED, what="the result")
    else:
        row = node.store.job(job_id)
        assert row.state == JobState.SKIPPED and row.note == "deadline too close"
        assert escrow_txs(client, node.address) == []
    node.close()


def test_cli_run__deadline_margin_option__passed_to_the_node(net, client, start_node):
    provider = net.providers[0]
    node = start_node(provider, extra=("--deadline-margin", "5"))
    wait_for(lambda: node.count("node_started") == 1, 30, "start")
    (job_id,) = create_jobs(client, net, 1, ttl=20)
    wait_for(lambda: results_count(client) == 1, 30, "the result of a job with a 20 s deadline")
    assert escrow_txs(client, provider.address) == [("claimJob", job_id, True), ("submitResult", job_id, True)]


def test_restart__claim_nonce_used_by_another_tx__stale_submit_fills_its_nonce_job_claimed_again(net, client, tmp_path):
    provider = net.providers[0]
    node = _node(net, provider, tmp_path)
    (job_id,) = create_jobs(client, net, 1)
    net.chain.rpc("evm_setAutomine", [False])
    node.step()
    claim, submit = node.store.txs(job_id=job_id)
    node.close()
    net.chain.rpc("anvil_dropAllTransactions")
    net.chain.rpc("evm_setAutomine", [True])
    quote = client.fees.quote()
    other = provider.sign_transaction(  # the same key used elsewhere takes the claim's nonce
        {
            "to": net.stranger.address,
            "value": 1,
            "gas": 21_000,
            "nonce": claim.nonce,
            "chainId": client.chain_id,
            "maxFeePerGas": quote.max_fee_per_gas,
            "maxPriorityFeePerGas": quote.max_priority_fee_per_gas,
        }
    )
    client.w3.eth.wait_for_transaction_receipt(client.w3.eth.send_raw_transaction(other.raw_transaction))

    restarted = _node(net, provider, tmp_path)
    step_until(restarted, lambda: _state(restarted, job_id) == JobState.SUBMITTED, what="the second claim's result")
    states = {tx.tx_hash: tx.state for tx in restarted.store.txs(job_id=job_id)}
    assert states[claim.tx_hash] == TxState.DROPPED
    assert states[submit.tx_hash] == TxState.REVERTED  # same bytes re-sent: it fills nonce + 1, then reverts
    assert escrow_txs(client, provider.address) == [
        ("submitResult", job_id, False),
        ("claimJob", job_id, True),
        ("submitResult", job_id, True),
    ]
    assert _no_nonce_gap(client, provider.address)
    restarted.close()


def test_handle__tee_job_created__skipped_never_claimed(net, client, tmp_path):
    node = _node(net, net.providers[0], tmp_path)
    (template,) = create_jobs(client, net, 1)
    node.step()  # the real job (optimistic) is answered
    args = dict(node.store.job(template).__dict__)
    event = DecodedEvent(
        "InferenceEscrow",
        "JobCreated",
        {
            "jobId": 10_000,
            "requester": args["requester"],
            "modelId": net.model_id,
            "version": 1,
            "mode": int(VerificationMode.TEE),
            "fee": args["fee"],
            "deadline": args["deadline"],
            "inputHash": args["input_hash"],
            "collateral": args["collateral"],
            "challengeWindow": args["challenge_window"],
            "royaltyOwner": args["royalty_owner"],
            "royaltyBps": args["royalty_bps"],
            "input": args["input"],
        },
        1,
        0,
        "0x" + "00" * 32,
        client.escrow.address,
    )
    node._handle(event)  # a TEE job: the node submits no proof, so it must not claim it
    row = node.store.job(10_000)
    assert row.state == JobState.SKIPPED and "TEE" in row.note
    node.step()
    assert node.store.job(10_000).state == JobState.SKIPPED
    assert [fn for fn, job, _ in escrow_txs(client, node.address) if job == 10_000] == []
    node.close()
