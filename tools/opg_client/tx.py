"""Transaction sender: local signing, shared nonce counter, EIP-1559 fees, gas headroom, pipelining.

    pending = [sender.send(token.functions.transfer(to, 1)) for to in recipients]  # no waiting
    receipts = sender.wait_all(pending)                                           # one batch poll loop
    receipt = sender.transact(token.functions.approve(spender, amount))            # send + wait + check

`send` returns as soon as the node accepted the raw transaction. Transient RPC failures on submission
are retried only after checking (``eth_getTransactionByHash``) that the node does not already have it;
resending identical signed bytes can never create a second transaction.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eth_abi.exceptions import EncodingError
from eth_account._utils.signing import sign_transaction_dict
from eth_account.signers.local import LocalAccount
from eth_typing import HexStr
from eth_utils import function_abi_to_4byte_selector, is_address, keccak, to_checksum_address
from eth_utils.abi import collapse_if_tuple
from hexbytes import HexBytes
from web3 import Web3
from web3._utils.method_formatters import receipt_formatter
from web3.contract.contract import ContractFunction
from web3.datastructures import AttributeDict
from web3.exceptions import ContractLogicError, TransactionNotFound
from web3.types import RPCEndpoint, TxReceipt

from opg_client.errors import (
    ContractRevert,
    ErrorDecoder,
    RpcUnavailable,
    TxDropped,
    TxError,
    TxReverted,
    TxTimeout,
)
from opg_client.events import _hash32, _opt_int, checksum, format_log
from opg_client.nonce import NonceManager
from opg_client.transport import RetryPolicy, is_transient, with_retries

if TYPE_CHECKING:
    from web3.types import TxParams

log = logging.getLogger(__name__)
Sendable = ContractFunction | Mapping[str, Any]

_ALREADY_KNOWN = ("already known", "already imported", "known transaction", "alreadyknown")
_NONCE_CONFLICT = ("nonce too low", "replacement transaction underpriced", "nonce has already been used")
_FEE_TOO_LOW = ("max fee per gas less than block base fee", "fee cap less than block base fee")


try:  # libsecp256k1 bindings (eth_keys' own fast backend); without them every tx takes eth_account's path
    from coincurve import PrivateKey as _Secp256k1Key
except ImportError:  # pragma: no cover - coincurve is in requirements.lock
    _Secp256k1Key = None

# --------------------------------------------------------------------------------------- fast paths
# Encoding, signing and receipt formatting without web3's / eth_account's generic machinery (validation,
# normalizers, recursive formatters): each produces exactly what the generic path does (tests compare them)
# and hands anything outside its narrow case to the generic path.

_SELECTORS: dict[int, tuple[Any, bytes, list[str]]] = {}  # id(fn abi) -> (abi, selector, argument types)


def encode_calldata(call: ContractFunction) -> str:
    """`call._encode_transaction_data()`: the cached selector + `codec.encode` of the arguments."""
    abi = call.abi
    cached = _SELECTORS.get(id(abi))
    if cached is None or cached[0] is not abi:
        cached = (abi, function_abi_to_4byte_selector(abi), [collapse_if_tuple(i) for i in abi.get("inputs", [])])
        _SELECTORS[id(abi)] = cached
    if not call.kwargs:
        try:
            return "0x" + (cached[1] + call.w3.codec.encode(cached[2], call.args)).hex()
        except (EncodingError, TypeError, ValueError, OverflowError):
            pass  # ENS names, hex strings for bytes, dicts for structs, ...: web3 normalizes or raises
    return call._encode_transaction_data()


_TYPE2_FIELDS = frozenset({"to", "data", "value", "gas", "chainId", "nonce", "maxFeePerGas", "maxPriorityFeePerGas"})


def _rlp_length(length: int, offset: int) -> bytes:
    if length < 56:
        return bytes((offset + length,))
    encoded = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes((offset + 55 + len(encoded),)) + encoded


def _rlp(item: int | bytes | list[Any]) -> bytes:
    if isinstance(item, list):
        payload = b"".join(_rlp(i) for i in item)
        return _rlp_length(len(payload), 0xC0) + payload
    if isinstance(item, int):
        item = item.to_bytes((item.bit_length() + 7) // 8, "big")
    if len(item) == 1 and item[0] < 0x80:
        return item
    return _rlp_length(len(item), 0x80) + item


def sign_type2(key: Any, tx: Mapping[str, Any]) -> tuple[bytes, str] | None:
    """EIP-1559 transaction `tx` (exactly `_TYPE2_FIELDS`, ints, `to` a checksummed address) signed with a
    coincurve key: (raw bytes, hash), the same bytes as `sign_transaction_dict` (RFC 6979, low s). None: not
    this case (the caller takes eth_account's path)."""
    if tx.keys() != _TYPE2_FIELDS:
        return None
    to, data = tx["to"], tx["data"]
    ints = [tx["chainId"], tx["nonce"], tx["maxPriorityFeePerGas"], tx["maxFeePerGas"], tx["gas"], tx["value"]]
    if not (isinstance(to, str) and len(to) == 42 and to[:2] == "0x" and checksum(to) == to) or any(
        type(v) is not int or v < 0 for v in ints
    ):
        return None
    if isinstance(data, str):
        data = bytes.fromhex(data[2:] if data[:2] in ("0x", "0X") else data)
    elif not isinstance(data, bytes | bytearray):
        return None
    fields: list[Any] = [*ints[:5], bytes.fromhex(to[2:]), ints[5], bytes(data), []]
    signature = key.sign_recoverable(keccak(b"\x02" + _rlp(fields)), hasher=None)
    raw = b"\x02" + _rlp([*fields, signature[64], int.from_bytes(signature[:32], "big"),
                           int.from_bytes(signature[32:64], "big")])
    return raw, "0x" + keccak(raw).hex()


def _address_or_none(value: Any) -> Any:
    return None if value is None else checksum(value) if isinstance(value, str) else to_checksum_address(value)


def _logs_bloom(value: Any) -> HexBytes:
    out = HexBytes(value)
    if len(out) > 256:
        raise ValueError(f"logsBloom of {len(out)} bytes")
    return out


_RECEIPT_FIELDS: dict[str, Any] = {
    "blockHash": _hash32,
    "blockNumber": _opt_int,
    "transactionIndex": _opt_int,
    "transactionHash": _hash32,
    "cumulativeGasUsed": _opt_int,
    "status": _opt_int,
    "gasUsed": _opt_int,
    "contractAddress": _address_or_none,
    "logs": lambda logs: [format_log(log) for log in logs],
    "logsBloom": _logs_bloom,
    "from": _address_or_none,
    "to": lambda value: _address_or_none(value) if is_address(value) else value,
    "effectiveGasPrice": _opt_int,
    "type": _opt_int,
    "blobGasPrice": _opt_int,
    "blobGasUsed": _opt_int,
}


def format_receipt(raw: Mapping[str, Any]) -> TxReceipt:
    """A JSON-RPC receipt as web3 returns it (`receipt_formatter` + `AttributeDict.recursive`), field by field
    without the generic formatters; an unexpected shape takes web3's own path."""
    try:
        out = {}
        for key, value in raw.items():
            formatter = _RECEIPT_FIELDS.get(key)
            out[key] = formatter(value) if formatter is not None else AttributeDict.recursive(value)
        return AttributeDict(out)  # type: ignore[return-value]
    except (TypeError, ValueError, KeyError, AttributeError):
        return AttributeDict.recursive(receipt_formatter(raw))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class TxOptions:
    confirmations: int = 1  # blocks including the one with the receipt
    gas_headroom_bps: int = 2_000  # estimate * (1 + 20%)
    timeout: float = 120.0  # seconds to wait for receipts
    poll_interval: float = 0.05  # seconds between receipt polls (at most: the first re-polls come sooner)
    fee_ttl: float = 1.0  # seconds a fee quote is reused (one RPC per quote, not per tx)
    max_fee_multiplier: int = 2  # maxFeePerGas = base fee * this + priority fee
    priority_fee: int | None = None  # wei; None = node's eth_maxPriorityFeePerGas
    retry: RetryPolicy = field(default_factory=RetryPolicy)


@dataclass(frozen=True)
class FeeQuote:
    max_fee_per_gas: int
    max_priority_fee_per_gas: int


class FeeOracle:
    """EIP-1559 fee quote, cached for `ttl` seconds and shared by every sender of a client."""

    def __init__(self, w3: Web3, options: TxOptions) -> None:
        self._w3 = w3
        self._options = options
        self._lock = threading.Lock()
        self._quote: FeeQuote | None = None
        self._at = 0.0

    def quote(self, refresh: bool = False) -> FeeQuote:
        with self._lock:
            now = time.monotonic()
            if refresh or self._quote is None or now - self._at > self._options.fee_ttl:
                block = self._w3.eth.get_block("latest")
                base = int(block.get("baseFeePerGas", 0) or 0)
                prio = self._options.priority_fee
                if prio is None:
                    prio = int(self._w3.eth.max_priority_fee)
                self._quote = FeeQuote(base * self._options.max_fee_multiplier + prio, prio)
                self._at = now
            return self._quote


@dataclass
class PendingTx:
    """A transaction the node accepted; `wait()` for its receipt."""

    tx_hash: str
    nonce: int
    sender: TxSender = field(repr=False)
    params: dict[str, Any] = field(repr=False)
    label: str = ""

    def wait(self, timeout: float | None = None, *, check: bool = True) -> TxReceipt:
        return self.sender.wait(self, timeout=timeout, check=check)


class TxSender:
    """Sends transactions for one LocalAccount. Safe to share between threads."""

    def __init__(
        self,
        w3: Web3,
        account: LocalAccount,
        decoder: ErrorDecoder,
        *,
        chain_id: int,
        options: TxOptions | None = None,
        fees: FeeOracle | None = None,
        nonces: NonceManager | None = None,
    ) -> None:
        self.w3 = w3
        self.account = account
        self.address = account.address
        self.decoder = decoder
        self.chain_id = chain_id
        self.options = options or TxOptions()
        self.fees = fees or FeeOracle(w3, self.options)
        self.nonces = nonces or NonceManager(
            lambda: with_retries(
                lambda: self.w3.eth.get_transaction_count(self.address, "pending"),
                self.options.retry,
                "eth_getTransactionCount",
            )
        )

    # ---------------------------------------------------------------------------------------- build

    def _base_params(self, call: Sendable, value: int) -> dict[str, Any]:
        if isinstance(call, ContractFunction):
            params: dict[str, Any] = {"to": call.address, "data": encode_calldata(call)}
        else:
            params = {k: v for k, v in call.items() if k in ("to", "data", "value", "gas")}
        if value:
            params["value"] = value
        params.setdefault("value", 0)
        params["from"] = self.address
        return params

    def estimate_gas(self, call: Sendable, *, value: int = 0) -> int:
        """Gas estimate with headroom; a revert is raised as the decoded named error."""
        params = self._base_params(call, value)
        params.pop("gas", None)
        try:
            estimate = self.w3.eth.estimate_gas(params)  # type: ignore[arg-type]
        except ContractLogicError as exc:
            raise self._decoded(exc) from None
        return estimate * (10_000 + self.options.gas_headroom_bps) // 10_000

    def _decoded(self, exc: ContractLogicError) -> ContractRevert:
        decoded = self.decoder.from_exception(exc)
        assert decoded is not None  # ContractLogicError always decodes (to UnknownRevert at worst)
        return decoded

    # ----------------------------------------------------------------------------------------- send

    def _prepare(self, call: Sendable, value: int, gas: int | None) -> dict[str, Any]:
        params = self._base_params(call, value)
        params.pop("from")
        if gas is None:
            gas = params.pop("gas", None) or self.estimate_gas(call, value=value)
        params["gas"] = gas
        params["chainId"] = self.chain_id
        return params

    def _sign(self, params: dict[str, Any], nonce: int, quote: FeeQuote) -> tuple[bytes, str]:
        tx = {**params, "nonce": nonce, "maxFeePerGas": quote.max_fee_per_gas}
        tx["maxPriorityFeePerGas"] = quote.max_priority_fee_per_gas
        fast = self._secp256k1()
        if fast is not None:
            signed_fast = sign_type2(fast, tx)
            if signed_fast is not None:
                return signed_fast
        key = getattr(self.account, "_key_obj", None)
        if key is None:  # not eth_account's LocalAccount internals: the public (slower) path
            signed = self.account.sign_transaction(tx)
            return bytes(signed.raw_transaction), "0x" + bytes(signed.hash).hex()
        # Same as LocalAccount.sign_transaction minus re-deriving the key (an EC multiply) for every tx.
        _, _, _, encoded = sign_transaction_dict(key, tx)
        return bytes(encoded), "0x" + keccak(encoded).hex()

    def _secp256k1(self) -> Any:
        """The account's key as a coincurve key (built once), or None (no coincurve, or not a local key)."""
        key = getattr(self, "_secp_key", False)
        if key is False:
            secret = getattr(self.account, "key", None)
            key = _Secp256k1Key(bytes(secret)) if _Secp256k1Key is not None and isinstance(secret, bytes) else None
            self._secp_key = key
        return key

    def _pending(self, params: dict[str, Any], nonce: int, tx_hash: str, label: str) -> PendingTx:
        return PendingTx(tx_hash, nonce, self, {**params, "from": self.address, "nonce": nonce}, label)

    def send(self, call: Sendable, *, value: int = 0, gas: int | None = None, label: str = "") -> PendingTx:
        """Sign and broadcast; return without waiting for the receipt.

        `gas` skips estimation (callers pipelining dependent transactions must pass it, since the
        estimate would run against state without the earlier, still pending, transactions).
        """
        return self._send_prepared(self._prepare(call, value, gas), label)

    def _send_prepared(self, params: dict[str, Any], label: str) -> PendingTx:
        refresh_fees = False
        for _ in range(4):
            quote = self.fees.quote(refresh=refresh_fees)
            nonce = self.nonces.reserve()
            raw, tx_hash = self._sign(params, nonce, quote)
            outcome = self._broadcast(raw, tx_hash, nonce)
            if outcome == "sent":
                return self._pending(params, nonce, tx_hash, label)
            refresh_fees = self._recover(outcome, nonce)
        raise TxError(f"could not broadcast {label or 'transaction'} from {self.address} after 4 attempts")

    def _recover(self, outcome: str, nonce: int) -> bool:
        """After a "nonce" or "fee" outcome: fix the counter; returns whether to refresh fees."""
        if outcome == "nonce":
            log.info("nonce %d of %s conflicts; resyncing", nonce, self.address)
            self.nonces.resync()
            return False
        self.nonces.release(nonce)  # "fee": never broadcast, so the nonce is free again
        return True

    def send_many(
        self, calls: Sequence[Sendable], *, gas: int | None = None, value: int = 0, label: str = ""
    ) -> list[PendingTx]:
        """Sign many transactions with consecutive nonces and broadcast them in JSON-RPC batches.

        The fastest path (one HTTP request per 100 transactions). Items the node refuses are retried one
        by one through `send`'s checks. Returns pending handles in the order of `calls`.
        """
        prepared = [self._prepare(call, value, gas) for call in calls]
        quote = self.fees.quote()
        signed = []
        for params in prepared:
            nonce = self.nonces.reserve()
            raw, tx_hash = self._sign(params, nonce, quote)
            signed.append((params, nonce, raw, tx_hash))
        out: list[PendingTx] = []
        for start in range(0, len(signed), 100):
            chunk = signed[start : start + 100]
            errors = self._submit_batch([raw for _, _, raw, _ in chunk])
            for (params, nonce, raw, tx_hash), error in zip(chunk, errors, strict=True):
                outcome = "sent" if error is None else self._classify(error, raw, tx_hash, nonce)
                if outcome == "sent":
                    out.append(self._pending(params, nonce, tx_hash, label))
                else:
                    log.warning("batch item %s (nonce %d) refused: %s", tx_hash, nonce, error)
                    self._recover(outcome, nonce)
                    out.append(self._send_prepared(params, label))
        return out

    def _submit_batch(self, raws: list[bytes]) -> list[BaseException | str | None]:
        """One batch request; per item None (accepted) or the error (message or transport exception)."""
        batch: list[tuple[Any, Any]] = [("eth_sendRawTransaction", ["0x" + raw.hex()]) for raw in raws]
        try:
            responses = self.w3.provider.make_batch_request(batch)  # type: ignore[attr-defined]
        except Exception as exc:
            if not is_transient(exc):
                raise
            return [exc] * len(raws)  # each is then checked by hash before any resend
        if not isinstance(responses, list):
            message = str(responses.get("error", responses)) if isinstance(responses, dict) else str(responses)
            return [message] * len(raws)
        results: list[BaseException | str | None] = []
        for response in responses:
            error = response.get("error")
            results.append(None if error is None else str(error.get("message", error)))
        return results

    def _classify(self, error: BaseException | str, raw: bytes, tx_hash: str, nonce: int) -> str:
        if isinstance(error, BaseException):  # transient: the node may have it; check before resending
            return "sent" if self._known(tx_hash) else self._broadcast(raw, tx_hash, nonce)
        message = error.lower()
        if any(text in message for text in _ALREADY_KNOWN):
            return "sent"
        if any(text in message for text in _NONCE_CONFLICT):
            return "sent" if self._known(tx_hash) else "nonce"
        if any(text in message for text in _FEE_TOO_LOW):
            return "fee"
        return self._broadcast(raw, tx_hash, nonce)  # anything else: the single path raises it properly

    def _known(self, tx_hash: str) -> bool:
        try:
            with_retries(lambda: self.w3.eth.get_transaction(HexStr(tx_hash)), self.options.retry, "eth_getTransaction")
        except TransactionNotFound:
            return False
        return True

    def _broadcast(self, raw: bytes, tx_hash: str, nonce: int) -> str:
        """Returns "sent", "nonce" (nonce taken by another tx) or "fee" (fee below base fee)."""
        delays = self.options.retry.delays()
        while True:
            try:
                response = self.w3.provider.make_request(RPCEndpoint("eth_sendRawTransaction"), ["0x" + raw.hex()])
            except Exception as exc:
                if not is_transient(exc):
                    raise
                if self._known(tx_hash):  # the node got it before the connection failed
                    return "sent"
                delay = next(delays, None)
                if delay is None:
                    self.nonces.release(nonce)
                    raise RpcUnavailable(f"could not submit {tx_hash}: {exc}") from exc
                log.warning("transient failure submitting %s (%s); resending in %.2fs", tx_hash, exc, delay)
                time.sleep(delay)
                continue
            error = response.get("error")
            if error is None:
                return "sent"
            message = str(error.get("message", error)) if isinstance(error, dict) else str(error)
            lowered = message.lower()
            if any(text in lowered for text in _ALREADY_KNOWN):
                return "sent"
            if any(text in lowered for text in _NONCE_CONFLICT):
                return "sent" if self._known(tx_hash) else "nonce"
            if any(text in lowered for text in _FEE_TOO_LOW):
                return "fee"
            self.nonces.release(nonce)
            data = error.get("data") if isinstance(error, dict) else None
            if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
                raise self.decoder.decode(data)
            raise TxError(f"node rejected {tx_hash}: {message}")

    def transact(
        self,
        call: Sendable,
        *,
        value: int = 0,
        gas: int | None = None,
        label: str = "",
        timeout: float | None = None,
    ) -> TxReceipt:
        """Send, wait for the receipt (and confirmations); a revert raises the decoded named error."""
        return self.send(call, value=value, gas=gas, label=label).wait(timeout)

    # ----------------------------------------------------------------------------------------- wait

    def wait(self, pending: PendingTx, *, timeout: float | None = None, check: bool = True) -> TxReceipt:
        return self.wait_all([pending], timeout=timeout, check=check)[0]

    def wait_all(
        self, pendings: Sequence[PendingTx], *, timeout: float | None = None, check: bool = True
    ) -> list[TxReceipt]:
        """Collect receipts of many pending transactions with batched polling, in the given order.

        With `check`, the first reverted transaction (in order) raises its decoded error, carrying
        `tx_hash`; receipts of the others are still collected first.
        """
        timeout = self.options.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        outstanding = {p.tx_hash: p for p in pendings}
        receipts: dict[str, TxReceipt] = {}
        pause = min(0.005, self.options.poll_interval)  # re-poll soon (a burst is often mined within ms), then back off
        while outstanding:
            for tx_hash, receipt in self._fetch_receipts(list(outstanding)).items():
                receipts[tx_hash] = receipt
                del outstanding[tx_hash]
            if not outstanding:
                break
            if time.monotonic() > deadline:
                self._raise_if_dropped(outstanding.values())
                raise TxTimeout(list(outstanding), timeout)
            time.sleep(pause)
            pause = min(2 * pause, self.options.poll_interval)
        if receipts and self.options.confirmations > 1:
            self._await_confirmations(max(int(r["blockNumber"]) for r in receipts.values()), deadline, timeout)
        ordered = [receipts[p.tx_hash] for p in pendings]
        if check:
            for pending, receipt in zip(pendings, ordered, strict=True):
                if receipt["status"] != 1:
                    raise self._revert_error(pending, receipt)
        return ordered

    def _fetch_receipts(self, hashes: list[str]) -> dict[str, TxReceipt]:
        found: dict[str, TxReceipt] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start : start + 500]
            batch: list[tuple[Any, Any]] = [("eth_getTransactionReceipt", [h]) for h in chunk]
            responses = self.w3.provider.make_batch_request(batch)  # type: ignore[attr-defined]
            if not isinstance(responses, list):
                raise TxError(f"receipt batch failed: {responses}")
            for tx_hash, response in zip(chunk, responses, strict=True):
                result = response.get("result")
                if result:
                    found[tx_hash] = format_receipt(result)
        return found

    def _await_confirmations(self, block: int, deadline: float, timeout: float) -> None:
        target = block + self.options.confirmations - 1
        while self.w3.eth.block_number < target:
            if time.monotonic() > deadline:
                raise TxTimeout([], timeout)
            time.sleep(self.options.poll_interval)

    def _raise_if_dropped(self, pendings: Iterable[PendingTx]) -> None:
        mined_nonce = self.w3.eth.get_transaction_count(self.address, "latest")
        for pending in pendings:
            if pending.nonce < mined_nonce and not self._known(pending.tx_hash):
                raise TxDropped(pending.tx_hash, pending.nonce)

    def _revert_error(self, pending: PendingTx, receipt: TxReceipt) -> TxError | ContractRevert:
        """Replay a failed transaction as eth_call at its block's parent to recover the revert data."""
        params: TxParams = {
            "from": self.address,
            "to": pending.params["to"],
            "data": HexBytes(pending.params.get("data", b"")),
            "value": pending.params.get("value", 0),
            "gas": pending.params["gas"],
        }
        try:
            self.w3.eth.call(params, int(receipt["blockNumber"]) - 1)
        except ContractLogicError as exc:
            cause = self._decoded(exc)
            cause.tx_hash = pending.tx_hash  # type: ignore[attr-defined]
            return cause
        return TxReverted(pending.tx_hash)
