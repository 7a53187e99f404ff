"""Shared fixtures: session-scoped role accounts. Contract fixtures live beside the tests that use them
(`tests/unit/<contract>/conftest.py`), the full wired suite in `suite` below once all contracts exist."""

import pytest

OPG = 10**18  # 1 OPG in wei


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
