"""Does per-call gas grow with the number of active providers or with elapsed epochs? It must not
(no loops over providers or epochs): finalizeJob and claim (fees + emissions) are measured for the
measured provider at a small and a large count, in scenarios restored from one snapshot so that
everything else (epoch number, job ids' byte length, storage warmth) lines up."""

from __future__ import annotations

from typing import Any

from ape import chain

from benchmarks.config import SCALING_MAX_RATIO
from benchmarks.payloads import Payload
from benchmarks.world import BenchError, World, events, gas

MEASURES = ("finalizeJob", "claim")


def _comparison(small: int, large: int, at_small: dict[str, int], at_large: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = {"small": small, "large": large}
    for name in MEASURES:
        a, b = at_small[name], at_large[name]
        ratio = b / a
        out[name] = {
            str(small): a,
            str(large): b,
            "ratio": round(ratio, 4),
            "pass": max(ratio, 1 / ratio) <= SCALING_MAX_RATIO,
        }
    return out


def _claim_with_emissions(w: World) -> Any:
    r = w.settlement.claim(sender=w.provider)
    claimed = events(w.settlement, "RewardsClaimed", r)
    if len(claimed) != 1 or claimed[0].emissions == 0 or not events(w.settlement, "EmissionsAccrued", r):
        raise BenchError("scaling: claim did not fold and mint emissions")
    return r


def _with_providers(w: World, payload: Payload, count: int) -> dict[str, int]:
    """`count` active providers (the measured one + count - 1 fresh ones), each with a job finalized in
    this epoch; then the measured provider's second job of the epoch is finalized, and after the epoch
    closes it claims."""
    w.reset()
    epoch = w.start_next_epoch()
    others = [w.new_provider() for _ in range(count - 1)]
    jobs = [(w.submitted_job(w.stranger, p, payload), p) for p in others]
    jobs.append((w.submitted_job(w.stranger, w.provider, payload), w.provider))
    w.pass_challenge_window()
    for job_id, p in jobs:
        w.finalize(job_id, p)
    job_id = w.submitted_job(w.stranger, w.provider, payload)
    w.pass_challenge_window()
    finalize = w.finalize(job_id, w.provider)
    if w.epoch() != epoch:
        raise BenchError(f"scaling: {count} providers' jobs did not fit in one epoch")
    w.start_next_epoch()
    return {"finalizeJob": gas(finalize), "claim": gas(_claim_with_emissions(w))}


def _after_epochs(w: World, snapshot: Any, epoch: int, job_id: int, elapsed: int) -> tuple[dict[str, int], Any]:
    """From `snapshot` (a finalized job and a submitted one in `epoch`), `elapsed` epochs later: finalize
    the submitted job (closes `epoch`, folds emissions); separately, from the snapshot again, claim."""
    out = {}
    for name in MEASURES:
        chain.restore(snapshot)
        snapshot = chain.snapshot()
        w.set_time(w.epoch_start(epoch + elapsed) + 60)
        if name == "finalizeJob":
            r = w.finalize(job_id, w.provider)
            if not events(w.settlement, "EpochClosed", r) or not events(w.settlement, "EmissionsAccrued", r):
                raise BenchError("scaling: finalize after idle epochs did not close the epoch / fold emissions")
        else:
            r = _claim_with_emissions(w)
        out[name] = gas(r)
    return out, snapshot


def measure_scaling(w: World, payload: Payload, providers: tuple[int, int], epochs: tuple[int, int]) -> dict[str, Any]:
    by_providers = {n: _with_providers(w, payload, n) for n in providers}

    w.reset()
    epoch = w.start_next_epoch()
    w.lifecycle(w.requester, w.provider, payload)
    job_id = w.submitted_job(w.stranger, w.provider, payload)
    w.pass_challenge_window()
    snapshot = chain.snapshot()
    by_epochs = {}
    for n in epochs:
        by_epochs[n], snapshot = _after_epochs(w, snapshot, epoch, job_id, n)

    return {
        "providers": _comparison(*providers, by_providers[providers[0]], by_providers[providers[1]]),
        "epochs": _comparison(*epochs, by_epochs[epochs[0]], by_epochs[epochs[1]]),
    }
