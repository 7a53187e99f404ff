"""One optimistic job end to end (createJobWithPermit + claimJob + submitResult + finalizeJob), per payload:
the deployment's first job, a second job between the same parties in the same epoch (steady state), and a
third one in the next epoch (its credit closes the previous epoch and folds the provider's emission share).
The steady-state transactions are also broken down by gas category (`anatomy`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from benchmarks.payloads import Payload
from benchmarks.world import BenchError, World

PHASES = {
    "first_job": "first job of the deployment between requester and provider (first permit, first lock, first credits)",
    "steady_state": "second job between the same parties, same epoch",
    "next_epoch": "third job, first credit of the next epoch (closes the previous one, folds emissions)",
}


def measure_lifecycles(w: World, payloads: Sequence[Payload]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for payload in payloads:
        w.reset()
        epoch = w.start_next_epoch()
        first = w.lifecycle(w.requester, w.provider, payload).gas()
        steady_lc = w.lifecycle(w.requester, w.provider, payload)
        steady, steady_anatomy = steady_lc.gas(), steady_lc.anatomy()
        if w.epoch() != epoch:
            raise BenchError("lifecycle: the epoch rolled over between the first and the second job")
        w.start_next_epoch()
        next_epoch = w.lifecycle(w.requester, w.provider, payload).gas()
        out[payload.key] = {
            **payload.describe(),
            "finalized_by": "provider",
            "first_job": first,
            "steady_state": steady,
            "next_epoch": next_epoch,
            "steady_state_anatomy": steady_anatomy,
        }
    return out
