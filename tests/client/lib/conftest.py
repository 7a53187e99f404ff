"""Client-library fixtures: our own Anvil, the real contracts deployed with the client's own sender, and a
fresh `OpgClient` per test (chain state reverted with evm_snapshot / evm_revert between tests).

The library never imports Ape; these tests only read the compiled artifacts (`ape compile` output in
.build/__local__.json; Ape's `project` fixture compiles them if needed).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
import rlp
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_canonical_address, to_checksum_address
from helpers_client_lib import rpc
from web3 import Web3

from opg_client.chain import OpgClient
from opg_client.errors import ErrorDecoder
from opg_client.manifest import ContractEntry, Manifest, write_manifest
from opg_client.models import ENUMS
from opg_client.transport import RetryingHTTPProvider
from opg_client.tx import TxSender

ROOT = Path(__file__).resolve().parents[3]
ANVIL = ROOT / "node_modules" / ".bin" / "anvil"
BUILD = ROOT / ".build" / "__local__.json"
MNEMONIC = "test test test test test test test test test test test junk"
CHAIN_ID = 31337
OPG = 10**18
CONTRACTS = ("OPGToken", "ModelRegistry", "ProviderStaking", "RewardSettlement", "InferenceEscrow")

PARAMS: dict[str, Any] = {
    "genesis_supply": 100_000_000 * OPG,
    "max_royalty_bps": 2_000,
    "min_stake": 50 * OPG,
    "unbonding_delay": 86_400,
    "epoch_length": 3_600,
    "initial_emission": 1_000 * OPG,
    "decay_bps": 9_900,
    "treasury_fee_bps": 500,
    "collateral_ratio_bps": 10_000,
    "min_collateral": 1 * OPG,
    "challenge_window": 60,
    "challenge_bond": 10 * OPG,
    "funding": 10_000 * OPG,
}


@dataclass(frozen=True)
class Actors:
    deployer: LocalAccount
    treasury: LocalAccount
    researcher: LocalAccount
    provider: LocalAccount
    provider2: LocalAccount
    requester: LocalAccount
    watcher: LocalAccount
    stranger: LocalAccount


@dataclass(frozen=True)
class Deployment:
    url: str
    manifest: Manifest
    manifest_path: Path
    actors: Actors


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def anvil_url() -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [str(ANVIL), "--port", str(port), "--silent", "--chain-id", str(CHAIN_ID)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                rpc(url, "eth_chainId")
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        else:
            raise RuntimeError("anvil did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def actors() -> Actors:
    Account.enable_unaudited_hdwallet_features()
    keys = [Account.from_mnemonic(MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}") for i in range(8)]
    return Actors(*keys)


def _contract_types() -> dict[str, Any]:
    return dict(json.loads(BUILD.read_text())["contractTypes"]) if BUILD.exists() else {}


@pytest.fixture(scope="session")
def artifacts() -> dict[str, dict[str, Any]]:
    """ABI + deployment bytecode of the core contracts from `ape compile` output (compiles if missing)."""
    types = _contract_types()
    if not all(name in types for name in CONTRACTS):
        ape = ROOT / ".venv" / "bin" / "ape"
        env = {**os.environ, "SOLCX_BINARY_PATH": str(ROOT / ".solc")}
        env["PATH"] = f"{ROOT / 'node_modules' / '.bin'}:{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}"
        subprocess.run([str(ape), "compile"], cwd=ROOT, env=env, check=True, capture_output=True)
        types = _contract_types()
    return {
        name: {"abi": types[name]["abi"], "bytecode": types[name]["deploymentBytecode"]["bytecode"]}
        for name in CONTRACTS
    }


def get_create_address(sender: str, nonce: int) -> str:
    return to_checksum_address(keccak(rlp.encode([to_canonical_address(sender), nonce]))[12:])


def _deploy(sender: TxSender, artifact: dict[str, Any], *args: Any) -> str:
    ctor = next(item for item in artifact["abi"] if item["type"] == "constructor")
    encoded = sender.w3.codec.encode([i["type"] for i in ctor["inputs"]], args)
    data = "0x" + (bytes.fromhex(artifact["bytecode"][2:]) + encoded).hex()
    receipt = sender.transact({"data": data})
    return str(receipt["contractAddress"])


@pytest.fixture(scope="session")
def deployment(
    anvil_url: str, actors: Actors, artifacts: dict[str, dict[str, Any]], tmp_path_factory: Any
) -> Deployment:
    w3 = Web3(RetryingHTTPProvider(anvil_url))
    abis = {name: art["abi"] for name, art in artifacts.items()}
    deployer = TxSender(w3, actors.deployer, ErrorDecoder(abis, ENUMS), chain_id=CHAIN_ID)
    p = PARAMS
    start_block = int(w3.eth.block_number) + 1
    token = _deploy(
        deployer, artifacts["OPGToken"], actors.deployer.address, actors.treasury.address, p["genesis_supply"]
    )
    registry = _deploy(deployer, artifacts["ModelRegistry"], actors.deployer.address, p["max_royalty_bps"])
    nonce = w3.eth.get_transaction_count(actors.deployer.address)
    predicted_escrow = get_create_address(actors.deployer.address, nonce + 2)  # after staking and settlement
    staking = _deploy(
        deployer,
        artifacts["ProviderStaking"],
        token,
        registry,
        actors.deployer.address,
        actors.treasury.address,
        p["min_stake"],
        p["unbonding_delay"],
        predicted_escrow,
    )
    settlement = _deploy(
        deployer,
        artifacts["RewardSettlement"],
        token,
        predicted_escrow,
        actors.deployer.address,
        actors.treasury.address,
        0,
        p["epoch_length"],
        p["initial_emission"],
        p["decay_bps"],
        p["treasury_fee_bps"],
    )
    escrow = _deploy(
        deployer,
        artifacts["InferenceEscrow"],
        token,
        registry,
        staking,
        settlement,
        actors.deployer.address,
        p["collateral_ratio_bps"],
        p["min_collateral"],
        p["challenge_window"],
        p["challenge_bond"],
    )
    assert escrow == predicted_escrow
    addresses = {
        "OPGToken": token,
        "ModelRegistry": registry,
        "ProviderStaking": staking,
        "RewardSettlement": settlement,
        "InferenceEscrow": escrow,
    }
    manifest = Manifest(
        network="local",
        chain_id=CHAIN_ID,
        rpc_url=anvil_url,
        block=start_block,
        contracts={n: ContractEntry(addresses[n], tuple(abis[n])) for n in CONTRACTS},
        params=dict(p),
    )
    path = write_manifest(manifest, tmp_path_factory.mktemp("deployments") / "local.json")

    client = OpgClient(w3, manifest)
    staking_c = client.contract("ProviderStaking")
    for role in ("JOB_MANAGER_ROLE", "SLASHER_ROLE"):
        role_id = staking_c.get_function_by_name(role)().call()
        deployer.transact(staking_c.functions.grantRole(role_id, escrow))
    deployer.transact(staking_c.functions.setRewardSettlement(settlement))  # delegation: credits reach pools
    token_c = client.contract("OPGToken")
    deployer.transact(token_c.functions.grantRole(token_c.functions.MINTER_ROLE().call(), settlement))
    treasury = client.sender(actors.treasury)
    funded = [actors.researcher, actors.provider, actors.provider2, actors.requester, actors.watcher]
    pendings = [treasury.send(token_c.functions.transfer(a.address, p["funding"])) for a in funded]
    treasury.wait_all(pendings)
    return Deployment(anvil_url, manifest, path, actors)


@pytest.fixture
def chain_snapshot(deployment: Deployment) -> Iterator[str]:
    snapshot = rpc(deployment.url, "evm_snapshot")
    yield snapshot
    rpc(deployment.url, "evm_revert", [snapshot])


@pytest.fixture
def client(deployment: Deployment, chain_snapshot: str) -> OpgClient:
    """A fresh client (fresh nonce counters) over the deployed suite; state reverts after the test."""
    return OpgClient.connect(deployment.manifest_path)


@pytest.fixture
def opg() -> int:
    return OPG


@pytest.fixture
def anvil_bin() -> str:
    return os.fspath(ANVIL)
