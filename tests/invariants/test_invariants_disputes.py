"""The lifecycle machine with real disputes: optimistic jobs run the shipped digits model, providers answer
honestly or cheat (one layer corrupted, the trace kept self-consistent after it), and challenges carry real
fraud proofs judged by the deployed OptimisticLayerVerifier (one-layer proofs naming the first disputed
layer, a later layer, a forged layer, or a full re-execution). The model predicts each verdict from the
Python runtime (upheld exactly when the provider cheated and the proof names the first disputed layer or
re-executes everything), and every invariant of `ProtocolModel` (OPG conservation, custody, stake
accounting, jobs ending once, claimables) is checked after every step. TEE jobs keep the TestVerifier."""

from __future__ import annotations

import os

import pytest
from eth_utils import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule, run_state_machine_as_test
from inv_helpers import CLAIMED, CLOSED, OPTIMISTIC, SUBMITTED, Job
from inv_machine import STATS
from sklearn.datasets import load_digits
from test_invariants_protocol import SETTINGS, LifecycleMachine, picks, timings

from opg_client import jobstate
from opg_client.fraud import encode_full_evidence, encode_layer_evidence, first_disputed_layer, layer_outputs
from opg_client.fraud.cheat import Cheat, corrupt
from opg_client.runtime import (
    DenseLayer,
    Model,
    Trace,
    encode_digit_pixels,
    encode_vector,
    layer_commitments,
    load_digits_meta,
    load_digits_model,
    model_hash,
    trace,
)

MODEL = load_digits_model()
META = load_digits_meta()
MODES_OPTIMISTIC_TEE = 0b011
PRICE = 10 * 10**18
CLAIMS = ("first", "first", "other", "full", "forged")


def _forged() -> Model:
    w = MODEL.layers[0].weights.copy()
    w[0][0] += 1
    return Model(MODEL.name, MODEL.frac_bits, (DenseLayer(w, MODEL.layers[0].bias), MODEL.layers[1]))


FORGED = _forged()
DIGITS = load_digits().data


@pytest.fixture(scope="module")
def dispute_world(inv_world, suite, researcher):
    """inv_world plus the digits model (id 2, real layer commitments) served by every provider, and the
    deployed OptimisticLayerVerifier as the escrow's Optimistic verifier again (inv_world set a TestVerifier)."""
    import ape

    w = inv_world
    params = (model_hash(MODEL), list(layer_commitments(MODEL)), "opg://digits", PRICE, 500, MODES_OPTIMISTIC_TEE,
              ape.utils.ZERO_ADDRESS)
    model_id = w.registry.registerModel(params, sender=researcher).return_value
    for p in w.providers:
        w.staking.serveModel(model_id, sender=p)
    w.escrow.setVerifier(OPTIMISTIC, suite.addresses["OptimisticLayerVerifier"], sender=w.deployer)
    return w, model_id


class DisputeMachine(LifecycleMachine):
    def __init__(self):
        super().__init__()
        self.reported: dict[int, Trace] = {}  # job id -> the trace its provider submitted (digits jobs)
        # job sequence number -> input vector (jobs this machine created; inputs are made before the id is known)
        self.inputs: dict[int, list[int]] = {}
        self.next_cheat: Cheat | None = None
        self.pending: tuple[int, Trace] | None = None

    # ------------------------------------------------------------------------------- hooks (real data)

    def _job_input(self, seq: int) -> bytes:
        pixels = DIGITS[META.test_indices[seq % len(META.test_indices)]]
        x = encode_digit_pixels([int(p) for p in pixels], MODEL.frac_bits, META.input_scale_bits)
        self.inputs[seq] = x
        return encode_vector(x)

    def _input_of(self, job: Job) -> list[int] | None:
        return self.inputs.get(jobstate.sequence_of(job.id))

    def _result(self, job: Job) -> tuple[bytes, bytes]:
        x = self._input_of(job)
        if x is None:
            return super()._result(job)
        honest = trace(MODEL, x)
        cheat = self.next_cheat if job.mode == OPTIMISTIC else None
        reported = honest if cheat is None else corrupt(MODEL, honest, cheat)
        self.pending = (job.id, reported)
        root = keccak(b"".join(layer_outputs(reported)))
        return encode_vector(reported.output), root if job.mode == OPTIMISTIC else b"proof"

    def _trace_root(self, job: Job) -> bytes:
        rep = self.reported.get(job.id)
        return super()._trace_root(job) if rep is None else keccak(b"".join(layer_outputs(rep)))

    # ----------------------------------------------------------------------------------------- rules

    @rule(pick=picks, wrong_sender=st.one_of(st.none(), st.none(), st.integers(0, 1)), accept=st.booleans(),
          cheat=st.one_of(st.none(), st.builds(Cheat, st.integers(0, 1), st.integers(0, 9), st.integers(1, 300))),
          timing=timings)
    def provider_submits(self, pick, wrong_sender, accept, cheat, timing):
        self.next_cheat, self.pending = cheat, None
        job = self._pick(pick, (CLAIMED,))
        before = job.status
        self.submit_result(job, wrong_sender, accept, timing)
        if before == CLAIMED and job.status == SUBMITTED and self.pending is not None:
            self.reported[job.id] = self.pending[1]
            STATS[f"submit: {'cheat at layer ' + str(cheat.layer) if cheat else 'honest'}"] += 1

    @rule(pick=picks, claim=st.sampled_from(CLAIMS), bad_hash=st.sampled_from([False, False, False, True]),
          timing=timings)
    def challenger_challenges(self, pick, claim, bad_hash, timing):
        job = self._pick(pick, (SUBMITTED,))
        evidence, upheld = self._evidence(job, claim)
        before = job.status
        self.challenge(job, upheld, bad_hash, timing, evidence=evidence)
        if before == SUBMITTED and not bad_hash and (job.status == CLOSED) == upheld:
            STATS[f"dispute: {claim} -> {'upheld' if upheld else 'rejected'}"] += 1

    @initialize(layer=st.integers(0, 1), bad=st.sampled_from(["other", "forged"]),
                good=st.sampled_from(["first", "full"]))
    def opening_disputes(self, layer, bad, good):
        """Every example starts with real verdicts: a cheat disputed wrongly (rejected: the bond goes to the
        provider and the job stays open) and then rightly (upheld: slash, refund), on provider 0 (staked)."""
        self._answer_and_dispute(0, 0, Cheat(layer, 4, 7), [bad, good])

    @rule(r=st.integers(0, 1), i=st.integers(0, 2),
          cheat=st.one_of(st.none(), st.builds(Cheat, st.integers(0, 1), st.integers(0, 9), st.integers(1, 300))),
          claim=st.sampled_from(CLAIMS))
    def job_answered_then_disputed(self, r, i, cheat, claim):
        """A whole dispute in one step (create, claim, submit honestly or not, challenge); each action still
        predicts its own outcome (it may revert: paused, no stake, ...)."""
        self._answer_and_dispute(r, i, cheat, [claim])

    def _answer_and_dispute(self, r: int, i: int, cheat: Cheat | None, claims: list[str]) -> None:
        job_id = self.create_job(r, PRICE, OPTIMISTIC, 3_600, "approve")
        if job_id is None:
            return
        job = self.jobs[job_id]
        self.claim_job(job, i)
        if job.status != CLAIMED:
            return
        self.next_cheat, self.pending = cheat, None
        self.submit_result(job)
        if job.status != SUBMITTED or self.pending is None:
            return
        self.reported[job.id] = self.pending[1]
        for claim in claims:
            evidence, upheld = self._evidence(job, claim)
            self.challenge(job, upheld, evidence=evidence)
            STATS[f"dispute: {claim} -> {'upheld' if upheld else 'rejected'}"] += 1

    def _evidence(self, job: Job, claim: str) -> tuple[bytes, bool]:
        """Real evidence for `claim`, and the model's prediction of the verdict."""
        rep = self.reported.get(job.id)
        if rep is None:  # a job of the fake-commitment model (or none): the trace root opens to nothing known
            return encode_full_evidence(MODEL, job.input), False
        h, p = layer_outputs(trace(MODEL, self._input_of(job))), layer_outputs(rep)
        cheated = h != p
        first = first_disputed_layer(h, p) or 0
        if claim == "full":
            return encode_full_evidence(MODEL, job.input), cheated
        if claim == "forged":  # layer 0 with one weight changed: never matches the registry
            return encode_layer_evidence(FORGED, 0, p, encode_vector(rep.vectors[0])), False
        k = first if claim == "first" else 1 - first
        return encode_layer_evidence(MODEL, k, p, encode_vector(rep.vectors[k])), cheated and claim == "first"


DISPUTE_SETTINGS = settings(
    SETTINGS,
    max_examples=int(os.environ.get("INV_DISPUTE_EXAMPLES", 15)),
    stateful_step_count=int(os.environ.get("INV_DISPUTE_STEPS", 40)),
)


def test_dispute_machine__real_fraud_proofs__invariants_hold(chain, dispute_world):
    world, model_id = dispute_world
    DisputeMachine.world = world
    DisputeMachine.chain = chain
    DisputeMachine.model_id = model_id
    STATS.clear()
    run_state_machine_as_test(DisputeMachine, settings=DISPUTE_SETTINGS)
    print("\n".join(f"{n:5d}  {label}" for label, n in sorted(STATS.items())))
    assert any(k.startswith("dispute:") and k.endswith("upheld") for k in STATS), "no upheld dispute was exercised"
    assert any(k.startswith("dispute:") and k.endswith("rejected") for k in STATS), "no rejected dispute"
