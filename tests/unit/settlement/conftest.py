"""Fixtures of the RewardSettlement unit tests: the real OPGToken and a settlement whose escrow is a plain
account (`fake_escrow`), so credits can be driven directly. The settlement is pre-funded with the fees
credited (as if swept from the escrow); the sweep itself is covered by the escrow and e2e tests."""

from contextlib import contextmanager

import ape
import pytest
from settlement_helpers import DECAY_BPS, EPOCH, INITIAL_EMISSION, OPG, TREASURY_FEE_BPS


@contextmanager
def _reverts_with(error_cls, **inputs):
    with ape.reverts(error_cls, **inputs) as info:
        yield info
    assert isinstance(info.value, error_cls), f"expected {error_cls.__name__}, got {info.value!r}"
    for name, expected in inputs.items():
        assert name in info.value.inputs, f"{error_cls.__name__} has no input {name!r}"
        assert info.value.inputs[name] == expected


@pytest.fixture
def reverts_with():
    return _reverts_with


@pytest.fixture(scope="session")
def fake_escrow(accounts):
    return accounts[8]


@pytest.fixture(scope="module")
def opg(project, deployer, treasury):
    return deployer.deploy(project.OPGToken, deployer, treasury, 100_000_000 * OPG)


@pytest.fixture(scope="module")
def settlement(project, deployer, treasury, opg, fake_escrow):
    contract = deployer.deploy(
        project.RewardSettlement,
        opg,
        fake_escrow,
        deployer,
        treasury,
        0,
        EPOCH,
        INITIAL_EMISSION,
        DECAY_BPS,
        TREASURY_FEE_BPS,
    )
    opg.grantRole(opg.MINTER_ROLE(), contract, sender=deployer)
    return contract


@pytest.fixture(scope="module")
def credit(opg, settlement, fake_escrow, treasury):
    """Credits a fee as the escrow would, and funds the settlement with it (as a sweep would)."""

    def _credit(provider, owner, fee, royalty_bps=500):
        opg.transfer(settlement, fee, sender=treasury)
        return settlement.creditFee(provider, owner, royalty_bps, fee, sender=fake_escrow)

    return _credit


@pytest.fixture
def next_epoch(chain, settlement):
    """Moves time to the start of the next epoch."""

    def _next():
        genesis, length = settlement.GENESIS_TIME(), settlement.EPOCH_LENGTH()
        current = (chain.pending_timestamp - genesis) // length
        chain.pending_timestamp = genesis + (current + 1) * length
        chain.mine()
        return current + 1

    return _next


@contextmanager
def _deploy_reverts_with(error_cls, *args):
    """For reverting deployments (ape does not decode custom errors there): compares the raw revert data
    with the error's selector and ABI-encoded `args`."""
    from eth_abi import encode as abi_encode
    from eth_utils import keccak

    with ape.reverts() as info:
        yield info
    abi = error_cls.abi
    types = [i.canonical_type for i in abi.inputs]
    expected = "0x" + (keccak(text=abi.selector)[:4] + abi_encode(types, list(args))).hex()
    assert info.value.revert_message == expected, f"expected {abi.selector}{args}, got {info.value.revert_message}"


@pytest.fixture
def deploy_reverts_with():
    return _deploy_reverts_with
