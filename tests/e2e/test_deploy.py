"""The deployment as shipped: wiring and governance handover to the timelock."""

from opg_client.deploy import DEFAULT_ADMIN_ROLE, deploy_suite, role
from scripts.deploy import ApeBackend


def test_deploy_suite__with_handover__timelock_governs_and_deployer_keeps_only_pause(project, deployer, suite_params):
    addr = deploy_suite(ApeBackend(deployer), suite_params)
    timelock = addr["OPGTimelock"]
    governed = (
        "OPGToken", "ModelRegistry", "ProviderStaking", "RewardSettlement", "InferenceEscrow", "TEEAttestationRegistry"
    )
    for name in governed:
        c = project.get_contract(name).at(addr[name])
        assert c.hasRole(DEFAULT_ADMIN_ROLE, timelock), name
        assert not c.hasRole(DEFAULT_ADMIN_ROLE, deployer), name
    token = project.OPGToken.at(addr["OPGToken"])
    staking = project.ProviderStaking.at(addr["ProviderStaking"])
    escrow = project.InferenceEscrow.at(addr["InferenceEscrow"])
    assert token.hasRole(role("MINTER_ROLE"), addr["RewardSettlement"])
    assert staking.hasRole(role("JOB_MANAGER_ROLE"), addr["InferenceEscrow"])
    assert staking.ESCROW() == addr["InferenceEscrow"]  # the job-manager fast path
    assert staking.hasRole(role("SLASHER_ROLE"), addr["InferenceEscrow"])
    assert escrow.hasRole(role("PAUSER_ROLE"), deployer)
    assert escrow.SETTLEMENT() == addr["RewardSettlement"]
    assert project.RewardSettlement.at(addr["RewardSettlement"]).ESCROW() == addr["InferenceEscrow"]
    assert project.OPGTimelock.at(timelock).getMinDelay() == suite_params.timelock_delay
    attestations = project.TEEAttestationRegistry.at(addr["TEEAttestationRegistry"])
    assert attestations.hasRole(role("REVOKER_ROLE"), suite_params.guardian)
    assert escrow.verifier(1) == addr["TEEVerifier"]
    assert project.TEEVerifier.at(addr["TEEVerifier"]).ESCROW() == addr["InferenceEscrow"]


def test_suite_fixture__wired_without_handover__deployer_governs(suite, deployer):
    assert suite.escrow.hasRole(DEFAULT_ADMIN_ROLE, deployer)
    assert suite.token.hasRole(role("MINTER_ROLE"), suite.settlement)
