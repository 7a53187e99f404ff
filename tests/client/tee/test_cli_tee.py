"""`opg tee ...`: governance approvals and revocations, the dev attestation + key registration (key file
written), status, and the one-line errors (nothing sent)."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner, Result
from eth_utils import keccak
from helpers_opg_tee import ATTESTER

from opg_client.chain import OpgClient
from opg_client.cli import cli
from opg_client.tee import DEV_MEASUREMENT, SoftwareEnclave

ATTESTER_KEY = "0x" + bytes(ATTESTER.account.key).hex()


def run(net, *args: str, key_index: int | None = None, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner(mix_stderr=False, env={"OPG_PRIVATE_KEY": None, "OPG_TEE_ATTESTER_KEY": None, **(env or {})})
    account = ["--account-index", str(key_index)] if key_index is not None else []
    return runner.invoke(cli, ["--manifest", str(net.manifest_path), *args, *account], catch_exceptions=False)


def ok(net, *args: str, **kw: Any) -> dict[str, Any]:
    result = run(net, *args, "--json", **kw)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    data = json.loads(result.stdout)
    assert data["ok"] is True
    return data  # type: ignore[no-any-return]


def test_tee_register_key__dev_attester__key_file_written_and_status_active(net, tmp_path):
    path = tmp_path / "enclave.json"
    data = ok(net, "tee", "register-key", "--enclave-file", str(path), "--attester-key", ATTESTER_KEY, key_index=3)
    enclave = SoftwareEnclave.load(path)
    assert data["enclave_key"] == enclave.address and data["measurement"] == "0x" + DEV_MEASUREMENT.hex()
    status = ok(net, "tee", "status", "--enclave-file", str(path))
    assert status["enclave_key"]["active"] is True
    assert status["enclave_key"]["operator"] == net.providers[0].address
    assert status["measurement"]["status"] == "Approved" and status["attester"]["status"] == "Approved"
    assert status["max_signature_age"] == 600


def test_tee_attest_then_register__service_signature__registered(net, tmp_path, client: OpgClient):
    enclave = SoftwareEnclave.generate()
    path = enclave.save(tmp_path / "enclave.json")
    expires = client.timestamp() + 3_600
    attested = ok(net, "tee", "attest", enclave.address, net.providers[1].address, "--expires-at", str(expires),
                  env={"OPG_TEE_ATTESTER_KEY": ATTESTER_KEY})
    assert attested["attester"] == ATTESTER.address
    ok(net, "tee", "register-key", "--enclave-file", str(path), "--attestation", attested["signature"],
       "--expires-at", str(expires), key_index=4)
    assert ok(net, "tee", "status", "--enclave-key", enclave.address)["enclave_key"]["expires_at"] == expires


def test_tee_revoke_key__operator__status_inactive(net, tmp_path):
    path = tmp_path / "enclave.json"
    key = ok(net, "tee", "register-key", "--enclave-file", str(path), "--attester-key", ATTESTER_KEY,
             key_index=3)["enclave_key"]
    ok(net, "tee", "revoke-key", key, key_index=3)
    status = ok(net, "tee", "status", "--enclave-key", key)["enclave_key"]
    assert (status["revoked"], status["active"]) == (True, False)


def test_tee_governance__approve_then_revoke_measurement_and_attester(net):
    build = "0x" + keccak(text="cli build").hex()
    ok(net, "tee", "approve-measurement", build, "--description", "cli build", key_index=0)
    assert ok(net, "tee", "status", "--measurement", build)["measurement"]["status"] == "Approved"
    ok(net, "tee", "revoke-measurement", build, key_index=0)
    assert ok(net, "tee", "status", "--measurement", build)["measurement"]["status"] == "Revoked"
    attester = net.providers[1].address
    ok(net, "tee", "approve-attester", attester, key_index=0)
    ok(net, "tee", "revoke-attester", attester, key_index=0)
    assert ok(net, "tee", "status", "--attester", attester)["attester"]["status"] == "Revoked"


def test_tee_approve_measurement__not_governance__one_line_named_error(net, client: OpgClient):
    provider = net.providers[0].address
    nonce = client.w3.eth.get_transaction_count(provider)
    result = run(net, "tee", "approve-measurement", "--json", key_index=3)
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["error"] == "AccessControlUnauthorizedAccount"
    assert client.w3.eth.get_transaction_count(provider) == nonce


def test_tee_register_key__no_attester_key__error_nothing_written(net, tmp_path):
    path = tmp_path / "enclave.json"
    result = run(net, "tee", "register-key", "--enclave-file", str(path), key_index=3)
    assert result.exit_code == 1
    assert "OPG_TEE_ATTESTER_KEY" in result.stderr
    assert not path.exists()


def test_tee_status__bad_measurement__usage_error(net):
    result = run(net, "tee", "status", "--measurement", "0x1234")
    assert result.exit_code == 1 and "expected 32" in result.stderr


def test_job_submit__mode_tee__tee_job_created(net, client: OpgClient):
    from opg_client.models import VerificationMode

    data = ok(net, "job", "submit", str(net.model_id), "--sample", "0", "--mode", "tee", key_index=5)
    assert client.escrow.get_job(data["job_id"]).mode is VerificationMode.TEE
