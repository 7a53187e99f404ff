"""Shared helpers of the client-library tests (imported by module name; pytest puts this dir on sys.path)."""

from __future__ import annotations

from typing import Any

import requests
from eth_utils import keccak

from opg_client.chain import OpgClient
from opg_client.models import ModelRef, VerificationMode
from opg_client.roles import Provider, Researcher

OPG = 10**18
PRICE = 2 * OPG


def rpc(url: str, method: str, params: list[Any] | None = None) -> Any:
    """A raw JSON-RPC call (Anvil cheat codes: evm_snapshot, evm_revert, evm_increaseTime, evm_mine)."""
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}
    reply = requests.post(url, json=body, timeout=10).json()
    if "error" in reply:
        raise RuntimeError(f"{method}: {reply['error']}")
    return reply["result"]


def advance_time(url: str, seconds: int) -> None:
    rpc(url, "evm_increaseTime", [seconds])
    rpc(url, "evm_mine")


def model_params(seed: int = 1, price: int = PRICE, royalty_bps: int = 1_000) -> Any:
    return Researcher.params(
        weights_hash=keccak(text=f"weights-{seed}"),
        layer_commitments=[keccak(text=f"layer-{seed}-{i}") for i in range(3)],
        uri=f"ipfs://model-{seed}",
        price=price,
        royalty_bps=royalty_bps,
        modes=[VerificationMode.Optimistic],
    )


def register_model(client: OpgClient, deployment: Any, seed: int = 1) -> ModelRef:
    return Researcher(client, deployment.actors.researcher).register_model(model_params(seed))


def staked_provider(client: OpgClient, deployment: Any, model_id: int, amount: int = 100 * OPG) -> Provider:
    provider = Provider(client, deployment.actors.provider)
    provider.stake(amount)
    provider.serve(model_id)
    return provider
