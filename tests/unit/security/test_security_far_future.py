"""Job deadlines and challenge-window ends are stored as uint32 seconds: a deadline whose challenge window
could end past 2^32 - 1 (February 2106) must be refused with InvalidDeadline, never truncated (a truncated
challenge end would let a result finalize at once, with no window to challenge it)."""

from opg_testkit import TRACE_ROOT, job_of
from security_helpers import OPTIMISTIC, PRICE

UINT32_MAX = 2**32 - 1
MAX_CHALLENGE_WINDOW = 7 * 86_400


def test_create__challenge_end_past_uint32__reverts_invalid_deadline(suite, drive, requester, reverts_with):
    escrow = suite.escrow
    drive.chain.pending_timestamp = UINT32_MAX - MAX_CHALLENGE_WINDOW - 600
    deadline = UINT32_MAX - MAX_CHALLENGE_WINDOW + 1
    with reverts_with(escrow.InvalidDeadline, deadline=deadline, latest=UINT32_MAX - MAX_CHALLENGE_WINDOW):
        escrow.createJob(drive.model_id, 1, OPTIMISTIC, PRICE, deadline, b"x", sender=requester)


def test_submit__at_latest_deadline_with_max_window__challenge_end_fits(
    suite, drive, deployer, requester, provider, reverts_with
):
    escrow = suite.escrow
    escrow.setChallengeWindow(MAX_CHALLENGE_WINDOW, sender=deployer)
    drive.chain.pending_timestamp = UINT32_MAX - MAX_CHALLENGE_WINDOW - 600
    job_id = drive.create(requester, duration=300)
    escrow.claimJob(job_id, job_of(escrow, job_id), sender=provider)
    escrow.submitResult(job_id, job_of(escrow, job_id), b"out", TRACE_ROOT, sender=provider)
    end = job_of(escrow, job_id).deadline
    assert end == drive.chain.blocks.head.timestamp + MAX_CHALLENGE_WINDOW
    with reverts_with(escrow.ChallengeWindowOpen, jobId=job_id, challengeEnd=end):
        escrow.finalizeJob(job_id, job_of(escrow, job_id), sender=requester)


def test_create__window_would_wrap_uint32__reverts_invalid_deadline(suite, drive, requester, reverts_with):
    # Unfixed: created, then submitted with challengeEnd = now + 3600 > 2^32 - 1 stored truncated, so the
    # result could be finalized in the very next block.
    escrow = suite.escrow
    drive.chain.pending_timestamp = UINT32_MAX - 1_800
    deadline = UINT32_MAX - 1_500
    with reverts_with(escrow.InvalidDeadline, deadline=deadline, latest=UINT32_MAX - MAX_CHALLENGE_WINDOW):
        escrow.createJob(drive.model_id, 1, OPTIMISTIC, PRICE, deadline, b"x", sender=requester)


def test_create__after_uint32_time__reverts_invalid_deadline(suite, drive, requester, reverts_with):
    escrow = suite.escrow
    drive.chain.pending_timestamp = UINT32_MAX + 10
    deadline = UINT32_MAX + 3_600
    with reverts_with(escrow.InvalidDeadline, deadline=deadline):
        escrow.createJob(drive.model_id, 1, OPTIMISTIC, PRICE, deadline, b"x", sender=requester)
