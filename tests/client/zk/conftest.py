"""ZK client fixtures: our own Anvil with the suite deployed by web3 (`deploy_local`: the ZKVerifier is the
escrow's ZK verifier), tiny model A's circuit verifier deployed by the researcher and the model registered with
modes optimistic + ZK, one staked provider serving it; chain state reverted between tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import zk_testkit
from eth_account.signers.local import LocalAccount

from opg_client.chain import OpgClient
from opg_client.localchain import LocalChain, deploy_local, dev_account
from opg_client.manifest import write_manifest
from opg_client.models import VerificationMode
from opg_client.roles import Researcher
from opg_client.runtime import layer_commitments, model_hash
from opg_client.zk.verifier import deploy_verifier

OPG = 10**18
PRICE = 2 * OPG


@dataclass(frozen=True)
class ZkNet:
    chain: LocalChain
    manifest_path: Path
    model_id: int
    circuit: zk_testkit.TestCircuit
    verifier: str
    provider: LocalAccount
    requester: LocalAccount


@pytest.fixture(scope="session")
def zk_net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ZkNet]:
    test_circuit = zk_testkit.test_circuit(1)
    chain = LocalChain.start()
    try:
        manifest, _ = deploy_local(chain.url, fund=10_000 * OPG, min_stake=1_000 * OPG, min_collateral=OPG)
        path = write_manifest(manifest, tmp_path_factory.mktemp("zk-net") / "local.json")
        client = OpgClient.connect(path)
        researcher, provider = dev_account(2), dev_account(3)
        verifier, _ = deploy_verifier(client.w3, researcher, test_circuit.circuit)
        model = test_circuit.model
        params = Researcher.params(
            model_hash(model), layer_commitments(model), "opg://zk-tiny", PRICE, 1_000,
            [VerificationMode.Optimistic, VerificationMode.ZK], verifier,
        )
        ref = Researcher(client, researcher).register_model(params)
        sender = client.sender(provider)
        sender.wait(client.staking.stake_with_permit(provider, 1_000 * OPG))
        sender.wait(client.staking.serve_model(provider, ref.model_id))
        yield ZkNet(chain, path, ref.model_id, test_circuit, verifier, provider, dev_account(5))
    finally:
        chain.stop()


@pytest.fixture
def net(zk_net: ZkNet) -> Iterator[ZkNet]:
    snapshot = zk_net.chain.rpc("evm_snapshot")
    yield zk_net
    zk_net.chain.rpc("evm_revert", [snapshot])


@pytest.fixture
def client(net: ZkNet) -> OpgClient:
    return OpgClient.connect(net.manifest_path)
