"""Provider test mode: a deterministic cheating policy (`opg node --cheat-rate R --cheat-seed N`), and the
trace board where providers publish the layer output commitments their trace root opens to."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from eth_utils import keccak

from opg_client import jobstate
from opg_client.runtime import VALUE_BOUND, ActivationOutOfRange, Model, Trace, dense_forward, trace

from .evidence import layer_outputs


@dataclass(frozen=True)
class Cheat:
    """What a cheat changed: layer `layer`'s output entry `index` moved by `delta`."""

    layer: int
    index: int
    delta: int


@dataclass(frozen=True)
class CheatPolicy:
    """Cheats on a `rate` fraction of jobs, chosen by keccak256(seed, the job's sequence number) (deterministic,
    reproducible: the sequence number of the n-th job is n whichever storage slot its id names).

    A cheat corrupts one entry of one layer's output, then runs the rest of the model on the corrupted
    vector: the trace stays self-consistent after the corrupted layer, so only a fraud proof naming that
    layer (or a full re-execution) can show it wrong. `rate = 0` is an honest provider.
    """

    rate: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"cheat rate must be in [0, 1], got {self.rate}")

    def _draw(self, job_id: int) -> bytes:
        seq = jobstate.sequence_of(job_id)
        return keccak(self.seed.to_bytes(32, "big", signed=True) + seq.to_bytes(32, "big"))

    def cheats_on(self, job_id: int) -> bool:
        return int.from_bytes(self._draw(job_id)[:8], "big") < self.rate * 2**64

    def plan(self, model: Model, job_id: int) -> Cheat | None:
        """The cheat for `job_id` (None: answer honestly)."""
        if not self.cheats_on(job_id):
            return None
        d = self._draw(job_id)
        layer = d[8] % len(model.layers)
        return Cheat(layer, d[9] % model.layers[layer].rows, 1 + d[10] % 251)

    def trace(self, model: Model, x: Iterable[object], job_id: int) -> tuple[Trace, Cheat | None]:
        """The trace this provider reports for job `job_id`: honest, or with one layer corrupted."""
        honest = trace(model, x)
        cheat = self.plan(model, job_id)
        if cheat is None:
            return honest, None
        for c in (cheat, Cheat(len(model.layers) - 1, cheat.index % model.layers[-1].rows, cheat.delta)):
            try:
                return corrupt(model, honest, c), c
            except ActivationOutOfRange:
                continue  # the corruption overflows a later layer: corrupt the last layer instead
        return honest, None


def corrupt(model: Model, honest: Trace, cheat: Cheat) -> Trace:
    """`honest` with layer `cheat.layer`'s output entry moved by `cheat.delta` (toward zero if it would leave
    the value range), and every later layer re-run on the corrupted vector."""
    vectors = list(honest.vectors[: cheat.layer + 1])
    y = np.array(honest.layer_output(cheat.layer), dtype=np.int64)
    step = cheat.delta if y[cheat.index] + cheat.delta < VALUE_BOUND else -cheat.delta
    y[cheat.index] += step
    y.flags.writeable = False
    vectors.append(y)
    for k in range(cheat.layer + 1, len(model.layers)):
        vectors.append(dense_forward(model.layers[k], vectors[-1], model.frac_bits, model.relu_after(k), k))
    return Trace(tuple(vectors))


class TraceBoard:
    """Where providers publish the commitments c_1 .. c_L behind their trace roots, so a challenger can
    open a root and dispute a single layer. A directory of `<jobId>.json` files (shared by processes), or
    in memory (`path=None`, in-process simulations). Not trusted: a challenger checks every trace it reads
    against the on-chain root, and falls back to a full re-execution proof when none opens it."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._memory: dict[int, tuple[bytes, ...]] = {}
        self._lock = threading.Lock()
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)

    def publish(self, job_id: int, commitments: Sequence[bytes]) -> None:
        items = tuple(bytes(c) for c in commitments)
        if self.path is None:
            with self._lock:
                self._memory[job_id] = items
            return
        target = self.path / f"{job_id}.json"
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps({"job_id": job_id, "layer_outputs": ["0x" + c.hex() for c in items]}))
        os.replace(tmp, target)

    def publish_trace(self, job_id: int, tr: Trace) -> None:
        self.publish(job_id, layer_outputs(tr))

    def get(self, job_id: int) -> tuple[bytes, ...] | None:
        if self.path is None:
            with self._lock:
                return self._memory.get(job_id)
        try:
            obj = json.loads((self.path / f"{job_id}.json").read_text())
            return tuple(bytes.fromhex(str(c).removeprefix("0x")) for c in obj["layer_outputs"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
