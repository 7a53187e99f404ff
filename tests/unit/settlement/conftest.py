"""Fixtures of the RewardSettlement unit tests: the real OPGToken and a settlement whose escrow is a plain
account (`fake_escrow`), so credits can be driven directly. The settlement is pre-funded with the fees
credited (as if swept from the escrow); the sweep itself is covered by the escrow and e2e tests."""


import pytest
from settlement_helpers import DECAY_BPS, EPOCH, INITIAL_EMISSION, OPG, TREASURY_FEE_BPS


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


