"""Fixtures of the OptimisticLayerVerifier tests: the suite as deploy_suite wires it (the verifier is the
escrow's Optimistic verifier), the shipped digits model registered with its real layer commitments, a
staked provider serving it, a funded requester and watcher (the challenger)."""

import ape
import pytest
from fraud_helpers import META, MODEL, OPG, PRICE

from opg_client.runtime import layer_commitments


@pytest.fixture(scope="module")
def world(project, suite, deployer, treasury, researcher, provider, requester, watcher):
    verifier = project.OptimisticLayerVerifier.at(suite.addresses["OptimisticLayerVerifier"])
    weights_hash = bytes.fromhex(META.model_hash[2:])
    suite.registry.registerModel(
        (weights_hash, list(layer_commitments(MODEL)), "opg://digits", PRICE, 500, 1, ape.utils.ZERO_ADDRESS),
        sender=researcher,
    )
    model_id = suite.registry.modelCount()
    for acct in (provider, requester, watcher):
        suite.token.transfer(acct, 50_000 * OPG, sender=treasury)
    suite.token.approve(suite.staking, 10_000 * OPG, sender=provider)
    suite.staking.stake(10_000 * OPG, sender=provider)
    suite.staking.serveModel(model_id, sender=provider)
    suite.token.approve(suite.escrow, 2**256 - 1, sender=requester)
    suite.token.approve(suite.escrow, 2**256 - 1, sender=watcher)
    return {"suite": suite, "verifier": verifier, "model_id": model_id}
