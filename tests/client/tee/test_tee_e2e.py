"""End to end, TEE mode: a requester creates a TEE job through the client; a provider node holding a registered
software enclave claims it, runs the model, signs the result and submits; the job settles in the submit
transaction; fees, royalty, collateral and the requester's payment are checked to the wei."""

from __future__ import annotations

import time

from eth_account import Account
from eth_utils import keccak
from helpers_opg_tee import ATTESTER, PRICE, ROYALTY_BPS
from test_client_tee import digit_input
from web3.logs import DISCARD

from opg_client.chain import OpgClient
from opg_client.models import JobStatus, VerificationMode
from opg_client.node import JobState, NodeConfig, ProviderNode
from opg_client.roles import Requester, RewardsClaimant
from opg_client.runtime import ModelStore, decode_vector, digits_model_bytes, load_digits_model, run
from opg_client.tee import SoftwareEnclave, TeeResult, TeeVerifier, decode_proof, register_enclave


def _node(net, account, tmp_path, enclave: SoftwareEnclave | None) -> ProviderNode:
    models = tmp_path / "models"
    ModelStore(models).put(digits_model_bytes())
    config = NodeConfig(
        db_path=tmp_path / "node.sqlite", model_store=models, models=(net.model_id,), keeper="off",
        poll_interval=0.05, name="tee", enclave=enclave,
    )
    return ProviderNode(OpgClient.connect(net.manifest_path), account, config)


def _step_until(node: ProviderNode, predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out stepping the node"
        node.step()
        time.sleep(0.02)


def test_tee_job__node_with_enclave__signed_submit_settles_at_once_balances_exact(client: OpgClient, net, tmp_path):
    provider = net.providers[0]
    enclave = SoftwareEnclave.generate()
    register_enclave(client, provider, enclave, ATTESTER)
    node = _node(net, provider, tmp_path, enclave)
    token, rewards, staking = client.token, client.rewards, client.staking
    escrow_address = client.manifest.address("InferenceEscrow")
    requester_before = token.balance_of(net.requester.address)
    escrow_before = token.balance_of(escrow_address)
    provider_before = rewards.claimable(provider.address).fees
    royalty_before = rewards.claimable(net.researcher.address).fees
    free_before = staking.free_stake(provider.address)
    input_data = digit_input(3)

    request = Requester(client, net.requester).submit_job(net.model_id, input_data, mode=VerificationMode.TEE)
    try:
        _step_until(node, lambda: client.escrow.job_status(request.job_id) is JobStatus.Closed)
    finally:
        node.close()

    result = client.escrow.find_result(request.job_id)
    assert result is not None and result.finalized and result.provider == provider.address
    expected = run(load_digits_model(), decode_vector(input_data, "input"))
    assert list(decode_vector(result.output, "output")) == list(expected)  # the model's answer, bit-exact
    receipt = client.w3.eth.get_transaction_receipt(client.escrow.contract.events.JobFinalized().get_logs(
        from_block=result.block_number, argument_filters={"jobId": request.job_id})[0]["transactionHash"])
    assert int(receipt["blockNumber"]) == result.block_number  # submitted and settled in one transaction
    verifier = client.contract("TEEVerifier")
    (verified,) = verifier.events.TEEResultVerified().process_receipt(receipt, errors=DISCARD)
    assert verified["args"]["enclaveKey"] == enclave.address

    # Requester paid the fee; it sits in the escrow as settled until the settlement sweeps it.
    assert token.balance_of(net.requester.address) == requester_before - PRICE
    assert token.balance_of(escrow_address) == escrow_before + PRICE
    royalty = PRICE * ROYALTY_BPS // 10_000
    treasury_fee = PRICE * 500 // 10_000  # SuiteParams.treasury_fee_bps
    assert rewards.claimable(net.researcher.address).fees == royalty_before + royalty
    assert rewards.claimable(provider.address).fees == provider_before + PRICE - royalty - treasury_fee
    assert staking.free_stake(provider.address) == free_before  # collateral released at settlement

    balance = token.balance_of(provider.address)
    claimed = RewardsClaimant(client, provider).claim()
    assert token.balance_of(provider.address) == balance + claimed.fees + claimed.emissions
    assert claimed.fees == provider_before + PRICE - royalty - treasury_fee


def test_tee_job__node_without_enclave__skipped_not_claimed(client: OpgClient, net, tmp_path):
    node = _node(net, net.providers[0], tmp_path, None)
    request = Requester(client, net.requester).submit_job(net.model_id, digit_input(), mode=VerificationMode.TEE)
    try:
        _step_until(node, lambda: (row := node.store.job(request.job_id)) is not None and row.state is JobState.SKIPPED)
    finally:
        node.close()
    assert client.escrow.job_status(request.job_id) is JobStatus.Open


def test_tee_job__pipelined_node__claim_and_signed_submit_mined_in_the_next_block(client: OpgClient, net, tmp_path):
    """The node signs before claiming and sends claim + submit back to back with a fixed gas limit: enough for
    the costliest TEE submit (the version's first, weights hash not memoised yet)."""
    provider = net.providers[0]
    enclave = SoftwareEnclave.generate()
    register_enclave(client, provider, enclave, ATTESTER)
    node = _node(net, provider, tmp_path, enclave)
    request = Requester(client, net.requester).submit_job(net.model_id, digit_input(1), mode=VerificationMode.TEE)
    net.chain.rpc("evm_setAutomine", [False])
    try:
        _step_until(node, lambda: len(node.store.txs(job_id=request.job_id)) == 2)
        net.chain.rpc("evm_mine")
    finally:
        net.chain.rpc("evm_setAutomine", [True])
    _step_until(node, lambda: client.escrow.job_status(request.job_id) is JobStatus.Closed)
    node.close()
    result = client.escrow.find_result(request.job_id)
    created = client.escrow.contract.events.JobCreated().get_logs(
        from_block=client.manifest.block, argument_filters={"jobId": request.job_id}
    )
    assert result is not None and result.finalized
    assert result.block_number == int(created[0]["blockNumber"]) + 1


def test_tee_proof__node_restarted__mode_read_from_escrow_and_signed(client: OpgClient, net, tmp_path):
    provider = net.providers[0]
    enclave = SoftwareEnclave.generate()
    first = _node(net, provider, tmp_path, enclave)
    tee_job = Requester(client, net.requester).submit_job(net.model_id, digit_input(2), mode=VerificationMode.TEE)
    plain_job = Requester(client, net.requester).submit_job(net.model_id, digit_input(2))
    first.ingest()
    first.close()
    restarted = _node(net, provider, tmp_path, enclave)  # same database, no memory of the jobs' modes
    try:
        proof = restarted._tee_proof(tee_job.job_id, b"\x00\x00\x00\x01")
        signed_at, signature = decode_proof(proof)
        result = TeeResult(tee_job.job_id, client.registry.get_version(net.model_id, 1).weights_hash,
                           tee_job.input_hash, keccak(b"\x00\x00\x00\x01"), signed_at)
        digest = TeeVerifier(client).result_digest(result)
        assert Account._recover_hash(digest, signature=signature) == enclave.address
        assert restarted._tee_proof(plain_job.job_id, b"\x00\x00\x00\x01") == b""
    finally:
        restarted.close()
