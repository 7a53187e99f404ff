"""A job's struct rebuilt from its events (the escrow stores one hash per job, not the struct).

InferenceEscrow keeps one word per job, `jobHash(jobId)` = keccak256(abi.encode(jobId, job)) with its low 56 bits
replaced by the job's sequence number (bits 8-55) and status (bits 0-7); every transition takes the current `Job`
struct as calldata. Its fields come from the job's events: JobCreated (requester, fee, modelId, version, mode,
deadline, commitment = inputHash, collateral, challengeWindow, royaltyOwner, royaltyBps: Open), JobClaimed
(provider: Claimed), and for an optimistic job ResultSubmitted (deadline = challengeEnd, commitment =
keccak256(abi.encode(inputHash, outputHash, traceRoot)): Submitted). JobFinalized, JobCancelled, JobExpired
and ChallengeUpheld close it. Pure functions over raw logs (`topics`, `data`), shared by the client and tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, NamedTuple

from eth_abi import decode, encode
from eth_utils import keccak, to_checksum_address

from opg_client.models import Job, JobStatus, VerificationMode

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"

_CREATED = keccak(
    text="JobCreated(uint256,address,uint32,uint16,uint8,uint256,uint64,bytes32,uint256,uint64,address,uint16,bytes)"
)
_CLAIMED = keccak(text="JobClaimed(uint256,address,uint256,uint64)")
_SUBMITTED = keccak(text="ResultSubmitted(uint256,address,bytes32,bytes32,uint64,bytes)")
_CLOSING = (
    keccak(text="JobFinalized(uint256,address,uint256)"),
    keccak(text="JobCancelled(uint256,address,uint256)"),
    keccak(text="JobExpired(uint256,address,uint256,uint256,uint256)"),
    keccak(text="ChallengeUpheld(uint256,address,uint256,uint256,uint256)"),
)

#: topic0 of every event that builds or closes a job (the first topic filter of eth_getLogs).
JOB_TOPICS: tuple[bytes, ...] = (_CREATED, _CLAIMED, _SUBMITTED, *_CLOSING)

STRUCT_TYPE = "(address,uint96,address,uint32,uint16,uint8,uint8,uint32,bytes32,uint96,uint32,address,uint16)"
_STATUS_INDEX = 5
_SEQ_BITS = 40  # a job id's sequence number: bits 0-39; its slot (when not equal to it): bits 40-62


class JobStruct(NamedTuple):
    """IInferenceEscrow.Job with its Solidity field names (for Ape callers and tests; web3 wants the plain tuple
    `struct` returns)."""

    requester: str
    fee: int
    provider: str
    modelId: int
    version: int
    status: int
    mode: int
    deadline: int
    commitment: bytes
    collateral: int
    challengeWindow: int
    royaltyOwner: str
    royaltyBps: int


def sequence_of(job_id: int) -> int:
    """A job id's sequence number (the n-th job created has n): its low 40 bits."""
    return job_id & (2**_SEQ_BITS - 1)


def slot_of(job_id: int) -> int:
    """The escrow storage slot job `job_id` lives in: bits 40-62 of the id, or its sequence number if those are 0."""
    return (job_id >> _SEQ_BITS) or job_id


def job_topic(job_id: int) -> bytes:
    """The indexed jobId topic (topic1) of the escrow's job events."""
    return job_id.to_bytes(32, "big")


def log_filter(escrow: str, job_id: int, from_block: int = 0) -> dict[str, Any]:
    """eth_getLogs parameters for every log of `escrow` that builds or closes job `job_id` (`rebuild`'s input)."""
    return {
        "address": escrow,
        "fromBlock": from_block,
        "toBlock": "latest",
        "topics": [["0x" + t.hex() for t in JOB_TOPICS], "0x" + job_topic(job_id).hex()],
    }


def _bytes(value: Any) -> bytes:
    return bytes.fromhex(value[2:]) if isinstance(value, str) else bytes(value)


def commit(input_hash: bytes, output_hash: bytes, trace_root: bytes) -> bytes:
    """An optimistic result's commitment: keccak256(abi.encode(inputHash, outputHash, traceRoot))."""
    return keccak(encode(["bytes32", "bytes32", "bytes32"], [input_hash, output_hash, trace_root]))


def rebuild(job_id: int, logs: Iterable[Mapping[str, Any]]) -> Job | None:
    """Job `job_id` after `logs` (its escrow's logs for that id, in chain order); None without JobCreated. A
    closed job keeps its last fields with status Closed."""
    job: Job | None = None
    for log in logs:
        topics = [_bytes(t) for t in log["topics"]]
        if len(topics) < 2 or int.from_bytes(topics[1], "big") != job_id:
            continue
        data = _bytes(log["data"])
        if topics[0] == _CREATED:
            version, mode, fee, deadline, input_hash, collateral, window, royalty_owner, royalty_bps, _ = decode(
                ["uint16", "uint8", "uint256", "uint64", "bytes32", "uint256", "uint64", "address", "uint16", "bytes"],
                data,
            )
            job = Job(
                job_id=job_id,
                requester=to_checksum_address(topics[2][12:]),
                fee=int(fee),
                provider=ZERO_ADDRESS,
                model_id=int.from_bytes(topics[3], "big"),
                version=int(version),
                status=JobStatus.Open,
                mode=VerificationMode(int(mode)),
                deadline=int(deadline),
                commitment=bytes(input_hash),
                collateral=int(collateral),
                challenge_window=int(window),
                royalty_owner=to_checksum_address(royalty_owner),
                royalty_bps=int(royalty_bps),
            )
        elif job is None:
            continue
        elif topics[0] == _CLAIMED:
            job = claimed(job, to_checksum_address(topics[2][12:]))
        elif topics[0] == _SUBMITTED and job.mode == VerificationMode.Optimistic:
            output_hash, root, challenge_end, _ = decode(["bytes32", "bytes32", "uint64", "bytes"], data)
            job = submitted(job, bytes(output_hash), bytes(root), int(challenge_end))
        elif topics[0] in _CLOSING:
            job = replace(job, status=JobStatus.Closed)
    return job


def opened(job_id: int, args: Mapping[str, Any]) -> Job:
    """`job_id` as createJob leaves it, from its decoded JobCreated arguments (requester, modelId, version,
    mode, fee, deadline, inputHash, collateral, challengeWindow, royaltyOwner, royaltyBps)."""
    return Job(
        job_id=job_id,
        requester=to_checksum_address(args["requester"]),
        fee=int(args["fee"]),
        provider=ZERO_ADDRESS,
        model_id=int(args["modelId"]),
        version=int(args["version"]),
        status=JobStatus.Open,
        mode=VerificationMode(int(args["mode"])),
        deadline=int(args["deadline"]),
        commitment=bytes(args["inputHash"]),
        collateral=int(args["collateral"]),
        challenge_window=int(args["challengeWindow"]),
        royalty_owner=to_checksum_address(args["royaltyOwner"]),
        royalty_bps=int(args["royaltyBps"]),
    )


def claimed(job: Job, provider: str) -> Job:
    """`job` as claimJob leaves it (what a pipelined submit passes before the claim is mined)."""
    return replace(job, provider=provider, status=JobStatus.Claimed)


def submitted(job: Job, output_hash: bytes, trace_root: bytes, challenge_end: int) -> Job:
    """An optimistic `job` as submitResult leaves it."""
    return replace(
        job,
        status=JobStatus.Submitted,
        deadline=challenge_end,
        commitment=commit(job.commitment, output_hash, trace_root),
    )


def struct(job: Job) -> tuple[Any, ...]:
    """The `Job` calldata tuple (requester, fee, provider, modelId, version, status, mode, deadline, commitment,
    collateral, challengeWindow, royaltyOwner, royaltyBps). A closed job encodes as all zeros (the escrow then
    reports InvalidJobStatus(Closed))."""
    if job.status in (JobStatus.Closed, JobStatus.None_):
        return struct_of_nothing()
    return _fields(job)


def _fields(job: Job) -> tuple[Any, ...]:
    return (
        job.requester,
        job.fee,
        job.provider,
        job.model_id,
        job.version,
        int(job.status),
        int(job.mode),
        job.deadline,
        job.commitment,
        job.collateral,
        job.challenge_window,
        job.royalty_owner,
        job.royalty_bps,
    )


def struct_of_nothing() -> tuple[Any, ...]:
    """The all-zero `Job` tuple (a job that never existed or has closed)."""
    return _fields(unknown(0))


def unknown(job_id: int) -> Job:
    """Job `job_id` as read when the escrow never issued it: every field zero, status None_."""
    return Job(job_id, ZERO_ADDRESS, 0, ZERO_ADDRESS, 0, 0, JobStatus.None_, VerificationMode.Optimistic, 0,
               b"\x00" * 32, 0, 0, ZERO_ADDRESS, 0)


def named_struct(job: Job | None) -> JobStruct:
    """`struct(job)` with its Solidity field names (all zero for None: no JobCreated seen)."""
    return JobStruct(*(struct(job) if job is not None else struct_of_nothing()))


def seal(job: Job) -> bytes:
    """What `jobHash(jobId)` holds while `job` is current: keccak256(abi.encode(jobId, job)) with the low 56 bits
    replaced by the sequence number (bits 8-55) and the status (bits 0-7)."""
    return seal_of(job.job_id, struct(job))


def seal_of(job_id: int, job: tuple[Any, ...]) -> bytes:
    """`seal` of calldata tuple `job` as job `job_id`."""
    digest = int.from_bytes(keccak(encode(["uint256", STRUCT_TYPE], [job_id, tuple(job)])), "big")
    low = (sequence_of(job_id) << 8) | int(job[_STATUS_INDEX])
    return ((digest >> 56 << 56) | low).to_bytes(32, "big")
