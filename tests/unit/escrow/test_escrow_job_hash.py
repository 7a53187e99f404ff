"""One-slot jobs: the escrow stores jobHash(jobId) = keccak256(abi.encode(job)) with the status in its low byte;
every transition takes the Job struct, rebuilt from the job's events, and rejects an altered or stale one."""

import pytest
from escrow_helpers import CLAIMED, CLOSED, INPUT, NONE, OPEN, OUTPUT, PRICE, SUBMITTED, WINDOW, commit
from eth_utils import keccak
from hexbytes import HexBytes
from opg_testkit import TRACE_ROOT, job_of

from opg_client import jobstate

#: A different value for each Job field (requester, fee, provider, modelId, version, status, mode, deadline,
#: commitment), as a function of the current value.
ALTERATIONS = {
    "requester": lambda v: "0x000000000000000000000000000000000000dEaD",
    "fee": lambda v: v + 1,
    "provider": lambda v: "0x000000000000000000000000000000000000bEEF",
    "modelId": lambda v: v + 1,
    "version": lambda v: v + 1,
    "status": lambda v: 3 if v != 3 else 2,
    "mode": lambda v: 1 if v == 0 else 0,
    "deadline": lambda v: v + 1,
    "commitment": lambda v: keccak(b"other" + bytes(v)),
}


def _stored_status(escrow, job_id):
    return HexBytes(escrow.jobHash(job_id))[-1]


def test_job_hash__each_stage__seals_the_rebuilt_struct_with_status_byte(chain, escrow, make_job, provider, stranger):
    job_id = make_job()
    assert job_of(escrow, job_id).status == OPEN
    for expected, step in (
        (OPEN, None),
        (CLAIMED, lambda: escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider)),
        (SUBMITTED, lambda: escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider)),
    ):
        if step is not None:
            step()
        job = job_of(escrow, job_id)
        stored = HexBytes(escrow.jobHash(job_id))
        assert stored == HexBytes(escrow.sealJob(job))
        assert stored[-1] == expected == job.status == escrow.jobStatus(job_id)
        # The client's own seal (opg_client.jobstate) matches the contract's.
        assert stored == jobstate.seal_of(job)
    chain.pending_timestamp += WINDOW + 1
    escrow.finalizeJob(job_id, job_of(escrow, job_id), sender=stranger)
    assert HexBytes(escrow.jobHash(job_id)) == b"\x00" * 32
    assert escrow.jobStatus(job_id) == CLOSED
    assert escrow.jobStatus(job_id + 1) == NONE


def test_events__submitted_job__carry_every_field_of_the_struct(chain, escrow, verifier, staked, funded, requester,
                                                                provider):
    deadline = chain.pending_timestamp + 3_600
    created = escrow.createJob(1, 1, 0, PRICE, deadline, INPUT, sender=requester).events.filter(escrow.JobCreated)[0]
    job_id = created.jobId
    claimed = escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider).events.filter(escrow.JobClaimed)[0]
    result = escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider).events.filter(
        escrow.ResultSubmitted
    )[0]
    job = job_of(escrow, job_id)
    assert (job.requester, job.fee, job.provider) == (created.requester, created.fee, claimed["provider"])
    assert (job.modelId, job.version, job.mode) == (created.modelId, created.version, created.mode)
    assert job.deadline == result.challengeEnd and claimed.deadline == created.deadline == deadline
    assert job.commitment == commit(created.inputHash, result.outputHash, result.traceRoot)
    assert job.commitment == commit(keccak(INPUT), keccak(OUTPUT), TRACE_ROOT)
    assert job.status == SUBMITTED
    assert HexBytes(escrow.sealJob(job)) == HexBytes(escrow.jobHash(job_id))


@pytest.mark.parametrize("field", list(ALTERATIONS))
def test_claim__struct_field_altered__reverts_job_mismatch(escrow, make_job, provider, field, reverts_with):
    job_id = make_job()
    job = job_of(escrow, job_id)
    forged = job._replace(**{field: ALTERATIONS[field](getattr(job, field))})
    with reverts_with(escrow.JobMismatch, jobId=job_id):
        escrow.claimJob(job_id, forged, sender=provider)


@pytest.mark.parametrize("field", list(ALTERATIONS))
def test_finalize__struct_field_altered__reverts_job_mismatch(
    chain, escrow, submitted_job, stranger, field, reverts_with
):
    job_id = submitted_job()
    chain.pending_timestamp += WINDOW + 1
    job = job_of(escrow, job_id)
    forged = job._replace(**{field: ALTERATIONS[field](getattr(job, field))})
    with reverts_with(escrow.JobMismatch, jobId=job_id):
        escrow.finalizeJob(job_id, forged, sender=stranger)
    escrow.finalizeJob(job_id, job, sender=stranger)  # the true struct still settles
    assert escrow.jobStatus(job_id) == CLOSED


def test_cancel__larger_fee_claimed__reverts_job_mismatch(escrow, make_job, requester, reverts_with):
    job_id = make_job()
    job = job_of(escrow, job_id)
    with reverts_with(escrow.JobMismatch, jobId=job_id):
        escrow.cancelJob(job_id, job._replace(fee=job.fee * 2), sender=requester)


def test_cancel__stranger_posing_as_requester__reverts_job_mismatch(escrow, make_job, stranger, reverts_with):
    job_id = make_job()
    job = job_of(escrow, job_id)
    with reverts_with(escrow.JobMismatch, jobId=job_id):
        escrow.cancelJob(job_id, job._replace(requester=stranger.address), sender=stranger)


def test_expire__deadline_moved_earlier__reverts_job_mismatch(chain, escrow, claimed_job, watcher, reverts_with):
    job_id = claimed_job()
    job = job_of(escrow, job_id)
    chain.pending_timestamp += 10
    with reverts_with(escrow.JobMismatch, jobId=job_id):
        escrow.expireJob(job_id, job._replace(deadline=chain.pending_timestamp - 5), sender=watcher)


def test_submit__stranger_as_provider__reverts_job_mismatch(escrow, claimed_job, stranger, reverts_with):
    job_id = claimed_job()
    job = job_of(escrow, job_id)
    with reverts_with(escrow.JobMismatch, jobId=job_id):
        escrow.submitResult(job_id, job._replace(provider=stranger.address), OUTPUT, TRACE_ROOT, sender=stranger)


def test_challenge__forged_commitment__reverts_job_mismatch(escrow, submitted_job, watcher, reverts_with):
    job_id = submitted_job()
    job = job_of(escrow, job_id)
    fake = commit(keccak(INPUT), keccak(b"other"), TRACE_ROOT)
    with reverts_with(escrow.JobMismatch, jobId=job_id):
        escrow.challengeResult(job_id, job._replace(commitment=fake), keccak(INPUT), keccak(b"other"), TRACE_ROOT,
                               b"", sender=watcher)


def test_submit__stale_open_struct_after_claim__reverts_job_mismatch(escrow, make_job, provider, reverts_with):
    job_id = make_job()
    stale = job_of(escrow, job_id)
    escrow.claimJob(job_id, stale, sender=provider)
    with reverts_with(escrow.JobMismatch, jobId=job_id):
        escrow.submitResult(job_id, stale, OUTPUT, TRACE_ROOT, sender=provider)
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=CLAIMED):
        escrow.claimJob(job_id, stale, sender=provider)  # a replayed claim: the stored status answers first


def test_finalize__stale_claimed_struct_after_submit__reverts_job_mismatch(
    chain, escrow, claimed_job, provider, stranger, reverts_with
):
    job_id = claimed_job()
    stale = job_of(escrow, job_id)
    escrow.submitResult(job_id, stale, OUTPUT, TRACE_ROOT, sender=provider)
    chain.pending_timestamp += WINDOW + 1
    with reverts_with(escrow.JobMismatch, jobId=job_id):
        escrow.finalizeJob(job_id, stale, sender=stranger)
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=SUBMITTED):
        escrow.expireJob(job_id, stale, sender=stranger)  # claimed-and-late per the stale struct: not per storage


def test_finalize__closed_job_last_struct__reverts_invalid_status_closed(
    chain, escrow, submitted_job, stranger, reverts_with
):
    job_id = submitted_job()
    chain.pending_timestamp += WINDOW + 1
    job = job_of(escrow, job_id)
    escrow.finalizeJob(job_id, job, sender=stranger)
    with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=CLOSED):
        escrow.finalizeJob(job_id, job, sender=stranger)


def test_claim__dirty_high_bits_in_struct_word__reverts_job_mismatch(escrow, make_job, provider):
    job_id = make_job()
    data = bytearray(HexBytes(escrow.claimJob.encode_input(job_id, job_of(escrow, job_id))))
    # Word 1 of the struct (fee: uint96) with a bit set above its 96 bits: the same value to a lax decoder.
    offset = 4 + 32 + 32
    data[offset] |= 0x80
    web3 = escrow.provider.web3
    with pytest.raises(Exception) as info:
        web3.eth.call({"from": provider.address, "to": escrow.address, "data": "0x" + bytes(data).hex()})
    revert_data = str(getattr(info.value, "data", "") or info.value)
    assert keccak(text="JobMismatch(uint256)")[:4].hex() in revert_data
