"""Fixtures for the ProviderStaking unit tests: the real OPGToken and ModelRegistry, a staking contract
wired with a job manager (stands in for the escrow) and a slasher (stands in for a verifier)."""

from contextlib import contextmanager

import ape
import pytest
from eth_abi import encode as abi_encode
from eth_utils import keccak
from staking_helpers import GENESIS, MAX_ROYALTY_BPS, MIN_STAKE, OPG, UNBONDING_DELAY


@contextmanager
def _reverts_with(error_cls, **inputs):
    """`ape.reverts` that also fails if a *different* error (or a plain revert) was raised, and if an
    expected input name does not exist on the error (ape silently skips unknown names)."""
    with ape.reverts(error_cls, **inputs) as info:
        yield info
    assert isinstance(info.value, error_cls), f"expected {error_cls.__name__}, got {info.value!r}"
    for name, expected in inputs.items():
        assert name in info.value.inputs, f"{error_cls.__name__} has no input {name!r}"
        assert info.value.inputs[name] == expected


@pytest.fixture
def reverts_with():
    return _reverts_with


@contextmanager
def _deploy_reverts_with(error_cls, *args):
    """For reverting deployments, which ape does not decode into custom errors: matches the raw revert
    data against the error's selector and ABI-encoded `args`."""
    with ape.reverts() as info:
        yield info
    abi = error_cls.abi
    types = [i.canonical_type for i in abi.inputs]
    expected = "0x" + (keccak(text=abi.selector)[:4] + abi_encode(types, list(args))).hex()
    actual = info.value.revert_message
    assert actual == expected, f"expected {abi.selector}{args}, got {actual}"


@pytest.fixture
def deploy_reverts_with():
    return _deploy_reverts_with


@pytest.fixture(scope="session")
def job_manager(accounts):
    """Stands in for the InferenceEscrow (JOB_MANAGER_ROLE)."""
    return accounts[8]


@pytest.fixture(scope="session")
def slasher(accounts):
    """Stands in for a verifier (SLASHER_ROLE)."""
    return accounts[9]


@pytest.fixture(scope="module")
def opg(project, deployer, treasury, provider, provider2, stranger):
    token = deployer.deploy(project.OPGToken, deployer, treasury, GENESIS)
    for acct in (provider, provider2, stranger):
        token.transfer(acct, 100_000 * OPG, sender=treasury)
    return token


@pytest.fixture(scope="module")
def registry(project, deployer, researcher):
    reg = deployer.deploy(project.ModelRegistry, deployer, MAX_ROYALTY_BPS)
    params = (
        b"\x11" * 32,
        [b"\x22" * 32, b"\x33" * 32],
        "ipfs://model-1",
        10 * OPG,
        500,
        1,
        ape.utils.ZERO_ADDRESS,
    )
    reg.registerModel(params, sender=researcher)  # model 1
    reg.registerModel(params, sender=researcher)  # model 2
    return reg


@pytest.fixture(scope="module")
def staking(project, deployer, treasury, opg, registry, job_manager, slasher):
    contract = deployer.deploy(
        project.ProviderStaking, opg, registry, deployer, treasury, MIN_STAKE, UNBONDING_DELAY
    )
    contract.grantRole(contract.JOB_MANAGER_ROLE(), job_manager, sender=deployer)
    contract.grantRole(contract.SLASHER_ROLE(), slasher, sender=deployer)
    contract.grantRole(contract.PAUSER_ROLE(), deployer, sender=deployer)
    return contract


@pytest.fixture(scope="module")
def stake_for(opg, staking):
    """Approves and stakes `amount` wei for `account`; returns the receipt."""

    def _stake(account, amount):
        opg.approve(staking, amount, sender=account)
        return staking.stake(amount, sender=account)

    return _stake


@pytest.fixture
def staked_provider(provider, staking, stake_for):
    """`provider` with 5 x MIN_STAKE active stake, serving model 1."""
    stake_for(provider, 5 * MIN_STAKE)
    staking.serveModel(1, sender=provider)
    return provider
