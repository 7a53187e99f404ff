"""CLI fixtures: our own Anvil with the suite deployed (`deploy_local`), dev accounts #2..#8 funded with OPG
(#9 has none), the shipped digits model registered by #2 and served by #3; state reverted between tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers_opg_cli import EPOCH, MIN_STAKE, OPG, PRICE, UNBONDING, WINDOW, CliNet

from opg_client.chain import OpgClient
from opg_client.localchain import LocalChain, deploy_local, dev_account
from opg_client.manifest import write_manifest
from opg_client.models import VerificationMode
from opg_client.roles import Provider, Researcher
from opg_client.runtime import ModelStore, digits_model_bytes, layer_commitments, load_digits_model, model_hash


@pytest.fixture(scope="session")
def cli_net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliNet]:
    chain = LocalChain.start()
    try:
        manifest, _ = deploy_local(
            chain.url,
            fund=10_000 * OPG,
            fund_indices=range(2, 9),
            min_stake=MIN_STAKE,
            challenge_window=WINDOW,
            epoch_length=EPOCH,
            unbonding_delay=UNBONDING,
            min_collateral=OPG,
            collateral_ratio_bps=10_000,
        )
        base = tmp_path_factory.mktemp("cli-net")
        path = write_manifest(manifest, base / "local.json")
        store = base / "models"
        ModelStore(store).put(digits_model_bytes())
        client = OpgClient.connect(path)
        model = load_digits_model()
        params = Researcher.params(
            model_hash(model), layer_commitments(model), "opg://digits", PRICE, 1_000, [VerificationMode.Optimistic]
        )
        ref = Researcher(client, dev_account(2)).register_model(params)
        provider = Provider(client, dev_account(3))
        provider.stake(500 * OPG)
        provider.serve(ref.model_id)
        yield CliNet(chain, path, ref.model_id, store)
    finally:
        chain.stop()


@pytest.fixture
def net(cli_net: CliNet) -> Iterator[CliNet]:
    snapshot = cli_net.chain.rpc("evm_snapshot")
    yield cli_net
    cli_net.chain.rpc("evm_revert", [snapshot])


@pytest.fixture
def client(net: CliNet) -> OpgClient:
    return OpgClient.connect(net.manifest_path)
