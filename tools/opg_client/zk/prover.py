"""Witness + proof for one job input, and the proof bytes `ZKVerifier` takes."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from eth_abi import encode

from opg_client.runtime.codec import encode_vector
from opg_client.runtime.fixed import to_int_vector
from opg_client.runtime.model import Model

from .circuit import ZkCircuit, _ezkl, write_input
from .errors import ZkError
from .instances import felt_to_int, parse_felt


@dataclass(frozen=True)
class ZkProof:
    """An EZKL proof of one inference: `instances` are the public inputs (model input, then output)."""

    proof: bytes  # EZKL proof bytes (what the Halo2 verifier's `proof` argument takes)
    instances: tuple[int, ...]  # field elements
    input_dim: int
    timings: dict[str, float] = field(default_factory=dict)  # witness_s, prove_s

    @property
    def input(self) -> list[int]:
        """The proved input, as runtime integers."""
        return [felt_to_int(f) for f in self.instances[: self.input_dim]]

    @property
    def output(self) -> list[int]:
        """The proved output (the circuit's), as runtime integers."""
        return [felt_to_int(f) for f in self.instances[self.input_dim :]]

    @property
    def output_bytes(self) -> bytes:
        """The output to submit on chain (chain codec): its keccak256 is what the proof binds."""
        return encode_vector(self.output, "output")

    def calldata(self) -> bytes:
        """`proof` argument of `submitResult` for a ZK job: abi.encode(bytes ezklProof, uint256[] instances)."""
        return encode(["bytes", "uint256[]"], [self.proof, list(self.instances)])


def prove(circuit: ZkCircuit, model: Model, x: Iterable[object], workdir: str | Path | None = None) -> ZkProof:
    """Prove `model` (the circuit's model) on the fixed-point input `x`; returns proof and instances."""
    ezkl = _ezkl()
    v = to_int_vector(x, "input")
    if "0x" + _model_hash(model) != circuit.model_hash:
        raise ZkError(f"model {_model_hash(model)[:16]}… is not the circuit's ({circuit.model_hash[:18]}…)")
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        d = Path(tmp)
        write_input(model, v, d / "input.json")
        t0 = time.perf_counter()
        try:
            ezkl.gen_witness(str(d / "input.json"), str(circuit.compiled_path), str(d / "witness.json"),
                             str(circuit.vk_path), str(circuit.srs_path))
        except RuntimeError as exc:
            raise ZkError(f"witness generation failed: {exc}") from exc
        t1 = time.perf_counter()
        try:
            ezkl.prove(str(d / "witness.json"), str(circuit.compiled_path), str(circuit.pk_path),
                       str(d / "proof.json"), str(circuit.srs_path))
        except RuntimeError as exc:
            raise ZkError(f"proving failed: {exc}") from exc
        t2 = time.perf_counter()
        data = json.loads((d / "proof.json").read_text())
    instances = tuple(parse_felt(f) for f in data["instances"][0])
    if len(instances) != circuit.input_dim + circuit.output_dim:
        raise ZkError(f"proof has {len(instances)} instances, expected {circuit.input_dim + circuit.output_dim}")
    proof = ZkProof(
        proof=bytes.fromhex(data["hex_proof"].removeprefix("0x")),
        instances=instances,
        input_dim=circuit.input_dim,
        timings={"witness_s": t1 - t0, "prove_s": t2 - t1},
    )
    if proof.input != [int(a) for a in v]:
        raise ZkError("the circuit's input instances are not the given input (scale mismatch?)")
    return proof


def verify_offchain(circuit: ZkCircuit, proof: ZkProof) -> bool:
    """Verify `proof` with EZKL (no chain): same verdict as the on-chain Halo2 verifier."""
    ezkl = _ezkl()
    body = {
        "instances": [[f.to_bytes(32, "little").hex() for f in proof.instances]],
        "proof": list(proof.proof),
        "hex_proof": "0x" + proof.proof.hex(),
        "transcript_type": "EVM",
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "proof.json"
        path.write_text(json.dumps(body))
        try:
            return bool(ezkl.verify(str(path), str(circuit.settings_path), str(circuit.vk_path), str(circuit.srs_path),
                                    False))
        except RuntimeError:
            return False


def _model_hash(model: Model) -> str:
    from opg_client.runtime.fileformat import model_hash

    return model_hash(model).hex()
