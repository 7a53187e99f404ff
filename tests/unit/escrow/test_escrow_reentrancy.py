"""A malicious verifier re-entering the escrow from its callback is stopped by the re-entrancy guard."""

import ape
import pytest
from escrow_helpers import CLAIMED, INPUT, OUTPUT, SUBMITTED, TEE
from eth_utils import keccak
from opg_testkit import TRACE_ROOT, job_of


@pytest.fixture
def attacker(project, deployer, escrow, verifier):
    contract = deployer.deploy(project.ReentrantVerifier, escrow)
    for mode in (0, 1, 2):
        escrow.setVerifier(mode, contract, sender=deployer)
    return contract


def test_submit__verifier_reenters_finalize__reverts(escrow, attacker, claimed_job, provider, deployer):
    job_id = claimed_job(mode=TEE)
    attacker.arm(escrow.finalizeJob.encode_input(job_id, job_of(escrow, job_id)), True, sender=deployer)
    with ape.reverts(escrow.ReentrancyGuardReentrantCall):
        escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, b"proof", sender=provider)
    assert escrow.jobStatus(job_id) == CLAIMED


def test_challenge__verifier_reenters_challenge__reverts(escrow, attacker, submitted_job, watcher, deployer):
    job_id = submitted_job()
    payload = escrow.challengeResult.encode_input(job_id, job_of(escrow, job_id),
        keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"")
    attacker.arm(payload, True, sender=deployer)
    with ape.reverts(escrow.ReentrancyGuardReentrantCall):
        escrow.challengeResult(job_id, job_of(escrow, job_id),
            keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"x", sender=watcher)
    assert escrow.jobStatus(job_id) == SUBMITTED


def test_challenge__verifier_reenters_cancel_of_other_job__reverts(
    escrow, attacker, submitted_job, make_job, watcher, deployer
):
    job_id = submitted_job()
    other = make_job()
    attacker.arm(escrow.cancelJob.encode_input(other, job_of(escrow, other)), False, sender=deployer)
    with ape.reverts(escrow.ReentrancyGuardReentrantCall):
        escrow.challengeResult(job_id, job_of(escrow, job_id),
            keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"x", sender=watcher)


def test_submit__unarmed_attacker__behaves_as_verifier(escrow, attacker, claimed_job, provider):
    job_id = claimed_job(mode=TEE)
    escrow.submitResult(job_id, job_of(escrow, job_id), OUTPUT, b"proof", sender=provider)
    assert escrow.jobStatus(job_id) == 4
