"""ZK jobs through the client wrappers and the provider node: settled at submit iff the proof binds the job."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from eth_utils import keccak

from opg_client.chain import OpgClient
from opg_client.errors import InputNotBound, OutputNotBound, ProofRejected, ZkVerifierRequired
from opg_client.models import JobStatus, VerificationMode
from opg_client.node import NodeConfig, ProviderNode
from opg_client.roles import Researcher
from opg_client.runtime import ModelStore, dump_model, encode_vector, layer_commitments, model_hash

X = [19, 162, -88, -25]
OTHER_X = [-7, 40, 255, 3]


def create_zk_job(client: OpgClient, net, x: list[int]) -> int:
    sender = client.sender(net.requester)
    deadline = client.timestamp() + 3_600
    receipt = sender.wait(
        client.escrow.create_job_with_permit(
            net.requester, net.model_id, 1, VerificationMode.ZK, 2 * 10**18, deadline, encode_vector(x)
        )
    )
    return client.escrow.created(receipt).job_id


def claimed_zk_job(client: OpgClient, net, x: list[int]) -> int:
    job_id = create_zk_job(client, net, x)
    client.sender(net.provider).wait(client.escrow.claim_job(net.provider, job_id))
    return job_id


def test_submit_result__honest_zk_proof__job_closes_at_once(client, net) -> None:
    job_id = claimed_zk_job(client, net, X)
    proof = net.circuit.prove(X)
    receipt = client.sender(net.provider).wait(
        client.escrow.submit_result(net.provider, job_id, proof.output_bytes, proof.calldata())
    )
    assert receipt["status"] == 1
    assert client.escrow.job_status(job_id) == JobStatus.Closed
    result = client.escrow.find_result(job_id)
    assert result is not None and keccak(result.output) == keccak(proof.output_bytes)


def test_submit_result__proof_for_another_input__raises_input_not_bound(client, net) -> None:
    job_id = claimed_zk_job(client, net, X)
    other = net.circuit.prove(OTHER_X)
    with pytest.raises(InputNotBound) as info:
        client.sender(net.provider).wait(
            client.escrow.submit_result(net.provider, job_id, other.output_bytes, other.calldata())
        )
    assert info.value.job_id == job_id
    assert client.escrow.job_status(job_id) == JobStatus.Claimed


def test_submit_result__output_not_the_proved_one__raises_output_not_bound(client, net) -> None:
    job_id = claimed_zk_job(client, net, X)
    proof = net.circuit.prove(X)
    forged = encode_vector([v + 1 for v in proof.output])
    with pytest.raises(OutputNotBound):
        client.sender(net.provider).wait(client.escrow.submit_result(net.provider, job_id, forged, proof.calldata()))
    assert client.escrow.job_status(job_id) == JobStatus.Claimed


def test_submit_result__tampered_proof__raises_proof_rejected(client, net) -> None:
    job_id = claimed_zk_job(client, net, X)
    proof = net.circuit.prove(X)
    tampered = bytearray(proof.proof)
    tampered[100] ^= 0x01
    from dataclasses import replace

    bad = replace(proof, proof=bytes(tampered))
    with pytest.raises(ProofRejected):
        client.sender(net.provider).wait(
            client.escrow.submit_result(net.provider, job_id, proof.output_bytes, bad.calldata())
        )
    assert client.escrow.job_status(job_id) == JobStatus.Claimed


def test_register_model__zk_mode_without_verifier__raises_zk_verifier_required(client, net) -> None:
    from opg_client.localchain import dev_account

    model = net.circuit.model
    params = Researcher.params(
        model_hash(model), layer_commitments(model), "opg://zk", 10**18, 0, [VerificationMode.ZK]
    )
    with pytest.raises(ZkVerifierRequired):
        Researcher(client, dev_account(2)).register_model(params)


def test_provider_node__zk_job__proves_and_settles(client, net, tmp_path: Path) -> None:
    store = tmp_path / "models"
    ModelStore(store).put(dump_model(net.circuit.model))
    config = NodeConfig(
        db_path=tmp_path / "node.sqlite",
        model_store=store,
        models=(net.model_id,),
        keeper="off",
        poll_interval=0.05,
        zk_circuits=(net.circuit.circuit.root,),
    )
    node = ProviderNode(OpgClient.connect(net.manifest_path), net.provider, config)
    try:
        job_id = create_zk_job(client, net, X)
        until = time.monotonic() + 60
        while client.escrow.job_status(job_id) != JobStatus.Closed:
            assert time.monotonic() < until, f"job {job_id} still {client.escrow.job_status(job_id).name}"
            node.step()
        result = client.escrow.find_result(job_id)
        assert result is not None
        assert result.output == net.circuit.prove(X).output_bytes
    finally:
        node.close()
