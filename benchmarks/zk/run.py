"""Measure one ZK job per model on the bench world: fresh circuit setup (timed), verifier compiled with the
project's solc-js set-up and deployed, a new model registered with modes optimistic + ZK, a provider serving it,
then createJob -> claimJob -> prove -> submitResult (settles at once)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from ape import chain

from benchmarks.world import PRICE, World, gas, job_struct
from opg_client.runtime import encode_digit_pixels, encode_vector, layer_commitments, load_digits_model, model_hash
from opg_client.runtime.execute import argmax, run
from opg_client.runtime.model import DenseLayer, Model
from opg_client.zk import prove, setup_circuit, verify_offchain
from opg_client.zk.verifier import build_verifier

ZK = 2
MODES_OPTIMISTIC_ZK = 0b101
#: The issue's expectation for one EZKL verification (reported next to the measurement, not a pass/fail target).
ISSUE_EXPECTED_VERIFY_GAS = 550_000


def tiny_model() -> Model:
    rng = np.random.default_rng(1)
    dims = (4, 3, 2)
    layers = tuple(
        DenseLayer(rng.integers(-256, 256, (dims[k + 1], dims[k])), rng.integers(-256, 256, dims[k + 1]))
        for k in range(2)
    )
    return Model("zk-tiny", 8, layers)


def _input(model: Model) -> list[int]:
    if model.input_dim == 64:  # digits: an 8x8 image, pixels 0..16
        pixels = np.random.default_rng(7).integers(0, 17, 64).tolist()
        return encode_digit_pixels(pixels, model.frac_bits)
    return [19, 162, -88, -25]


def measure(w: World, name: str, model: Model, workdir: Path) -> dict[str, Any]:
    started = time.perf_counter()
    circuit = setup_circuit(model, workdir / name)
    t0 = time.perf_counter()
    artifact = build_verifier(circuit)
    verifier_build_s = time.perf_counter() - t0

    from ape.contracts import ContractContainer
    from ethpm_types import ContractType

    ct = ContractType.model_validate(
        {
            "contractName": "OpgZkCircuit",
            "abi": artifact["abi"],
            "deploymentBytecode": {"bytecode": artifact["bytecode"]},
        }
    )
    verifier = w.researcher.deploy(ContractContainer(ct))
    deploy_gas = gas(chain.get_receipt(verifier.txn_hash))
    params = (model_hash(model), list(layer_commitments(model)), f"opg://zk/{name}", PRICE, 500, MODES_OPTIMISTIC_ZK,
              verifier.address)
    register = w.registry.registerModel(params, sender=w.researcher)
    model_id = int(w.registry.modelCount())
    w.staking.serveModel(model_id, sender=w.provider)

    x = _input(model)
    create = w.escrow.createJob(model_id, 1, ZK, PRICE, w.deadline(3_600), encode_vector(x), sender=w.stranger)
    job_id = int(w.escrow.lastJobId())
    claim = w.escrow.claimJob(job_id, job_struct(w.escrow, job_id), sender=w.provider)
    proof = prove(circuit, model, x)
    t0 = time.perf_counter()
    verified = verify_offchain(circuit, proof)
    verify_s = time.perf_counter() - t0
    direct = verifier.verifyProof.estimate_gas_cost(proof.proof, list(proof.instances), sender=w.stranger)
    submit = w.escrow.submitResult(job_id, job_struct(w.escrow, job_id),
        proof.output_bytes, proof.calldata(), sender=w.provider)
    status = int(w.escrow.jobStatus(job_id))

    runtime_out = run(model, x).tolist()
    diff = max(abs(a - b) for a, b in zip(proof.output, runtime_out, strict=True))
    return {
        "model": name,
        "layers": [[layer.rows, layer.cols] for layer in model.layers],
        "frac_bits": model.frac_bits,
        "logrows": circuit.logrows,
        "seconds": {
            "compile": round(circuit.timings["compile_s"], 3),
            "srs_dev": round(circuit.timings["srs_s"], 3),
            "setup": round(circuit.timings["setup_s"], 3),
            "verifier_build": round(verifier_build_s, 3),
            "witness": round(proof.timings["witness_s"], 3),
            "prove": round(proof.timings["prove_s"], 3),
            "verify": round(verify_s, 3),
            "total": round(time.perf_counter() - started, 3),
        },
        "gas": {
            "submitResult_zk": gas(submit),
            "ezkl_verifyProof_tx_estimate": int(direct),
            "createJob": gas(create),
            "claimJob": gas(claim),
            "registerModel": gas(register),
            "deploy_verifier": deploy_gas,
        },
        "sizes": {
            "proof_bytes": len(proof.proof),
            "proof_calldata_bytes": len(proof.calldata()),
            "instances": len(proof.instances),
            "verifier_bytecode_bytes": (len(artifact["bytecode"]) - 2) // 2,
            "pk_bytes": circuit.pk_path.stat().st_size,
            "vk_bytes": circuit.vk_path.stat().st_size,
        },
        "verified_offchain": verified,
        "job_status_after_submit": status,
        "output_max_abs_diff_vs_runtime": diff,
        "argmax_matches_runtime": argmax(proof.output) == argmax(runtime_out),
    }


def run_zk_bench(models: tuple[str, ...] = ("tiny", "digits")) -> dict[str, Any]:
    started = time.perf_counter()
    w = World()
    available = {"tiny": tiny_model, "digits": load_digits_model}
    rows = []
    with tempfile.TemporaryDirectory(prefix="opg-zk-bench-") as tmp:
        for name in models:
            rows.append(measure(w, name, available[name](), Path(tmp)))
    closed = 4  # JobStatus.Closed
    return {
        "models": rows,
        "issue_expected_verify_gas": ISSUE_EXPECTED_VERIFY_GAS,
        "targets": {
            "proofs_verify": {"pass": all(r["verified_offchain"] for r in rows)},
            "settles_at_submit": {"pass": all(r["job_status_after_submit"] == closed for r in rows)},
        },
        "run_seconds": round(time.perf_counter() - started, 1),
    }
