"""Provider-node fixtures: our own Anvil, the suite deployed with web3 (`opg_client.localchain.deploy_local`),
the shipped digits model registered, two staked providers serving it; chain state reverted between tests.

Nodes run as real subprocesses (`python -m opg_client.cli provider run`) so tests can SIGKILL / SIGTERM them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from helpers_opg_node import MIN_STAKE, OPG, PRICE, WINDOW, NodeNet, NodeProc

from opg_client.chain import OpgClient
from opg_client.localchain import LocalChain, deploy_local, dev_account
from opg_client.manifest import write_manifest
from opg_client.models import VerificationMode
from opg_client.roles import Researcher
from opg_client.runtime import (
    ModelStore,
    digits_model_bytes,
    layer_commitments,
    load_digits_model,
    model_hash,
)


@pytest.fixture(scope="session")
def node_net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NodeNet]:
    chain = LocalChain.start()
    try:
        manifest, _ = deploy_local(
            chain.url,
            fund=10_000 * OPG,
            min_stake=MIN_STAKE,
            challenge_window=WINDOW,
            epoch_length=3_600,
            min_collateral=OPG,
            collateral_ratio_bps=10_000,
        )
        path = write_manifest(manifest, tmp_path_factory.mktemp("node-net") / "local.json")
        client = OpgClient.connect(path)
        researcher = dev_account(2)
        model = load_digits_model()
        params = Researcher.params(
            model_hash(model), layer_commitments(model), "opg://digits", PRICE, 1_000, [VerificationMode.Optimistic]
        )
        ref = Researcher(client, researcher).register_model(params)
        providers = (dev_account(3), dev_account(4))
        for p in providers:
            sender = client.sender(p)
            sender.wait(client.staking.stake_with_permit(p, 1_000 * OPG))
            sender.wait(client.staking.serve_model(p, ref.model_id))
        yield NodeNet(chain, manifest, path, ref.model_id, researcher, providers, dev_account(5), dev_account(9))
    finally:
        chain.stop()


@pytest.fixture
def net(node_net: NodeNet) -> Iterator[NodeNet]:
    """The session network, reverted to its post-setup state after the test."""
    snapshot = node_net.chain.rpc("evm_snapshot")
    yield node_net
    node_net.chain.rpc("evm_setAutomine", [True])
    node_net.chain.rpc("evm_revert", [snapshot])


@pytest.fixture
def client(net: NodeNet) -> OpgClient:
    return OpgClient.connect(net.manifest_path)


@pytest.fixture
def start_node(net: NodeNet, tmp_path: Path) -> Iterator[Callable[..., NodeProc]]:
    """start_node(account, name="a", rpc=None, env=None, keeper="own") -> NodeProc (stopped after the test)."""
    started: list[NodeProc] = []
    store = tmp_path / "models"
    ModelStore(store).put(digits_model_bytes())

    def _start(
        account: LocalAccount,
        name: str = "a",
        rpc: str | None = None,
        env: dict[str, str] | None = None,
        keeper: str = "own",
        extra: tuple[str, ...] = (),
    ) -> NodeProc:
        log_path = tmp_path / f"{name}.log.jsonl"
        db_path = tmp_path / f"{name}.sqlite"
        args = [sys.executable, "-m", "opg_client.cli", "--manifest", str(net.manifest_path)]
        if rpc:
            args += ["--rpc", rpc]
        args += [
            "provider",
            "run",
            "--model",
            str(net.model_id),
            "--db",
            str(db_path),
            "--store",
            str(store),
            "--keeper",
            keeper,
            "--poll-interval",
            "0.1",
            "--name",
            name,
            *extra,
        ]
        full_env = dict(os.environ)
        full_env.pop("OPG_NODE_CRASH_AT", None)
        full_env.update({"OPG_PRIVATE_KEY": "0x" + bytes(account.key).hex(), **(env or {})})
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(args, stdout=log, stderr=log, env=full_env)
        node = NodeProc(proc, log_path, db_path)
        started.append(node)
        return node

    yield _start
    for node in started:
        node.stop()
