"""Client batch-settlement fixtures: our own Anvil, the suite deployed with web3 (`deploy_local`, which
includes BatchSettlement), a model registered, a staked provider serving it, and funded requesters with
prepaid balances; chain state reverted between tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from eth_utils import keccak
from helpers_client_batch import OPG, PRICE, BatchNet, rpc

from opg_client.chain import OpgClient
from opg_client.localchain import LocalChain, deploy_local, dev_account
from opg_client.manifest import write_manifest
from opg_client.models import VerificationMode
from opg_client.roles import Researcher


@pytest.fixture(scope="session")
def batch_net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BatchNet]:
    chain = LocalChain.start()
    try:
        manifest, _ = deploy_local(chain.url, fund=10_000 * OPG, min_stake=100 * OPG, handover=False)
        path = write_manifest(manifest, tmp_path_factory.mktemp("batch-net") / "local.json")
        client = OpgClient.connect(path)
        params = Researcher.params(keccak(text="w"), [keccak(text="l0")], "opg://m", PRICE, 500,
                                   [VerificationMode.Optimistic])
        ref = Researcher(client, dev_account(2)).register_model(params)
        provider = dev_account(3)
        sender = client.sender(provider)
        sender.wait(client.staking.stake_with_permit(provider, 1_000 * OPG))
        sender.wait(client.staking.serve_model(provider, ref.model_id))
        requesters = (dev_account(5), dev_account(6))
        for r in requesters:
            client.sender(r).wait(client.batches.deposit_with_permit(r, 100 * OPG, client.timestamp() + 600))
        yield BatchNet(chain.url, path, ref.model_id, provider, requesters, dev_account(7))
    finally:
        chain.stop()


@pytest.fixture
def client(batch_net: BatchNet) -> Iterator[OpgClient]:
    snapshot = rpc(batch_net.url, "evm_snapshot")
    yield OpgClient.connect(batch_net.manifest_path)
    rpc(batch_net.url, "evm_revert", [snapshot])
