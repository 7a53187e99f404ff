"""Client TEE fixtures: our own Anvil, the suite deployed with web3 (`deploy_local`, no timelock handover so
dev #0 governs the attestation registry), the dev measurement and an attestation verifier approved, the
shipped digits model registered with Optimistic + TEE, two staked providers serving it; state reverted
between tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers_opg_tee import ATTESTER, MIN_STAKE, OPG, PRICE, ROYALTY_BPS, TeeNet

from opg_client.chain import OpgClient
from opg_client.localchain import LocalChain, deploy_local, dev_account
from opg_client.manifest import write_manifest
from opg_client.models import VerificationMode
from opg_client.roles import Provider, Researcher
from opg_client.runtime import ModelStore, digits_model_bytes, layer_commitments, load_digits_model, model_hash
from opg_client.tee import DEV_MEASUREMENT, TeeAttestations


@pytest.fixture(scope="session")
def tee_net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TeeNet]:
    chain = LocalChain.start()
    try:
        manifest, _ = deploy_local(
            chain.url,
            fund=10_000 * OPG,
            min_stake=MIN_STAKE,
            challenge_window=60,
            epoch_length=3_600,
            min_collateral=OPG,
            collateral_ratio_bps=10_000,
            handover=False,
        )
        base = tmp_path_factory.mktemp("tee-net")
        path = write_manifest(manifest, base / "local.json")
        store = base / "models"
        ModelStore(store).put(digits_model_bytes())
        client = OpgClient.connect(path)
        governance = dev_account(0)
        attestations = TeeAttestations(client)
        sender = client.sender(governance)
        sender.wait(attestations.approve_measurement(governance, DEV_MEASUREMENT, "opg software enclave v1"))
        sender.wait(attestations.approve_attester(governance, ATTESTER.address))
        model = load_digits_model()
        modes = [VerificationMode.Optimistic, VerificationMode.TEE]
        params = Researcher.params(
            model_hash(model), layer_commitments(model), "opg://digits", PRICE, ROYALTY_BPS, modes
        )
        researcher = dev_account(2)
        ref = Researcher(client, researcher).register_model(params)
        providers = (dev_account(3), dev_account(4))
        for account in providers:
            p = Provider(client, account)
            p.stake(500 * OPG)
            p.serve(ref.model_id)
        yield TeeNet(chain, path, ref.model_id, store, governance, researcher, providers, dev_account(5))
    finally:
        chain.stop()


@pytest.fixture
def net(tee_net: TeeNet) -> Iterator[TeeNet]:
    snapshot = tee_net.chain.rpc("evm_snapshot")
    yield tee_net
    tee_net.chain.rpc("evm_revert", [snapshot])


@pytest.fixture
def client(net: TeeNet) -> OpgClient:
    return OpgClient.connect(net.manifest_path)
