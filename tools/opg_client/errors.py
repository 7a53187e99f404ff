"""Exceptions. One root, `OpgError`; every Solidity custom error decodes to a named `ContractRevert` subclass.

Named classes for the protocol's errors live in `opg_client.contract_errors` (declared, with sentences);
an error found in an ABI but not declared there still decodes, to a class generated on first sight
(`error_class(name)`), so decoding never loses information.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from eth_abi import decode as abi_decode
from eth_utils import keccak, to_checksum_address
from web3.exceptions import ContractLogicError

from opg_client.units import format_opg, short_address

if TYPE_CHECKING:
    from opg_client.models import AttestationStatus, JobStatus, VerificationMode


class OpgError(Exception):
    """Root of every error this package raises on purpose."""


class ManifestError(OpgError):
    """The deployment manifest is missing, malformed or lacks a contract."""


class WrongNetwork(OpgError):
    """The manifest was written for another chain than the node we are connected to."""

    def __init__(self, expected_chain_id: int, actual_chain_id: int, rpc_url: str = "") -> None:
        self.expected_chain_id = expected_chain_id
        self.actual_chain_id = actual_chain_id
        self.rpc_url = rpc_url
        where = f" at {rpc_url}" if rpc_url else ""
        super().__init__(
            f"WrongNetwork: the manifest is for chain {expected_chain_id}, "
            f"but the node{where} is chain {actual_chain_id}"
        )


class RpcUnavailable(OpgError):
    """The node kept failing with transient errors (connection, timeout, 429/5xx) after all retries."""


class TxError(OpgError):
    """A transaction could not be sent or did not succeed."""


class TxTimeout(TxError):
    """Receipts did not arrive in time; the transactions may still be mined later."""

    def __init__(self, tx_hashes: Sequence[str], timeout: float) -> None:
        self.tx_hashes = list(tx_hashes)
        self.timeout = timeout
        super().__init__(f"TxTimeout: {len(self.tx_hashes)} transaction(s) not mined within {timeout:g} s")


class TxDropped(TxError):
    """Our nonce was used by another transaction, so this one can never be mined."""

    def __init__(self, tx_hash: str, nonce: int) -> None:
        self.tx_hash = tx_hash
        self.nonce = nonce
        super().__init__(f"TxDropped: nonce {nonce} was used by another transaction; {tx_hash} will never mine")


class TxReverted(TxError):
    """A mined transaction has status 0. `cause` is the decoded revert when it could be recovered."""

    def __init__(self, tx_hash: str, cause: ContractRevert | None = None) -> None:
        self.tx_hash = tx_hash
        self.cause = cause
        reason = f": {cause}" if cause is not None else ""
        super().__init__(f"TxReverted: transaction {tx_hash} reverted{reason}")


class JobTimeout(OpgError):
    """A job's result did not arrive within the wait timeout."""

    def __init__(self, job_id: int, timeout: float, status: Any = None) -> None:
        self.job_id = job_id
        self.timeout = timeout
        self.status = status
        state = f" (status {getattr(status, 'name', status)})" if status is not None else ""
        super().__init__(f"JobTimeout: job {job_id} has no result after {timeout:g} s{state}")


# --------------------------------------------------------------------------------------------------
# Contract reverts

_AMOUNT_NAME = re.compile(
    r"amount|fee|stake|balance|allowance|have|need|price|bond|collateral|value|free|reward|claim"
    r"|supply|cap|mint|deposit|locked|owed|min|max|total|available|requested|bounty|payout|slash",
    re.IGNORECASE,
)
_NOT_AMOUNT_NAME = re.compile(
    r"bps|id$|ids$|time|deadline|delay|block|epoch|nonce|count|index|version|mode|mask|layer|status"
    r"|window|period|duration|at$|until|since|length|len$|size",
    re.IGNORECASE,
)


def is_amount_arg(name: str, abi_type: str = "uint256") -> bool:
    """Heuristic: an unsigned integer argument whose name says it is an amount of OPG (wei)."""
    return abi_type.startswith("uint") and bool(_AMOUNT_NAME.search(name)) and not _NOT_AMOUNT_NAME.search(name)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _humanize(name: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])([A-Z])", r" \1", name).split()
    return " ".join([words[0], *[w.lower() for w in words[1:]]]) if words else name


def _format_value(name: str, abi_type: str, value: Any) -> str:
    if isinstance(value, IntEnum):
        return value.name.rstrip("_")
    if abi_type == "address" or (isinstance(value, str) and len(value) == 42 and value.startswith("0x")):
        return short_address(value)
    if isinstance(value, bytes):
        hexed = "0x" + value.hex()
        return hexed if len(hexed) <= 14 else f"{hexed[:10]}…"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int) and is_amount_arg(name, abi_type or "uint256"):
        return format_opg(value)
    return str(value)


_RESERVED = frozenset({"values", "contract", "data", "types", "args", "error_name"})


class ContractRevert(OpgError):
    """A contract reverted. Subclasses are named after the Solidity error; arguments are attributes.

    ``values`` maps the Solidity argument names to their decoded values; each is also an attribute under
    its Solidity name and its snake_case name (``jobId`` and ``job_id``).
    """

    template: ClassVar[str | None] = None  # e.g. "provider {provider} has {have} staked, needs {need}"
    amount_args: ClassVar[frozenset[str] | None] = None  # overrides the name heuristic when set
    time_args: ClassVar[frozenset[str]] = frozenset()  # unix seconds, shown with their UTC time

    def __init__(
        self,
        values: Mapping[str, Any] | None = None,
        *,
        contract: str | None = None,
        types: Mapping[str, str] | None = None,
        data: bytes = b"",
        **kwargs: Any,
    ) -> None:
        merged = {**(values or {}), **kwargs}
        self.values: dict[str, Any] = merged
        self.contract = contract
        self.data = data
        self.types: dict[str, str] = dict(types or {})
        for key, value in merged.items():
            for attr in {key, _snake(key)}:
                if attr.isidentifier() and attr not in _RESERVED and not hasattr(type(self), attr):
                    setattr(self, attr, value)
        super().__init__(self._message())

    @property
    def error_name(self) -> str:
        return type(self).__name__

    def _formatted(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in self.values.items():
            abi_type = self.types.get(key, "")
            if key in self.time_args and isinstance(value, int):
                out[key] = f"{value} ({datetime.fromtimestamp(value, UTC):%Y-%m-%d %H:%M:%S} UTC)"
            elif self.amount_args is not None and isinstance(value, int) and not isinstance(value, IntEnum):
                out[key] = format_opg(value) if key in self.amount_args else str(value)
            else:
                out[key] = _format_value(key, abi_type, value)
        return out

    def _message(self) -> str:
        formatted = self._formatted()
        if self.template is not None:
            try:
                return f"{self.error_name}: {self.template.format(**formatted)}"
            except (KeyError, IndexError):
                pass  # template does not match these args: fall back to the generic sentence
        if not formatted:
            return f"{self.error_name}: {_humanize(self.error_name).lower()}"
        parts = ", ".join(f"{_humanize(k).lower()} {v}" for k, v in formatted.items())
        return f"{self.error_name}: {_humanize(self.error_name).lower()} ({parts})"


class RevertWithReason(ContractRevert):
    """`revert("reason")` / `require(cond, "reason")` (Solidity `Error(string)`)."""

    template = "reverted with reason {reason!s}"


class Panic(ContractRevert):
    """Solidity `Panic(uint256)`: assert failure, arithmetic overflow, division by zero, …"""

    template = "panic code {code}"
    amount_args = frozenset()


class UnknownRevert(ContractRevert):
    """A revert whose data matches no known error (or carries no data)."""

    template = "reverted with undecodable data {raw}"


_REGISTRY: dict[str, type[ContractRevert]] = {}


_C = TypeVar("_C", bound=type[ContractRevert])


def register(cls: _C) -> _C:
    """Class decorator: make `cls` the exception raised for the Solidity error of the same name."""
    _REGISTRY[cls.__name__] = cls
    return cls


def error_class(name: str) -> type[ContractRevert]:
    """The named exception class for Solidity error `name` (generated and registered if undeclared)."""
    cls = _REGISTRY.get(name)
    if cls is None:
        cls = type(name, (ContractRevert,), {"__module__": __name__, "__doc__": f"Solidity error {name}."})
        _REGISTRY[name] = cls
    return cls


def declared_errors() -> dict[str, type[ContractRevert]]:
    return dict(_REGISTRY)


def __getattr__(name: str) -> type[ContractRevert]:
    """`errors.SomeError` works for every registered error (declared or generated from an ABI)."""
    if name in _REGISTRY:
        return _REGISTRY[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------------------------------
# Decoding

ERROR_STRING_SELECTOR = bytes.fromhex("08c379a0")
PANIC_SELECTOR = bytes.fromhex("4e487b71")
EnumResolver = Mapping[str, type[IntEnum]]


def _canonical_type(param: Mapping[str, Any]) -> str:
    abi_type = str(param["type"])
    if abi_type.startswith("tuple"):
        inner = ",".join(_canonical_type(c) for c in param.get("components", []))
        return f"({inner}){abi_type[len('tuple') :]}"
    return abi_type


class _ErrorSpec:
    __slots__ = ("contract", "enums", "name", "names", "types")

    def __init__(self, contract: str, entry: Mapping[str, Any], enums: EnumResolver) -> None:
        self.contract = contract
        self.name = str(entry["name"])
        inputs = list(entry.get("inputs", []))
        self.names = [str(p.get("name") or f"arg{i}") for i, p in enumerate(inputs)]
        self.types = [_canonical_type(p) for p in inputs]
        self.enums: dict[int, type[IntEnum]] = {}
        for i, param in enumerate(inputs):
            internal = str(param.get("internalType", ""))
            if internal.startswith("enum "):
                enum_name = internal.split()[-1].split(".")[-1]
                if enum_name in enums:
                    self.enums[i] = enums[enum_name]

    @property
    def signature(self) -> str:
        return f"{self.name}({','.join(self.types)})"

    def build(self, payload: bytes, data: bytes) -> ContractRevert:
        raw = abi_decode(self.types, payload)
        values: dict[str, Any] = {}
        for i, (name, abi_type, value) in enumerate(zip(self.names, self.types, raw, strict=True)):
            if i in self.enums:
                with contextlib.suppress(ValueError):  # out-of-range enum value: keep the int
                    value = self.enums[i](value)
            elif abi_type == "address":
                value = to_checksum_address(value)
            values[name] = value
        cls = error_class(self.name)
        return cls(values, contract=self.contract, types=dict(zip(self.names, self.types, strict=True)), data=data)


class ErrorDecoder:
    """Maps 4-byte selectors of every `type: error` ABI entry to named exceptions."""

    def __init__(self, abis: Mapping[str, Iterable[Mapping[str, Any]]], enums: EnumResolver | None = None):
        self._specs: dict[bytes, _ErrorSpec] = {}
        for contract, abi in abis.items():
            for entry in abi:
                if entry.get("type") != "error":
                    continue
                spec = _ErrorSpec(contract, entry, enums or {})
                selector = keccak(text=spec.signature)[:4]
                self._specs.setdefault(selector, spec)
                error_class(spec.name)  # register so `errors.<Name>` resolves

    @property
    def error_names(self) -> set[str]:
        return {spec.name for spec in self._specs.values()}

    def decode(self, data: bytes | str | None) -> ContractRevert:
        """Revert data (bytes or 0x-hex) -> the named exception (never raises for odd data)."""
        blob = _to_bytes(data)
        if len(blob) < 4:
            return UnknownRevert(raw="0x" + blob.hex() if blob else "(none)", data=blob)
        selector, payload = blob[:4], blob[4:]
        try:
            if selector == ERROR_STRING_SELECTOR:
                (reason,) = abi_decode(["string"], payload)
                return RevertWithReason(reason=reason, data=blob)
            if selector == PANIC_SELECTOR:
                (code,) = abi_decode(["uint256"], payload)
                return Panic(code=hex(code), data=blob)
            spec = self._specs.get(selector)
            if spec is not None:
                return spec.build(payload, blob)
        except (ValueError, TypeError, OverflowError) as exc:  # eth_abi DecodingError is a ValueError
            return UnknownRevert(raw=f"0x{blob.hex()} ({exc})", data=blob)
        return UnknownRevert(raw="0x" + blob.hex(), data=blob)

    def from_exception(self, exc: BaseException) -> ContractRevert | None:
        """Decode a web3 revert exception (ContractCustomError / ContractLogicError / Panic); else None."""
        if isinstance(exc, ContractRevert):
            return exc
        if not isinstance(exc, ContractLogicError):
            return None
        data = exc.data
        if isinstance(data, dict):
            data = data.get("data") or data.get("result")
        if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
            return self.decode(data)
        message = exc.message or str(exc)
        match = re.search(r"execution reverted: (.+)", message)
        if match:
            return RevertWithReason(reason=match.group(1), data=b"")
        return UnknownRevert(raw=message, data=b"")


def _to_bytes(data: bytes | str | None) -> bytes:
    if data is None:
        return b""
    if isinstance(data, bytes | bytearray):
        return bytes(data)
    text = data[2:] if data.startswith("0x") else data
    try:
        return bytes.fromhex(text)
    except ValueError:
        return b""


# --------------------------------------------------------------------------------------------------
# Declared protocol errors (contracts/interfaces/I*.sol and the OpenZeppelin errors they surface).
# `amount_args` are wei of OPG (shown as OPG); `time_args` are unix seconds (shown with UTC time).


# OPGToken / OpenZeppelin


@register
class ERC20InsufficientBalance(ContractRevert):
    """`error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)`."""

    sender: str
    balance: int
    needed: int
    template = "{sender} has {balance}, needs {needed}"
    amount_args = frozenset({"balance", "needed"})


@register
class ERC20InsufficientAllowance(ContractRevert):
    """`error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)`."""

    spender: str
    allowance: int
    needed: int
    template = "spender {spender} is allowed {allowance}, needs {needed}"
    amount_args = frozenset({"allowance", "needed"})


@register
class ERC20InvalidSender(ContractRevert):
    """`error ERC20InvalidSender(address sender)`."""

    sender: str
    template = "invalid sender {sender}"
    amount_args = frozenset()


@register
class ERC20InvalidReceiver(ContractRevert):
    """`error ERC20InvalidReceiver(address receiver)`."""

    receiver: str
    template = "invalid receiver {receiver}"
    amount_args = frozenset()


@register
class ERC20InvalidApprover(ContractRevert):
    """`error ERC20InvalidApprover(address approver)`."""

    approver: str
    template = "invalid approver {approver}"
    amount_args = frozenset()


@register
class ERC20InvalidSpender(ContractRevert):
    """`error ERC20InvalidSpender(address spender)`."""

    spender: str
    template = "invalid spender {spender}"
    amount_args = frozenset()


@register
class ERC20ExceededCap(ContractRevert):
    """`error ERC20ExceededCap(uint256 increasedSupply, uint256 cap)`."""

    increasedSupply: int
    increased_supply: int
    cap: int
    template = "supply would reach {increasedSupply}, above the cap of {cap}"
    amount_args = frozenset({"increasedSupply", "cap"})


@register
class ERC2612ExpiredSignature(ContractRevert):
    """`error ERC2612ExpiredSignature(uint256 deadline)`."""

    deadline: int
    template = "the permit expired at {deadline}"
    amount_args = frozenset()
    time_args = frozenset({"deadline"})


@register
class ERC2612InvalidSigner(ContractRevert):
    """`error ERC2612InvalidSigner(address signer, address owner)`."""

    signer: str
    owner: str
    template = "the permit was signed by {signer}, not by the owner {owner}"
    amount_args = frozenset()


@register
class InvalidAccountNonce(ContractRevert):
    """`error InvalidAccountNonce(address account, uint256 currentNonce)`."""

    account: str
    currentNonce: int
    current_nonce: int
    template = "{account} expected nonce {currentNonce}"
    amount_args = frozenset()


@register
class GenesisSupplyAboveCap(ContractRevert):
    """`error GenesisSupplyAboveCap(uint256 genesisSupply, uint256 cap)`."""

    genesisSupply: int
    genesis_supply: int
    cap: int
    template = "genesis supply {genesisSupply} exceeds the cap of {cap}"
    amount_args = frozenset({"genesisSupply", "cap"})


@register
class ZeroAdmin(ContractRevert):
    """`error ZeroAdmin()`."""

    template = "the admin must not be the zero address"
    amount_args = frozenset()


@register
class AccessControlUnauthorizedAccount(ContractRevert):
    """`error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)`."""

    account: str
    neededRole: bytes
    needed_role: bytes
    template = "{account} lacks role {neededRole}"
    amount_args = frozenset()


@register
class AccessControlBadConfirmation(ContractRevert):
    """`error AccessControlBadConfirmation()`."""

    template = "the role renouncer must confirm its own address"
    amount_args = frozenset()


@register
class EnforcedPause(ContractRevert):
    """`error EnforcedPause()`."""

    template = "the contract is paused"
    amount_args = frozenset()


@register
class ExpectedPause(ContractRevert):
    """`error ExpectedPause()`."""

    template = "the contract is not paused"
    amount_args = frozenset()


@register
class ReentrancyGuardReentrantCall(ContractRevert):
    """`error ReentrancyGuardReentrantCall()`."""

    template = "re-entrant call refused"
    amount_args = frozenset()


@register
class SafeERC20FailedOperation(ContractRevert):
    """`error SafeERC20FailedOperation(address token)`."""

    token: str
    template = "a transfer of token {token} failed"
    amount_args = frozenset()


@register
class ECDSAInvalidSignature(ContractRevert):
    """`error ECDSAInvalidSignature()`."""

    template = "invalid signature"
    amount_args = frozenset()


@register
class ECDSAInvalidSignatureLength(ContractRevert):
    """`error ECDSAInvalidSignatureLength(uint256 length)`."""

    length: int
    template = "invalid signature length {length}"
    amount_args = frozenset()


@register
class ECDSAInvalidSignatureS(ContractRevert):
    """`error ECDSAInvalidSignatureS(bytes32 s)`."""

    s: bytes
    template = "invalid signature s value {s}"
    amount_args = frozenset()


@register
class ERC20InvalidCap(ContractRevert):
    """`error ERC20InvalidCap(uint256 cap)`."""

    cap: int
    template = "invalid cap {cap}"
    amount_args = frozenset({"cap"})


@register
class InvalidShortString(ContractRevert):
    """`error InvalidShortString()`."""

    template = "invalid short string"
    amount_args = frozenset()


@register
class StringTooLong(ContractRevert):
    """`error StringTooLong(string str)`."""

    str: str
    template = "string too long: {str}"
    amount_args = frozenset()


@register
class SafeCastOverflowedUintDowncast(ContractRevert):
    """`error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value)`."""

    bits: int
    value: int
    template = "value {value} does not fit in {bits} bits"
    amount_args = frozenset()


# ModelRegistry


@register
class ZeroAddress(ContractRevert):
    """`error ZeroAddress()`."""

    template = "an address argument was the zero address"
    amount_args = frozenset()


@register
class ZeroWeightsHash(ContractRevert):
    """`error ZeroWeightsHash()`."""

    template = "the weights hash must not be zero"
    amount_args = frozenset()


@register
class EmptyLayerCommitments(ContractRevert):
    """`error EmptyLayerCommitments()`."""

    template = "a version needs at least one layer commitment"
    amount_args = frozenset()


@register
class ZeroLayerCommitment(ContractRevert):
    """`error ZeroLayerCommitment(uint256 layer)`."""

    layer: int
    template = "the commitment of layer {layer} is zero"
    amount_args = frozenset()


@register
class RoyaltyAboveMax(ContractRevert):
    """`error RoyaltyAboveMax(uint16 royaltyBps, uint16 maxRoyaltyBps)`."""

    royaltyBps: int
    royalty_bps: int
    maxRoyaltyBps: int
    max_royalty_bps: int
    template = "royalty {royaltyBps} bps exceeds the maximum of {maxRoyaltyBps} bps"
    amount_args = frozenset()


@register
class MaxRoyaltyAboveHardCap(ContractRevert):
    """`error MaxRoyaltyAboveHardCap(uint16 maxRoyaltyBps, uint16 hardCapBps)`."""

    maxRoyaltyBps: int
    max_royalty_bps: int
    hardCapBps: int
    hard_cap_bps: int
    template = "maximum royalty {maxRoyaltyBps} bps exceeds the hard cap of {hardCapBps} bps"
    amount_args = frozenset()


@register
class InvalidModesMask(ContractRevert):
    """`error InvalidModesMask(uint8 modesMask)`."""

    modesMask: int
    modes_mask: int
    template = "verification modes mask {modesMask} is empty or has unknown bits"
    amount_args = frozenset()


@register
class ZkVerifierRequired(ContractRevert):
    """`error ZkVerifierRequired(uint8 modesMask)`."""

    modesMask: int
    modes_mask: int
    template = "modes mask {modesMask} supports ZK but the version names no circuit verifier"
    amount_args = frozenset()


@register
class PriceAboveMax(ContractRevert):
    """`error PriceAboveMax(uint256 pricePerJob, uint256 max)`."""

    pricePerJob: int
    price_per_job: int
    max: int
    template = "price per job {pricePerJob} exceeds the maximum of {max}"
    amount_args = frozenset({"pricePerJob", "max"})


@register
class NotModelOwner(ContractRevert):
    """`error NotModelOwner(uint32 modelId, address caller)`."""

    modelId: int
    model_id: int
    caller: str
    template = "{caller} does not own model {modelId}"
    amount_args = frozenset()


@register
class NotPendingOwner(ContractRevert):
    """`error NotPendingOwner(uint32 modelId, address caller)`."""

    modelId: int
    model_id: int
    caller: str
    template = "{caller} is not the pending owner of model {modelId}"
    amount_args = frozenset()


@register
class UnknownModel(ContractRevert):
    """`error UnknownModel(uint32 modelId)`."""

    modelId: int
    model_id: int
    template = "model {modelId} does not exist"
    amount_args = frozenset()


@register
class UnknownModelVersion(ContractRevert):
    """`error UnknownModelVersion(uint32 modelId, uint16 version)`."""

    modelId: int
    model_id: int
    version: int
    template = "model {modelId} has no version {version}"
    amount_args = frozenset()


@register
class LayerOutOfRange(ContractRevert):
    """`error LayerOutOfRange(uint32 modelId, uint16 version, uint256 layer, uint256 layerCount)`."""

    modelId: int
    model_id: int
    version: int
    layer: int
    layerCount: int
    layer_count: int
    template = "layer {layer} is out of range: model {modelId} v{version} has {layerCount} layers"
    amount_args = frozenset()


@register
class ModelIsDeprecated(ContractRevert):
    """`error ModelIsDeprecated(uint32 modelId)`."""

    modelId: int
    model_id: int
    template = "model {modelId} is deprecated"
    amount_args = frozenset()


@register
class VersionIsDeprecated(ContractRevert):
    """`error VersionIsDeprecated(uint32 modelId, uint16 version)`."""

    modelId: int
    model_id: int
    version: int
    template = "version {version} of model {modelId} is already deprecated"
    amount_args = frozenset()


@register
class TooManyVersions(ContractRevert):
    """`error TooManyVersions(uint32 modelId)`."""

    modelId: int
    model_id: int
    template = "model {modelId} has the maximum number of versions"
    amount_args = frozenset()


# ProviderStaking


@register
class ZeroAmount(ContractRevert):
    """`error ZeroAmount()`."""

    template = "the amount must be positive"
    amount_args = frozenset()


@register
class StakeTooLow(ContractRevert):
    """`error StakeTooLow(address provider, uint256 have, uint256 need)`."""

    provider: str
    have: int
    need: int
    template = "provider {provider} has {have} staked, needs {need}"
    amount_args = frozenset({"have", "need"})


@register
class InsufficientFreeStake(ContractRevert):
    """`error InsufficientFreeStake(address provider, uint256 free, uint256 need)`."""

    provider: str
    free: int
    need: int
    template = "provider {provider} has {free} of free stake, needs {need}"
    amount_args = frozenset({"free", "need"})


@register
class RemainingStakeTooLow(ContractRevert):
    """`error RemainingStakeTooLow(address provider, uint256 remaining, uint256 need)`."""

    provider: str
    remaining: int
    need: int
    template = "provider {provider} would keep {remaining} staked, below the minimum of {need} (exit fully or stay)"
    amount_args = frozenset({"remaining", "need"})


@register
class NotServingModel(ContractRevert):
    """`error NotServingModel(address provider, uint32 modelId)`."""

    provider: str
    modelId: int
    model_id: int
    template = "provider {provider} does not serve model {modelId}"
    amount_args = frozenset()


@register
class AlreadyServingModel(ContractRevert):
    """`error AlreadyServingModel(address provider, uint32 modelId)`."""

    provider: str
    modelId: int
    model_id: int
    template = "provider {provider} already serves model {modelId}"
    amount_args = frozenset()


@register
class ModelNotFound(ContractRevert):
    """`error ModelNotFound(uint32 modelId)`."""

    modelId: int
    model_id: int
    template = "model {modelId} does not exist"
    amount_args = frozenset()


@register
class InsufficientCollateral(ContractRevert):
    """`error InsufficientCollateral(address provider, uint256 locked, uint256 need)`."""

    provider: str
    locked: int
    need: int
    template = "provider {provider} has {locked} of collateral locked, needs {need}"
    amount_args = frozenset({"locked", "need"})


@register
class NothingToWithdraw(ContractRevert):
    """`error NothingToWithdraw(address provider)`."""

    provider: str
    template = "provider {provider} has nothing unbonding"
    amount_args = frozenset()


@register
class UnbondingLocked(ContractRevert):
    """`error UnbondingLocked(address provider, uint256 unlockAt)`."""

    provider: str
    unlockAt: int
    unlock_at: int
    template = "the unbonding stake of provider {provider} unlocks at {unlockAt}"
    amount_args = frozenset()
    time_args = frozenset({"unlockAt"})


@register
class NothingToSlash(ContractRevert):
    """`error NothingToSlash(address provider)`."""

    provider: str
    template = "provider {provider} has no free or unbonding stake to slash"
    amount_args = frozenset()


@register
class InvalidMinStake(ContractRevert):
    """`error InvalidMinStake(uint256 minStake)`."""

    minStake: int
    min_stake: int
    template = "minimum stake {minStake} is out of range"
    amount_args = frozenset({"minStake"})


@register
class InvalidUnbondingDelay(ContractRevert):
    """`error InvalidUnbondingDelay(uint64 unbondingDelay)`."""

    unbondingDelay: int
    unbonding_delay: int
    template = "unbonding delay {unbondingDelay} s is out of range"
    amount_args = frozenset()


@register
class SlashRewardBpsTooHigh(ContractRevert):
    """`error SlashRewardBpsTooHigh(uint16 slashRewardBps, uint16 max)`."""

    slashRewardBps: int
    slash_reward_bps: int
    max: int
    template = "slash reward {slashRewardBps} bps exceeds {max} bps"
    amount_args = frozenset()


@register
class SlashBurnBpsTooHigh(ContractRevert):
    """`error SlashBurnBpsTooHigh(uint16 slashBurnBps, uint16 max)`."""

    slashBurnBps: int
    slash_burn_bps: int
    max: int
    template = "slash burn {slashBurnBps} bps exceeds {max} bps"
    amount_args = frozenset()


# InferenceEscrow


@register
class InvalidJobStatus(ContractRevert):
    """`error InvalidJobStatus(uint256 jobId, JobStatus status)`."""

    jobId: int
    job_id: int
    status: JobStatus
    template = "job {jobId} is {status}, which does not allow this"
    amount_args = frozenset()


@register
class JobMismatch(ContractRevert):
    """`error JobMismatch(uint256 jobId)`."""

    jobId: int
    job_id: int
    template = "the Job struct passed for job {jobId} is not its current one (stale or altered)"
    amount_args = frozenset()


@register
class NotRequester(ContractRevert):
    """`error NotRequester(uint256 jobId, address caller)`."""

    jobId: int
    job_id: int
    caller: str
    template = "{caller} is not the requester of job {jobId}"
    amount_args = frozenset()


@register
class NotProvider(ContractRevert):
    """`error NotProvider(uint256 jobId, address caller)`."""

    jobId: int
    job_id: int
    caller: str
    template = "{caller} is not the provider of job {jobId}"
    amount_args = frozenset()


@register
class DeadlinePassed(ContractRevert):
    """`error DeadlinePassed(uint256 jobId, uint64 deadline)`."""

    jobId: int
    job_id: int
    deadline: int
    template = "the deadline of job {jobId} passed at {deadline}"
    amount_args = frozenset()
    time_args = frozenset({"deadline"})


@register
class DeadlineNotPassed(ContractRevert):
    """`error DeadlineNotPassed(uint256 jobId, uint64 deadline)`."""

    jobId: int
    job_id: int
    deadline: int
    template = "job {jobId} runs until {deadline}"
    amount_args = frozenset()
    time_args = frozenset({"deadline"})


@register
class ChallengeWindowOpen(ContractRevert):
    """`error ChallengeWindowOpen(uint256 jobId, uint64 challengeEnd)`."""

    jobId: int
    job_id: int
    challengeEnd: int
    challenge_end: int
    template = "the challenge window of job {jobId} is open until {challengeEnd}"
    amount_args = frozenset()
    time_args = frozenset({"challengeEnd"})


@register
class ChallengeWindowClosed(ContractRevert):
    """`error ChallengeWindowClosed(uint256 jobId, uint64 challengeEnd)`."""

    jobId: int
    job_id: int
    challengeEnd: int
    challenge_end: int
    template = "the challenge window of job {jobId} closed at {challengeEnd}"
    amount_args = frozenset()
    time_args = frozenset({"challengeEnd"})


@register
class InvalidDeadline(ContractRevert):
    """`error InvalidDeadline(uint64 deadline, uint64 latest)`."""

    deadline: int
    latest: int
    template = "deadline {deadline} must be in the future and no later than {latest}"
    amount_args = frozenset()
    time_args = frozenset({"deadline", "latest"})


@register
class FeeBelowPrice(ContractRevert):
    """`error FeeBelowPrice(uint256 fee, uint256 price)`."""

    fee: int
    price: int
    template = "fee {fee} is below the model price of {price}"
    amount_args = frozenset({"fee", "price"})


@register
class FeeTooLarge(ContractRevert):
    """`error FeeTooLarge(uint256 fee)`."""

    fee: int
    template = "fee {fee} is too large"
    amount_args = frozenset({"fee"})


@register
class ModelVersionDeprecated(ContractRevert):
    """`error ModelVersionDeprecated(uint32 modelId, uint16 version)`."""

    modelId: int
    model_id: int
    version: int
    template = "version {version} of model {modelId} is deprecated"
    amount_args = frozenset()


@register
class ModeNotSupported(ContractRevert):
    """`error ModeNotSupported(uint32 modelId, uint16 version, VerificationMode mode)`."""

    modelId: int
    model_id: int
    version: int
    mode: VerificationMode
    template = "model {modelId} v{version} does not support {mode} verification"
    amount_args = frozenset()


@register
class VerifierNotSet(ContractRevert):
    """`error VerifierNotSet(VerificationMode mode)`."""

    mode: VerificationMode
    template = "no verifier is set for {mode} verification"
    amount_args = frozenset()


@register
class ProofRejected(ContractRevert):
    """`error ProofRejected(uint256 jobId)`."""

    jobId: int
    job_id: int
    template = "the verifier rejected the proof of job {jobId}"
    amount_args = frozenset()


@register
class CommitmentMismatch(ContractRevert):
    """`error CommitmentMismatch(uint256 jobId, bytes32 commitment)`."""

    jobId: int
    job_id: int
    commitment: bytes
    template = "the hashes do not match the commitment {commitment} of job {jobId}"
    amount_args = frozenset()


@register
class InvalidTraceRoot(ContractRevert):
    """`error InvalidTraceRoot(uint256 jobId, uint256 proofLength)`."""

    jobId: int
    job_id: int
    proofLength: int
    proof_length: int
    template = "an optimistic result for job {jobId} needs a 32-byte trace root as proof, got {proofLength} bytes"
    amount_args = frozenset()


@register
class NotSettlement(ContractRevert):
    """`error NotSettlement(address caller)`."""

    caller: str
    template = "{caller} is not the settlement contract"
    amount_args = frozenset()


@register
class JobCapacityReached(ContractRevert):
    """`error JobCapacityReached()`."""

    template = "the escrow cannot take a new job: 2^40 - 1 jobs issued, or 2^23 - 1 jobs live at once"
    amount_args = frozenset()


@register
class InvalidWiring(ContractRevert):
    """`error InvalidWiring()`."""

    template = "the escrow and settlement contracts do not point at each other"
    amount_args = frozenset()


@register
class InvalidCollateralTerms(ContractRevert):
    """`error InvalidCollateralTerms(uint256 ratioBps, uint256 minCollateral)`."""

    ratioBps: int
    ratio_bps: int
    minCollateral: int
    min_collateral: int
    template = "collateral ratio {ratioBps} bps / minimum {minCollateral} out of range"
    amount_args = frozenset({"minCollateral"})


@register
class InvalidChallengeWindow(ContractRevert):
    """`error InvalidChallengeWindow(uint64 window)`."""

    window: int
    template = "challenge window {window} s is out of range"
    amount_args = frozenset()


@register
class InvalidChallengeBond(ContractRevert):
    """`error InvalidChallengeBond(uint256 bond)`."""

    bond: int
    template = "challenge bond {bond} is too large"
    amount_args = frozenset({"bond"})


# ZKVerifier


@register
class CircuitVerifierNotSet(ContractRevert):
    """`error CircuitVerifierNotSet(uint32 modelId, uint16 version)`."""

    modelId: int
    model_id: int
    version: int
    template = "model {modelId} v{version} has no ZK circuit verifier"
    amount_args = frozenset()


@register
class NotACircuitVerifier(ContractRevert):
    """`error NotACircuitVerifier(uint32 modelId, uint16 version, address verifier)`."""

    modelId: int
    model_id: int
    version: int
    verifier: str
    template = "model {modelId} v{version} names {verifier} as its ZK verifier, which is not an EZKL circuit verifier"
    amount_args = frozenset()


@register
class MalformedZkProof(ContractRevert):
    """`error MalformedZkProof(uint256 jobId)`."""

    jobId: int
    job_id: int
    template = "the ZK proof of job {jobId} is not abi.encode(bytes proof, uint256[] instances)"
    amount_args = frozenset()


@register
class InstanceCountMismatch(ContractRevert):
    """`error InstanceCountMismatch(uint256 jobId, uint256 expected, uint256 actual)`."""

    jobId: int
    job_id: int
    expected: int
    actual: int
    template = "the ZK proof of job {jobId} has {actual} public instances; the circuit has {expected}"
    amount_args = frozenset()


@register
class InstanceOutOfRange(ContractRevert):
    """`error InstanceOutOfRange(uint256 jobId, uint256 index, uint256 instance)`."""

    jobId: int
    job_id: int
    index: int
    instance: int
    template = "public instance {index} of job {jobId}'s ZK proof is not an int32"
    amount_args = frozenset()


@register
class InputNotBound(ContractRevert):
    """`error InputNotBound(uint256 jobId, bytes32 inputHash, bytes32 provedInputHash)`."""

    jobId: int
    job_id: int
    inputHash: bytes
    input_hash: bytes
    provedInputHash: bytes
    proved_input_hash: bytes
    template = "the ZK proof of job {jobId} is for another input"
    amount_args = frozenset()


@register
class OutputNotBound(ContractRevert):
    """`error OutputNotBound(uint256 jobId, bytes32 outputHash, bytes32 provedOutputHash)`."""

    jobId: int
    job_id: int
    outputHash: bytes
    output_hash: bytes
    provedOutputHash: bytes
    proved_output_hash: bytes
    template = "the output submitted for job {jobId} is not the output its ZK proof proves"
    amount_args = frozenset()


@register
class ChallengeNotSupported(ContractRevert):
    """`error ChallengeNotSupported(uint256 jobId)`."""

    jobId: int
    job_id: int
    template = "ZK job {jobId} settles at submit and cannot be challenged"
    amount_args = frozenset()


# RewardSettlement


@register
class NotEscrow(ContractRevert):
    """`error NotEscrow(address caller)`."""

    caller: str
    template = "{caller} is not the escrow contract"
    amount_args = frozenset()


@register
class NothingToClaim(ContractRevert):
    """`error NothingToClaim(address account)`."""

    account: str
    template = "{account} has nothing to claim"
    amount_args = frozenset()


@register
class TreasuryFeeTooHigh(ContractRevert):
    """`error TreasuryFeeTooHigh(uint16 bps, uint16 max)`."""

    bps: int
    max: int
    template = "treasury fee {bps} bps exceeds {max} bps"
    amount_args = frozenset()


@register
class InvalidSchedule(ContractRevert):
    """`error InvalidSchedule(uint64 genesisTime, uint64 epochLength, uint256 initialEmission, uint16 decayBps)`."""

    genesisTime: int
    genesis_time: int
    epochLength: int
    epoch_length: int
    initialEmission: int
    initial_emission: int
    decayBps: int
    decay_bps: int
    template = (
        "invalid emission schedule (genesis {genesisTime}, epoch {epochLength} s, initial {initialEmission}, "
        "decay {decayBps} bps)"
    )
    amount_args = frozenset({"initialEmission"})
    time_args = frozenset({"genesisTime"})


# TEEAttestationRegistry


@register
class ZeroMeasurement(ContractRevert):
    """`error ZeroMeasurement()`."""

    template = "the enclave measurement must not be zero"
    amount_args = frozenset()


@register
class MeasurementAlreadyKnown(ContractRevert):
    """`error MeasurementAlreadyKnown(bytes32 measurement, AttestationStatus status)`."""

    measurement: bytes
    status: AttestationStatus
    template = "enclave measurement {measurement} is already {status} (revocation is final)"
    amount_args = frozenset()


@register
class MeasurementNotApproved(ContractRevert):
    """`error MeasurementNotApproved(bytes32 measurement, AttestationStatus status)`."""

    measurement: bytes
    status: AttestationStatus
    template = "enclave measurement {measurement} is {status}, not approved"
    amount_args = frozenset()


@register
class AttesterAlreadyKnown(ContractRevert):
    """`error AttesterAlreadyKnown(address attester, AttestationStatus status)`."""

    attester: str
    status: AttestationStatus
    template = "attestation verifier {attester} is already {status} (revocation is final)"
    amount_args = frozenset()


@register
class AttesterNotApproved(ContractRevert):
    """`error AttesterNotApproved(address attester, AttestationStatus status)`."""

    attester: str
    status: AttestationStatus
    template = "{attester} is {status}, not an approved attestation verifier"
    amount_args = frozenset()


@register
class InvalidAttestationSignature(ContractRevert):
    """`error InvalidAttestationSignature()`."""

    template = "the attestation statement's signature is malformed"
    amount_args = frozenset()


@register
class InvalidKeyExpiry(ContractRevert):
    """`error InvalidKeyExpiry(uint64 expiresAt, uint64 latest)`."""

    expiresAt: int
    expires_at: int
    latest: int
    template = "enclave key expiry {expiresAt} must be in the future and no later than {latest}"
    amount_args = frozenset()
    time_args = frozenset({"expiresAt", "latest"})


@register
class EnclaveKeyAlreadyRegistered(ContractRevert):
    """`error EnclaveKeyAlreadyRegistered(address enclaveKey, address operator)`."""

    enclaveKey: str
    enclave_key: str
    operator: str
    template = "enclave key {enclaveKey} is already registered (for {operator})"
    amount_args = frozenset()


@register
class UnknownEnclaveKey(ContractRevert):
    """`error UnknownEnclaveKey(address enclaveKey)`: also what a forged / replayed / wrong-chain result
    signature looks like (it recovers to an address nobody registered)."""

    enclaveKey: str
    enclave_key: str
    template = "{enclaveKey} is not a registered enclave key (forged, replayed or wrong-chain signature?)"
    amount_args = frozenset()


@register
class EnclaveKeyIsRevoked(ContractRevert):
    """`error EnclaveKeyIsRevoked(address enclaveKey)`."""

    enclaveKey: str
    enclave_key: str
    template = "enclave key {enclaveKey} is revoked"
    amount_args = frozenset()


@register
class EnclaveKeyExpired(ContractRevert):
    """`error EnclaveKeyExpired(address enclaveKey, uint64 expiresAt)`."""

    enclaveKey: str
    enclave_key: str
    expiresAt: int
    expires_at: int
    template = "enclave key {enclaveKey} expired at {expiresAt}"
    amount_args = frozenset()
    time_args = frozenset({"expiresAt"})


@register
class EnclaveKeyOperatorMismatch(ContractRevert):
    """`error EnclaveKeyOperatorMismatch(address enclaveKey, address operator, address provider)`."""

    enclaveKey: str
    enclave_key: str
    operator: str
    provider: str
    template = "enclave key {enclaveKey} signs for {operator}, not for provider {provider}"
    amount_args = frozenset()


@register
class NotKeyOperator(ContractRevert):
    """`error NotKeyOperator(address enclaveKey, address caller)`."""

    enclaveKey: str
    enclave_key: str
    caller: str
    template = "{caller} is neither the operator of enclave key {enclaveKey} nor a revoker"
    amount_args = frozenset()


# TEEVerifier


@register
class InvalidMaxSignatureAge(ContractRevert):
    """`error InvalidMaxSignatureAge(uint64 maxSignatureAge, uint64 min, uint64 max)`."""

    maxSignatureAge: int
    max_signature_age: int
    min: int
    max: int
    template = "maximum signature age {maxSignatureAge} s is outside [{min}, {max}] s"
    amount_args = frozenset()


@register
class NotTEEJob(ContractRevert):
    """`error NotTEEJob(uint256 jobId, VerificationMode mode)`."""

    jobId: int
    job_id: int
    mode: VerificationMode
    template = "job {jobId} is a {mode} job, not a TEE job"
    amount_args = frozenset()


@register
class MalformedProof(ContractRevert):
    """`error MalformedProof(uint256 jobId, uint256 length)`."""

    jobId: int
    job_id: int
    length: int
    template = "the TEE proof of job {jobId} is {length} bytes, expected 73 (uint64 timestamp ‖ r ‖ s ‖ v)"
    amount_args = frozenset()


@register
class StaleResultSignature(ContractRevert):
    """`error StaleResultSignature(uint256 jobId, uint64 signedAt, uint64 oldestAccepted)`."""

    jobId: int
    job_id: int
    signedAt: int
    signed_at: int
    oldestAccepted: int
    oldest_accepted: int
    template = "the result of job {jobId} was signed at {signedAt}, before the oldest accepted {oldestAccepted}"
    amount_args = frozenset()
    time_args = frozenset({"signedAt", "oldestAccepted"})


@register
class FutureResultSignature(ContractRevert):
    """`error FutureResultSignature(uint256 jobId, uint64 signedAt, uint64 latestAccepted)`."""

    jobId: int
    job_id: int
    signedAt: int
    signed_at: int
    latestAccepted: int
    latest_accepted: int
    template = "the result of job {jobId} claims signing time {signedAt}, after the latest accepted {latestAccepted}"
    amount_args = frozenset()
    time_args = frozenset({"signedAt", "latestAccepted"})


@register
class InvalidResultSignature(ContractRevert):
    """`error InvalidResultSignature(uint256 jobId)`."""

    jobId: int
    job_id: int
    template = "the result signature of job {jobId} is malformed (not a low-s ECDSA signature with v 27/28)"
    amount_args = frozenset()


# --------------------------------------------------------------------------------------------------
# OptimisticLayerVerifier and the FixedPointLayer library it runs (Operand: 0 weights, 1 bias, 2 input)


@register
class RulingOutOfGas(ContractRevert):
    """`error RulingOutOfGas(uint256 gasLeft)`."""

    gasLeft: int
    gas_left: int
    template = "the fraud-proof ruling ran out of gas ({gasLeft} left): send the challenge with more gas"
    amount_args = frozenset()


@register
class ZeroRegistry(ContractRevert):
    """`error ZeroRegistry()`."""

    template = "the verifier needs a registry address"
    amount_args = frozenset()


@register
class ValueOutOfRange(ContractRevert):
    """`error ValueOutOfRange(uint256 layer, uint8 what, uint256 index, int256 value, int256 bound)`."""

    layer: int
    what: int
    index: int
    value: int
    bound: int
    template = "layer {layer} operand {what} entry {index} = {value} is outside |v| < {bound}"
    amount_args = frozenset()


@register
class ActivationOutOfRange(ContractRevert):
    """`error ActivationOutOfRange(uint256 layer, uint256 index, int256 value, int256 bound)`."""

    layer: int
    index: int
    value: int
    bound: int
    template = "layer {layer} output {index} = {value} is outside |v| < {bound}"
    amount_args = frozenset()


@register
class DimensionMismatch(ContractRevert):
    """`error DimensionMismatch(uint256 layer, uint8 what, uint256 expected, uint256 got)`."""

    layer: int
    what: int
    expected: int
    got: int
    template = "layer {layer} operand {what} has {got} entries, expected {expected}"
    amount_args = frozenset()


@register
class LayerShapeOutOfRange(ContractRevert):
    """`error LayerShapeOutOfRange(uint256 rows, uint256 cols, uint256 maxDim)`."""

    rows: int
    cols: int
    maxDim: int
    max_dim: int
    template = "a {rows}x{cols} layer is outside 1..{maxDim} rows and columns"
    amount_args = frozenset()


@register
class FracBitsOutOfRange(ContractRevert):
    """`error FracBitsOutOfRange(uint256 fracBits, uint256 maxFracBits)`."""

    fracBits: int
    frac_bits: int
    maxFracBits: int
    max_frac_bits: int
    template = "{fracBits} fractional bits exceed {maxFracBits}"
    amount_args = frozenset()


@register
class PackedLengthInvalid(ContractRevert):
    """`error PackedLengthInvalid(uint256 layer, uint8 what, uint256 byteLength)`."""

    layer: int
    what: int
    byteLength: int
    byte_length: int
    template = "layer {layer} operand {what} is {byteLength} bytes: not a non-empty multiple of 4 (packed int32)"
    amount_args = frozenset()


@register
class NotStaking(ContractRevert):
    """`error NotStaking(address caller)`."""

    caller: str
    template = "{caller} is not the staking contract"
    amount_args = frozenset()


# ProviderStaking: delegation (IStakingDelegation)


@register
class SettlementNotSet(ContractRevert):
    """`error SettlementNotSet()`."""

    template = "delegation is not enabled: governance has not linked the settlement"
    amount_args = frozenset()


@register
class SettlementAlreadySet(ContractRevert):
    """`error SettlementAlreadySet(address current)`."""

    current: str
    template = "the settlement link is already set to {current}"
    amount_args = frozenset()


@register
class InvalidSettlement(ContractRevert):
    """`error InvalidSettlement(address settlement)`."""

    settlement: str
    template = "{settlement} does not settle for this staking contract"
    amount_args = frozenset()


@register
class SelfDelegation(ContractRevert):
    """`error SelfDelegation(address provider)`."""

    provider: str
    template = "provider {provider} cannot delegate to itself (stake instead)"
    amount_args = frozenset()


@register
class ZeroShares(ContractRevert):
    """`error ZeroShares(address provider, uint256 amount)`."""

    provider: str
    amount: int
    template = "{amount} would mint no shares of provider {provider}'s pool"
    amount_args = frozenset({"amount"})


@register
class InsufficientShares(ContractRevert):
    """`error InsufficientShares(address delegator, address provider, uint256 have, uint256 need)`."""

    delegator: str
    provider: str
    have: int
    need: int
    template = "{delegator} holds {have} shares of provider {provider}'s pool, needs {need}"
    amount_args = frozenset()


@register
class NoDelegationUnbonding(ContractRevert):
    """`error NoDelegationUnbonding(address delegator, address provider)`."""

    delegator: str
    provider: str
    template = "{delegator} has nothing unbonding from provider {provider}"
    amount_args = frozenset()


@register
class DelegationLocked(ContractRevert):
    """`error DelegationLocked(address delegator, address provider, uint64 unlockAt)`."""

    delegator: str
    provider: str
    unlockAt: int
    template = "{delegator}'s unbonding delegation with provider {provider} unlocks at {unlockAt}"
    amount_args = frozenset()
    time_args = frozenset({"unlockAt"})


@register
class NoDelegatorRewards(ContractRevert):
    """`error NoDelegatorRewards(address delegator, address provider)`."""

    delegator: str
    provider: str
    template = "{delegator} has no payable rewards from provider {provider}'s pool"
    amount_args = frozenset()


@register
class InvalidTerms(ContractRevert):
    """`error InvalidTerms(uint16 rewardCutBps, uint16 feeShareBps)`."""

    rewardCutBps: int
    feeShareBps: int
    template = "delegation terms above 10000 bps (reward cut {rewardCutBps}, fee share {feeShareBps})"
    amount_args = frozenset()


# BatchSettlement's errors live in their own module (registered on import, after everything above exists).
from opg_client import batch_errors as _batch_errors  # noqa: E402,F401
