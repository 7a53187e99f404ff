"""Helpers of the client TEE tests (imported by module name; pytest puts this directory on sys.path)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from opg_client.localchain import LocalChain
from opg_client.tee import DevAttester

OPG = 10**18
PRICE = 2 * OPG
ROYALTY_BPS = 1_000
MIN_STAKE = 100 * OPG
ATTESTER = DevAttester(Account.from_key(keccak(text="client-tee-attester")))


@dataclass(frozen=True)
class TeeNet:
    chain: LocalChain
    manifest_path: Path
    model_id: int
    store: Path  # model store holding the shipped digits model
    governance: LocalAccount  # dev #0: DEFAULT_ADMIN_ROLE (no timelock handover) and REVOKER_ROLE
    researcher: LocalAccount
    providers: tuple[LocalAccount, LocalAccount]
    requester: LocalAccount

    @property
    def url(self) -> str:
        return self.chain.url
