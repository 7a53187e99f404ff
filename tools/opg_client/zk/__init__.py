"""ZK mode (EZKL): circuit generation from a runtime model, SRS, verifier contract, proving, proof calldata.

Requires the `ezkl` package (extra `zk`); `onnx` for circuit generation. See docs/protocol.md
"Proof of Inference: ZK". Nothing here imports ape.
"""

from __future__ import annotations

from .circuit import ZkCircuit, load_circuit, setup_circuit
from .errors import ZkError
from .instances import FIELD_MODULUS, felt_to_int, instances_hash, int_to_felt
from .prover import ZkProof, prove, verify_offchain

__all__ = [
    "FIELD_MODULUS",
    "ZkCircuit",
    "ZkError",
    "ZkProof",
    "felt_to_int",
    "instances_hash",
    "int_to_felt",
    "load_circuit",
    "prove",
    "setup_circuit",
    "verify_offchain",
]
