"""createJob / createJobWithPermit: escrow of the fee, the JobCreated event, every validation revert."""

import ape
from escrow_helpers import INPUT, OPEN, OPTIMISTIC, PRICE, TEE, ZK
from eth_utils import keccak
from opg_testkit import job_of, sign_permit


def test_create__approve__escrows_fee_and_emits_job(chain, opg, escrow, verifier, funded, requester):
    deadline = chain.pending_timestamp + 600
    before = opg.balanceOf(escrow)
    tx = escrow.createJob(1, 1, OPTIMISTIC, PRICE + 1, deadline, INPUT, sender=requester)
    job_id = escrow.lastJobId()
    assert job_id == 1
    assert opg.balanceOf(escrow) == before + PRICE + 1
    ev = tx.events.filter(escrow.JobCreated)[0]
    assert (ev.jobId, ev.requester, ev.modelId, ev.version, ev.mode) == (
        1,
        requester.address,
        1,
        1,
        OPTIMISTIC,
    )
    assert (ev.fee, ev.deadline, ev.inputHash, ev.input) == (PRICE + 1, deadline, keccak(INPUT), INPUT)
    job = job_of(escrow, job_id)
    assert (job.requester, job.fee, job.status, job.deadline, job.commitment) == (
        requester.address,
        PRICE + 1,
        OPEN,
        deadline,
        keccak(INPUT),
    )
    assert escrow.jobStatus(job_id) == OPEN


def test_create_with_permit__valid_signature__escrows_without_prior_approve(chain, accounts, opg, escrow, treasury):
    payer = accounts[8]
    opg.transfer(payer, PRICE, sender=treasury)
    deadline = chain.pending_timestamp + 600
    v, r, s = sign_permit(opg, payer, escrow, PRICE, deadline)
    escrow.createJobWithPermit(1, 1, OPTIMISTIC, PRICE, deadline, INPUT, deadline, v, r, s, sender=payer)
    assert opg.balanceOf(payer) == 0
    assert opg.allowance(payer, escrow) == 0
    assert job_of(escrow, escrow.lastJobId()).requester == payer.address


def test_create_with_permit__replayed_signature__reverts(chain, accounts, opg, escrow, treasury):
    payer = accounts[8]
    opg.transfer(payer, 2 * PRICE, sender=treasury)
    deadline = chain.pending_timestamp + 600
    v, r, s = sign_permit(opg, payer, escrow, PRICE, deadline)
    escrow.createJobWithPermit(1, 1, OPTIMISTIC, PRICE, deadline, INPUT, deadline, v, r, s, sender=payer)
    with ape.reverts(opg.ERC20InsufficientAllowance):
        escrow.createJobWithPermit(1, 1, OPTIMISTIC, PRICE, deadline, INPUT, deadline, v, r, s, sender=payer)


def test_create_with_permit__front_run_permit__still_creates(chain, accounts, opg, escrow, treasury, stranger):
    payer = accounts[8]
    opg.transfer(payer, PRICE, sender=treasury)
    deadline = chain.pending_timestamp + 600
    v, r, s = sign_permit(opg, payer, escrow, PRICE, deadline)
    opg.permit(payer, escrow, PRICE, deadline, v, r, s, sender=stranger)  # griefer submits it first
    escrow.createJobWithPermit(1, 1, OPTIMISTIC, PRICE, deadline, INPUT, deadline, v, r, s, sender=payer)
    assert opg.balanceOf(payer) == 0


def test_create__paused__reverts_and_unpause_restores(chain, escrow, funded, deployer, requester):
    escrow.pause(sender=deployer)
    deadline = chain.pending_timestamp + 600
    with ape.reverts(escrow.EnforcedPause):
        escrow.createJob(1, 1, OPTIMISTIC, PRICE, deadline, INPUT, sender=requester)
    escrow.unpause(sender=deployer)
    escrow.createJob(1, 1, OPTIMISTIC, PRICE, deadline, INPUT, sender=requester)


def test_create__deadline_not_in_future__reverts(chain, escrow, funded, requester, reverts_with):
    now = chain.pending_timestamp
    with reverts_with(escrow.InvalidDeadline, deadline=now):
        escrow.createJob(1, 1, OPTIMISTIC, PRICE, now, INPUT, sender=requester)


def test_create__deadline_beyond_max_duration__reverts(chain, escrow, funded, requester, reverts_with):
    too_late = chain.pending_timestamp + escrow.MAX_JOB_DURATION() + 1
    with reverts_with(escrow.InvalidDeadline, deadline=too_late):
        escrow.createJob(1, 1, OPTIMISTIC, PRICE, too_late, INPUT, sender=requester)


def test_create__fee_below_price__reverts(chain, escrow, funded, requester, reverts_with):
    with reverts_with(escrow.FeeBelowPrice, fee=PRICE - 1, price=PRICE):
        escrow.createJob(1, 1, OPTIMISTIC, PRICE - 1, chain.pending_timestamp + 600, INPUT, sender=requester)


def test_create__fee_above_uint96__reverts(chain, escrow, funded, requester, reverts_with):
    with reverts_with(escrow.FeeTooLarge, fee=2**96):
        escrow.createJob(1, 1, OPTIMISTIC, 2**96, chain.pending_timestamp + 600, INPUT, sender=requester)


def test_create__unknown_version__reverts_with_registry_error(chain, escrow, registry, funded, requester):
    with ape.reverts(registry.UnknownModelVersion):
        escrow.createJob(1, 9, OPTIMISTIC, PRICE, chain.pending_timestamp + 600, INPUT, sender=requester)


def test_create__deprecated_version__reverts(chain, escrow, registry, funded, requester, researcher, reverts_with):
    registry.deprecateVersion(1, 1, sender=researcher)
    with reverts_with(escrow.ModelVersionDeprecated, modelId=1, version=1):
        escrow.createJob(1, 1, OPTIMISTIC, PRICE, chain.pending_timestamp + 600, INPUT, sender=requester)


def test_create__unsupported_mode__reverts(chain, escrow, verifier, funded, requester, reverts_with):
    with reverts_with(escrow.ModeNotSupported, modelId=2, version=1, mode=TEE):
        escrow.createJob(2, 1, TEE, PRICE, chain.pending_timestamp + 600, INPUT, sender=requester)


def test_create__zk_without_verifier__reverts(chain, escrow, funded, deployer, requester, reverts_with):
    escrow.setVerifier(ZK, ape.utils.ZERO_ADDRESS, sender=deployer)
    with reverts_with(escrow.VerifierNotSet, mode=ZK):
        escrow.createJob(1, 1, ZK, PRICE, chain.pending_timestamp + 600, INPUT, sender=requester)
