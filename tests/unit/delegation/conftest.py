"""Delegation fixtures on top of the shared `suite` (the protocol as `deploy_suite` wires it, deployer still
governing): a TestVerifier for every mode, a researcher's model, a provider staked at the minimum and serving
it, a second provider staked, funded delegators and requester. Job flows go through `jobs` (one place to
adapt if the escrow's call shapes change)."""

import ape
import pytest
from delegation_helpers import MIN_STAKE, OPG, PRICE, Jobs


@pytest.fixture(scope="session")
def delegator(accounts):
    return accounts[8]


@pytest.fixture(scope="session")
def delegator2(accounts):
    return accounts[9]


@pytest.fixture(scope="module")
def world(project, suite, deployer, treasury, researcher, provider, provider2, requester, delegator, delegator2):
    verifier = deployer.deploy(project.TestVerifier)
    for mode in (0, 1, 2):
        suite.escrow.setVerifier(mode, verifier, sender=deployer)
    suite.registry.registerModel(
        (b"\x11" * 32, [b"\x22" * 32], "ipfs://digits", PRICE, 500, 1, ape.utils.ZERO_ADDRESS), sender=researcher
    )
    model_id = suite.registry.modelCount()
    for acct in (provider, provider2, requester, delegator, delegator2):
        suite.token.transfer(acct, 100_000 * OPG, sender=treasury)
    for acct in (provider, provider2):
        suite.token.approve(suite.staking, 2**256 - 1, sender=acct)
        suite.staking.stake(MIN_STAKE, sender=acct)
        suite.staking.serveModel(model_id, sender=acct)
    for acct in (delegator, delegator2):
        suite.token.approve(suite.staking, 2**256 - 1, sender=acct)
    suite.staking.grantRole(suite.staking.SLASHER_ROLE(), deployer, sender=deployer)
    return {"verifier": verifier, "model_id": model_id}


@pytest.fixture(scope="module")
def jobs(chain, suite, world, requester):
    return Jobs(chain, suite, world["model_id"], requester)


@pytest.fixture
def next_epoch(chain, suite):
    """Moves to the start of the next settlement epoch; returns its number."""

    def move() -> int:
        st = suite.settlement
        epoch = (chain.pending_timestamp - st.GENESIS_TIME()) // st.EPOCH_LENGTH() + 1
        chain.pending_timestamp = st.GENESIS_TIME() + epoch * st.EPOCH_LENGTH()
        chain.mine()
        return epoch

    return move
