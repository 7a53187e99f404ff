"""The client's TEE side: the software enclave's key file, proof encoding, registration through the wrapper,
signed submits through the escrow wrapper (settled at once), and every TEE revert decoded to its named error
before anything is sent."""

from __future__ import annotations

import os
import stat

import pytest
from eth_utils import keccak
from helpers_opg_tee import ATTESTER, PRICE

from opg_client.chain import OpgClient
from opg_client.errors import (
    EnclaveKeyIsRevoked,
    EnclaveKeyOperatorMismatch,
    FutureResultSignature,
    InvalidJobStatus,
    MeasurementNotApproved,
    NotTEEJob,
    StaleResultSignature,
    UnknownEnclaveKey,
    declared_errors,
)
from opg_client.models import AttestationStatus, JobStatus, VerificationMode
from opg_client.roles import Requester
from opg_client.runtime import encode_vector, load_digits_meta
from opg_client.runtime.shipped import encode_digit_pixels
from opg_client.tee import (
    DEV_MEASUREMENT,
    EnclaveFileError,
    SoftwareEnclave,
    TeeAttestations,
    TeeSigner,
    decode_proof,
    encode_proof,
    register_enclave,
    submit_tee_result,
)


def digit_input(seed: int = 0) -> bytes:
    meta = load_digits_meta()
    pixels = [(i * 7 + seed) % 17 for i in range(64)]
    return encode_vector(encode_digit_pixels(pixels, meta.frac_bits, meta.input_scale_bits))


def claimed_tee_job(client: OpgClient, net, provider, seed: int = 0) -> int:
    request = Requester(client, net.requester).submit_job(net.model_id, digit_input(seed), mode=VerificationMode.TEE)
    client.sender(provider).wait(client.escrow.claim_job(provider, request.job_id))
    return request.job_id


# ------------------------------------------------------------------------------------------------ offline


def test_enclave_file__save_then_load__same_key_and_private_mode(tmp_path):
    enclave = SoftwareEnclave.generate()
    path = enclave.save(tmp_path / "dir" / "enclave.json")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    loaded = SoftwareEnclave.load(path)
    assert (loaded.address, loaded.measurement) == (enclave.address, DEV_MEASUREMENT)


@pytest.mark.parametrize("body", [None, "{}", '{"key": "0x12", "measurement": "0x00"}'])
def test_enclave_file__missing_or_malformed__enclave_file_error(tmp_path, body):
    path = tmp_path / "enclave.json"
    if body is not None:
        path.write_text(body)
    with pytest.raises(EnclaveFileError):
        SoftwareEnclave.load(path)


def test_proof__encode_decode__round_trip_and_length_checked():
    proof = encode_proof(1_800_000_000, 28, 5, 7)
    assert len(proof) == 73 and proof[-1] == 28
    assert decode_proof(proof) == (1_800_000_000, (5).to_bytes(32, "big") + (7).to_bytes(32, "big") + b"\x1c")
    with pytest.raises(ValueError):
        decode_proof(proof[:-1])


# ------------------------------------------------------------------------------------------------ chain


def test_decoder__tee_contract_errors__all_declared(client: OpgClient):
    names = {
        str(entry["name"])
        for contract in ("TEEAttestationRegistry", "TEEVerifier")
        for entry in client.manifest.contract(contract).abi
        if entry.get("type") == "error"
    }
    assert {"UnknownEnclaveKey", "StaleResultSignature", "MeasurementNotApproved"} <= names
    declared = declared_errors()
    assert sorted(n for n in names if declared[n].template is None) == []


def test_register_enclave__dev_attester__key_active_for_operator(client: OpgClient, net):
    provider = net.providers[0]
    enclave = SoftwareEnclave.generate()
    info = register_enclave(client, provider, enclave, ATTESTER)
    assert (info.operator, info.attester, info.measurement, info.active) == (
        provider.address, ATTESTER.address, DEV_MEASUREMENT, True,
    )
    assert not TeeAttestations(client).is_active_key(enclave.address, net.providers[1].address)


def test_register_enclave__unapproved_measurement__raises_before_sending(client: OpgClient, net):
    provider = net.providers[0]
    nonce = client.w3.eth.get_transaction_count(provider.address)
    with pytest.raises(MeasurementNotApproved) as info:
        register_enclave(client, provider, SoftwareEnclave.generate(keccak(text="unknown build")), ATTESTER)
    assert info.value.status is AttestationStatus.None_
    assert client.w3.eth.get_transaction_count(provider.address) == nonce


def test_submit_tee_result__registered_enclave__settled_in_the_submit_tx(client: OpgClient, net):
    provider = net.providers[0]
    enclave = SoftwareEnclave.generate()
    register_enclave(client, provider, enclave, ATTESTER)
    job_id = claimed_tee_job(client, net, provider)
    before = client.rewards.claimable(provider.address).fees
    receipt = submit_tee_result(client, provider, TeeSigner(client, enclave), job_id, b"\x00\x00\x00\x07")
    finalized = client.escrow.event_in(receipt, "JobFinalized")
    assert (int(finalized["jobId"]), int(finalized["fee"])) == (job_id, PRICE)
    assert client.escrow.job_status(job_id) is JobStatus.Closed
    assert client.rewards.claimable(provider.address).fees > before


@pytest.mark.parametrize(
    ("offset", "error"), [(-601, StaleResultSignature), (31, FutureResultSignature)], ids=["stale", "future"]
)
def test_submit__signature_out_of_time__named_error_nothing_sent(client: OpgClient, net, offset, error):
    provider = net.providers[0]
    enclave = SoftwareEnclave.generate()
    register_enclave(client, provider, enclave, ATTESTER)
    job_id = claimed_tee_job(client, net, provider)
    job = client.escrow.get_job(job_id)
    now = client.timestamp("pending")
    input_hash = keccak(digit_input())  # what claimed_tee_job sent
    proof = TeeSigner(client, enclave).prove(job_id, job.model_id, job.version, input_hash, b"o", now + offset)
    nonce = client.w3.eth.get_transaction_count(provider.address)
    with pytest.raises(error) as info:
        client.escrow.submit_result(provider, job_id, b"o", proof)
    assert info.value.job_id == job_id
    assert client.w3.eth.get_transaction_count(provider.address) == nonce
    assert client.escrow.job_status(job_id) is JobStatus.Claimed


def test_submit__enclave_of_other_provider__operator_mismatch(client: OpgClient, net):
    owner, other = net.providers
    enclave = SoftwareEnclave.generate()
    register_enclave(client, owner, enclave, ATTESTER)
    job_id = claimed_tee_job(client, net, other)
    with pytest.raises(EnclaveKeyOperatorMismatch) as info:
        submit_tee_result(client, other, TeeSigner(client, enclave), job_id, b"o")
    assert (info.value.operator, info.value.provider) == (owner.address, other.address)


def test_submit__unregistered_or_revoked_key__named_errors(client: OpgClient, net):
    provider = net.providers[0]
    job_id = claimed_tee_job(client, net, provider)
    stranger_enclave = SoftwareEnclave.generate()
    with pytest.raises(UnknownEnclaveKey) as info:
        submit_tee_result(client, provider, TeeSigner(client, stranger_enclave), job_id, b"o")
    assert info.value.enclave_key == stranger_enclave.address
    enclave = SoftwareEnclave.generate()
    register_enclave(client, provider, enclave, ATTESTER)
    client.sender(provider).wait(TeeAttestations(client).revoke_enclave_key(provider, enclave.address))
    with pytest.raises(EnclaveKeyIsRevoked):
        submit_tee_result(client, provider, TeeSigner(client, enclave), job_id, b"o")


def test_submit_tee_result__optimistic_job__not_tee_job_nothing_sent(client: OpgClient, net):
    provider = net.providers[0]
    request = Requester(client, net.requester).submit_job(net.model_id, digit_input())
    nonce = client.w3.eth.get_transaction_count(provider.address)
    with pytest.raises(NotTEEJob) as info:
        submit_tee_result(client, provider, TeeSigner(client, SoftwareEnclave.generate()), request.job_id, b"o")
    assert info.value.mode is VerificationMode.Optimistic
    assert client.w3.eth.get_transaction_count(provider.address) == nonce


def test_submit_tee_result__job_not_claimed__invalid_job_status(client: OpgClient, net):
    request = Requester(client, net.requester).submit_job(net.model_id, digit_input(), mode=VerificationMode.TEE)
    with pytest.raises(InvalidJobStatus) as info:
        submit_tee_result(client, net.providers[0], TeeSigner(client, SoftwareEnclave.generate()), request.job_id, b"o")
    assert info.value.status is JobStatus.Open
