"""`opg watch`: follow optimistic results, re-execute each one, challenge the wrong ones before their window
closes. State (cursor + every observed job and what was done about it) lives in SQLite: a restart (even
after kill -9) resumes from the last handled event and never challenges a job twice (a job's challenge is
sent only while the chain still shows it Submitted, and recorded before the next one)."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eth_account.signers.local import LocalAccount

from opg_client.errors import ContractRevert, OpgError
from opg_client.events import DecodedEvent, EventCursor, SqliteCursorStore
from opg_client.models import JobStatus, VerificationMode
from opg_client.node.jsonlog import EventLog
from opg_client.runtime import Model, ModelRuntimeError

from .challenger import Challenger, Observation
from .cheat import TraceBoard

if TYPE_CHECKING:
    from opg_client.chain import OpgClient

EVENTS = ("JobCreated", "JobClaimed", "ResultSubmitted", "ChallengeUpheld", "ChallengeRejected", "JobFinalized")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS watch_jobs (
    job_id INTEGER PRIMARY KEY,
    requester TEXT NOT NULL,
    model_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    mode INTEGER NOT NULL,
    fee TEXT NOT NULL,
    input BLOB NOT NULL,
    input_hash BLOB NOT NULL,
    provider TEXT NOT NULL DEFAULT '',
    output_hash BLOB,
    trace_root BLOB,
    challenge_end INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'open',
    ruling INTEGER,
    tx_hash TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
);
"""
# states: open -> submitted -> correct | challenging -> upheld | rejected ; late | skipped | finalized

_COLUMNS = (
    "job_id, requester, model_id, version, mode, fee, input, input_hash, provider, output_hash, trace_root, "
    "challenge_end, state"
)


@dataclass(frozen=True)
class WatchConfig:
    db_path: Path
    poll_interval: float = 0.5  # seconds between polls when idle
    margin: int = 5  # seconds (chain time): do not start a challenge this close to the window's end
    challenge: bool = True  # False: only report what would be challenged
    name: str = "watcher"


class Watcher:
    """The `opg watch` loop, usable in-process (`step()` once, or `run()` until `stop()`)."""

    def __init__(
        self,
        client: OpgClient,
        account: LocalAccount | None,
        models: Callable[[int, int], Model],
        config: WatchConfig,
        board: TraceBoard | None = None,
    ) -> None:
        self.client = client
        self.config = config
        self.challenger = Challenger(client, account, models, board)
        self.log = EventLog(logging.getLogger(f"opg.watch.{config.name}"))
        self.stop_event = threading.Event()
        config.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(config.db_path), isolation_level=None, check_same_thread=False)
        self.db.executescript(_SCHEMA)
        self.cursor = EventCursor(
            client, f"watcher-{config.name}", SqliteCursorStore(config.db_path),
            contracts=["InferenceEscrow"], events=EVENTS,
        )

    def close(self) -> None:
        self.db.close()

    def stop(self) -> None:
        self.stop_event.set()

    def run(self) -> None:
        self.log.info("watch_started", escrow=self.client.escrow.address, challenge=self.config.challenge)
        while not self.stop_event.is_set():
            if not self.step():
                self.stop_event.wait(self.config.poll_interval)
        self.log.info("watch_stopped")

    def step(self) -> bool:
        """Handle new events, then check every submitted result not yet judged. True if anything happened."""
        acted = False
        for event in self.cursor.poll():
            self._on_event(event)
            acted = True
        for row in self._rows("submitted", "challenging"):
            acted |= self._judge(row)
        return acted

    # ------------------------------------------------------------------------------------------ events

    def _on_event(self, event: DecodedEvent) -> None:
        a = event.args
        job_id = int(a["jobId"])
        if event.name == "JobCreated":
            self.db.execute(
                "INSERT OR IGNORE INTO watch_jobs (job_id, requester, model_id, version, mode, fee, input, input_hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (job_id, a["requester"], int(a["modelId"]), int(a["version"]), int(a["mode"]), str(int(a["fee"])),
                 bytes(a["input"]), bytes(a["inputHash"])),
            )
        elif event.name == "JobClaimed":
            self.db.execute("UPDATE watch_jobs SET provider = ? WHERE job_id = ?", (a["provider"], job_id))
        elif event.name == "ResultSubmitted":
            optimistic = self._mode(job_id) == VerificationMode.Optimistic
            self.db.execute(
                "UPDATE watch_jobs SET provider = ?, output_hash = ?, trace_root = ?, challenge_end = ?, state = ?"
                " WHERE job_id = ? AND state = 'open'",
                (a["provider"], bytes(a["outputHash"]), bytes(a["traceRoot"]), int(a["challengeEnd"]),
                 "submitted" if optimistic else "skipped", job_id),
            )
        elif event.name in ("ChallengeUpheld", "ChallengeRejected"):
            mine = str(a["challenger"]).lower() == str(self._address()).lower()
            if event.name == "ChallengeUpheld":
                self._set(job_id, "upheld", note=f"by {a['challenger']}")
                if mine:
                    self.log.info("challenge_upheld", job_id=job_id, slashed=int(a["slashed"]),
                                  reward=int(a["reward"]), refund=int(a["refund"]))
            elif mine:
                self._set(job_id, "rejected", note=f"bond {int(a['bond'])} lost")
                self.log.warning("challenge_rejected", job_id=job_id, bond=int(a["bond"]))
        elif event.name == "JobFinalized":
            self.db.execute(
                "UPDATE watch_jobs SET state = 'finalized' WHERE job_id = ? AND state IN ('submitted', 'correct')",
                (job_id,),
            )

    # ------------------------------------------------------------------------------------------ judging

    def _judge(self, row: sqlite3.Row | tuple[Any, ...]) -> bool:
        obs = _observation(row)
        if row[12] == "challenging" and self._status(obs.job_id) != JobStatus.Submitted:
            return False  # the challenge landed (its event sets the final state) or the job closed otherwise
        try:
            verdict = self.challenger.inspect(obs)
        except (OpgError, ModelRuntimeError) as exc:
            self._set(obs.job_id, "skipped", note=f"cannot re-execute: {exc}")
            self.log.warning("job_skipped", job_id=obs.job_id, reason=str(exc))
            return True
        if verdict.correct:
            self._set(obs.job_id, "correct")
            self.log.info("result_correct", job_id=obs.job_id, provider=obs.provider)
            return True
        ruling = self.challenger.preview(obs, verdict)
        fields = {"job_id": obs.job_id, "provider": obs.provider, "reason": verdict.reason,
                  "kind": verdict.kind.name if verdict.kind is not None else None, "layer": verdict.layer,
                  "ruling": ruling.name}
        if not ruling.provider_at_fault:
            self._set(obs.job_id, "skipped", ruling=int(ruling), note="the verifier would not uphold it")
            self.log.warning("mismatch_not_provable", **fields)
            return True
        if self.client.timestamp("pending") > obs.challenge_end - self.config.margin:
            self._set(obs.job_id, "late", ruling=int(ruling))
            self.log.warning("mismatch_too_late", challenge_end=obs.challenge_end, **fields)
            return True
        if not self.config.challenge:
            self._set(obs.job_id, "skipped", ruling=int(ruling), note="report only")
            self.log.info("mismatch_found", **fields)
            return True
        self._set(obs.job_id, "challenging", ruling=int(ruling))
        try:
            pending = self.challenger.challenge(obs, verdict)
        except ContractRevert as exc:  # refused before sending: job closed meanwhile, no funds for the bond, ...
            self.log.warning("challenge_not_sent", error=str(exc), **fields)
            if self._status(obs.job_id) != JobStatus.Submitted:
                self._set(obs.job_id, "closed", note=str(exc))
                return True
            self._set(obs.job_id, "submitted", note=str(exc))  # retried on the next poll, until too late
            return False
        self._set(obs.job_id, "challenging", ruling=int(ruling), tx_hash=pending.tx_hash)
        self.log.info("challenge_sent", tx_hash=pending.tx_hash, **fields)
        receipt = pending.wait(check=False)
        self.log.info("challenge_mined", job_id=obs.job_id, status=int(receipt["status"]),
                      gas_used=int(receipt["gasUsed"]))
        return True

    # ------------------------------------------------------------------------------------------ helpers

    def _address(self) -> str:
        account = self.challenger.account
        return account.address if account is not None else ""

    def _status(self, job_id: int) -> JobStatus:
        return JobStatus(int(self.client.escrow.contract.functions.jobStatus(job_id).call()))

    def _mode(self, job_id: int) -> int | None:
        found = self.db.execute("SELECT mode FROM watch_jobs WHERE job_id = ?", (job_id,)).fetchone()
        return None if found is None else int(found[0])

    def _rows(self, *states: str) -> list[tuple[Any, ...]]:
        marks = ", ".join("?" for _ in states)
        return list(self.db.execute(f"SELECT {_COLUMNS} FROM watch_jobs WHERE state IN ({marks})", states))

    def _set(self, job_id: int, state: str, **fields: Any) -> None:
        sets = ", ".join(["state = ?", *(f"{k} = ?" for k in fields)])
        self.db.execute(f"UPDATE watch_jobs SET {sets} WHERE job_id = ?", (state, *fields.values(), job_id))

    def state_of(self, job_id: int) -> str | None:
        found = self.db.execute("SELECT state FROM watch_jobs WHERE job_id = ?", (job_id,)).fetchone()
        return None if found is None else str(found[0])

    def states(self) -> dict[str, int]:
        return {str(s): int(n) for s, n in self.db.execute("SELECT state, COUNT(*) FROM watch_jobs GROUP BY state")}


def _observation(row: Any) -> Observation:
    (job_id, requester, model_id, version, mode, fee, input_, input_hash, provider, output_hash, trace_root,
     challenge_end, _state) = row
    return Observation(
        job_id=int(job_id), requester=str(requester), provider=str(provider), model_id=int(model_id),
        version=int(version), mode=VerificationMode(int(mode)), fee=int(fee), input=bytes(input_),
        input_hash=bytes(input_hash), output_hash=bytes(output_hash), trace_root=bytes(trace_root),
        challenge_end=int(challenge_end),
    )
