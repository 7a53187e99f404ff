"""The provider node: watch JobCreated on served models, claim eligible jobs, run the model, submit the result;
a keeper finalizes matured jobs and expires overdue ones.

Latency: the result lands in the block after the job's creation block. The node runs the model on the input
carried by JobCreated *before* claiming, then sends claimJob and submitResult back to back (consecutive nonces,
both usually mined in the same block). The submit cannot be gas-estimated while the claim is unmined (it would
revert InvalidJobStatus), so it carries a fixed gas limit from `submit_gas_limit` (a bound on the escrow's
optimistic submit path for that calldata, with headroom). If it still reverts while our claim stands (e.g. out
of gas on a chain with another gas schedule), the node retries once with an estimated limit. When the claim
loses a race, both transactions revert (claim: InvalidJobStatus; submit: NotProvider / InvalidJobStatus): both
are recorded as reverted, the job is LOST, and no nonce is left unused.

Crash-safe (see `node.store`):

- every transaction is signed, then recorded (bytes, hash, nonce, and the job's new state) in SQLite,
  then broadcast; a restart first *reconciles* recorded transactions against the chain (receipt? known to
  the node? nonce consumed by something else?) and re-broadcasts lost ones byte for byte;
- events come from a persistent `EventCursor` (same SQLite file) and are ingested idempotently;
- SIGTERM / SIGINT stop the loop between steps (`stop` event); SIGKILL at any point loses nothing.

Several nodes (different accounts) can share a chain: a claim that loses a race reverts (or fails its gas
estimate) with InvalidJobStatus and the job is marked LOST.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes
from web3.exceptions import ContractLogicError, TransactionNotFound
from web3.logs import DISCARD

from opg_client import jobstate
from opg_client.chain import OpgClient
from opg_client.errors import ContractRevert, OpgError, RpcUnavailable
from opg_client.events import DecodedEvent, EventCursor, SqliteCursorStore
from opg_client.fraud.challenger import check_layer_commitments
from opg_client.fraud.cheat import CheatPolicy, TraceBoard
from opg_client.models import Job, JobStatus, VerificationMode
from opg_client.node.jsonlog import EventLog
from opg_client.node.store import ACTIVE_STATES, PENDING_TX_STATES, JobRow, JobState, NodeStore, TxRow, TxState
from opg_client.nonce import NonceManager
from opg_client.runtime import ModelStore, decode_vector, encode_vector, trace, trace_root
from opg_client.runtime.errors import ModelRuntimeError
from opg_client.tee import TeeSigner
from opg_client.transport import is_transient

KEEPER_MODES = ("all", "own", "off")
EVENTS = (
    "JobCreated",
    "JobClaimed",
    "ResultSubmitted",
    "JobFinalized",
    "JobExpired",
    "JobCancelled",
    "ChallengeUpheld",
)
CLOSING_EVENTS = ("JobFinalized", "JobExpired", "JobCancelled", "ChallengeUpheld")
_ALREADY_KNOWN = ("already known", "already imported", "known transaction")
_NONCE_LOW = ("nonce too low", "nonce has already been used")
CRASH_ENV = "OPG_NODE_CRASH_AT"  # tests: "<point>[:<nth>]" -> SIGKILL ourselves there (see _crash_point)
MAX_SUBMIT_REVERTS = 2  # a job whose submitResult reverted this many times (our claim standing) is FAILED

# Fixed gas limit of a pipelined submitResult (see `submit_gas_limit`). Measured on Anvil (Prague rules), optimistic
# job, total gas used by submitResult for an output of n bytes: n=0: 39,216; n=384 (digits model): 47,197;
# n=1,000: 63,951; n=10,000: 422,260; n=100,000: 4,010,760 (random bytes; from 10 kB up the EIP-7623 calldata
# floor is what is charged).
TX_BASE_GAS = 21_000
SUBMIT_EXEC_GAS = 60_000  # execution without the output: measured ~17k (cold job slots, two SSTOREs, guard), plus
# room for a fresh-slot SSTORE (22.1k) and contract changes
SUBMIT_GAS_PER_OUTPUT_BYTE = 9  # LOG data 8 gas/byte, keccak + two memory copies 12 gas/word
SUBMIT_GAS_HEADROOM_PCT = 25
# Added to a pipelined TEE submit's limit: signature check + attestation lookups + the instant settlement.
# benchmarks/tee (digits model): TEE submitResult 113.9k gas, 204.7k on a version's first TEE job (the verifier
# memoises its weights hash), vs 39.4k for the optimistic submit the base limit is sized for.
TEE_SUBMIT_EXTRA_GAS = 160_000


def calldata_gas(data: bytes) -> tuple[int, int]:
    """(standard, floor) calldata gas of a transaction carrying `data`: EIP-2028 (16 per non-zero byte, 4 per zero
    byte) and the EIP-7623 floor (10 per token, a non-zero byte is 4 tokens, a zero byte 1); both exclude the
    21,000 base."""
    zeros = data.count(0)
    nonzero = len(data) - zeros
    return 16 * nonzero + 4 * zeros, 10 * (zeros + 4 * nonzero)


def submit_gas_limit(data: bytes, output_len: int) -> int:
    """A safe fixed gas limit for `submitResult` (optimistic job) with calldata `data` and an output of
    `output_len` bytes, sendable before the claim is mined (so before an estimate is possible).

    Upper bound of the execution path: base + standard calldata gas + a fixed execution allowance
    (`SUBMIT_EXEC_GAS`) + per-output-byte costs (event data, hashing, copies) + memory expansion
    (the output is in memory twice: 3 gas/word + words^2/512); the EIP-7623 floor is charged instead when
    higher. Plus `SUBMIT_GAS_HEADROOM_PCT` percent. For the digits model (384-byte output) this is ~2.4x the
    measured gas; unused gas is not paid for.
    """
    standard, floor = calldata_gas(data)
    words = 2 * ((output_len + 31) // 32) + 32
    execution = (
        TX_BASE_GAS
        + standard
        + SUBMIT_EXEC_GAS
        + SUBMIT_GAS_PER_OUTPUT_BYTE * output_len
        + 3 * words
        + words * words // 512
    )
    return max(execution, TX_BASE_GAS + floor) * (100 + SUBMIT_GAS_HEADROOM_PCT) // 100


class NodeError(OpgError):
    """The node cannot start (wrong database, model not served, ...)."""


@dataclass(frozen=True)
class NodeConfig:
    db_path: Path
    model_store: Path
    models: tuple[int, ...]  # model ids served
    min_fee: int = 0  # wei
    max_inflight: int = 4  # claimed-but-unsubmitted jobs at once
    keeper: str = "all"  # all: finalize/expire any job; own: finalize our own; off
    keeper_grace: int = 30  # seconds (chain time) we leave other providers to finalize their own jobs first
    poll_interval: float = 0.2  # seconds between steps when idle
    # seconds (chain time): do not claim a job whose deadline is closer than this. It must cover inference plus
    # getting the submit mined (congestion, re-broadcasts after an RPC outage): a claimed job that misses its
    # deadline is expired by anyone for a bounty taken from our collateral, so a requester could post jobs
    # with deadlines too short to answer and farm that bounty.
    deadline_margin: int = 30
    pipeline: bool = True  # run the model first, then send claim and submit back to back (next-block results)
    submit_gas: int | None = None  # fixed gas limit of a pipelined submit (None: `submit_gas_limit`)
    # ZK circuits (`opg zk setup` directories) of served model versions: ZK jobs on a version whose weights hash
    # matches one are proved with EZKL (claim first, then prove; the submit is gas-estimated), others skipped.
    zk_circuits: tuple[Path, ...] = ()
    name: str = "provider"
    extra: dict[str, Any] = field(default_factory=dict)
    cheat: CheatPolicy | None = None  # test mode: corrupt one layer on a fraction of jobs (opg_client.fraud)
    trace_board: TraceBoard | None = None  # publish each result's layer commitments (c_1..c_L) for challengers
    enclave: Any = None  # opg_client.tee.SoftwareEnclave: also serve TEE jobs, signing their results


class ProviderNode:
    def __init__(self, client: OpgClient, account: LocalAccount, config: NodeConfig) -> None:
        if config.keeper not in KEEPER_MODES:
            raise NodeError(f"keeper must be one of {', '.join(KEEPER_MODES)}, got {config.keeper!r}")
        self.client = client
        self.account = account
        self.address: str = account.address
        self.config = config
        self.log = EventLog(logging.getLogger(f"opg.node.{config.name}"))
        self._lock_file = _exclusive_lock(Path(f"{config.db_path}.lock"))
        try:
            self.store = NodeStore(config.db_path)  # StoreSchemaError for a database of an older node
        except BaseException:
            self._lock_file.close()
            raise
        try:
            self._check_db_identity()
        except BaseException:
            self.store.close()
            self._lock_file.close()
            raise
        self.cursor = EventCursor(
            client,
            "provider-node",
            SqliteCursorStore(config.db_path),
            contracts=["InferenceEscrow"],
            events=EVENTS,
            poll_interval=config.poll_interval,
        )
        self.models = ModelStore(config.model_store)
        self.escrow = client.contract("InferenceEscrow")
        self.nonces = NonceManager(self._next_nonce_from_sources)
        self._model_cache: dict[tuple[int, int], Any] = {}
        self._zk_circuits: dict[str, Any] | None = None  # weights hash (0x-hex) -> ZkCircuit, loaded lazily
        self._crash_counts: dict[str, int] = {}
        self._waiting_note: dict[int, str] = {}
        self._rebroadcast_at: dict[str, float] = {}
        self.stop_event = threading.Event()
        self._tee: TeeSigner | None = TeeSigner(client, config.enclave) if config.enclave is not None else None
        self._modes: dict[int, VerificationMode] = {}  # job id -> mode, of the jobs seen by this process

    # ------------------------------------------------------------------------------------- set-up

    def _check_db_identity(self) -> None:
        identity = f"{self.client.chain_id}:{self.client.manifest.address('InferenceEscrow')}:{self.address}"
        found = self.store.get_meta("identity")
        if found is None:
            self.store.set_meta("identity", identity)
        elif found != identity:
            raise NodeError(f"node database {self.config.db_path} belongs to {found}, not {identity}: use another --db")

    def preflight(self) -> None:
        """Refuse to start when the account does not serve a configured model or cannot pay for gas."""
        if self.client.eth_balance(self.address) == 0:
            raise NodeError(f"{self.address} has no ETH to pay for gas")
        for model_id in self.config.models:
            if not self.client.staking.is_serving(self.address, model_id):
                raise NodeError(f"{self.address} does not serve model {model_id}: run `opg provider serve {model_id}`")

    def _next_nonce_from_sources(self) -> int:
        chain = int(self._rpc(lambda: self.client.w3.eth.get_transaction_count(self.address, "pending")))
        recorded = self.store.max_nonce()
        return max(chain, -1 if recorded is None else recorded + 1)

    def _rpc(self, action: Any) -> Any:
        from opg_client.transport import with_retries

        return with_retries(action, self.client.tx_options.retry, "node rpc")

    def _crash_point(self, point: str) -> None:
        """Test hook: with OPG_NODE_CRASH_AT="<point>[:<n>]" the node SIGKILLs itself the n-th time here."""
        spec = os.environ.get(CRASH_ENV)
        if not spec:
            return
        name, _, nth = spec.partition(":")
        if name != point:
            return
        self._crash_counts[point] = self._crash_counts.get(point, 0) + 1
        if self._crash_counts[point] == int(nth or 1):
            self.log.warning("crash_point", point=point)
            logging.shutdown()
            os.kill(os.getpid(), signal.SIGKILL)

    # ---------------------------------------------------------------------------------------- loop

    def run(self, stop: threading.Event | None = None) -> None:
        """Run until `stop` (or `self.stop_event`) is set. Transient RPC failures back off and retry."""
        if stop is not None:
            self.stop_event = stop
        stop = self.stop_event
        self.log.info(
            "node_started",
            address=self.address,
            models=list(self.config.models),
            keeper=self.config.keeper,
            min_fee=str(self.config.min_fee),
            max_inflight=self.config.max_inflight,
            db=str(self.config.db_path),
            cursor_block=self.cursor.position.block,
        )
        backoff = self.config.poll_interval
        rpc_down = False
        while not stop.is_set():
            try:
                busy = self.step()
                if rpc_down:
                    self.log.info("rpc_recovered")
                    rpc_down = False
                backoff = self.config.poll_interval
                if not busy:
                    stop.wait(self.config.poll_interval)
            except (RpcUnavailable, requests.RequestException, ConnectionError, TimeoutError) as exc:
                if not rpc_down:
                    self.log.warning("rpc_unavailable", error=str(exc)[:300])
                rpc_down = True
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
            except Exception as exc:
                if is_transient(exc):
                    rpc_down = True
                    stop.wait(backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                self.log.error("step_failed", exc_info=True, error=f"{type(exc).__name__}: {exc}"[:500])
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        self.log.info("node_stopped", jobs=self.store.state_counts())

    def close(self) -> None:
        self.store.close()
        self.cursor.store.close()  # type: ignore[attr-defined]
        self._lock_file.close()  # releases the database lock (the kernel also does on SIGKILL)

    def step(self) -> bool:
        """One pass: reconcile transactions, ingest events, claim/submit, keep. Returns True if it acted."""
        acted = self.reconcile() > 0
        acted |= self.ingest() > 0
        acted |= self.work()
        if self.config.keeper != "off":
            acted |= self.keep()
        return acted

    # ------------------------------------------------------------------------------------- events

    def ingest(self) -> int:
        n = 0
        for event in self.cursor.poll():
            self._handle(event)
            n += 1
        return n

    def _handle(self, event: DecodedEvent) -> None:
        args = event.args
        job_id = int(args["jobId"])
        if event.name == "JobCreated":
            model_id = int(args["modelId"])
            if model_id in self.config.models:
                added = self.store.add_job(
                    job_id,
                    model_id,
                    int(args["version"]),
                    int(args["fee"]),
                    int(args["deadline"]),
                    bytes(args["input"]),
                    bytes(args["inputHash"]),
                    str(args["requester"]),
                    int(args["collateral"]),
                    int(args["challengeWindow"]),
                    str(args["royaltyOwner"]),
                    int(args["royaltyBps"]),
                )
                if added:
                    self.log.info(
                        "job_seen",
                        job_id=job_id,
                        model_id=model_id,
                        fee=str(args["fee"]),
                        deadline=int(args["deadline"]),
                    )
                    mode = VerificationMode(int(args["mode"]))
                    self._modes[job_id] = mode
                    if mode == VerificationMode.ZK and self._zk_circuit(model_id, int(args["version"])) is None:
                        why = "ZK job on a model version without a ZK circuit in this node's --zk-circuit list"
                        self.store.set_job_state(job_id, JobState.SKIPPED, why)
                        self.log.info("job_skipped", job_id=job_id, reason=why)
                    elif mode == VerificationMode.TEE and self._tee is None:
                        why = "TEE job: this node has no enclave key (--enclave-file) to sign the result"
                        self.store.set_job_state(job_id, JobState.SKIPPED, why)
                        self.log.info("job_skipped", job_id=job_id, reason=why)
            if self.config.keeper == "all":
                self.store.watch(job_id, "expire", int(args["deadline"]))
        elif event.name == "ResultSubmitted":
            provider = str(args["provider"])
            if self.config.keeper == "all" or (self.config.keeper == "own" and provider == self.address):
                self.store.watch(job_id, "finalize", int(args["challengeEnd"]), provider)
            else:
                self.store.unwatch(job_id)
        elif event.name in CLOSING_EVENTS:
            self.store.unwatch(job_id)
            row = self.store.job(job_id)
            if row is not None and row.state in (JobState.SEEN, JobState.SUBMITTED, JobState.CLAIMED):
                note = event.name
                self.store.set_job_state(job_id, JobState.CLOSED, note)
                if row.state != JobState.SEEN:
                    self.log.info("job_closed", job_id=job_id, how=event.name)
        elif event.name == "JobClaimed":
            row = self.store.job(job_id)
            if row is not None and row.state == JobState.SEEN and str(args["provider"]) != self.address:
                self.store.set_job_state(job_id, JobState.LOST, f"claimed by {args['provider']}")
                self.log.info("job_lost", job_id=job_id, winner=str(args["provider"]), how="seen_claimed")

    # --------------------------------------------------------------------------------- transactions

    def _send(
        self,
        job_id: int,
        action: str,
        fn_name: str,
        args: Iterable[Any],
        job_state: JobState | None,
        *,
        gas: int | None = None,
        **job_fields: Any,
    ) -> bool:
        """Sign, record, broadcast. Without `gas` the node's estimate + 20% is used (a revert raises the decoded
        error, nothing recorded). Returns True if the node accepted the broadcast (else reconcile retries the
        recorded bytes)."""
        data = self.escrow.encode_abi(fn_name, args=list(args))
        if gas is None:
            call = {"from": self.address, "to": self.escrow.address, "data": data, "value": 0}
            try:
                estimate = self._rpc(lambda: self.client.w3.eth.estimate_gas(call))  # type: ignore[arg-type]
            except ContractLogicError as exc:
                decoded = self.client.errors.from_exception(exc)
                raise (decoded or exc) from None
            gas = int(estimate) * 12 // 10
        quote = self.client.fees.quote()
        nonce = self.nonces.reserve()
        tx = {
            "to": self.escrow.address,
            "data": data,
            "value": 0,
            "gas": gas,
            "nonce": nonce,
            "chainId": self.client.chain_id,
            "maxFeePerGas": quote.max_fee_per_gas,
            "maxPriorityFeePerGas": quote.max_priority_fee_per_gas,
        }
        signed = self.account.sign_transaction(tx)
        raw = bytes(signed.raw_transaction)
        tx_hash = "0x" + bytes(signed.hash).hex()
        self.store.record_tx(job_id, action, nonce, tx_hash, raw, job_state, **job_fields)
        self._crash_point(f"{action}_recorded")
        accepted = self._broadcast(tx_hash, raw, nonce)
        self._crash_point(f"{action}_broadcast")
        self.log.info("tx_sent", action=action, job_id=job_id, tx=tx_hash, nonce=nonce, gas=gas, accepted=accepted)
        return accepted

    def _broadcast(self, tx_hash: str, raw: bytes, nonce: int) -> bool:
        """Send the recorded bytes. Transport failures leave the tx SIGNED (reconcile retries the same bytes)."""
        try:
            response = self.client.w3.provider.make_request(  # type: ignore[attr-defined]
                "eth_sendRawTransaction", ["0x" + raw.hex()]
            )
        except Exception as exc:
            if not is_transient(exc):
                raise
            self.log.warning("broadcast_failed", tx=tx_hash, nonce=nonce, error=str(exc)[:200])
            return False
        error = response.get("error")
        if error is None:
            self.store.set_tx_state(tx_hash, TxState.SENT)
            return True
        message = str(error.get("message", error) if isinstance(error, dict) else error).lower()
        if any(text in message for text in _ALREADY_KNOWN):
            self.store.set_tx_state(tx_hash, TxState.SENT)
            return True
        if any(text in message for text in _NONCE_LOW):
            self.nonces.resync()  # reconcile decides whether it was ours (mined) or another tx
            return False
        self.log.warning("broadcast_rejected", tx=tx_hash, nonce=nonce, error=message[:200])
        return False

    def reconcile(self) -> int:
        """Settle every recorded, unsettled transaction against the chain. Returns how many settled."""
        pending = self.store.txs(*PENDING_TX_STATES)
        if not pending:
            return 0
        w3 = self.client.w3
        mined_nonce = int(self._rpc(lambda: w3.eth.get_transaction_count(self.address, "latest")))
        settled = 0
        for tx in pending:
            receipt = self._receipt(tx.tx_hash)
            if receipt is not None:
                self._apply_receipt(tx, receipt)
                settled += 1
            elif tx.nonce < mined_nonce:
                # Our nonce was consumed before we looked for our receipt, and there is none: another
                # transaction (not ours: we sign one per nonce) used it. Ours can never be mined.
                self.store.set_tx_state(tx.tx_hash, TxState.DROPPED, error="nonce consumed by another tx")
                self._apply_dropped(tx)
                self.nonces.resync()
                settled += 1
            elif (tx.state == TxState.SIGNED or not self._known(tx.tx_hash)) and self._may_rebroadcast(tx.tx_hash):
                self.log.info("tx_rebroadcast", tx=tx.tx_hash, nonce=tx.nonce, action=tx.action, job_id=tx.job_id)
                self._broadcast(tx.tx_hash, tx.raw, tx.nonce)
        return settled

    def _may_rebroadcast(self, tx_hash: str, every: float = 2.0) -> bool:
        """At most one re-broadcast of a transaction per `every` seconds (a node refusing it is not spammed)."""
        now = time.monotonic()
        if now - self._rebroadcast_at.get(tx_hash, -every) < every:
            return False
        self._rebroadcast_at[tx_hash] = now
        return True

    def _receipt(self, tx_hash: str) -> Any:
        try:
            return self._rpc(lambda: self.client.w3.eth.get_transaction_receipt(tx_hash))  # type: ignore[arg-type]
        except TransactionNotFound:
            return None

    def _known(self, tx_hash: str) -> bool:
        try:
            self._rpc(lambda: self.client.w3.eth.get_transaction(tx_hash))  # type: ignore[arg-type]
        except TransactionNotFound:
            return False
        return True

    def _revert_reason(self, tx: TxRow, receipt: Any) -> ContractRevert | None:
        """The named error a mined transaction reverted with: from the node's call trace when it has one
        (exact, even when an earlier transaction of the same block caused the revert), else by replaying the
        call on the parent block and then on the block itself."""
        try:
            traced = self.client.w3.provider.make_request(  # type: ignore[attr-defined]
                "debug_traceTransaction", [tx.tx_hash, {"tracer": "callTracer"}]
            )
            output = (traced.get("result") or {}).get("output")
            if isinstance(output, str) and len(output) >= 10:
                return self.client.errors.decode(output)
        except (ValueError, requests.RequestException):
            pass  # no debug API: replay instead
        sent = self._rpc(lambda: self.client.w3.eth.get_transaction(tx.tx_hash))  # type: ignore[arg-type]
        call = {"from": self.address, "to": sent["to"], "data": HexBytes(sent["input"]), "gas": sent["gas"]}
        block = int(receipt["blockNumber"])
        for at in (block - 1, block):
            try:
                self.client.w3.eth.call(call, at)  # type: ignore[arg-type]
            except ContractLogicError as exc:
                return self.client.errors.from_exception(exc)
        return None

    def _apply_receipt(self, tx: TxRow, receipt: Any) -> None:
        gas_used = int(receipt["gasUsed"])
        if int(receipt["status"]) == 1:
            self.store.set_tx_state(tx.tx_hash, TxState.MINED, gas_used)
            self.log.info("tx_mined", action=tx.action, job_id=tx.job_id, tx=tx.tx_hash, gas_used=gas_used)
            if tx.action == "claim":
                row = self.store.job(tx.job_id)
                if row is not None and row.state != JobState.CLAIMING:  # the pipelined submit is already out
                    self.store.set_job_state(tx.job_id, row.state, row.note, provider=self.address)
                else:
                    self.store.set_job_state(tx.job_id, JobState.CLAIMED, provider=self.address)
                self.log.info("job_claimed", job_id=tx.job_id, gas_used=gas_used)
            elif tx.action == "submit":
                events = self.escrow.events.ResultSubmitted().process_receipt(receipt, errors=DISCARD)
                challenge_end = int(events[0]["args"]["challengeEnd"]) if events else 0
                self.store.set_job_state(tx.job_id, JobState.SUBMITTED, challenge_end=challenge_end)
                self.log.info("job_submitted", job_id=tx.job_id, challenge_end=challenge_end, gas_used=gas_used)
            else:  # finalize / expire
                self.store.unwatch(tx.job_id)
                row = self.store.job(tx.job_id)
                if row is not None and row.state in (JobState.SUBMITTED, JobState.SEEN):
                    self.store.set_job_state(tx.job_id, JobState.CLOSED, tx.action)
                fields: dict[str, Any] = {}
                if tx.action == "expire":
                    expired = self.escrow.events.JobExpired().process_receipt(receipt, errors=DISCARD)
                    if expired:
                        fields["bounty"] = str(expired[0]["args"]["bounty"])
                self.log.info(f"job_{tx.action}d", job_id=tx.job_id, gas_used=gas_used, **fields)
            return
        gas_limit = int(self._rpc(lambda: self.client.w3.eth.get_transaction(tx.tx_hash))["gas"])  # type: ignore[arg-type]
        out_of_gas = gas_used >= gas_limit  # the escrow makes no external call on this path: OOG burns it all
        reason = None if out_of_gas else self._revert_reason(tx, receipt)
        error = "out of gas" if out_of_gas else str(reason or "reverted")
        self.store.set_tx_state(tx.tx_hash, TxState.REVERTED, gas_used, error)
        self.log.warning(
            "tx_reverted",
            action=tx.action,
            job_id=tx.job_id,
            tx=tx.tx_hash,
            error=error,
            gas_used=gas_used,
            gas_limit=gas_limit,
        )
        if tx.action == "claim":
            self._after_failed_claim(tx.job_id, reason)
        elif tx.action == "submit":
            self._after_failed_submit(tx, error)
        else:
            self.store.unwatch(tx.job_id)

    def _after_failed_claim(self, job_id: int, reason: ContractRevert | None) -> None:
        job = self.client.escrow.get_job(job_id)
        if job.status != JobStatus.Open or (reason is not None and reason.error_name == "InvalidJobStatus"):
            winner = job.provider if job.status in (JobStatus.Claimed, JobStatus.Submitted) else ""
            self.store.set_job_state(job_id, JobState.LOST, f"{reason or 'not open'}")
            self.log.info(
                "job_lost", job_id=job_id, winner=winner, status=job.status.name, error=str(reason) if reason else ""
            )
        else:
            self.store.set_job_state(job_id, JobState.FAILED, f"claim reverted: {reason}")

    def _submit_is_current(self, tx: TxRow) -> bool:
        """Whether submit `tx` follows our mined claim and nothing newer for the job: a pipelined submit whose
        claim reverted or was dropped is doomed, and its outcome must not touch the job (the claim's stands)."""
        txs = self.store.txs(job_id=tx.job_id)
        claims = [c for c in txs if c.action == "claim" and c.nonce < tx.nonce]
        newer = [t for t in txs if t.action in ("claim", "submit") and t.nonce > tx.nonce]
        return bool(claims) and claims[-1].state == TxState.MINED and not newer

    def _after_failed_submit(self, tx: TxRow, error: str) -> None:
        """A mined submit reverted. Its claim (lower nonce, so already settled by reconcile) decides first: if the
        claim lost (LOST / FAILED) or was dropped (SEEN, maybe claimed again since), that outcome stands. If our
        claim stands on chain, the submit is retried with an estimated gas limit (out of gas with the fixed limit
        of a pipelined submit), at most until MAX_SUBMIT_REVERTS reverted submits; else the job FAILED."""
        job_id = tx.job_id
        row = self.store.job(job_id)
        if row is None or row.state != JobState.SUBMITTING or not self._submit_is_current(tx):
            self.log.info("submit_reverted_after_claim", job_id=job_id, job_state=row.state if row else "", error=error)
            return
        job = self.client.escrow.get_job(job_id)
        reverted = len(self.store.txs(TxState.REVERTED, job_id=job_id, action="submit"))
        if job.status == JobStatus.Claimed and job.provider == self.address and reverted < MAX_SUBMIT_REVERTS:
            self.store.set_job_state(job_id, JobState.CLAIMED, f"submit reverted ({error}): retrying")
            self.log.warning("submit_retry", job_id=job_id, error=error, reverted=reverted)
        else:
            self.store.set_job_state(job_id, JobState.FAILED, f"submit reverted: {error}")

    def _apply_dropped(self, tx: TxRow) -> None:
        self.log.warning("tx_dropped", action=tx.action, job_id=tx.job_id, tx=tx.tx_hash, nonce=tx.nonce)
        row = self.store.job(tx.job_id)
        if tx.action == "claim":
            self.store.set_job_state(tx.job_id, JobState.SEEN, "claim dropped")
        elif (
            tx.action == "submit"
            and row is not None
            and row.state == JobState.SUBMITTING
            and self._submit_is_current(tx)
        ):
            # Only when our claim stands (a dropped claim already put the job back to SEEN).
            self.store.set_job_state(tx.job_id, JobState.CLAIMED, "submit dropped")

    # ---------------------------------------------------------------------------------------- work

    def _model(self, model_id: int, version: int) -> Any:
        key = (model_id, version)
        if key not in self._model_cache:
            weights_hash = self.client.registry.get_version(model_id, version).weights_hash
            model = self.models.get(weights_hash)  # raises ModelNotFound / ModelHashMismatch
            # a file that does not match the registry's layer commitments would be slashable: refuse to serve it
            check_layer_commitments(self.client, model_id, version, model)
            self._model_cache[key] = model
        return self._model_cache[key]

    def work(self) -> bool:
        acted = False
        seen = self.store.jobs(JobState.SEEN)
        if seen:
            acted |= self._claim_some(seen)
        if acted:
            self.reconcile()
        for row in self.store.jobs(JobState.CLAIMED):
            if self.stop_event.is_set():
                break
            acted |= self._submit(row)
        if acted:
            self.reconcile()
        return acted

    def _claim_some(self, seen: list[JobRow]) -> bool:
        now = self.client.timestamp()
        inflight = self.store.count_jobs(*ACTIVE_STATES)
        acted = False
        free: int | None = None
        # Each node walks the open jobs in its own pseudo-random order (keccak of address and job id), so
        # nodes racing for the same backlog mostly pick different jobs first.
        seen = sorted(seen, key=lambda r: keccak(text=f"{self.address}:{r.job_id}"))
        for row in seen:
            if inflight >= self.config.max_inflight or self.stop_event.is_set():
                break
            if row.fee < self.config.min_fee:
                self._skip(row, f"fee {row.fee} below min fee {self.config.min_fee}")
                continue
            if row.deadline <= now + self.config.deadline_margin:
                self._skip(row, "deadline too close")
                continue
            try:
                model = self._model(row.model_id, row.version)
            except (OpgError, ModelRuntimeError) as exc:
                self._skip(row, f"model unavailable: {exc}")
                continue
            try:
                vector = decode_vector(row.input, "input")
                if len(vector) != model.input_dim:
                    raise ValueError(f"input length {len(vector)}, model wants {model.input_dim}")
            except (ModelRuntimeError, ValueError) as exc:
                self._skip(row, f"malformed input: {exc}")
                continue
            status = self.client.escrow.job_status(row.job_id)
            if status != JobStatus.Open:
                self.store.set_job_state(
                    row.job_id,
                    JobState.LOST if status != JobStatus.Closed else JobState.CLOSED,
                    f"status {status.name}",
                )
                continue
            need = row.collateral
            if free is None:
                free = self.client.staking.free_stake(self.address)
            if free < need:
                self._wait_note(row, f"free stake {free} < collateral {need}")
                continue
            if self.store.live_tx(row.job_id, "claim") is not None:
                continue  # already in flight (reconcile owns it)
            result: tuple[bytes, bytes] | None = None
            if self.config.pipeline and not self._is_zk(row.job_id):  # ZK: prove after the claim, estimate gas
                result = self._infer(row, model, JobState.SKIPPED)  # before claiming: the submit follows at once
                if result is None:
                    continue
            try:
                accepted = self._send(
                    row.job_id, "claim", "claimJob", [row.job_id, jobstate.struct(self._open_job(row))],
                    JobState.CLAIMING,
                )
            except ContractRevert as exc:
                if exc.error_name in ("InvalidJobStatus", "DeadlinePassed"):
                    self.store.set_job_state(row.job_id, JobState.LOST, str(exc))
                    self.log.info("job_lost", job_id=row.job_id, error=str(exc), how="estimate")
                elif exc.error_name == "InsufficientFreeStake":
                    self._wait_note(row, str(exc))
                else:
                    self._skip(row, str(exc))
                continue
            free -= need
            inflight += 1
            acted = True
            if result is not None and accepted:
                # Nonce + 1, fixed gas limit (no estimate possible before the claim is mined). If the claim was
                # not accepted it stays recorded for reconcile, and the submit waits for the mined claim.
                self._send_submit(row.job_id, *result, pipelined=True)
        return acted

    def _skip(self, row: JobRow, why: str) -> None:
        self.store.set_job_state(row.job_id, JobState.SKIPPED, why)
        self.log.info("job_skipped", job_id=row.job_id, reason=why)

    def _wait_note(self, row: JobRow, why: str) -> None:
        if self._waiting_note.get(row.job_id) != why:
            self._waiting_note[row.job_id] = why
            self.log.info("job_waiting", job_id=row.job_id, reason=why)

    def _infer(
        self, row: JobRow, model: Any = None, fail_state: JobState = JobState.FAILED
    ) -> tuple[bytes, bytes] | None:
        """(encoded output, trace root) of the job's model on its input -- for a ZK job (output of the circuit,
        EZKL proof calldata); None (job `fail_state`, logged) if inference fails."""
        try:
            model = model if model is not None else self._model(row.model_id, row.version)
            started = time.perf_counter()
            if self._is_zk(row.job_id):
                output, root = self._prove(row, model)
            else:
                tr = self._trace(row, model)
                output, root = encode_vector(tr.output, "output"), trace_root(tr)
            infer_ms = round((time.perf_counter() - started) * 1000, 3)
        except (OpgError, ModelRuntimeError, ValueError) as exc:
            self.store.set_job_state(row.job_id, fail_state, f"inference failed: {exc}")
            self.log.error("inference_failed", job_id=row.job_id, error=str(exc))
            return None
        self.log.info("inference_done", job_id=row.job_id, ms=infer_ms)
        self._crash_point("inference_done")
        return output, root

    def _mode(self, job_id: int) -> VerificationMode:
        mode = self._modes.get(job_id)
        if mode is None:  # seen before a restart: ask the escrow once
            mode = self._modes[job_id] = self.client.escrow.get_job(job_id).mode
        return mode

    def _open_job(self, row: JobRow) -> Job:
        """The job as JobCreated left it (the escrow checks the struct against its stored hash), from the event
        fields in the store: no RPC on the hot path."""
        return Job(
            job_id=row.job_id,
            requester=to_checksum_address(row.requester),
            fee=row.fee,
            provider=jobstate.ZERO_ADDRESS,
            model_id=row.model_id,
            version=row.version,
            status=JobStatus.Open,
            mode=self._mode(row.job_id),
            deadline=row.deadline,
            commitment=row.input_hash,
            collateral=row.collateral,
            challenge_window=row.challenge_window,
            royalty_owner=to_checksum_address(row.royalty_owner),
            royalty_bps=row.royalty_bps,
        )

    def _is_zk(self, job_id: int) -> bool:
        return self._mode(job_id) == VerificationMode.ZK

    def _zk_circuit(self, model_id: int, version: int) -> Any:
        """The configured ZK circuit of (model_id, version), matched by weights hash; None if there is none."""
        if not self.config.zk_circuits:
            return None
        if self._zk_circuits is None:
            from opg_client.zk import load_circuit

            circuits = [load_circuit(path) for path in self.config.zk_circuits]
            self._zk_circuits = {c.model_hash.lower(): c for c in circuits}
        weights_hash = self.client.registry.get_version(model_id, version).weights_hash
        return self._zk_circuits.get("0x" + bytes(weights_hash).hex())

    def _prove(self, row: JobRow, model: Any) -> tuple[bytes, bytes]:
        """(circuit output, proof calldata) of a ZK job."""
        from opg_client.zk import prove

        circuit = self._zk_circuit(row.model_id, row.version)
        if circuit is None:
            raise ValueError(f"no ZK circuit for model {row.model_id} v{row.version}")
        proof = prove(circuit, model, decode_vector(row.input, "input"))
        self.log.info("zk_proved", job_id=row.job_id, **{k: round(v, 3) for k, v in proof.timings.items()})
        return proof.output_bytes, proof.calldata()

    def _trace(self, row: JobRow, model: Any) -> Any:
        """The trace this node reports: honest, or (test mode, --cheat-rate) with one layer corrupted; published
        to the trace board when one is configured."""
        x = decode_vector(row.input, "input")
        if self.config.cheat is None:
            tr = trace(model, x)
        else:
            tr, cheat = self.config.cheat.trace(model, x, row.job_id)
            if cheat is not None:
                self.log.warning("cheating", job_id=row.job_id, layer=cheat.layer, index=cheat.index)
        if self.config.trace_board is not None:
            self.config.trace_board.publish_trace(row.job_id, tr)
        return tr

    def _send_submit(self, job_id: int, output: bytes, root: bytes, *, pipelined: bool) -> None:
        """submitResult(job, output, proof): pipelined (claim not mined yet) with the fixed gas limit, else
        estimated. The proof is the trace root (optimistic) or the enclave's signature (TEE jobs, when the node
        has an enclave)."""
        tee_proof = self._tee_proof(job_id, output)
        proof = tee_proof or root
        row = self.store.job(job_id)
        assert row is not None  # submits only happen for jobs in the store
        claimed = jobstate.claimed(self._open_job(row), self.address)  # as our claim leaves it
        args = [job_id, jobstate.struct(claimed), output, proof]
        gas = None
        if pipelined:
            data = bytes(HexBytes(self.escrow.encode_abi("submitResult", args=args)))
            floor = TX_BASE_GAS + max(calldata_gas(data))  # below this the node would refuse the tx outright
            gas = max(self.config.submit_gas or submit_gas_limit(data, len(output)), floor)
            gas += TEE_SUBMIT_EXTRA_GAS if tee_proof else 0
        try:
            self._send(job_id, "submit", "submitResult", args, JobState.SUBMITTING, gas=gas, output=output)
        except ContractRevert as exc:  # estimated only (pipelined submits are not estimated)
            self.store.set_job_state(job_id, JobState.FAILED, f"submit refused: {exc}")
            self.log.error("submit_refused", job_id=job_id, error=str(exc))

    def _tee_proof(self, job_id: int, output: bytes) -> bytes:
        """The enclave's signed result for a TEE job (signed now, chain time); b"" for other jobs."""
        if self._tee is None:
            return b""
        if self._mode(job_id) != VerificationMode.TEE:
            return b""
        row = self.store.job(job_id)
        assert row is not None  # submits only happen for jobs in the store
        return self._tee.prove(job_id, row.model_id, row.version, row.input_hash, output)

    def _submit(self, row: JobRow) -> bool:
        """Submit for a job whose claim is mined (not pipelined: after a restart, a retry, a delayed claim)."""
        if self.store.live_tx(row.job_id, "submit") is not None:
            return False
        result = self._infer(row)
        if result is not None:
            self._send_submit(row.job_id, *result, pipelined=False)
        return True

    # -------------------------------------------------------------------------------------- keeper

    def keep(self) -> bool:
        """Finalize matured jobs, expire overdue ones (what is due before the next block's timestamp)."""
        now = self.client.timestamp()
        acted = False
        for job_id, kind, due, provider in self.store.due(now + 1):
            if self.stop_event.is_set():
                break
            if kind == "finalize" and provider != self.address:
                if self.config.keeper == "own":
                    self.store.unwatch(job_id)
                    continue
                if now < due + self.config.keeper_grace:
                    continue  # its provider finalizes first; we step in only if it does not
            if self.store.live_tx(job_id, kind) is not None:
                continue
            status = self.client.escrow.job_status(job_id)
            wanted = (JobStatus.Submitted,) if kind == "finalize" else (JobStatus.Open, JobStatus.Claimed)
            if status not in wanted:
                if status in (JobStatus.Closed, JobStatus.None_) or kind == "expire":
                    self.store.unwatch(job_id)
                continue
            fn_name = "finalizeJob" if kind == "finalize" else "expireJob"
            try:
                self._send(job_id, kind, fn_name, [job_id, self.client.escrow.job_struct(job_id)], None)
                acted = True
            except ContractRevert as exc:
                if exc.error_name in ("ChallengeWindowOpen", "DeadlineNotPassed"):
                    continue  # the clock has not moved far enough yet
                self.store.unwatch(job_id)
                self.log.info("keeper_skipped", job_id=job_id, action=kind, error=str(exc))
        if acted:
            self.reconcile()
        return acted


def _exclusive_lock(path: Path) -> Any:
    """One node per database: an exclusive advisory lock held for the node's lifetime."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - held open until close()
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise NodeError(f"another node is already running on {path.with_suffix('')}") from None
    return handle


def install_signal_handlers(node: ProviderNode) -> None:
    """SIGTERM / SIGINT: finish the current step, then stop (main thread only)."""

    def _stop(signum: int, _frame: Any) -> None:
        node.log.info("signal", signal=signal.Signals(signum).name)
        node.stop_event.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
