"""Measure the optimistic fraud proof on a fresh suite (deploy_suite wiring, real OptimisticLayerVerifier):

- one layer step (`FixedPointLayerHarness.denseLayerTx`: layer commitment + re-execution + output commitment)
  for a random 8x8 layer and both layers of the shipped digits model;
- whole `challengeResult` transactions (bond in, verdict, slash / refund or bond to provider) for the shipped
  model (one-layer proofs of each layer, a full re-execution, a rejected challenge) and for an 8x8x8 model.
Every measured transaction is checked to have taken the path it is named for (BenchError otherwise)."""

from __future__ import annotations

import itertools
import random
import time
from typing import Any

from ape import accounts, chain, project
from eth_utils import keccak

from benchmarks.world import job_struct
from opg_client.deploy import OPG, ZERO_ADDRESS, SuiteParams, deploy_suite
from opg_client.fraud import Ruling, encode_full_evidence, encode_layer_evidence, layer_outputs
from opg_client.fraud.cheat import Cheat, corrupt
from opg_client.runtime import (
    DenseLayer,
    Model,
    Trace,
    encode_layer_operands,
    encode_vector,
    layer_commitment,
    layer_commitments,
    load_digits_model,
    model_hash,
    trace,
)

OPTIMISTIC = 0
PRICE = 1 * OPG
SHIPPED = load_digits_model()


class BenchError(RuntimeError):
    """A measured transaction did not take the path it is named for."""


def random_model(dims: tuple[int, ...], frac_bits: int = 16, seed: int = 8) -> Model:
    """Dense layers dims[0] -> dims[1] -> ... with weights |w| < 1 (fixed point), ReLU between."""
    rng = random.Random(seed)
    layers = []
    for cols, rows in itertools.pairwise(dims):
        w = [[rng.randint(-(2**frac_bits), 2**frac_bits) for _ in range(cols)] for _ in range(rows)]
        layers.append(DenseLayer(w, [rng.randint(-(2**frac_bits), 2**frac_bits) for _ in range(rows)]))
    return Model(f"bench-{'x'.join(map(str, dims))}", frac_bits, tuple(layers))


def model_input(model: Model, seed: int = 1) -> list[int]:
    rng = random.Random(seed)
    return [rng.randint(0, 2**model.frac_bits) for _ in range(model.input_dim)]


def digits_input() -> list[int]:
    return [(i % 17) << 12 for i in range(64)]


class FraudWorld:
    def __init__(self) -> None:
        from scripts.deploy import ApeBackend  # not at import time: `ape run` loads scripts/ itself

        a = accounts.test_accounts
        self.deployer, self.treasury, self.researcher, self.provider = a[0], a[1], a[2], a[3]
        self.requester, self.watcher = a[5], a[6]
        me = str(self.deployer.address)
        params = SuiteParams(treasury=str(self.treasury.address), guardian=me, proposers=(me,))
        addresses = deploy_suite(ApeBackend(self.deployer), params, governance_handover=False)
        self.token = project.OPGToken.at(addresses["OPGToken"])
        self.registry = project.ModelRegistry.at(addresses["ModelRegistry"])
        self.staking = project.ProviderStaking.at(addresses["ProviderStaking"])
        self.escrow = project.InferenceEscrow.at(addresses["InferenceEscrow"])
        self.verifier = project.OptimisticLayerVerifier.at(addresses["OptimisticLayerVerifier"])
        self.harness = self.deployer.deploy(project.FixedPointLayerHarness)
        for acct in (self.provider, self.requester, self.watcher):
            self.token.transfer(acct, 100_000 * OPG, sender=self.treasury)
        self.token.approve(self.staking, 2**256 - 1, sender=self.provider)
        self.staking.stake(50_000 * OPG, sender=self.provider)
        self.token.approve(self.escrow, 2**256 - 1, sender=self.requester)
        self.token.approve(self.escrow, 2**256 - 1, sender=self.watcher)
        self.model_ids: dict[str, int] = {}

    def register(self, model: Model) -> int:
        params = (model_hash(model), list(layer_commitments(model)), "opg://bench", PRICE, 0, 1 << OPTIMISTIC,
                  ZERO_ADDRESS)
        self.registry.registerModel(params, sender=self.researcher)
        model_id = int(self.registry.modelCount())
        self.staking.serveModel(model_id, sender=self.provider)
        return model_id

    def post(self, model_id: int, job_input: bytes, reported: Trace) -> int:
        deadline = chain.pending_timestamp + 3_600
        self.escrow.createJob(model_id, 1, OPTIMISTIC, PRICE, deadline, job_input, sender=self.requester)
        job_id = int(self.escrow.lastJobId())
        self.escrow.claimJob(job_id, job_struct(self.escrow, job_id), sender=self.provider)
        root = keccak(b"".join(layer_outputs(reported)))
        self.escrow.submitResult(job_id, job_struct(self.escrow, job_id),
            encode_vector(reported.output), root, sender=self.provider)
        return job_id

    def challenge(self, name: str, model: Model, model_id: int, x: list[int], cheat: Cheat | None,
                  evidence_for: Any, expect: Ruling) -> dict[str, Any]:
        honest = trace(model, x)
        reported = honest if cheat is None else corrupt(model, honest, cheat)
        job_input = encode_vector(x)
        job_id = self.post(model_id, job_input, reported)
        evidence = evidence_for(reported, job_input)
        output_hash = keccak(encode_vector(reported.output))
        root = keccak(b"".join(layer_outputs(reported)))
        context = (job_id, str(self.requester.address), str(self.provider.address), model_id, 1, OPTIMISTIC, PRICE,
                   keccak(job_input), output_hash, root)
        ruling = Ruling(int(self.verifier.rule(context, evidence)))
        if ruling != expect:
            raise BenchError(f"{name}: ruling {ruling.name}, expected {expect.name}")
        receipt = self.escrow.challengeResult(job_id, job_struct(self.escrow, job_id),
            keccak(job_input), output_hash, root, evidence,
                                              sender=self.watcher)
        event = "ChallengeUpheld" if expect.provider_at_fault else "ChallengeRejected"
        if not list(getattr(self.escrow, event).from_receipt(receipt)):
            raise BenchError(f"{name}: no {event}")
        return {"name": name, "ruling": ruling.name, "outcome": event, "gas": int(receipt.gas_used),
                "evidence_bytes": len(evidence), "calldata_bytes": len(receipt.transaction.data)}

    def layer_step(self, name: str, layer: DenseLayer, frac_bits: int, relu: bool, x: list[int]) -> dict[str, Any]:
        model = Model("step", frac_bits, (layer,) if not relu else (layer, DenseLayer([[1] * layer.rows], [0])))
        commitment = layer_commitment(model, 0)
        w, b = encode_layer_operands(layer)
        receipt = self.harness.denseLayerTx(commitment, w, b, layer.rows, layer.cols, frac_bits, relu,
                                            encode_vector(x), sender=self.deployer)
        expected = keccak(encode_vector(trace(model, x).vectors[1]))
        logged = [e.outputCommitment for e in self.harness.LayerExecuted.from_receipt(receipt)]
        if logged != [expected]:
            raise BenchError(f"{name}: output commitment {logged} != runtime {expected.hex()}")
        return {"name": name, "rows": layer.rows, "cols": layer.cols, "weights": layer.rows * layer.cols,
                "gas": int(receipt.gas_used), "calldata_bytes": len(receipt.transaction.data)}


def run_fraud_bench() -> dict[str, Any]:
    started = time.monotonic()
    world = FraudWorld()
    small = random_model((8, 8, 8))
    steps = [
        world.layer_step("random 8x8", small.layers[0], small.frac_bits, True, model_input(small)),
        world.layer_step("shipped layer 0 (32x64, largest)", SHIPPED.layers[0], SHIPPED.frac_bits, True,
                         digits_input()),
        world.layer_step("shipped layer 1 (10x32)", SHIPPED.layers[1], SHIPPED.frac_bits, False,
                         [int(v) for v in trace(SHIPPED, digits_input()).vectors[1]]),
    ]
    digits_id, small_id = world.register(SHIPPED), world.register(small)

    def layer_proof(model: Model, k: int):
        return lambda rep, _inp: encode_layer_evidence(model, k, layer_outputs(rep), encode_vector(rep.vectors[k]))

    def full_proof(model: Model):
        return lambda _rep, inp: encode_full_evidence(model, inp)

    x, xs = digits_input(), model_input(small)
    challenges = [
        world.challenge("shipped: one-layer proof, layer 0 (largest), upheld", SHIPPED, digits_id, x, Cheat(0, 3, 5),
                        layer_proof(SHIPPED, 0), Ruling.WrongLayerOutput),
        world.challenge("shipped: one-layer proof, layer 1, upheld", SHIPPED, digits_id, x, Cheat(1, 2, 5),
                        layer_proof(SHIPPED, 1), Ruling.WrongLayerOutput),
        world.challenge("shipped: full re-execution, upheld", SHIPPED, digits_id, x, Cheat(0, 3, 5),
                        full_proof(SHIPPED), Ruling.WrongResult),
        world.challenge("shipped: wrong layer named (layer 1 of a layer-0 cheat), rejected", SHIPPED, digits_id, x,
                        Cheat(0, 3, 5), layer_proof(SHIPPED, 1), Ruling.LayerCorrect),
        world.challenge("8x8x8 model: one-layer proof, layer 0, upheld", small, small_id, xs, Cheat(0, 1, 5),
                        layer_proof(small, 0), Ruling.WrongLayerOutput),
    ]
    return {"steps": steps, "challenges": challenges, "run_seconds": round(time.monotonic() - started, 1)}
