"""Fixtures for the OPGToken unit tests."""


import pytest

OPG = 10**18
CAP = 1_000_000_000 * OPG
GENESIS = 100_000_000 * OPG


@pytest.fixture(scope="module")
def minter(accounts):
    """Stands in for the settlement contract (the only MINTER_ROLE holder in production)."""
    return accounts[8]


@pytest.fixture(scope="module")
def token(project, deployer, treasury, minter):
    opg = deployer.deploy(project.OPGToken, deployer, treasury, GENESIS)
    opg.grantRole(opg.MINTER_ROLE(), minter, sender=deployer)
    return opg
