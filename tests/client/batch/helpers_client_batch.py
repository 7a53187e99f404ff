"""Shared constants and helpers of the client batch tests (imported by module name)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import requests
from eth_account.signers.local import LocalAccount

OPG = 10**18
PRICE = OPG


@dataclass(frozen=True)
class BatchNet:
    url: str
    manifest_path: Path
    model_id: int
    provider: LocalAccount
    requesters: tuple[LocalAccount, ...]
    watcher: LocalAccount


def rpc(url: str, method: str, params: list[object] | None = None) -> object:
    reply = requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []},
                          timeout=10).json()
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]
