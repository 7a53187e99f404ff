"""ZK test circuits: two tiny models (same shape, different weights) whose EZKL circuits, keys and compiled
verifiers are built once and cached under .build/zk-test/<weights hash> (reused across sessions: rebuilding
takes ~10 s per model on a busy machine). Development SRS only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from opg_client.runtime.model import DenseLayer, Model
from opg_client.zk import ZkCircuit, ZkProof, load_circuit, prove, setup_circuit
from opg_client.zk.circuit import NUM_INNER_COLS
from opg_client.zk.errors import ZkError
from opg_client.zk.verifier import build_verifier, load_verifier_artifact

CACHE = Path(__file__).resolve().parents[1] / ".build" / "zk-test"
FRAC_BITS = 8
DIMS = (4, 3, 2)


def tiny_model(seed: int) -> Model:
    """A 4 -> 3 -> 2 ReLU model, F = 8, weights and biases in [-256, 256)."""
    rng = np.random.default_rng(seed)
    layers = tuple(
        DenseLayer(rng.integers(-256, 256, (DIMS[k + 1], DIMS[k])), rng.integers(-256, 256, DIMS[k + 1]))
        for k in range(len(DIMS) - 1)
    )
    return Model(f"zk-tiny-{seed}", FRAC_BITS, layers)


_PROOFS: dict[tuple[str, tuple[int, ...]], ZkProof] = {}


@dataclass(frozen=True)
class TestCircuit:
    model: Model
    circuit: ZkCircuit
    artifact: dict[str, Any]  # {"abi", "bytecode"} of the OpgZkCircuit verifier

    def prove(self, x: list[int]) -> ZkProof:
        """A proof of the model on `x`, made once per session (any valid proof will do; proving takes seconds)."""
        key = (self.circuit.model_hash, tuple(int(v) for v in x))
        if key not in _PROOFS:
            _PROOFS[key] = prove(self.circuit, self.model, x)
        return _PROOFS[key]


def test_circuit(seed: int) -> TestCircuit:
    model = tiny_model(seed)
    from opg_client.runtime.fileformat import model_hash

    root = CACHE / f"{model_hash(model).hex()[:16]}-c{NUM_INNER_COLS}"
    try:
        circuit = load_circuit(root)
        artifact = load_verifier_artifact(circuit)
    except ZkError:
        circuit = setup_circuit(model, root, dev_srs_dir=CACHE)
        artifact = build_verifier(circuit)
    return TestCircuit(model, circuit, artifact)


test_circuit.__test__ = False  # type: ignore[attr-defined]
TestCircuit.__test__ = False  # type: ignore[attr-defined]
