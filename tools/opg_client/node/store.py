"""The provider node's durable state (SQLite, WAL): jobs it knows about and every transaction it signed.

Write-ahead discipline: a transaction's signed bytes, hash and nonce are committed here *before* they are
broadcast, in the same SQLite transaction that moves the job to its in-flight state. After a crash the
node therefore knows every transaction that might be on the chain, re-broadcasts exactly those bytes if
the node lost them (same hash: never a second transaction), and never signs a second one for the same
intent unless the first is provably dead (its nonce was consumed by another transaction).

The event cursor (`opg_client.events.SqliteCursorStore`) lives in the same file, table `cursors`.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from opg_client.errors import OpgError

#: Jobs in creation order: a job id's sequence number is its low 40 bits (its slot, when recycled, the bits above).
_BY_SEQUENCE = f"job_id & {2**40 - 1}"


class StoreSchemaError(OpgError):
    """The database was created by an incompatible node version."""


class JobState(StrEnum):
    """What the node did / is doing about a job (not the chain status, which the chain owns)."""

    SEEN = "seen"  # JobCreated on a model we serve; not decided yet
    SKIPPED = "skipped"  # not eligible (fee below min, expired, ...): we leave it
    CLAIMING = "claiming"  # claim tx signed (maybe in flight)
    CLAIMED = "claimed"  # our claim mined: inference + submit due
    SUBMITTING = "submitting"  # submit tx signed (maybe in flight)
    SUBMITTED = "submitted"  # our result mined: waiting for the challenge window
    LOST = "lost"  # another provider claimed it (race) or it closed before we could
    FAILED = "failed"  # our tx reverted for another reason / inference failed: given up (logged)
    CLOSED = "closed"  # finalized / expired / cancelled on chain


ACTIVE_STATES = (JobState.CLAIMING, JobState.CLAIMED, JobState.SUBMITTING)


class TxState(StrEnum):
    SIGNED = "signed"  # recorded; broadcast not confirmed
    SENT = "sent"  # the node accepted it
    MINED = "mined"  # receipt status 1
    REVERTED = "reverted"  # receipt status 0
    DROPPED = "dropped"  # never mined and its nonce was used by another transaction


PENDING_TX_STATES = (TxState.SIGNED, TxState.SENT)


@dataclass(frozen=True)
class JobRow:
    job_id: int
    model_id: int
    version: int
    fee: int
    deadline: int
    input: bytes
    input_hash: bytes
    requester: str
    state: JobState
    provider: str
    challenge_end: int
    output: bytes | None
    note: str
    collateral: int  # wei; with the three below: the terms the job pinned at creation (JobCreated)
    challenge_window: int  # s
    royalty_owner: str
    royalty_bps: int


@dataclass(frozen=True)
class TxRow:
    id: int
    job_id: int
    action: str  # claim | submit | finalize | expire
    nonce: int
    tx_hash: str
    raw: bytes
    state: TxState
    gas_used: int | None
    error: str


_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id INTEGER PRIMARY KEY,
    model_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    fee TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    input BLOB NOT NULL,
    input_hash BLOB NOT NULL,
    requester TEXT NOT NULL,
    state TEXT NOT NULL,
    provider TEXT NOT NULL DEFAULT '',
    challenge_end INTEGER NOT NULL DEFAULT 0,
    output BLOB,
    note TEXT NOT NULL DEFAULT '',
    updated_at REAL NOT NULL,
    collateral TEXT NOT NULL,
    challenge_window INTEGER NOT NULL,
    royalty_owner TEXT NOT NULL,
    royalty_bps INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);
CREATE TABLE IF NOT EXISTS txs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id INTEGER NOT NULL,
    action TEXT NOT NULL,
    nonce INTEGER NOT NULL,
    tx_hash TEXT NOT NULL UNIQUE,
    raw BLOB NOT NULL,
    state TEXT NOT NULL,
    gas_used INTEGER,
    error TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS txs_state ON txs (state);
CREATE TABLE IF NOT EXISTS watch (
    job_id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    due INTEGER NOT NULL,
    provider TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class NodeStore:
    """Thread-safe access to the node database (one connection, serialized by a lock)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        with self._lock:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.executescript(_SCHEMA)
            columns = {row[1] for row in self._conn.execute("PRAGMA table_info(jobs)")}
            if "collateral" not in columns:
                self._conn.close()
                raise StoreSchemaError(
                    f"{self.path} was written by an older node (its jobs lack the terms a job pins at creation); "
                    "start this deployment's node with a new --db"
                )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT (rolled back on error)."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cur = self._conn.execute(sql, args)
            return list(cur.fetchall())

    # ----------------------------------------------------------------------------------------- meta

    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # ----------------------------------------------------------------------------------------- jobs

    def add_job(
        self,
        job_id: int,
        model_id: int,
        version: int,
        fee: int,
        deadline: int,
        input_data: bytes,
        input_hash: bytes,
        requester: str,
        collateral: int,
        challenge_window: int,
        royalty_owner: str,
        royalty_bps: int,
    ) -> bool:
        """Insert a newly seen job (state SEEN); returns False if it was already known (idempotent)."""
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT OR IGNORE INTO jobs (job_id, model_id, version, fee, deadline, input, input_hash, "
                "requester, state, updated_at, collateral, challenge_window, royalty_owner, royalty_bps) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    job_id,
                    model_id,
                    version,
                    str(fee),
                    deadline,
                    input_data,
                    input_hash,
                    requester,
                    JobState.SEEN.value,
                    time.time(),
                    str(collateral),
                    challenge_window,
                    royalty_owner,
                    royalty_bps,
                ),
            )
            return cur.rowcount == 1

    def set_job_state(self, job_id: int, state: JobState, note: str = "", **fields: Any) -> None:
        sets = ["state = ?", "note = ?", "updated_at = ?"]
        args: list[Any] = [state.value, note, time.time()]
        for key, value in fields.items():
            if key not in ("provider", "challenge_end", "output"):
                raise ValueError(f"unknown job field {key}")
            sets.append(f"{key} = ?")
            args.append(value)
        with self.transaction() as conn:
            conn.execute(f"UPDATE jobs SET {', '.join(sets)} WHERE job_id = ?", (*args, job_id))

    def job(self, job_id: int) -> JobRow | None:
        rows = self._query("SELECT * FROM jobs WHERE job_id = ?", (job_id,))
        return _job(rows[0]) if rows else None

    def jobs(self, *states: JobState) -> list[JobRow]:
        if not states:
            rows = self._query(f"SELECT * FROM jobs ORDER BY {_BY_SEQUENCE}")
        else:
            marks = ",".join("?" for _ in states)
            rows = self._query(
                f"SELECT * FROM jobs WHERE state IN ({marks}) ORDER BY {_BY_SEQUENCE}", tuple(s.value for s in states)
            )
        return [_job(r) for r in rows]

    def count_jobs(self, *states: JobState) -> int:
        marks = ",".join("?" for _ in states)
        rows = self._query(f"SELECT COUNT(*) FROM jobs WHERE state IN ({marks})", tuple(s.value for s in states))
        return int(rows[0][0])

    def state_counts(self) -> dict[str, int]:
        return {str(r[0]): int(r[1]) for r in self._query("SELECT state, COUNT(*) FROM jobs GROUP BY state")}

    # ------------------------------------------------------------------------------------------ txs

    def record_tx(
        self,
        job_id: int,
        action: str,
        nonce: int,
        tx_hash: str,
        raw: bytes,
        job_state: JobState | None = None,
        **job_fields: Any,
    ) -> None:
        """Write-ahead record of a signed transaction (and the job's new in-flight state), atomically."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO txs (job_id, action, nonce, tx_hash, raw, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (job_id, action, nonce, tx_hash, raw, TxState.SIGNED.value, time.time()),
            )
            if job_state is not None:
                sets = ["state = ?", "updated_at = ?"]
                args: list[Any] = [job_state.value, time.time()]
                for key, value in job_fields.items():
                    sets.append(f"{key} = ?")
                    args.append(value)
                conn.execute(f"UPDATE jobs SET {', '.join(sets)} WHERE job_id = ?", (*args, job_id))

    def set_tx_state(self, tx_hash: str, state: TxState, gas_used: int | None = None, error: str = "") -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE txs SET state = ?, gas_used = COALESCE(?, gas_used), error = ? WHERE tx_hash = ?",
                (state.value, gas_used, error, tx_hash),
            )

    def txs(self, *states: TxState, job_id: int | None = None, action: str | None = None) -> list[TxRow]:
        sql = "SELECT * FROM txs WHERE 1 = 1"
        args: list[Any] = []
        if states:
            sql += f" AND state IN ({','.join('?' for _ in states)})"
            args += [s.value for s in states]
        if job_id is not None:
            sql += " AND job_id = ?"
            args.append(job_id)
        if action is not None:
            sql += " AND action = ?"
            args.append(action)
        return [_tx(r) for r in self._query(sql + " ORDER BY nonce, id", tuple(args))]

    def live_tx(self, job_id: int, action: str) -> TxRow | None:
        """A transaction for (job, action) that is pending or mined (i.e. one we must not duplicate)."""
        rows = self.txs(TxState.SIGNED, TxState.SENT, TxState.MINED, job_id=job_id, action=action)
        return rows[-1] if rows else None

    def max_nonce(self) -> int | None:
        rows = self._query("SELECT MAX(nonce) FROM txs WHERE state != ?", (TxState.DROPPED.value,))
        return None if rows[0][0] is None else int(rows[0][0])

    # ---------------------------------------------------------------------------------------- watch

    def watch(self, job_id: int, kind: str, due: int, provider: str = "") -> None:
        """Keeper work: `kind` is "finalize" (due = challenge end) or "expire" (due = deadline)."""
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO watch (job_id, kind, due, provider) VALUES (?, ?, ?, ?) ON CONFLICT(job_id) "
                "DO UPDATE SET kind = excluded.kind, due = excluded.due, provider = excluded.provider",
                (job_id, kind, due, provider),
            )

    def unwatch(self, job_id: int) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM watch WHERE job_id = ?", (job_id,))

    def due(self, now: int, limit: int = 50) -> list[tuple[int, str, int, str]]:
        rows = self._query(
            "SELECT job_id, kind, due, provider FROM watch WHERE due < ? ORDER BY due, job_id LIMIT ?", (now, limit)
        )
        return [(int(r[0]), str(r[1]), int(r[2]), str(r[3])) for r in rows]


def _job(row: sqlite3.Row) -> JobRow:
    (
        job_id,
        model_id,
        version,
        fee,
        deadline,
        input_data,
        input_hash,
        requester,
        state,
        provider,
        challenge_end,
        output,
        note,
        _updated,
        collateral,
        challenge_window,
        royalty_owner,
        royalty_bps,
    ) = row
    return JobRow(
        int(job_id),
        int(model_id),
        int(version),
        int(fee),
        int(deadline),
        bytes(input_data),
        bytes(input_hash),
        str(requester),
        JobState(state),
        str(provider),
        int(challenge_end),
        None if output is None else bytes(output),
        str(note),
        int(collateral),
        int(challenge_window),
        str(royalty_owner),
        int(royalty_bps),
    )


def _tx(row: sqlite3.Row) -> TxRow:
    id_, job_id, action, nonce, tx_hash, raw, state, gas_used, error, _created = row
    return TxRow(
        int(id_),
        int(job_id),
        str(action),
        int(nonce),
        str(tx_hash),
        bytes(raw),
        TxState(state),
        None if gas_used is None else int(gas_used),
        str(error),
    )
