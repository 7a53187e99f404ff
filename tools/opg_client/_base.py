"""Shared plumbing of the per-contract wrappers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from eth_abi.exceptions import EncodingError, InsufficientDataBytes
from eth_account.signers.local import LocalAccount
from eth_utils import function_abi_to_4byte_selector
from eth_utils.abi import collapse_if_tuple
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import InvalidEventABI, LogTopicError, MismatchedABI
from web3.types import TxReceipt

from opg_client.events import EventAbi
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
        self._functions: dict[str, tuple[bytes, list[str]] | None] = {}
        self._events: dict[str, EventAbi] = {}

    def _call(self, fn_name: str, *args: Any) -> Any:
        return self.client.call(self.contract.get_function_by_name(fn_name)(*args))

    def _fn(self, fn_name: str, *args: Any) -> ContractFunction:
        fn: ContractFunction = self.contract.get_function_by_name(fn_name)(*args)
        return fn

    def _function(self, fn_name: str) -> tuple[bytes, list[str]] | None:
        """(selector, argument types) of `fn_name`, cached; None when the name is overloaded or unknown."""
        if fn_name not in self._functions:
            found = [i for i in self.contract.abi if i.get("type") == "function" and i.get("name") == fn_name]
            self._functions[fn_name] = (
                (function_abi_to_4byte_selector(found[0]), [collapse_if_tuple(i) for i in found[0]["inputs"]])  # type: ignore[arg-type]
                if len(found) == 1 else None
            )
        return self._functions[fn_name]

    def calldata(self, fn_name: str, *args: Any) -> dict[str, Any]:
        """`{"to", "data"}` of a call to `fn_name(*args)`, a `Sendable` for `TxSender.send` / `send_many`.

        The fast path: the cached selector plus `codec.encode` of the arguments, without building a web3
        `ContractFunction` (which matches the ABI against the arguments on every call). Arguments eth_abi does not
        take as they are (ENS names, hex strings for bytes, dicts for structs) go through web3, as do its errors."""
        found = self._function(fn_name)
        if found is not None:
            selector, types = found
            try:
                return {"to": self.address, "data": "0x" + (selector + self.client.w3.codec.encode(types, args)).hex()}
            except (EncodingError, TypeError, ValueError, OverflowError):
                pass
        return {"to": self.address, "data": self._fn(fn_name, *args)._encode_transaction_data()}

    def _send(self, account: LocalAccount, fn_name: str, *args: Any, gas: int | None = None) -> PendingTx:
        return self.client.sender(account).send(
            self.calldata(fn_name, *args), gas=gas, label=f"{self.NAME}.{fn_name}"
        )

    def _event(self, event_name: str) -> EventAbi:
        if event_name not in self._events:
            self._events[event_name] = EventAbi(self.contract.events[event_name].abi, self.client.w3.codec)
        return self._events[event_name]

    def events_in(self, receipt: TxReceipt, event_name: str) -> list[Mapping[str, Any]]:
        """Decoded args of every `event_name` this contract emitted in `receipt` (logs of other events, or that
        do not decode as this one, are skipped, as web3's `process_receipt(errors=DISCARD)` does)."""
        event = self._event(event_name)
        out: list[Mapping[str, Any]] = []
        for log in receipt["logs"]:
            topics = log.get("topics") or []
            if not topics or bytes(topics[0]) != event.topic:
                continue
            try:
                out.append(event.args(log))
            except (MismatchedABI, LogTopicError, InvalidEventABI, TypeError, InsufficientDataBytes):
                continue
        return out

    def event_in(self, receipt: TxReceipt, event_name: str) -> Mapping[str, Any]:
        found = self.events_in(receipt, event_name)
        if not found:
            raise LookupError(f"{self.NAME}.{event_name} not emitted in {receipt['transactionHash'].hex()}")
        return found[0]
