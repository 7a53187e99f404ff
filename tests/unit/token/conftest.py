"""Fixtures for the OPGToken unit tests."""

from contextlib import contextmanager

import ape
import pytest
from eth_abi import decode
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes

OPG = 10**18
CAP = 1_000_000_000 * OPG
GENESIS = 100_000_000 * OPG


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


@contextmanager
def _deploy_reverts_with(container, error_name, **inputs):
    """Like `_reverts_with` for a constructor revert, which ape leaves undecoded: matches the selector of
    `error_name` from the contract's ABI and decodes its arguments."""
    abi = next(e for e in container.contract_type.errors if e.name == error_name)
    with ape.reverts() as info:
        yield info
    data = HexBytes(info.value.revert_message)
    assert data[:4] == keccak(text=abi.selector)[:4], f"expected {error_name}, got {data.hex()}"
    types = [ipt.canonical_type for ipt in abi.inputs]
    values = dict(zip([ipt.name for ipt in abi.inputs], decode(types, data[4:]), strict=True))
    for name, expected in inputs.items():
        assert name in values, f"{error_name} has no input {name!r}"
        actual = values[name]
        if isinstance(actual, str) and actual.startswith("0x") and len(actual) == 42:
            actual = to_checksum_address(actual)
        assert actual == expected, f"{name}: expected {expected!r}, got {actual!r}"


@pytest.fixture
def reverts_with():
    return _reverts_with


@pytest.fixture
def deploy_reverts_with():
    return _deploy_reverts_with


@pytest.fixture(scope="module")
def minter(accounts):
    """Stands in for the settlement contract (the only MINTER_ROLE holder in production)."""
    return accounts[8]


@pytest.fixture(scope="module")
def token(project, deployer, treasury, minter):
    opg = deployer.deploy(project.OPGToken, deployer, treasury, GENESIS)
    opg.grantRole(opg.MINTER_ROLE(), minter, sender=deployer)
    return opg
