"""Shared helpers of the client-library tests (imported by module name; pytest puts this dir on sys.path)."""

from __future__ import annotations

from typing import Any

from eth_utils import keccak
from opg_client.chain import OpgClient
from opg_client.models import ModelRef, VerificationMode
from opg_client.roles import Provider, Researcher

OPG = 10**18
PRICE = 2 * OPG


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
