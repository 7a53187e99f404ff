"""ProviderStaking constructor: parameters, roles and validation."""

import pytest
from eth_utils import keccak
from staking_helpers import MIN_STAKE, OPG, UNBONDING_DELAY, ZERO_ADDRESS

DEFAULT_ADMIN_ROLE = b"\x00" * 32


def test_constructor__valid_args__sets_params_and_defaults(staking, opg, registry, treasury):
    assert staking.OPG() == opg.address
    assert staking.REGISTRY() == registry.address
    assert staking.treasury() == treasury.address
    assert staking.minStake() == MIN_STAKE
    assert staking.unbondingDelay() == UNBONDING_DELAY
    assert staking.slashRewardBps() == 2_500
    assert staking.slashBurnBps() == 5_000
    assert staking.totalStaked() == 0
    assert not staking.paused()


def test_constructor__valid_args__admin_gets_only_admin_role(
    project, deployer, treasury, opg, registry, stranger
):
    fresh = deployer.deploy(
        project.ProviderStaking, opg, registry, stranger, treasury, MIN_STAKE, UNBONDING_DELAY, ZERO_ADDRESS
    )
    assert fresh.hasRole(DEFAULT_ADMIN_ROLE, stranger)
    assert not fresh.hasRole(DEFAULT_ADMIN_ROLE, deployer)
    for role in (fresh.JOB_MANAGER_ROLE(), fresh.SLASHER_ROLE(), fresh.PAUSER_ROLE()):
        assert not fresh.hasRole(role, stranger)
    assert fresh.JOB_MANAGER_ROLE() == keccak(text="JOB_MANAGER_ROLE")
    assert fresh.SLASHER_ROLE() == keccak(text="SLASHER_ROLE")
    assert fresh.PAUSER_ROLE() == keccak(text="PAUSER_ROLE")


def test_constructor__valid_args__emits_parameter_events(project, chain, deployer, treasury, opg, registry):
    fresh = deployer.deploy(
        project.ProviderStaking, opg, registry, deployer, treasury, MIN_STAKE, UNBONDING_DELAY, ZERO_ADDRESS
    )
    receipt = chain.get_receipt(fresh.txn_hash)
    [min_log] = list(receipt.decode_logs(fresh.MinStakeUpdated))
    assert (min_log.oldMinStake, min_log.newMinStake) == (0, MIN_STAKE)
    [delay_log] = list(receipt.decode_logs(fresh.UnbondingDelayUpdated))
    assert (delay_log.oldDelay, delay_log.newDelay) == (0, UNBONDING_DELAY)
    [split_log] = list(receipt.decode_logs(fresh.SlashSplitUpdated))
    assert (split_log.slashRewardBps, split_log.slashBurnBps) == (2_500, 5_000)
    [treasury_log] = list(receipt.decode_logs(fresh.TreasuryUpdated))
    assert treasury_log.newTreasury == treasury.address


def test_constructor__hard_cap_bounds__accepted(project, deployer, treasury, opg, registry):
    low = deployer.deploy(project.ProviderStaking, opg, registry, deployer, treasury, 1, 24 * 3600, ZERO_ADDRESS)
    assert (low.minStake(), low.unbondingDelay()) == (1, 24 * 3600)
    high = deployer.deploy(
        project.ProviderStaking, opg, registry, deployer, treasury, 10_000_000 * OPG, 90 * 24 * 3600, ZERO_ADDRESS
    )
    assert high.MAX_MIN_STAKE() == 10_000_000 * OPG
    assert (high.minStake(), high.unbondingDelay()) == (10_000_000 * OPG, 90 * 24 * 3600)


@pytest.mark.parametrize("zeroed", ["opg", "registry", "admin", "treasury"])
def test_constructor__zero_address__reverts(
    project, deployer, treasury, opg, registry, deploy_reverts_with, zeroed
):
    args = {
        "opg": opg.address,
        "registry": registry.address,
        "admin": deployer.address,
        "treasury": treasury.address,
    }
    args[zeroed] = ZERO_ADDRESS
    with deploy_reverts_with(project.ProviderStaking.ZeroAddress):
        deployer.deploy(project.ProviderStaking, *args.values(), MIN_STAKE, UNBONDING_DELAY, ZERO_ADDRESS)


@pytest.mark.parametrize("bad", [0, 10_000_000 * OPG + 1])
def test_constructor__min_stake_out_of_range__reverts(
    project, deployer, treasury, opg, registry, deploy_reverts_with, bad
):
    with deploy_reverts_with(project.ProviderStaking.InvalidMinStake, bad):
        deployer.deploy(project.ProviderStaking, opg, registry, deployer, treasury, bad, UNBONDING_DELAY, ZERO_ADDRESS)


@pytest.mark.parametrize("bad", [24 * 3600 - 1, 90 * 24 * 3600 + 1])
def test_constructor__unbonding_delay_out_of_range__reverts(
    project, deployer, treasury, opg, registry, deploy_reverts_with, bad
):
    with deploy_reverts_with(project.ProviderStaking.InvalidUnbondingDelay, bad):
        deployer.deploy(project.ProviderStaking, opg, registry, deployer, treasury, MIN_STAKE, bad, ZERO_ADDRESS)
