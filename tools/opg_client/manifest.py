"""Deployment manifest: `deployments/<network>.json`, written by `scripts/deploy.py`, read by the client.

{"network": "local", "chain_id": 31337, "rpc_url": "http://127.0.0.1:8545", "block": 12,
 "contracts": {"OPGToken": {"address": "0x..", "abi": [...]}, ...}, "params": {...}}
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_utils import is_address, to_checksum_address

from opg_client.errors import ManifestError

CORE_CONTRACTS = (
    "OPGToken",
    "ModelRegistry",
    "ProviderStaking",
    "InferenceEscrow",
    "RewardSettlement",
)
DEFAULT_DIR = Path("deployments")


@dataclass(frozen=True)
class ContractEntry:
    address: str  # checksummed
    abi: tuple[Mapping[str, Any], ...]

    @classmethod
    def from_dict(cls, name: str, raw: Mapping[str, Any]) -> ContractEntry:
        address = raw.get("address")
        abi = raw.get("abi")
        if not isinstance(address, str) or not is_address(address):
            raise ManifestError(f"contract {name}: address {address!r} is not an address")
        if not isinstance(abi, list):
            raise ManifestError(f"contract {name}: abi must be a list, got {type(abi).__name__}")
        return cls(address=to_checksum_address(address), abi=tuple(abi))

    def to_dict(self) -> dict[str, Any]:
        return {"address": self.address, "abi": list(self.abi)}


@dataclass(frozen=True)
class Manifest:
    network: str
    chain_id: int
    rpc_url: str
    block: int  # deployment block: event cursors start here
    contracts: Mapping[str, ContractEntry]
    params: Mapping[str, Any] = field(default_factory=dict)

    def contract(self, name: str) -> ContractEntry:
        try:
            return self.contracts[name]
        except KeyError:
            raise ManifestError(
                f"manifest for {self.network!r} has no contract {name!r} (has: {', '.join(self.contracts)})"
            ) from None

    def address(self, name: str) -> str:
        return self.contract(name).address

    @property
    def abis(self) -> dict[str, list[Mapping[str, Any]]]:
        return {name: list(entry.abi) for name, entry in self.contracts.items()}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Manifest:
        try:
            network = str(raw["network"])
            chain_id = raw["chain_id"]
            rpc_url = str(raw.get("rpc_url", ""))
            block = raw.get("block", 0)
            contracts_raw = raw["contracts"]
        except KeyError as exc:
            raise ManifestError(f"manifest lacks required key {exc.args[0]!r}") from None
        if not isinstance(chain_id, int) or isinstance(chain_id, bool):
            raise ManifestError(f"chain_id must be an integer, got {chain_id!r}")
        if not isinstance(block, int) or block < 0:
            raise ManifestError(f"block must be a non-negative integer, got {block!r}")
        if not isinstance(contracts_raw, Mapping):
            raise ManifestError("contracts must be an object of name -> {address, abi}")
        contracts = {name: ContractEntry.from_dict(name, entry) for name, entry in contracts_raw.items()}
        params = raw.get("params") or {}
        if not isinstance(params, Mapping):
            raise ManifestError("params must be an object")
        return cls(network, chain_id, rpc_url, block, contracts, dict(params))

    def to_dict(self) -> dict[str, Any]:
        return {
            "network": self.network,
            "chain_id": self.chain_id,
            "rpc_url": self.rpc_url,
            "block": self.block,
            "contracts": {name: entry.to_dict() for name, entry in self.contracts.items()},
            "params": dict(self.params),
        }


def manifest_path(network: str, directory: str | os.PathLike[str] = DEFAULT_DIR) -> Path:
    return Path(directory) / f"{network}.json"


def load_manifest(
    path_or_network: str | os.PathLike[str], directory: str | os.PathLike[str] = DEFAULT_DIR
) -> Manifest:
    """Load a manifest from a path, or from `<directory>/<network>.json` when given a bare network name."""
    path = Path(path_or_network)
    if path.suffix != ".json" and not path.exists():
        path = manifest_path(str(path_or_network), directory)
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        raise ManifestError(f"no deployment manifest at {path}") from None
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(raw, Mapping):
        raise ManifestError(f"{path} must hold a JSON object")
    return Manifest.from_dict(raw)


def write_manifest(manifest: Manifest, path: str | os.PathLike[str]) -> Path:
    """Atomically write `manifest` (temp file + rename): readers never see a half-written file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump(manifest.to_dict(), handle, indent=2, sort_keys=False)
            handle.write("\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
