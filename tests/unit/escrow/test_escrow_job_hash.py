"""One-slot jobs: the escrow stores jobHash(jobId) = keccak256(abi.encode(jobId, job)) with the job's sequence number
and status in its low 56 bits; every transition takes the Job struct, rebuilt from the job's events, and rejects an
altered or stale one. Closed jobs hand their slot on to the next job created (a free list)."""

import pytest
from escrow_helpers import CLAIMED, CLOSED, INPUT, NONE, OPEN, OUTPUT, PRICE, SUBMITTED, WINDOW, commit
from eth_utils import keccak
from hexbytes import HexBytes
from opg_testkit import TRACE_ROOT, job_of

from opg_client import jobstate

ZERO = jobstate.ZERO_ADDRESS

#: A different value for each Job field (requester, fee, provider, modelId, version, status, mode, deadline,
#: commitment, collateral, challengeWindow, royaltyOwner, royaltyBps), as a function of the current value.
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
    "collateral": lambda v: v - 1,
    "challengeWindow": lambda v: v + 1,
    "royaltyOwner": lambda v: "0x000000000000000000000000000000000000bEEF",
    "royaltyBps": lambda v: v + 1,
}
SLOT_SHIFT = 40


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
        assert stored == HexBytes(escrow.sealJob(job_id, job))
        assert stored[-1] == expected == job.status == escrow.jobStatus(job_id)
        assert int.from_bytes(stored[-7:-1], "big") == jobstate.sequence_of(job_id)
        # The client's own seal (opg_client.jobstate) matches the contract's.
        assert stored == jobstate.seal_of(job_id, job)
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
    assert (job.collateral, job.challengeWindow) == (created.collateral, created.challengeWindow)
    assert (job.royaltyOwner, job.royaltyBps) == (created.royaltyOwner, created.royaltyBps)
    assert job.collateral == claimed.collateral == escrow.collateralFor(PRICE)
    assert job.challengeWindow == WINDOW == escrow.challengeWindow()
    assert job.status == SUBMITTED
    assert HexBytes(escrow.sealJob(job_id, job)) == HexBytes(escrow.jobHash(job_id))


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


# ------------------------------------------------------------------------------------------------- slot recycling


def _finalized(chain, escrow, submitted_job, stranger):
    job_id = submitted_job()
    chain.pending_timestamp += WINDOW + 1
    escrow.finalizeJob(job_id, job_of(escrow, job_id), sender=stranger)
    return job_id


def test_create__after_a_job_closed__recycles_its_slot_under_a_new_id(
    chain, escrow, submitted_job, make_job, stranger
):
    first = _finalized(chain, escrow, submitted_job, stranger)
    assert first == 1 and escrow.jobCount() == 1
    second = make_job()
    # Sequence number 2 in slot 1: the id carries both.
    assert second == (1 << SLOT_SHIFT) | 2 == escrow.lastJobId()
    assert jobstate.sequence_of(second) == 2 and jobstate.slot_of(second) == 1
    assert escrow.jobStatus(first) == CLOSED and escrow.jobStatus(second) == OPEN
    assert HexBytes(escrow.jobHash(first)) == b"\x00" * 32
    third = make_job()  # the free list is empty again: a fresh slot, numbered after the slots so far
    assert third == (2 << SLOT_SHIFT) | 3 and escrow.jobStatus(third) == OPEN


def test_recycled_slot__old_job_struct__cannot_touch_the_new_job(
    chain, escrow, submitted_job, make_job, provider, stranger, reverts_with
):
    first = submitted_job()
    chain.pending_timestamp += WINDOW + 1
    old = job_of(escrow, first)
    escrow.finalizeJob(first, old, sender=stranger)
    second = make_job()
    with reverts_with(escrow.InvalidJobStatus, jobId=first, status=CLOSED):
        escrow.finalizeJob(first, old, sender=stranger)  # the slot now holds job 2: job 1 stays closed
    # The new job's id with the old job's struct: the seal binds id and struct.
    with reverts_with(escrow.JobMismatch, jobId=second):
        escrow.claimJob(second, old._replace(status=OPEN, provider=ZERO), sender=provider)
    escrow.claimJob(second, job_of(escrow, second), sender=provider)
    assert escrow.jobStatus(second) == CLAIMED and escrow.jobStatus(first) == CLOSED


def test_recycled_slots__last_in_first_out__every_live_job_keeps_its_own(
    chain, escrow, make_job, requester, reverts_with
):
    a, b, c = make_job(), make_job(), make_job()
    for job_id in (a, c):
        escrow.cancelJob(job_id, job_of(escrow, job_id), sender=requester)
    d, e, f = make_job(), make_job(), make_job()
    assert [jobstate.slot_of(j) for j in (d, e, f)] == [3, 1, 4]  # c's slot, then a's, then a fresh one
    assert [jobstate.sequence_of(j) for j in (d, e, f)] == [4, 5, 6]
    for job_id in (b, d, e, f):
        assert escrow.jobStatus(job_id) == OPEN
        escrow.cancelJob(job_id, job_of(escrow, job_id), sender=requester)
    for job_id in (a, b, c, d, e, f):
        assert escrow.jobStatus(job_id) == CLOSED


@pytest.mark.parametrize(
    "job_id",
    [
        0,
        2,  # sequence number not issued yet
        (1 << SLOT_SHIFT) | 1,  # non-canonical: slot == sequence number is written as the plain number
        (5 << SLOT_SHIFT) | 1,  # a slot never allocated
        1 << 63,
        2**256 - 1,
    ],
)
def test_job_status__ids_never_issued__read_none(escrow, make_job, job_id, provider, reverts_with):
    live = make_job()
    assert escrow.jobStatus(job_id) == NONE
    assert HexBytes(escrow.jobHash(job_id)) == b"\x00" * 32
    if jobstate.slot_of(job_id) == live:
        # Names job 1's slot and sequence number: the seal binds the exact id, so even job 1's struct fails.
        with reverts_with(escrow.JobMismatch, jobId=job_id):
            escrow.claimJob(job_id, job_of(escrow, live), sender=provider)
    else:
        with reverts_with(escrow.InvalidJobStatus, jobId=job_id, status=NONE):
            escrow.claimJob(job_id, jobstate.named_struct(None), sender=provider)


# The hot storage slot (slot 1, after AccessControl's roles mapping): Pausable's flag (bits 0-7), the job counter
# (8-47), the slot counter (48-71), the free-list head (72-95), the latest job's slot (96-119), settledUnswept.
HOT_SLOT = 1
SLOT_COUNT_SHIFT, SLOT_COUNT_BITS = 48, 24
MAX_SLOTS = 2**23 - 1  # slot numbers fit bits 40-62 of an id: ids stay below 2^63


def _set_slot_count(chain, escrow, count):
    word = int.from_bytes(chain.provider.get_storage(escrow.address, HOT_SLOT), "big")
    assert (word >> 8) & (2**40 - 1) == escrow.jobCount()  # the layout this test assumes
    mask = (2**SLOT_COUNT_BITS - 1) << SLOT_COUNT_SHIFT
    word = (word & ~mask) | (count << SLOT_COUNT_SHIFT)
    chain.provider.set_storage(escrow.address, HOT_SLOT, word.to_bytes(32, "big"))


def test_create__last_slot_number__id_below_2_63_then_capacity_reached(
    chain, escrow, make_job, provider, reverts_with
):
    make_job()  # slot 1 (the free list stays empty: nothing closes)
    # 2^23 - 1 simultaneously live jobs are impractical to create: set the slot counter just below the cap.
    _set_slot_count(chain, escrow, MAX_SLOTS - 1)
    last = make_job()
    assert last == (MAX_SLOTS << SLOT_SHIFT) | 2 and last < 2**63
    assert escrow.jobStatus(last) == OPEN
    escrow.claimJob(last, job_of(escrow, last), sender=provider)
    assert escrow.jobStatus(last) == CLAIMED
    with reverts_with(escrow.JobCapacityReached):
        make_job()
