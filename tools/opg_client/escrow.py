"""InferenceEscrow wrapper: create (approve or permit), cancel, claim, submit, finalize, expire, challenge.

The escrow stores one hash per job; every transition takes the job's current `Job` struct, which this wrapper
rebuilds from the job's events (`opg_client.jobstate`: eth_getLogs on the indexed jobId topic) and checks
against `jobHash(jobId)`. The by-id API is unchanged."""

from __future__ import annotations

from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.types import TxReceipt

from opg_client import jobstate
from opg_client._base import ContractWrapper
from opg_client.errors import (
    DeadlineNotPassed,
    DeadlinePassed,
    FeeBelowPrice,
    FeeTooLarge,
    InvalidDeadline,
    InvalidJobStatus,
    InvalidTraceRoot,
    ModelVersionDeprecated,
    ModeNotSupported,
    NotProvider,
    NotRequester,
)
from opg_client.models import Job, JobRequest, JobResult, JobStatus, VerificationMode
from opg_client.tx import PendingTx

UINT96_MAX = 2**96 - 1
#: Extra gas a creation gets over its estimate: one that finds no recycled job slot writes a fresh one (22,100
#: instead of 5,000), and an estimate taken while another creation is pending may have counted on the slot that
#: creation takes (the free list's head).
FRESH_SLOT_GAS = 17_100
_CREATED_AT_CACHE = 4096  # job id -> block of its JobCreated (where its log scan starts)


class Escrow(ContractWrapper):
    NAME = "InferenceEscrow"

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self._created_at: dict[int, int] = {}

    # -------------------------------------------------------------------------------------- views

    def job_count(self) -> int:
        """Jobs ever created (the latest job's sequence number)."""
        return int(self._call("jobCount"))

    def last_job_id(self) -> int:
        """Id of the latest job created (0 before the first)."""
        return int(self._call("lastJobId"))

    def next_job_ids(self, count: int) -> list[int]:
        """Ids the next `count` jobs will get if no job closes first (job ids recycle closed jobs' slots)."""
        return [int(i) for i in self._call("nextJobIds", count)]

    def job_status(self, job_id: int) -> JobStatus:
        return JobStatus(int(self._call("jobStatus", job_id)))

    def job_hash(self, job_id: int) -> bytes:
        """`jobHash(jobId)`: the stored seal of the job's current struct (zero once closed)."""
        return bytes(self._call("jobHash", job_id))

    def get_job(self, job_id: int) -> Job:
        """Job `job_id` rebuilt from its events; a job that never existed reads as status None_ (all zero), a
        closed one keeps its last fields with status Closed."""
        job = self._job_from_logs(job_id)
        return job if job is not None else jobstate.unknown(job_id)

    def job_struct(self, job_id: int) -> tuple[Any, ...]:
        """The `Job` calldata tuple of `job_id` as of the latest block (all zero once closed)."""
        job = self._job_from_logs(job_id)
        return jobstate.struct(job) if job is not None else jobstate.struct_of_nothing()

    def _job_from_logs(self, job_id: int) -> Job | None:
        start = self._created_at.get(job_id, self.client.manifest.block)
        logs = self.client.w3.eth.get_logs(jobstate.log_filter(self.address, job_id, start))  # type: ignore[arg-type]
        job = jobstate.rebuild(job_id, logs)
        if job is None and start != self.client.manifest.block:  # the hint is stale (e.g. a reverted chain)
            self._created_at.pop(job_id, None)
            return self._job_from_logs(job_id)
        if job is not None and len(self._created_at) < _CREATED_AT_CACHE:
            self._created_at[job_id] = int(logs[0]["blockNumber"])
        return job

    def max_job_duration(self) -> int:
        return int(self._call("MAX_JOB_DURATION"))

    def challenge_window(self) -> int:
        return int(self._call("challengeWindow"))

    def challenge_bond(self) -> int:
        return int(self._call("challengeBond"))

    def collateral_for(self, fee: int) -> int:
        """Collateral (wei) a job created now with `fee` wei would lock (a job's own is `get_job(id).collateral`)."""
        return int(self._call("collateralFor", fee))

    # ------------------------------------------------------------------------------------- checks

    def check_new_job(
        self, requester: str, model_id: int, version: int, mode: VerificationMode, max_fee: int, deadline: int
    ) -> None:
        """createJob's checks, client-side: UnknownModelVersion, ModelVersionDeprecated, ModeNotSupported,
        FeeBelowPrice, FeeTooLarge, InvalidDeadline, ERC20InsufficientBalance (raised without sending)."""
        terms = self.client.registry.job_terms(model_id, version)  # raises UnknownModelVersion
        if terms.deprecated:
            raise ModelVersionDeprecated(modelId=model_id, version=version)
        if mode not in terms.modes:
            raise ModeNotSupported(modelId=model_id, version=version, mode=VerificationMode(mode))
        if max_fee > UINT96_MAX:
            raise FeeTooLarge(fee=max_fee)
        if max_fee < terms.price_per_job:
            raise FeeBelowPrice(fee=max_fee, price=terms.price_per_job)
        now = self.client.timestamp()
        latest = now + self.max_job_duration()
        if deadline <= now or deadline > latest:
            raise InvalidDeadline(deadline=deadline, latest=latest)
        self.client.token.require_balance(requester, max_fee)

    def _require_status(self, job_id: int, *allowed: JobStatus) -> Job:
        job = self.get_job(job_id)
        if job.status not in allowed:
            raise InvalidJobStatus(jobId=job_id, status=job.status)
        return job

    # -------------------------------------------------------------------------------------- sends

    def create_job(
        self,
        account: LocalAccount,
        model_id: int,
        version: int,
        mode: VerificationMode,
        max_fee: int,
        deadline: int,
        input_data: bytes,
        *,
        check: bool = True,
        gas: int | None = None,
    ) -> PendingTx:
        """`createJob`; needs an allowance of `max_fee` (pre-checked). Pipelining: `check=False` + `gas`."""
        if check:
            self.check_new_job(account.address, model_id, version, mode, max_fee, deadline)
            self.client.token.require_allowance(account.address, self.address, max_fee)
        args = (model_id, version, int(mode), max_fee, deadline, input_data)
        return self._send(account, "createJob", *args, gas=gas or self._create_gas(account, "createJob", *args))

    def create_gas(
        self, account: LocalAccount, model_id: int, version: int, mode: VerificationMode, max_fee: int, deadline: int,
        input_data: bytes,
    ) -> int:
        """Gas limit for `createJob` (approve path) by `account`: the estimate with the sender's headroom plus
        FRESH_SLOT_GAS. For pipelined creations sharing one limit (`create_job(..., check=False, gas=...)`)."""
        return self._create_gas(account, "createJob", model_id, version, int(mode), max_fee, deadline, input_data)

    def create_job_with_permit(
        self,
        account: LocalAccount,
        model_id: int,
        version: int,
        mode: VerificationMode,
        max_fee: int,
        deadline: int,
        input_data: bytes,
        *,
        permit_deadline: int | None = None,
    ) -> PendingTx:
        self.check_new_job(account.address, model_id, version, mode, max_fee, deadline)
        permit_deadline = deadline if permit_deadline is None else permit_deadline
        permit = self.client.token.sign_permit(account, self.address, max_fee, permit_deadline)
        args: tuple[Any, ...] = (model_id, version, int(mode), max_fee, deadline, input_data, permit_deadline,
                                 permit.v, permit.r, permit.s)
        return self._send(account, "createJobWithPermit", *args, gas=self._create_gas(account, "createJobWithPermit",
                                                                                     *args))

    def _create_gas(self, account: LocalAccount, fn_name: str, *args: Any) -> int:
        """The estimate (with the sender's headroom) plus FRESH_SLOT_GAS."""
        return self.client.sender(account).estimate_gas(self.calldata(fn_name, *args)) + FRESH_SLOT_GAS

    def cancel_job(self, account: LocalAccount, job_id: int) -> PendingTx:
        job = self._require_status(job_id, JobStatus.Open)
        if job.requester != account.address:
            raise NotRequester(jobId=job_id, caller=account.address)
        return self._send(account, "cancelJob", job_id, jobstate.struct(job))

    def claim_job(self, account: LocalAccount, job_id: int, *, gas: int | None = None) -> PendingTx:
        job = self._require_status(job_id, JobStatus.Open)
        if self.client.timestamp() > job.deadline:
            raise DeadlinePassed(jobId=job_id, deadline=job.deadline)
        return self._send(account, "claimJob", job_id, jobstate.struct(job), gas=gas)

    def submit_result(
        self, account: LocalAccount, job_id: int, output: bytes, proof: bytes = b"", *, gas: int | None = None
    ) -> PendingTx:
        """`proof`: for an optimistic job exactly the 32-byte trace root (`opg_client.runtime.trace_root`);
        for TEE / ZK jobs the mode's proof."""
        job = self._require_status(job_id, JobStatus.Claimed)
        if job.mode == VerificationMode.Optimistic and len(proof) != 32:
            raise InvalidTraceRoot(jobId=job_id, proofLength=len(proof))
        if job.provider != account.address:
            raise NotProvider(jobId=job_id, caller=account.address)
        if self.client.timestamp() > job.deadline:
            raise DeadlinePassed(jobId=job_id, deadline=job.deadline)
        return self._send(account, "submitResult", job_id, jobstate.struct(job), output, proof, gas=gas)

    def finalize_job(self, account: LocalAccount, job_id: int) -> PendingTx:
        job = self._require_status(job_id, JobStatus.Submitted)
        return self._send(account, "finalizeJob", job_id, jobstate.struct(job))

    def expire_job(self, account: LocalAccount, job_id: int) -> PendingTx:
        job = self._require_status(job_id, JobStatus.Open, JobStatus.Claimed)
        if self.client.timestamp("pending") <= job.deadline:
            raise DeadlineNotPassed(jobId=job_id, deadline=job.deadline)
        return self._send(account, "expireJob", job_id, jobstate.struct(job))

    def challenge_result(
        self,
        account: LocalAccount,
        job_id: int,
        input_hash: bytes,
        output_hash: bytes,
        trace_root: bytes,
        evidence: bytes,
    ) -> PendingTx:
        job = self._require_status(job_id, JobStatus.Submitted)
        return self._send(
            account, "challengeResult", job_id, jobstate.struct(job), input_hash, output_hash, trace_root, evidence
        )

    # ------------------------------------------------------------------------------------ receipts

    def created(self, receipt: TxReceipt) -> JobRequest:
        args = self.event_in(receipt, "JobCreated")
        return JobRequest(
            job_id=int(args["jobId"]),
            model_id=int(args["modelId"]),
            version=int(args["version"]),
            mode=VerificationMode(int(args["mode"])),
            fee=int(args["fee"]),
            deadline=int(args["deadline"]),
            input_hash=bytes(args["inputHash"]),
            tx_hash="0x" + bytes(receipt["transactionHash"]).hex(),
            collateral=int(args["collateral"]),
        )

    def find_result(self, job_id: int, from_block: int | None = None) -> JobResult | None:
        """The ResultSubmitted event of `job_id` (None if not submitted yet)."""
        start = self.client.manifest.block if from_block is None else from_block
        event = self.contract.events.ResultSubmitted()
        logs = event.get_logs(from_block=start, argument_filters={"jobId": job_id})
        if not logs:
            return None
        log = logs[-1]
        args = log["args"]
        finalized = bool(
            self.contract.events.JobFinalized().get_logs(
                from_block=int(log["blockNumber"]), argument_filters={"jobId": job_id}
            )
        )
        output = bytes(args["output"])
        return JobResult(
            job_id=job_id,
            provider=args["provider"],
            output=output,
            output_hash=bytes(args["outputHash"]),
            trace_root=bytes(args["traceRoot"]),
            challenge_end=int(args["challengeEnd"]),
            finalized=finalized,
            block_number=int(log["blockNumber"]),
        )

    @staticmethod
    def input_hash(input_data: bytes) -> bytes:
        return keccak(input_data)
