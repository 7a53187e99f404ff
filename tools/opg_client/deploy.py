"""Deploy and wire the whole protocol suite. One source of truth for the wiring, two thin back-ends:
`Web3Backend` (here: no Ape, used by `opg deploy` / `opg demo`) and the Ape back-end in
`scripts/deploy.py` (`ape run deploy --network …`).

Order: OPGToken, ModelRegistry, ProviderStaking, RewardSettlement (at the escrow's predicted address
minus one: the escrow checks `SETTLEMENT.ESCROW() == address(this)`), InferenceEscrow, OPGTimelock,
TEEAttestationRegistry (REVOKER_ROLE → guardian), TEEVerifier (escrow, model registry, attestations),
ZKVerifier (the escrow's ZK verifier: it reads each version's EZKL circuit verifier from the registry),
OptimisticLayerVerifier (registry; the escrow's Optimistic verifier: one-layer fraud proofs),
BatchSettlement (reads its token / registry / staking / settlement from the escrow).
Then roles: OPG MINTER_ROLE → settlement; staking JOB_MANAGER_ROLE + SLASHER_ROLE → escrow; staking →
settlement link (delegation, `setRewardSettlement`); PAUSER_ROLE → guardian; escrow verifier of TEE mode →
TEEVerifier, of Optimistic mode → OptimisticLayerVerifier;
staking JOB_MANAGER_ROLE → batch settlement (it locks, releases and slashes batch collateral; never the
general `slash`); settlement FEE_SOURCE_ROLE → batch settlement (BatchSettlement has no governance of its
own: it follows the escrow's collateral terms, challenge bond and optimistic verifier); DEFAULT_ADMIN_ROLE
of every contract → the timelock, and the deployer renounces its own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

import rlp
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from web3 import Web3

from opg_client.errors import OpgError
from opg_client.manifest import ContractEntry, Manifest

OPG = 10**18
ZERO_ADDRESS = "0x" + "00" * 20
DEFAULT_ADMIN_ROLE = b"\x00" * 32
SUITE = (
    "OPGToken", "ModelRegistry", "ProviderStaking", "RewardSettlement", "InferenceEscrow", "OPGTimelock",
    "TEEAttestationRegistry", "TEEVerifier", "ZKVerifier", "OptimisticLayerVerifier", "BatchSettlement",
)
OPTIMISTIC_MODE = 0  # VerificationMode.Optimistic
TEE_MODE = 1  # VerificationMode.TEE
ZK_MODE = 2  # VerificationMode.ZK
MANIFEST_NAMES = {"OPGTimelock": "TimelockController"}


def create_address(sender: str, nonce: int) -> str:
    """The address a CREATE from `sender` at `nonce` lands at: keccak256(rlp([sender, nonce]))[12:]."""
    return to_checksum_address(keccak(rlp.encode([bytes.fromhex(sender[2:]), nonce]))[12:])


def role(name: str) -> bytes:
    return keccak(text=name)


class DeployError(OpgError):
    """Deployment failed or the build artifacts are missing."""


@dataclass(frozen=True)
class SuiteParams:
    """Protocol parameters at genesis. Amounts in wei, durations in seconds, shares in basis points."""

    treasury: str
    guardian: str  # PAUSER_ROLE holder (emergency stop of new jobs / stakes)
    proposers: tuple[str, ...]  # may schedule timelock operations
    genesis_supply: int = 100_000_000 * OPG
    max_royalty_bps: int = 2_000
    min_stake: int = 1_000 * OPG
    unbonding_delay: int = 7 * 86_400
    genesis_time: int = 0  # 0: the settlement's deployment time
    epoch_length: int = 86_400
    initial_emission: int = 50_000 * OPG
    decay_bps: int = 9_900
    treasury_fee_bps: int = 500
    collateral_ratio_bps: int = 15_000
    min_collateral: int = 10 * OPG
    challenge_window: int = 3_600
    challenge_bond: int = 10 * OPG
    timelock_delay: int = 2 * 86_400
    tee_max_signature_age: int = 600  # oldest accepted TEE result signature, seconds (60 .. 86_400)
    batch_challenge_window: int = 3_600  # BatchSettlement: dispute window after a post
    batch_payout_window: int = 7 * 86_400  # then leaves are payable for this long
    batch_withdrawal_notice: int = 8 * 86_400  # >= the two windows together
    executors: tuple[str, ...] = field(default=(ZERO_ADDRESS,))  # [0x0]: anyone executes ready ops

    def to_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


class Backend(Protocol):
    """What the wiring needs from a chain back-end."""

    @property
    def deployer(self) -> str: ...

    def nonce(self) -> int: ...

    def deploy(self, name: str, *args: Any) -> str: ...

    def transact(self, name: str, address: str, function: str, *args: Any) -> None: ...


def deploy_suite(backend: Backend, params: SuiteParams, *, governance_handover: bool = True) -> dict[str, str]:
    """Deploy and wire the suite; returns contract name → address. With `governance_handover=False`
    (tests, local experiments) the deployer keeps DEFAULT_ADMIN_ROLE instead of handing it to the timelock."""
    me = backend.deployer
    out: dict[str, str] = {}
    out["OPGToken"] = backend.deploy("OPGToken", me, params.treasury, params.genesis_supply)
    out["ModelRegistry"] = backend.deploy("ModelRegistry", me, params.max_royalty_bps)
    escrow_at = create_address(me, backend.nonce() + 2)  # after staking and the settlement
    out["ProviderStaking"] = backend.deploy(
        "ProviderStaking", out["OPGToken"], out["ModelRegistry"], me, params.treasury,
        params.min_stake, params.unbonding_delay, escrow_at,
    )
    out["RewardSettlement"] = backend.deploy(
        "RewardSettlement", out["OPGToken"], escrow_at, me, params.treasury, params.genesis_time,
        params.epoch_length, params.initial_emission, params.decay_bps, params.treasury_fee_bps,
    )
    out["InferenceEscrow"] = backend.deploy(
        "InferenceEscrow", out["OPGToken"], out["ModelRegistry"], out["ProviderStaking"],
        out["RewardSettlement"], me, params.collateral_ratio_bps, params.min_collateral,
        params.challenge_window, params.challenge_bond,
    )
    if out["InferenceEscrow"] != escrow_at:
        raise DeployError(f"escrow landed at {out['InferenceEscrow']}, expected {escrow_at}")
    out["OPGTimelock"] = backend.deploy(
        "OPGTimelock", params.timelock_delay, list(params.proposers), list(params.executors), ZERO_ADDRESS
    )
    out["TEEAttestationRegistry"] = backend.deploy("TEEAttestationRegistry", me, params.guardian)
    out["TEEVerifier"] = backend.deploy(
        "TEEVerifier", out["InferenceEscrow"], out["ModelRegistry"], out["TEEAttestationRegistry"],
        params.tee_max_signature_age,
    )

    out["ZKVerifier"] = backend.deploy("ZKVerifier", out["ModelRegistry"])
    backend.transact("InferenceEscrow", out["InferenceEscrow"], "setVerifier", ZK_MODE, out["ZKVerifier"])

    out["OptimisticLayerVerifier"] = backend.deploy("OptimisticLayerVerifier", out["ModelRegistry"])
    backend.transact(
        "InferenceEscrow", out["InferenceEscrow"], "setVerifier", OPTIMISTIC_MODE, out["OptimisticLayerVerifier"]
    )

    out["BatchSettlement"] = backend.deploy(
        "BatchSettlement", out["InferenceEscrow"], params.batch_challenge_window, params.batch_payout_window,
        params.batch_withdrawal_notice,
    )

    backend.transact("OPGToken", out["OPGToken"], "grantRole", role("MINTER_ROLE"), out["RewardSettlement"])
    for name in ("JOB_MANAGER_ROLE", "SLASHER_ROLE"):
        backend.transact("ProviderStaking", out["ProviderStaking"], "grantRole", role(name), out["InferenceEscrow"])
    backend.transact(
        "ProviderStaking", out["ProviderStaking"], "grantRole", role("JOB_MANAGER_ROLE"), out["BatchSettlement"]
    )
    backend.transact(
        "RewardSettlement", out["RewardSettlement"], "grantRole", role("FEE_SOURCE_ROLE"), out["BatchSettlement"]
    )
    # Delegation: the settlement credits delegators through staking (set once).
    backend.transact("ProviderStaking", out["ProviderStaking"], "setRewardSettlement", out["RewardSettlement"])
    for name in ("ProviderStaking", "InferenceEscrow"):
        backend.transact(name, out[name], "grantRole", role("PAUSER_ROLE"), params.guardian)
        if params.guardian.lower() != me.lower() and name == "InferenceEscrow":
            backend.transact(name, out[name], "renounceRole", role("PAUSER_ROLE"), me)
    backend.transact("InferenceEscrow", out["InferenceEscrow"], "setVerifier", TEE_MODE, out["TEEVerifier"])
    if not governance_handover:
        return out
    governed = (
        "OPGToken", "ModelRegistry", "ProviderStaking", "RewardSettlement", "InferenceEscrow", "TEEAttestationRegistry"
    )
    for name in governed:
        backend.transact(name, out[name], "grantRole", DEFAULT_ADMIN_ROLE, out["OPGTimelock"])
        backend.transact(name, out[name], "renounceRole", DEFAULT_ADMIN_ROLE, me)
    return out


# -------------------------------------------------------------------------------------------------
# Build artifacts (ABI + bytecode) from Ape's build output, read as plain JSON.
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Artifact:
    abi: list[Mapping[str, Any]]
    bytecode: str


def load_artifacts(path: str | os.PathLike[str] | None = None) -> dict[str, Artifact]:
    """Read `.build/__local__.json` (written by `ape compile`) or the file named by OPG_ARTIFACTS."""
    src = Path(path or os.environ.get("OPG_ARTIFACTS") or Path.cwd() / ".build" / "__local__.json")
    try:
        types = json.loads(src.read_text())["contractTypes"]
    except FileNotFoundError:
        raise DeployError(f"no build artifacts at {src}: run `ape compile` (make does) first") from None
    out: dict[str, Artifact] = {}
    for name, ct in types.items():
        code = (ct.get("deploymentBytecode") or {}).get("bytecode") or "0x"
        out[name] = Artifact(abi=ct.get("abi", []), bytecode=code)
    missing = [n for n in SUITE if len(out.get(n, Artifact([], "0x")).bytecode) <= 2]
    if missing:
        raise DeployError(f"artifacts at {src} lack bytecode for {', '.join(missing)}")
    return out


class Web3Backend:
    """Deploys with web3.py from a local key, waiting for each receipt (deployment is one-off)."""

    def __init__(self, w3: Web3, account: LocalAccount, artifacts: Mapping[str, Artifact]) -> None:
        self._w3 = w3
        self._account = account
        self._artifacts = artifacts
        self._nonce = w3.eth.get_transaction_count(account.address, "pending")
        self.gas_used: dict[str, int] = {}

    @property
    def deployer(self) -> str:
        return self._account.address

    def nonce(self) -> int:
        return self._nonce

    def _send(self, tx: dict[str, Any], label: str) -> Any:
        base_fee = int(self._w3.eth.get_block("latest").get("baseFeePerGas", 0))
        tip = 10**9
        tx = {
            **tx,
            "from": self.deployer,
            "nonce": self._nonce,
            "chainId": self._w3.eth.chain_id,
            "maxPriorityFeePerGas": tip,
            "maxFeePerGas": 2 * base_fee + tip,
        }
        tx["gas"] = int(self._w3.eth.estimate_gas(tx) * 1.2)
        signed = self._account.sign_transaction(tx)
        tx_hash = self._w3.eth.send_raw_transaction(signed.raw_transaction)
        self._nonce += 1
        receipt = self._w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120, poll_latency=0.05)
        if receipt["status"] != 1:
            raise DeployError(f"{label} reverted (tx {tx_hash.hex()})")
        self.gas_used[label] = receipt["gasUsed"]
        return receipt

    def deploy(self, name: str, *args: Any) -> str:
        art = self._artifacts[name]
        factory = self._w3.eth.contract(abi=art.abi, bytecode=art.bytecode)
        tx = factory.constructor(*args).build_transaction({"from": self.deployer, "gas": 0})
        tx.pop("gas", None)
        receipt = self._send({"data": tx["data"]}, f"deploy {name}")
        return to_checksum_address(receipt["contractAddress"])

    def transact(self, name: str, address: str, function: str, *args: Any) -> None:
        contract = self._w3.eth.contract(address=to_checksum_address(address), abi=self._artifacts[name].abi)
        data = contract.get_function_by_name(function)(*args)._encode_transaction_data()
        self._send({"to": contract.address, "data": data}, f"{name}.{function}")


def build_manifest(
    network: str,
    chain_id: int,
    rpc_url: str,
    block: int,
    addresses: Mapping[str, str],
    abis: Mapping[str, Sequence[Mapping[str, Any]]],
    params: SuiteParams,
) -> Manifest:
    contracts = {
        MANIFEST_NAMES.get(name, name): ContractEntry(address=to_checksum_address(addr), abi=tuple(abis[name]))
        for name, addr in addresses.items()
    }
    return Manifest(network, chain_id, rpc_url, block, contracts, params.to_json())
