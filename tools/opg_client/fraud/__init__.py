"""Optimistic Proof of Inference, client side (docs/protocol.md, "Proof of Inference: optimistic"):
fraud-proof evidence for `OptimisticLayerVerifier`, a `Challenger` that checks results and disputes wrong
ones, the `opg watch` daemon around it, and a deterministic cheating policy for provider test mode."""

from .challenger import Challenger, Observation, Verdict
from .cheat import CheatPolicy, TraceBoard
from .evidence import (
    PROVIDER_FAULT,
    EvidenceKind,
    Ruling,
    encode_full_evidence,
    encode_layer_evidence,
    first_disputed_layer,
    layer_outputs,
)

__all__ = [
    "PROVIDER_FAULT",
    "Challenger",
    "CheatPolicy",
    "EvidenceKind",
    "Observation",
    "Ruling",
    "TraceBoard",
    "Verdict",
    "encode_full_evidence",
    "encode_layer_evidence",
    "first_disputed_layer",
    "layer_outputs",
]
