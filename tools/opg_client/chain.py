"""`OpgClient`: one Web3 connection + the deployment manifest + shared sending machinery.

client = OpgClient.connect("deployments/local.json")          # refuses a manifest of another chain
requester = Requester(client, account)                          # role objects wrap one client
"""

from __future__ import annotations

import os
import threading
from functools import cached_property
from typing import TYPE_CHECKING, Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractLogicError
from web3.types import BlockIdentifier

from opg_client.errors import ErrorDecoder, WrongNetwork
from opg_client.manifest import Manifest, load_manifest
from opg_client.models import ENUMS
from opg_client.transport import RetryingHTTPProvider, RetryPolicy, with_retries
from opg_client.tx import FeeOracle, TxOptions, TxSender

if TYPE_CHECKING:
    from opg_client.batch import Batches
    from opg_client.escrow import Escrow
    from opg_client.registry import Registry
    from opg_client.rewards import Rewards
    from opg_client.staking import Staking
    from opg_client.token import Token


class OpgClient:
    """Everything talks to the chain through one of these; pass it explicitly (no globals)."""

    def __init__(
        self,
        w3: Web3,
        manifest: Manifest,
        *,
        tx_options: TxOptions | None = None,
        verify_chain: bool = True,
    ) -> None:
        self.w3 = w3
        self.manifest = manifest
        self.tx_options = tx_options or TxOptions()
        self.chain_id = int(w3.eth.chain_id)
        if verify_chain and self.chain_id != manifest.chain_id:
            raise WrongNetwork(
                manifest.chain_id, self.chain_id, getattr(w3.provider, "endpoint_uri", "") or ""
            )
        self.errors = ErrorDecoder(manifest.abis, ENUMS)
        self.fees = FeeOracle(w3, self.tx_options)
        self._contracts: dict[str, Contract] = {}
        self._senders: dict[str, TxSender] = {}
        self._lock = threading.Lock()

    @classmethod
    def connect(
        cls,
        manifest: Manifest | str | os.PathLike[str],
        rpc_url: str | None = None,
        *,
        timeout: float = 10.0,
        retry: RetryPolicy | None = None,
        tx_options: TxOptions | None = None,
        provider: RetryingHTTPProvider | None = None,
    ) -> OpgClient:
        """Connect to `rpc_url` (default: the manifest's) and check it serves the manifest's chain."""
        loaded = manifest if isinstance(manifest, Manifest) else load_manifest(manifest)
        provider = provider or RetryingHTTPProvider(rpc_url or loaded.rpc_url, timeout=timeout, retry=retry)
        w3 = Web3(provider)
        # The validation middleware asks eth_chainId before every call / estimate: we check it once here.
        w3.middleware_onion.remove("validation")
        return cls(w3, loaded, tx_options=tx_options)

    # ------------------------------------------------------------------------------------ contracts

    def contract(self, name: str) -> Contract:
        with self._lock:
            found = self._contracts.get(name)
            if found is None:
                entry = self.manifest.contract(name)
                found = self.w3.eth.contract(address=entry.address, abi=list(entry.abi))  # type: ignore[call-overload]
                self._contracts[name] = found
            return found

    def call(self, fn: ContractFunction, block: BlockIdentifier = "latest") -> Any:
        """eth_call a view; a revert raises the decoded named error; transient failures are retried."""
        try:
            return with_retries(lambda: fn.call(block_identifier=block), self.tx_options.retry, fn.fn_name)
        except ContractLogicError as exc:
            decoded = self.errors.from_exception(exc)
            raise (decoded or exc) from None

    def sender(self, account: LocalAccount) -> TxSender:
        """The (shared, thread-safe) sender for `account`: one nonce counter per account per client."""
        with self._lock:
            found = self._senders.get(account.address)
            if found is None:
                found = TxSender(
                    self.w3,
                    account,
                    self.errors,
                    chain_id=self.chain_id,
                    options=self.tx_options,
                    fees=self.fees,
                )
                self._senders[account.address] = found
            return found

    # ---------------------------------------------------------------------------------------- chain

    def block_number(self) -> int:
        return int(self.w3.eth.block_number)

    def timestamp(self, block: BlockIdentifier = "latest") -> int:
        """Unix seconds of `block` (the chain's clock, not the local one)."""
        return int(self.w3.eth.get_block(block)["timestamp"])

    def eth_balance(self, address: str) -> int:
        return int(self.w3.eth.get_balance(address))  # type: ignore[arg-type]

    # ------------------------------------------------------------------------------------- wrappers

    @cached_property
    def token(self) -> Token:
        from opg_client.token import Token

        return Token(self)

    @cached_property
    def registry(self) -> Registry:
        from opg_client.registry import Registry

        return Registry(self)

    @cached_property
    def staking(self) -> Staking:
        from opg_client.staking import Staking

        return Staking(self)

    @cached_property
    def escrow(self) -> Escrow:
        from opg_client.escrow import Escrow

        return Escrow(self)

    @cached_property
    def rewards(self) -> Rewards:
        from opg_client.rewards import Rewards

        return Rewards(self)

    @cached_property
    def batches(self) -> Batches:
        from opg_client.batch import Batches

        return Batches(self)
