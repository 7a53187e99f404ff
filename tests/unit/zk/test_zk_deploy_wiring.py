"""deploy_suite wires the ZK adapter: the escrow's ZK verifier is a ZKVerifier over the suite's registry."""

ZK = 2


def test_deploy_suite__zk_mode__escrow_uses_zk_adapter_over_registry(project, suite):
    adapter = suite.addresses["ZKVerifier"]
    assert suite.escrow.verifier(ZK) == adapter
    assert project.ZKVerifier.at(adapter).REGISTRY() == suite.registry.address
