"""End-to-end fixtures on top of the shared `suite` (tests/conftest.py: the protocol as `deploy_suite`
wires it, deployer still governing): a TestVerifier for every mode, a researcher's model, two staked
providers serving it, funded requester and watcher."""

import pytest

OPG = 10**18
PRICE = 10 * OPG


@pytest.fixture(scope="module")
def world(project, suite, deployer, treasury, researcher, provider, provider2, requester, watcher):
    verifier = deployer.deploy(project.TestVerifier)
    for mode in (0, 1, 2):
        suite.escrow.setVerifier(mode, verifier, sender=deployer)
    layers = [b"\x22" * 32, b"\x33" * 32]
    suite.registry.registerModel(
        (b"\x11" * 32, layers, "ipfs://digits", PRICE, 500, 7, verifier), sender=researcher
    )
    model_id = suite.registry.modelCount()
    for acct in (provider, provider2, requester, watcher):
        suite.token.transfer(acct, 50_000 * OPG, sender=treasury)
    for acct in (provider, provider2):
        suite.token.approve(suite.staking, 10_000 * OPG, sender=acct)
        suite.staking.stake(10_000 * OPG, sender=acct)
        suite.staking.serveModel(model_id, sender=acct)
    suite.token.approve(suite.escrow, 2**256 - 1, sender=watcher)
    return {"verifier": verifier, "model_id": model_id}
