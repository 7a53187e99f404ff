"""Shared fixtures: session-scoped role accounts. Contract fixtures live beside the tests that use them
(`tests/unit/<contract>/conftest.py`), the full wired suite in `suite` below once all contracts exist."""

import opg_testkit
import pytest

OPG = 10**18  # 1 OPG in wei


@pytest.fixture
def reverts_with():
    """`with reverts_with(contract.ErrorName, arg=value): ...` — the error type and every named arg."""
    return opg_testkit.reverts_with


@pytest.fixture
def deploy_reverts_with():
    """`with deploy_reverts_with(contract.ErrorName, *args): deployer.deploy(...)`."""
    return opg_testkit.deploy_reverts_with


@pytest.fixture(scope="session")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def treasury(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def researcher(accounts):
    return accounts[2]


@pytest.fixture(scope="session")
def provider(accounts):
    return accounts[3]


@pytest.fixture(scope="session")
def provider2(accounts):
    return accounts[4]


@pytest.fixture(scope="session")
def requester(accounts):
    return accounts[5]


@pytest.fixture(scope="session")
def watcher(accounts):
    return accounts[6]


@pytest.fixture(scope="session")
def stranger(accounts):
    return accounts[7]


@pytest.fixture(scope="session")
def suite_params(deployer, treasury):
    """Genesis parameters for test suites: short windows so tests move time in small steps."""
    from opg_client.deploy import SuiteParams

    return SuiteParams(
        treasury=str(treasury.address),
        guardian=str(deployer.address),
        proposers=(str(deployer.address),),
        min_stake=1_000 * OPG,
        unbonding_delay=7 * 86_400,
        epoch_length=86_400,
        initial_emission=50_000 * OPG,
        collateral_ratio_bps=15_000,
        min_collateral=10 * OPG,
        challenge_window=3_600,
        challenge_bond=10 * OPG,
        timelock_delay=60,
    )


class Suite:
    """The wired protocol: attribute per contract (Ape ContractInstance)."""

    def __init__(self, project, addresses):
        self.addresses = addresses
        self.token = project.OPGToken.at(addresses["OPGToken"])
        self.registry = project.ModelRegistry.at(addresses["ModelRegistry"])
        self.staking = project.ProviderStaking.at(addresses["ProviderStaking"])
        self.settlement = project.RewardSettlement.at(addresses["RewardSettlement"])
        self.escrow = project.InferenceEscrow.at(addresses["InferenceEscrow"])
        self.timelock = project.OPGTimelock.at(addresses["OPGTimelock"])
        self.batch = project.BatchSettlement.at(addresses["BatchSettlement"])


@pytest.fixture(scope="session")
def suite(project, deployer, suite_params):
    """The full suite as `deploy_suite` wires it, but the deployer keeps governance (no timelock handover)
    so tests can change parameters directly. Module/function isolation comes from Ape's snapshots."""
    from opg_client.deploy import deploy_suite
    from scripts.deploy import ApeBackend

    addresses = deploy_suite(ApeBackend(deployer), suite_params, governance_handover=False)
    return Suite(project, addresses)
