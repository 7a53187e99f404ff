"""InferenceEscrow wrapper: create (approve or permit), cancel, claim, submit, finalize, expire, challenge."""

from __future__ import annotations

from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.types import TxReceipt

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


class Escrow(ContractWrapper):
    NAME = "InferenceEscrow"

    # -------------------------------------------------------------------------------------- views

    def job_count(self) -> int:
        return int(self._call("jobCount"))

    def job_status(self, job_id: int) -> JobStatus:
        return JobStatus(int(self._call("jobStatus", job_id)))

    def get_job(self, job_id: int) -> Job:
        requester, fee, provider, model_id, version, status, mode, deadline, commitment = self._call(
            "getJob", job_id
        )
        return Job(
            job_id=job_id,
            requester=requester,
            fee=int(fee),
            provider=provider,
            model_id=int(model_id),
            version=int(version),
            status=JobStatus(int(status)) if int(status) else self.job_status(job_id),
            mode=VerificationMode(int(mode)),
            deadline=int(deadline),
            commitment=bytes(commitment),
        )

    def max_job_duration(self) -> int:
        return int(self._call("MAX_JOB_DURATION"))

    def challenge_window(self) -> int:
        return int(self._call("challengeWindow"))

    def challenge_bond(self) -> int:
        return int(self._call("challengeBond"))

    def collateral_for(self, job_id: int, fee: int) -> int:
        return int(self._call("collateralFor", job_id, fee))

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
        return self._send(account, "createJob", *args, gas=gas)

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
        args: tuple[Any, ...] = (model_id, version, int(mode), max_fee, deadline, input_data)
        return self._send(
            account, "createJobWithPermit", *args, permit_deadline, permit.v, permit.r, permit.s
        )

    def cancel_job(self, account: LocalAccount, job_id: int) -> PendingTx:
        job = self._require_status(job_id, JobStatus.Open)
        if job.requester != account.address:
            raise NotRequester(jobId=job_id, caller=account.address)
        return self._send(account, "cancelJob", job_id)

    def claim_job(self, account: LocalAccount, job_id: int, *, gas: int | None = None) -> PendingTx:
        job = self._require_status(job_id, JobStatus.Open)
        if self.client.timestamp() > job.deadline:
            raise DeadlinePassed(jobId=job_id, deadline=job.deadline)
        return self._send(account, "claimJob", job_id, gas=gas)

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
        return self._send(account, "submitResult", job_id, output, proof, gas=gas)

    def finalize_job(self, account: LocalAccount, job_id: int) -> PendingTx:
        self._require_status(job_id, JobStatus.Submitted)
        return self._send(account, "finalizeJob", job_id)

    def expire_job(self, account: LocalAccount, job_id: int) -> PendingTx:
        job = self._require_status(job_id, JobStatus.Open, JobStatus.Claimed)
        if self.client.timestamp("pending") <= job.deadline:
            raise DeadlineNotPassed(jobId=job_id, deadline=job.deadline)
        return self._send(account, "expireJob", job_id)

    def challenge_result(
        self,
        account: LocalAccount,
        job_id: int,
        input_hash: bytes,
        output_hash: bytes,
        trace_root: bytes,
        evidence: bytes,
    ) -> PendingTx:
        self._require_status(job_id, JobStatus.Submitted)
        return self._send(account, "challengeResult", job_id, input_hash, output_hash, trace_root, evidence)

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
