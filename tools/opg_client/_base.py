"""Shared plumbing of the per-contract wrappers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from eth_account.signers.local import LocalAccount
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.logs import DISCARD
from web3.types import TxReceipt

from opg_client.tx import PendingTx

if TYPE_CHECKING:
    from opg_client.chain import OpgClient


class ContractWrapper:
    """One deployed contract of the manifest, over a client."""

    NAME = ""

    def __init__(self, client: OpgClient) -> None:
        self.client = client
        self.contract: Contract = client.contract(self.NAME)
        self.address: str = self.contract.address

    def _call(self, fn_name: str, *args: Any) -> Any:
        return self.client.call(self.contract.get_function_by_name(fn_name)(*args))

    def _fn(self, fn_name: str, *args: Any) -> ContractFunction:
        fn: ContractFunction = self.contract.get_function_by_name(fn_name)(*args)
        return fn

    def _send(self, account: LocalAccount, fn_name: str, *args: Any, gas: int | None = None) -> PendingTx:
        return self.client.sender(account).send(
            self._fn(fn_name, *args), gas=gas, label=f"{self.NAME}.{fn_name}"
        )

    def events_in(self, receipt: TxReceipt, event_name: str) -> list[Mapping[str, Any]]:
        """Decoded args of every `event_name` this contract emitted in `receipt`."""
        event = self.contract.events[event_name]()
        return [dict(log["args"]) for log in event.process_receipt(receipt, errors=DISCARD)]

    def event_in(self, receipt: TxReceipt, event_name: str) -> Mapping[str, Any]:
        found = self.events_in(receipt, event_name)
        if not found:
            raise LookupError(f"{self.NAME}.{event_name} not emitted in {receipt['transactionHash'].hex()}")
        return found[0]
