"""OptimisticLayerVerifier wrapper: preview a ruling (`rule`, an eth_call) before posting a bond."""

from __future__ import annotations

from opg_client._base import ContractWrapper

from .evidence import Ruling


class LayerVerifier(ContractWrapper):
    NAME = "OptimisticLayerVerifier"

    def rule(self, context: tuple[object, ...], evidence: bytes) -> Ruling:
        """The verifier's ruling on `evidence` against the job `context` (IJobVerifier.JobContext tuple)."""
        return Ruling(int(self._call("rule", context, evidence)))

    def trace_root(self, layer_outputs: list[bytes]) -> bytes:
        return bytes(self._call("traceRoot", layer_outputs))
