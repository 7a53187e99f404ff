"""End to end, TEE mode: a requester creates a TEE job through the client; a provider node holding a registered
software enclave claims it, runs the model, signs the result and submits; the job settles in the submit
transaction; fees, royalty, collateral and the requester's payment are checked to the wei."""

from __future__ import annotations

import time

from helpers_opg_tee import ATTESTER, PRICE, ROYALTY_BPS
from test_client_tee import digit_input
from web3.logs import DISCARD

from opg_client.chain import OpgClient
from opg_client.models import JobStatus, VerificationMode
from opg_client.node import JobState, NodeConfig, ProviderNode
from opg_client.roles import Requester, RewardsClaimant
from opg_client.runtime import ModelStore, decode_vector, digits_model_bytes, load_digits_model, run
from opg_client.tee import SoftwareEnclave, register_enclave


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
