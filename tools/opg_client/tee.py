"""TEE attestation mode: the development "software enclave", the EIP-712 signatures of results and of
attestation statements, and the wrappers of TEEAttestationRegistry / TEEVerifier.

A `SoftwareEnclave` is a key and a measurement in this process: it signs exactly what a hardware enclave
would, but proves nothing about where it runs. A `DevAttester` plays the attestation verifier (in production
an off-chain service that checks the hardware quote, then signs the statement). See docs/protocol.md,
"Proof of Inference: TEE".

Proof of a TEE result (73 bytes): uint64 signing time (big-endian) ‖ r ‖ s ‖ v.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes

from opg_client._base import ContractWrapper
from opg_client.errors import (
    EnclaveKeyAlreadyRegistered,
    InvalidJobStatus,
    MeasurementNotApproved,
    NotProvider,
    NotTEEJob,
    OpgError,
)
from opg_client.models import AttestationStatus, JobStatus, VerificationMode
from opg_client.tx import PendingTx

PROOF_LENGTH = 73
RESULT_DOMAIN_NAME = "OPG TEE Verifier"
ATTESTATION_DOMAIN_NAME = "OPG TEE Attestation"
# Measurement of the development software enclave (not a hardware build: approve it on dev chains only).
DEV_MEASUREMENT = keccak(text="opg-software-enclave-v1")
DEFAULT_KEY_LIFETIME = 7 * 86_400  # seconds; the registry caps it at MAX_KEY_LIFETIME (30 days)

RESULT_TYPES = {
    "TEEResult": [
        {"name": "jobId", "type": "uint256"},
        {"name": "modelHash", "type": "bytes32"},
        {"name": "inputHash", "type": "bytes32"},
        {"name": "outputHash", "type": "bytes32"},
        {"name": "timestamp", "type": "uint64"},
    ]
}
ATTESTATION_TYPES = {
    "EnclaveAttestation": [
        {"name": "enclaveKey", "type": "address"},
        {"name": "operator", "type": "address"},
        {"name": "measurement", "type": "bytes32"},
        {"name": "expiresAt", "type": "uint64"},
    ]
}


class EnclaveFileError(OpgError):
    """The enclave key file is missing or malformed."""


def domain(name: str, chain_id: int, verifying_contract: str) -> dict[str, Any]:
    """EIP-712 domain of the TEE contracts (version "1")."""
    address = to_checksum_address(verifying_contract)
    return {"name": name, "version": "1", "chainId": chain_id, "verifyingContract": address}


@dataclass(frozen=True)
class TeeResult:
    """What an enclave signs for a job (the TEEResult struct)."""

    job_id: int
    model_hash: bytes | str  # the job version's weightsHash (bytes or 0x-hex)
    input_hash: bytes | str  # keccak256(input)
    output_hash: bytes | str  # keccak256(output)
    timestamp: int  # unix seconds, the signing time

    def message(self) -> dict[str, Any]:
        return {
            "jobId": self.job_id,
            "modelHash": bytes(HexBytes(self.model_hash)),
            "inputHash": bytes(HexBytes(self.input_hash)),
            "outputHash": bytes(HexBytes(self.output_hash)),
            "timestamp": self.timestamp,
        }


def encode_proof(timestamp: int, v: int, r: int, s: int) -> bytes:
    """The 73-byte proof: uint64 timestamp ‖ r ‖ s ‖ v."""
    return timestamp.to_bytes(8, "big") + r.to_bytes(32, "big") + s.to_bytes(32, "big") + bytes([v])


def decode_proof(proof: bytes) -> tuple[int, bytes]:
    """(timestamp, 65-byte r ‖ s ‖ v signature) of a proof; ValueError if it is not 73 bytes."""
    if len(proof) != PROOF_LENGTH:
        raise ValueError(f"a TEE proof is {PROOF_LENGTH} bytes, got {len(proof)}")
    return int.from_bytes(proof[:8], "big"), bytes(proof[8:])


def sign_result(private_key: Any, result_domain: dict[str, Any], result: TeeResult) -> bytes:
    """EIP-712 signature of `result` in the verifier's domain, encoded as the 73-byte proof."""
    signed = Account.sign_typed_data(private_key, result_domain, RESULT_TYPES, result.message())
    return encode_proof(result.timestamp, signed.v, signed.r, signed.s)


def sign_attestation(
    private_key: Any,
    attestation_domain: dict[str, Any],
    enclave_key: str,
    operator: str,
    measurement: bytes,
    expires_at: int,
) -> bytes:
    """EIP-712 EnclaveAttestation signature (65 bytes r ‖ s ‖ v) by an attestation-verifier key."""
    message = {
        "enclaveKey": to_checksum_address(enclave_key),
        "operator": to_checksum_address(operator),
        "measurement": bytes(measurement),
        "expiresAt": expires_at,
    }
    signed = Account.sign_typed_data(private_key, attestation_domain, ATTESTATION_TYPES, message)
    return bytes(signed.signature)


class SoftwareEnclave:
    """Development enclave: a signing key and the measurement it claims. Signs results like a real one."""

    def __init__(self, account: LocalAccount, measurement: bytes = DEV_MEASUREMENT) -> None:
        if len(measurement) != 32:
            raise ValueError("a measurement is 32 bytes")
        self.account = account
        self.measurement = bytes(measurement)

    @property
    def address(self) -> str:
        return str(self.account.address)

    @classmethod
    def generate(cls, measurement: bytes = DEV_MEASUREMENT) -> SoftwareEnclave:
        return cls(Account.from_key(secrets.token_bytes(32)), measurement)

    def sign_result(self, result_domain: dict[str, Any], result: TeeResult) -> bytes:
        return sign_result(self.account.key, result_domain, result)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the key file (mode 0600). Dev only: a real enclave never lets its key out."""
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        body = {"key": "0x" + bytes(self.account.key).hex(), "measurement": "0x" + self.measurement.hex()}
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(body, fh)
        return out

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> SoftwareEnclave:
        try:
            body = json.loads(Path(path).read_text())
            return cls(Account.from_key(body["key"]), bytes.fromhex(str(body["measurement"]).removeprefix("0x")))
        except FileNotFoundError:
            raise EnclaveFileError(f"no enclave key file at {path}: run `opg tee register-key`") from None
        except (KeyError, ValueError, TypeError) as exc:
            raise EnclaveFileError(f"malformed enclave key file {path}: {exc}") from None


class DevAttester:
    """Development attestation verifier: signs statements without seeing any hardware quote."""

    def __init__(self, account: LocalAccount) -> None:
        self.account = account

    @property
    def address(self) -> str:
        return str(self.account.address)

    def attest(
        self, attestation_domain: dict[str, Any], enclave_key: str, operator: str, measurement: bytes, expires_at: int
    ) -> bytes:
        return sign_attestation(self.account.key, attestation_domain, enclave_key, operator, measurement, expires_at)


# ------------------------------------------------------------------------------------------------- wrappers


@dataclass(frozen=True)
class EnclaveKeyInfo:
    """ITEEAttestationRegistry.EnclaveKey, plus whether it is active for its operator now."""

    enclave_key: str
    operator: str
    expires_at: int
    revoked: bool
    attester: str
    measurement: bytes
    active: bool


class TeeAttestations(ContractWrapper):
    NAME = "TEEAttestationRegistry"

    def domain(self) -> dict[str, Any]:
        _, name, version, chain_id, verifying_contract, _, _ = self._call("eip712Domain")
        return {"name": name, "version": version, "chainId": chain_id, "verifyingContract": verifying_contract}

    def measurement_status(self, measurement: bytes) -> AttestationStatus:
        return AttestationStatus(int(self._call("measurementStatus", bytes(measurement))))

    def attester_status(self, attester: str) -> AttestationStatus:
        return AttestationStatus(int(self._call("attesterStatus", attester)))

    def enclave_key(self, enclave_key: str) -> EnclaveKeyInfo:
        operator, expires_at, revoked, attester, measurement = self._call("enclaveKey", enclave_key)
        active = bool(self._call("isActiveKey", enclave_key, operator)) if int(operator, 16) else False
        return EnclaveKeyInfo(
            to_checksum_address(enclave_key), operator, int(expires_at), bool(revoked), attester, bytes(measurement),
            active,
        )

    def is_active_key(self, enclave_key: str, operator: str) -> bool:
        return bool(self._call("isActiveKey", enclave_key, operator))

    def max_key_lifetime(self) -> int:
        return int(self._call("MAX_KEY_LIFETIME"))

    # governance (DEFAULT_ADMIN_ROLE approves; REVOKER_ROLE or admin revokes)

    def approve_measurement(self, account: LocalAccount, measurement: bytes, description: str = "") -> PendingTx:
        return self._send(account, "approveMeasurement", bytes(measurement), description)

    def revoke_measurement(self, account: LocalAccount, measurement: bytes) -> PendingTx:
        return self._send(account, "revokeMeasurement", bytes(measurement))

    def approve_attester(self, account: LocalAccount, attester: str) -> PendingTx:
        return self._send(account, "approveAttester", attester)

    def revoke_attester(self, account: LocalAccount, attester: str) -> PendingTx:
        return self._send(account, "revokeAttester", attester)

    # operators

    def register_enclave_key(
        self, account: LocalAccount, enclave_key: str, measurement: bytes, expires_at: int, signature: bytes
    ) -> PendingTx:
        """Pre-checks (named errors, nothing sent): the key is new, the measurement approved."""
        info = self.enclave_key(enclave_key)
        if int(info.operator, 16):
            raise EnclaveKeyAlreadyRegistered(enclaveKey=info.enclave_key, operator=info.operator)
        status = self.measurement_status(measurement)
        if status is not AttestationStatus.Approved:
            raise MeasurementNotApproved(measurement=bytes(measurement), status=status)
        return self._send(account, "registerEnclaveKey", enclave_key, bytes(measurement), expires_at, bytes(signature))

    def revoke_enclave_key(self, account: LocalAccount, enclave_key: str) -> PendingTx:
        return self._send(account, "revokeEnclaveKey", enclave_key)


class TeeVerifier(ContractWrapper):
    NAME = "TEEVerifier"

    def domain(self) -> dict[str, Any]:
        _, name, version, chain_id, verifying_contract, _, _ = self._call("eip712Domain")
        return {"name": name, "version": version, "chainId": chain_id, "verifyingContract": verifying_contract}

    def max_signature_age(self) -> int:
        return int(self._call("MAX_SIGNATURE_AGE"))

    def result_digest(self, result: TeeResult) -> bytes:
        r = result
        return bytes(self._call("resultDigest", r.job_id, r.model_hash, r.input_hash, r.output_hash, r.timestamp))


# ------------------------------------------------------------------------------------------------ flows


def register_enclave(
    client: Any,
    operator: LocalAccount,
    enclave: SoftwareEnclave,
    attester: DevAttester,
    *,
    lifetime: int = DEFAULT_KEY_LIFETIME,
) -> EnclaveKeyInfo:
    """Dev flow: the attester signs the statement for (`enclave`, `operator`), the operator registers it."""
    attestations = TeeAttestations(client)
    expires_at = client.timestamp() + lifetime
    statement_domain = attestations.domain()
    signature = attester.attest(statement_domain, enclave.address, operator.address, enclave.measurement, expires_at)
    pending = attestations.register_enclave_key(operator, enclave.address, enclave.measurement, expires_at, signature)
    client.sender(operator).wait(pending)
    return attestations.enclave_key(enclave.address)


class TeeSigner:
    """Builds TEE proofs for jobs on one client: caches the verifier domain and each version's model hash."""

    def __init__(self, client: Any, enclave: SoftwareEnclave) -> None:
        self.client = client
        self.enclave = enclave
        self._domain: dict[str, Any] | None = None
        self._model_hashes: dict[tuple[int, int], bytes] = {}

    def result_domain(self) -> dict[str, Any]:
        if self._domain is None:
            address = self.client.manifest.contract("TEEVerifier").address
            self._domain = domain(RESULT_DOMAIN_NAME, self.client.chain_id, address)
        return self._domain

    def model_hash(self, model_id: int, version: int) -> bytes:
        key = (model_id, version)
        if key not in self._model_hashes:
            self._model_hashes[key] = bytes(self.client.registry.get_version(model_id, version).weights_hash)
        return self._model_hashes[key]

    def prove(
        self, job_id: int, model_id: int, version: int, input_hash: bytes, output: bytes, timestamp: int | None = None
    ) -> bytes:
        """The 73-byte proof of `output` for the job; signing time = the chain's latest block time by default."""
        when = self.client.timestamp() if timestamp is None else timestamp
        result = TeeResult(job_id, self.model_hash(model_id, version), bytes(input_hash), keccak(output), when)
        return self.enclave.sign_result(self.result_domain(), result)


def submit_tee_result(
    client: Any, account: LocalAccount, signer: TeeSigner, job_id: int, output: bytes, input_hash: bytes | None = None
) -> Any:
    """Sign and submit a TEE job's result through the escrow wrapper; returns the receipt (settled at once).
    `input_hash` (keccak256 of the job's input) is read from the job's JobCreated event unless given."""
    job = client.escrow.get_job(job_id)
    if job.mode is not VerificationMode.TEE:
        raise NotTEEJob(jobId=job_id, mode=job.mode)
    if job.status is not JobStatus.Claimed:
        raise InvalidJobStatus(jobId=job_id, status=job.status)
    if job.provider != account.address:
        raise NotProvider(jobId=job_id, caller=account.address)
    input_hash = _input_hash(client, job_id) if input_hash is None else input_hash
    proof = signer.prove(job_id, job.model_id, job.version, input_hash, output)
    return client.sender(account).wait(client.escrow.submit_result(account, job_id, output, proof))


def _input_hash(client: Any, job_id: int) -> bytes:
    """keccak256 of the job's input, from its JobCreated event (the escrow keeps only hashes)."""
    escrow = client.escrow
    logs = escrow.contract.events.JobCreated().get_logs(
        from_block=client.manifest.block, argument_filters={"jobId": job_id}
    )
    if not logs:
        raise LookupError(f"no JobCreated event for job {job_id}")
    return bytes(logs[-1]["args"]["inputHash"])
