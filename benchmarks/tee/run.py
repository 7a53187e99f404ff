"""Measure TEE mode on the benchmarked world (deploy_suite wiring: real TEEAttestationRegistry + TEEVerifier).

The digits model gets a version 2 supporting Optimistic + TEE; both lifecycles run on it between the same
requester and provider, in the same epoch, after a warm-up job of each kind (steady state):

- optimistic: createJobWithPermit + claimJob + submitResult (trace root) + finalizeJob after the window;
- TEE: createJobWithPermit + claimJob + submitResult (73-byte enclave signature; settles in that transaction).

Also the first TEE job on a version (the verifier memoises the version's weights hash) and the registry's
governance / operator transactions. Every measured TEE submit is checked to have settled (BenchError)."""

from __future__ import annotations

import time
from typing import Any

from ape import chain, project
from eth_account import Account
from eth_utils import keccak

from benchmarks.payloads import Payload, digits_payload
from benchmarks.world import PRICE, ROYALTY_BPS, BenchError, World, gas, job_struct
from opg_client.runtime import load_digits_meta
from opg_client.tee import DevAttester, SoftwareEnclave, TeeResult, domain, sign_result

TEE = 1
MODES_OPTIMISTIC_TEE = 0b011
MEASUREMENT = keccak(text="bench enclave build")


def _tee_world() -> tuple[World, SoftwareEnclave, Any, Any]:
    w = World()
    verifier = project.TEEVerifier.at(w.escrow.verifier(TEE))
    attestations = project.TEEAttestationRegistry.at(verifier.ATTESTATIONS())
    meta = load_digits_meta()
    params = (meta.model_hash, list(meta.layer_commitments), "ipfs://bench-v2", PRICE, ROYALTY_BPS,
              MODES_OPTIMISTIC_TEE, "0x" + "00" * 20)
    w.registry.publishVersion(w.model_id, params, sender=w.researcher)
    w.version = int(w.registry.latestVersion(w.model_id))
    enclave = SoftwareEnclave(Account.from_key(keccak(text="bench enclave")), MEASUREMENT)
    return w, enclave, attestations, verifier


def _registry_ops(w: World, attestations: Any, enclave: SoftwareEnclave) -> dict[str, int]:
    attester = DevAttester(Account.from_key(keccak(text="bench attester")))
    out = {
        "approveMeasurement": gas(attestations.approveMeasurement(MEASUREMENT, "bench build", sender=w.deployer)),
        "approveAttester": gas(attestations.approveAttester(attester.address, sender=w.deployer)),
    }
    expires = w.now() + 7 * 86_400
    statement_domain = domain("OPG TEE Attestation", chain.chain_id, str(attestations.address))
    sig = attester.attest(statement_domain, enclave.address, str(w.provider.address), MEASUREMENT, expires)
    receipt = attestations.registerEnclaveKey(enclave.address, MEASUREMENT, expires, sig, sender=w.provider)
    out["registerEnclaveKey"] = gas(receipt)
    return out


def _tee_job(w: World, verifier: Any, enclave: SoftwareEnclave, payload: Payload) -> dict[str, Any]:
    deadline = w.deadline(7_200)
    v, r, s = w.permit(w.requester, w.escrow, PRICE, deadline)
    args = (w.model_id, w.version, TEE, PRICE, deadline, payload.input)
    create = w.escrow.createJobWithPermit(*args, deadline, v, r, s, sender=w.requester)
    job_id = int(w.escrow.lastJobId())
    claim = w.escrow.claimJob(job_id, job_struct(w.escrow, job_id), sender=w.provider)
    meta = load_digits_meta()
    result = TeeResult(job_id, meta.model_hash, payload.input_hash, payload.output_hash, w.now())
    proof = sign_result(enclave.account.key, domain("OPG TEE Verifier", chain.chain_id, str(verifier.address)), result)
    submit = w.escrow.submitResult(job_id, job_struct(w.escrow, job_id), payload.output, proof, sender=w.provider)
    settled = list(w.escrow.JobFinalized.from_receipt(submit))
    if not settled or not list(verifier.TEEResultVerified.from_receipt(submit)):
        raise BenchError(f"TEE job {job_id}: submitResult did not verify and settle")
    receipts = {"createJobWithPermit": create, "claimJob": claim, "submitResult": submit}
    out: dict[str, Any] = {name: gas(rc) for name, rc in receipts.items()}
    out["total"] = sum(out.values())
    out["proof_bytes"] = len(proof)
    return out


def _optimistic_job(w: World, payload: Payload) -> dict[str, int]:
    return w.lifecycle(w.requester, w.provider, payload).gas()


def run_tee_bench() -> dict[str, Any]:
    started = time.monotonic()
    w, enclave, attestations, verifier = _tee_world()
    payload = digits_payload()
    w.start_next_epoch()
    registry_ops = _registry_ops(w, attestations, enclave)
    first_tee = _tee_job(w, verifier, enclave, payload)  # cold: weights hash memoised on this version
    _optimistic_job(w, payload)  # warm-up of the optimistic path (first lock / credit slots)
    epoch = w.epoch()
    tee = _tee_job(w, verifier, enclave, payload)
    optimistic = _optimistic_job(w, payload)
    if w.epoch() != epoch:
        raise BenchError("tee bench: the epoch rolled over between the measured jobs")
    revoke_key = gas(attestations.revokeEnclaveKey(enclave.address, sender=w.provider))
    revoke_measurement = gas(attestations.revokeMeasurement(MEASUREMENT, sender=w.deployer))
    return {
        "payload": payload.describe(),
        "challenge_window_s": w.challenge_window,
        "max_signature_age_s": int(verifier.MAX_SIGNATURE_AGE()),
        "optimistic_steady_state": optimistic,
        "tee_steady_state": tee,
        "tee_first_job_on_version": first_tee,
        "registry": {**registry_ops, "revokeEnclaveKey": revoke_key, "revokeMeasurement": revoke_measurement},
        "run_seconds": round(time.monotonic() - started, 1),
    }
