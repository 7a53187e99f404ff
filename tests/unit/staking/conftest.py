"""Fixtures for the ProviderStaking unit tests: the real OPGToken and ModelRegistry, a staking contract
wired with a job manager (stands in for the escrow) and a slasher (stands in for a verifier)."""


import ape
import pytest
from staking_helpers import GENESIS, MAX_ROYALTY_BPS, MIN_STAKE, OPG, UNBONDING_DELAY


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
        project.ProviderStaking, opg, registry, deployer, treasury, MIN_STAKE, UNBONDING_DELAY, ape.utils.ZERO_ADDRESS
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
