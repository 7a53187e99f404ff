"""Fixtures of the batch-settlement tests: the suite as deploy_suite wires it (BatchSettlement included),
model 1 (optimistic + TEE) and model 2 (TEE only), two staked providers serving model 1, funded
requesters with prepaid balances, a TestVerifier as the escrow's optimistic verifier, and a `post` factory
that builds, signs and posts a batch."""

from collections.abc import Callable

import ape
import pytest
from batch_helpers import (
    MODEL,
    OPG,
    PRICE,
    ROYALTY_BPS,
    VERSION,
    Posted,
    make_leaves,
    sign_leaves,
)

from opg_client.batchtree import MerkleTree


@pytest.fixture(scope="session")
def helper_deployer(accounts):
    """Deploys this directory's helper contracts: ape remembers the contract type at each address a test
    deployed to, so helpers deployed from `deployer` in a module that is rolled back would shadow (and
    mis-decode reverts of) whatever later modules deploy from `deployer` at the same nonce."""
    return accounts[9]


@pytest.fixture(scope="module")
def world(suite, deployer, helper_deployer, treasury, researcher, provider, provider2, requester, stranger, watcher,
          project):
    token, registry, staking = suite.token, suite.registry, suite.staking
    layers = [b"\x22" * 32, b"\x33" * 32]
    registry.registerModel(
        (b"\x11" * 32, layers, "ipfs://m1", PRICE, ROYALTY_BPS, 3, ape.utils.ZERO_ADDRESS), sender=researcher
    )
    registry.registerModel(
        (b"\x44" * 32, layers, "ipfs://m2", PRICE, ROYALTY_BPS, 2, ape.utils.ZERO_ADDRESS), sender=researcher
    )
    for acct in (requester, provider, provider2, stranger, watcher):
        token.transfer(acct, 100_000 * OPG, sender=treasury)
    for p in (provider, provider2):
        token.approve(staking, 10_000 * OPG, sender=p)
        staking.stake(10_000 * OPG, sender=p)
        staking.serveModel(MODEL, sender=p)
    for r in (requester, stranger):
        token.approve(suite.batch, 1_000 * OPG, sender=r)
        suite.batch.deposit(1_000 * OPG, sender=r)
    for acct in (watcher, stranger, requester):
        token.approve(suite.batch, 10**30, sender=acct)  # challenge bonds
    verifier = helper_deployer.deploy(project.TestVerifier)
    suite.escrow.setVerifier(0, verifier, sender=deployer)
    suite.verifier = verifier
    return suite


@pytest.fixture(scope="module")
def batch(world):
    return world.batch


@pytest.fixture(scope="module")
def opg(world):
    return world.token


@pytest.fixture(scope="module")
def staking(world):
    return world.staking


@pytest.fixture(scope="module")
def settlement(world):
    return world.settlement


@pytest.fixture(scope="module")
def verifier(world):
    return world.verifier


@pytest.fixture(scope="module")
def signers(requester, stranger, watcher, provider2):
    return {str(a.address): a for a in (requester, stranger, watcher, provider2)}


@pytest.fixture
def post(batch, provider, requester, stranger, signers, chain) -> Callable[..., Posted]:
    """Builds leaves (2 per requester by default), signs them, posts the batch; returns a Posted."""

    def _post(leaves=None, *, by=None, total_fee=None, leaf_count=None, deadline=None, sign_for=None,
              model=MODEL, version=VERSION) -> Posted:
        by = by or provider
        leaves = leaves if leaves is not None else make_leaves([requester, stranger], 2)
        tree = MerkleTree(leaves)
        deadline = deadline if deadline is not None else chain.pending_timestamp + 86_400
        sigs = sign_leaves(batch, sign_for or by, signers, leaves, deadline, model, version)
        tx = batch.postBatch(
            tree.root,
            len(leaves) if leaf_count is None else leaf_count,
            tree.total_fee if total_fee is None else total_fee,
            model,
            version,
            sender=by,
        )
        batch_id = tx.events.filter(batch.BatchPosted)[0].batchId
        return Posted(batch_id, tree, sigs)

    return _post
