"""Event cursor: backfill with bounded `eth_getLogs` chunks from a stored position, then follow new blocks.

Events come out decoded, in chain order (block, log index), each exactly once across restarts: the
position of an event is persisted after the consumer asks for the next one (i.e. after it was handled),
and the end of every scanned range is persisted too, so a restart resumes right after the last handled
event. Persistence is pluggable: `MemoryCursorStore`, `SqliteCursorStore` (what the provider node uses).

Reorgs: follow `head - confirmations` (default 0 suits Anvil); a deeper reorg is not handled.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import time
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from eth_abi.exceptions import DecodingError
from eth_utils import event_abi_to_log_topic, to_checksum_address
from hexbytes import HexBytes
from web3._utils.events import get_event_data
from web3.datastructures import AttributeDict
from web3.exceptions import MismatchedABI
from web3.types import RPCEndpoint

from opg_client.transport import with_retries

if TYPE_CHECKING:
    from opg_client.chain import OpgClient

BLOCK_DONE = 2**63 - 1  # log index meaning "every log of this block was handled"


@dataclass(frozen=True, order=True)
class Position:
    """Everything at or before (block, log_index) was handled."""

    block: int
    log_index: int = BLOCK_DONE


@dataclass(frozen=True)
class DecodedEvent:
    contract: str  # manifest name, e.g. "InferenceEscrow"
    name: str  # event name, e.g. "JobCreated"
    args: Mapping[str, Any]
    block_number: int
    log_index: int
    tx_hash: str
    address: str

    @property
    def position(self) -> Position:
        return Position(self.block_number, self.log_index)


class CursorStore(Protocol):
    def load(self, name: str) -> Position | None: ...

    def save(self, name: str, position: Position) -> None: ...


class MemoryCursorStore:
    def __init__(self) -> None:
        self._positions: dict[str, Position] = {}
        self._lock = threading.Lock()

    def load(self, name: str) -> Position | None:
        with self._lock:
            return self._positions.get(name)

    def save(self, name: str, position: Position) -> None:
        with self._lock:
            self._positions[name] = position


class SqliteCursorStore:
    """Cursor positions in a SQLite table (`cursors`); safe to share between threads of one process."""

    def __init__(self, path: str | Path) -> None:
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, block INTEGER NOT NULL, "
                "log_index INTEGER NOT NULL)"
            )

    def load(self, name: str) -> Position | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT block, log_index FROM cursors WHERE name = ?", (name,)
            ).fetchone()
        return Position(int(row[0]), int(row[1])) if row else None

    def save(self, name: str, position: Position) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO cursors (name, block, log_index) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET block = excluded.block, log_index = excluded.log_index",
                (name, position.block, position.log_index),
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()


@functools.lru_cache(maxsize=4096)
def checksum(address: str) -> str:
    """`to_checksum_address`, cached (a keccak per call otherwise; a run sees few distinct addresses)."""
    return to_checksum_address(address)


def _opt_int(value: Any) -> Any:
    return int(value, 16) if isinstance(value, str) else value


def _hash32(value: Any) -> Any:
    if value is None:
        return None
    out = HexBytes(value)
    if len(out) != 32:
        raise ValueError(f"not a 32-byte hash: {value!r}")
    return out


_LOG_FIELDS: dict[str, Callable[[Any], Any]] = {
    "blockHash": _hash32,
    "blockNumber": _opt_int,
    "transactionIndex": _opt_int,
    "transactionHash": _hash32,
    "logIndex": _opt_int,
    "address": lambda value: checksum(value) if isinstance(value, str) else to_checksum_address(value),
    "topics": lambda value: [_hash32(topic) for topic in value],
    "data": HexBytes,
}


def format_log(raw: Mapping[str, Any]) -> AttributeDict[str, Any]:
    """A JSON-RPC log object as web3 formats it (`log_entry_formatter` + `AttributeDict.recursive`): the same
    keys and value types, without web3's generic formatter machinery. Unknown keys pass through."""
    return AttributeDict({key: _LOG_FIELDS[key](value) if key in _LOG_FIELDS else value
                          for key, value in raw.items()})


class EventAbi:
    """One event's ABI prepared once (topic0, indexed and data types and names) to decode its logs with a single
    `codec.decode` per part. Events with tuple or array inputs go through web3's `get_event_data` instead."""

    def __init__(self, abi: Mapping[str, Any], codec: Any) -> None:
        self.abi = abi
        self.name = str(abi["name"])
        self.topic = event_abi_to_log_topic(abi)  # type: ignore[arg-type]
        self._codec = codec
        inputs = list(abi.get("inputs", []))
        indexed = [i for i in inputs if i.get("indexed")]
        data = [i for i in inputs if not i.get("indexed")]
        self._topic_names = [str(i["name"]) for i in indexed]
        # an indexed dynamic value is stored as its keccak: decoded as bytes32, as web3 does
        self._topic_types = ["bytes32" if i["type"] in ("bytes", "string") else str(i["type"]) for i in indexed]
        self._data_names = [str(i["name"]) for i in data]
        self._data_types = [str(i["type"]) for i in data]
        types = self._topic_types + self._data_types
        self.fast = not abi.get("anonymous") and all("(" not in t and "[" not in t and t != "tuple" for t in types)
        self._topic_addresses = [t == "address" for t in self._topic_types]
        self._data_addresses = [t == "address" for t in self._data_types]

    def args(self, log: Mapping[str, Any]) -> dict[str, Any]:
        """Decoded arguments of `log` (topics and data as bytes / hex); MismatchedABI if it is not this event."""
        if not self.fast:
            return dict(get_event_data(self._codec, self.abi, log)["args"])  # type: ignore[arg-type]
        topics = log.get("topics") or []
        if len(topics) != len(self._topic_types) + 1 or bytes(HexBytes(topics[0])) != self.topic:
            return dict(get_event_data(self._codec, self.abi, log)["args"])  # type: ignore[arg-type]  # its error
        try:
            head = self._codec.decode(self._topic_types, b"".join(bytes(HexBytes(t)) for t in topics[1:]))
            body = self._codec.decode(self._data_types, bytes(HexBytes(log["data"])))
        except DecodingError:
            return dict(get_event_data(self._codec, self.abi, log)["args"])  # type: ignore[arg-type]  # its error
        out = {name: checksum(value) if is_address else value
               for name, value, is_address in zip(self._topic_names, head, self._topic_addresses, strict=True)}
        out.update((name, checksum(value) if is_address else value)
                   for name, value, is_address in zip(self._data_names, body, self._data_addresses, strict=True))
        return out


class EventDecoder:
    """topic0 + emitting address -> decoded event, for the contracts of a manifest."""

    def __init__(self, client: OpgClient, contracts: Iterable[str], events: Iterable[str] | None = None):
        wanted = set(events) if events is not None else None
        self._codec = client.w3.codec
        self.addresses: dict[str, str] = {}
        self._abis: dict[tuple[str, bytes], EventAbi] = {}
        for name in contracts:
            entry = client.manifest.contract(name)
            self.addresses[entry.address] = name
            for item in entry.abi:
                if item.get("type") == "event" and not item.get("anonymous"):
                    if wanted is not None and item["name"] not in wanted:
                        continue
                    prepared = EventAbi(item, self._codec)
                    self._abis[(entry.address, prepared.topic)] = prepared
        self.topics = sorted({"0x" + topic.hex() for _, topic in self._abis})

    def decode(self, log: Mapping[str, Any]) -> DecodedEvent | None:
        address = checksum(log["address"]) if isinstance(log["address"], str) else to_checksum_address(log["address"])
        topics = log.get("topics") or []
        if not topics:
            return None
        event = self._abis.get((address, bytes(HexBytes(topics[0]))))
        if event is None:
            return None
        try:
            args = event.args(log)
        except MismatchedABI:
            return None
        return DecodedEvent(
            contract=self.addresses[address],
            name=event.name,
            args=args,
            block_number=int(log["blockNumber"]),
            log_index=int(log["logIndex"]),
            tx_hash="0x" + bytes(HexBytes(log["transactionHash"])).hex(),
            address=address,
        )


class EventCursor:
    """Named, persistent, exactly-once stream of decoded events of some manifest contracts."""

    def __init__(
        self,
        client: OpgClient,
        name: str,
        store: CursorStore,
        *,
        contracts: Iterable[str] | None = None,
        events: Iterable[str] | None = None,
        start_block: int | None = None,
        chunk_size: int = 2_000,
        confirmations: int = 0,
        poll_interval: float = 0.5,
    ) -> None:
        self.client = client
        self.name = name
        self.store = store
        self.decoder = EventDecoder(client, contracts or list(client.manifest.contracts), events)
        self.chunk_size = max(1, chunk_size)
        self.confirmations = confirmations
        self.poll_interval = poll_interval
        start = client.manifest.block if start_block is None else start_block
        self._initial = Position(start - 1) if start > 0 else Position(-1)

    @property
    def position(self) -> Position:
        return self.store.load(self.name) or self._initial

    def _safe_head(self) -> int:
        head = with_retries(
            lambda: self.client.w3.eth.block_number, self.client.tx_options.retry, "blockNumber"
        )
        return int(head) - self.confirmations

    def _logs(self, from_block: int, to_block: int) -> list[Mapping[str, Any]]:
        params: Any = {
            "fromBlock": from_block,
            "toBlock": to_block,
            "address": list(self.decoder.addresses),
            "topics": [self.decoder.topics],
        }
        w3 = self.client.w3
        raw = {**params, "fromBlock": hex(from_block), "toBlock": hex(to_block)}
        response = with_retries(
            lambda: w3.provider.make_request(RPCEndpoint("eth_getLogs"), [raw]), self.client.tx_options.retry, "getLogs"
        )
        result = response.get("result") if isinstance(response, Mapping) else None
        if not isinstance(result, list):  # an error answer: web3's path raises it as web3 does
            logs = with_retries(lambda: w3.eth.get_logs(params), self.client.tx_options.retry, "getLogs")
        else:
            logs = [format_log(log) for log in result]
        return sorted(logs, key=lambda log: (int(log["blockNumber"]), int(log["logIndex"])))

    def poll(self) -> Generator[DecodedEvent, None, None]:
        """Yield every not-yet-handled event up to the (confirmed) head, then return.

        The position is saved once the consumer asks for the next event (or the generator finishes),
        so an event whose handling raised is delivered again on the next poll / after a restart.
        """
        head = self._safe_head()
        position = self.position
        start = position.block + 1 if position.log_index == BLOCK_DONE else position.block
        while start <= head:
            end = min(start + self.chunk_size - 1, head)
            for log in self._logs(start, end):
                event = self.decoder.decode(log)
                if event is None or event.position <= position:
                    continue
                yield event
                position = event.position
                self.store.save(self.name, position)
            position = Position(end)
            self.store.save(self.name, position)
            start = end + 1

    def commit(self, event: DecodedEvent) -> None:
        """Mark `event` handled now (for consumers that `break` out of `poll()` right after handling one)."""
        if event.position > self.position:
            self.store.save(self.name, event.position)

    def follow(self, stop: threading.Event | None = None) -> Generator[DecodedEvent, None, None]:
        """Backfill, then keep yielding new events until `stop` is set (polls every `poll_interval` s)."""
        stop = stop or threading.Event()
        while not stop.is_set():
            yield from self.poll()
            stop.wait(self.poll_interval)

    def drain(self, timeout: float = 0.0) -> list[DecodedEvent]:
        """Convenience: everything available now (waiting up to `timeout` s for at least one event)."""
        deadline = time.monotonic() + timeout
        while True:
            events = list(self.poll())
            if events or time.monotonic() >= deadline:
                return events
            time.sleep(min(self.poll_interval, max(deadline - time.monotonic(), 0.0)))
