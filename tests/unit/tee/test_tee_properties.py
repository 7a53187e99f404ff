"""Property: no single-byte corruption of a valid TEE proof settles the job (Hypothesis picks the byte and the
XOR mask); the untouched proof does. Whatever named error the corruption hits, the job stays Claimed."""

import ape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from opg_testkit import job_of
from tee_helpers import CLAIMED, CLOSED, ENCLAVE, OUTPUT, proof_for


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0, max_value=72), mask=st.integers(min_value=1, max_value=255))
def test_submit_tee__one_byte_of_proof_flipped__never_settles(
    suite, tee_verifier, claimed_tee_job, provider, chain, position, mask
):
    job_id = int(suite.escrow.lastJobId())
    if job_id == 0 or suite.escrow.jobStatus(job_id) != CLAIMED:
        job_id = claimed_tee_job(provider)
    proof = bytearray(proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp))
    proof[position] ^= mask
    with ape.reverts():  # eth_call of the submit (same checks, no transaction: fast)
        suite.escrow.submitResult.call(job_id, job_of(suite.escrow, job_id), OUTPUT, bytes(proof), sender=provider)
    assert suite.escrow.jobStatus(job_id) == CLAIMED


def test_submit_tee__proof_untouched__settles(suite, tee_verifier, claimed_tee_job, provider, chain):
    job_id = claimed_tee_job(provider)
    proof = proof_for(tee_verifier, ENCLAVE, job_id, chain.pending_timestamp)
    suite.escrow.submitResult.call(job_id, job_of(suite.escrow, job_id),
        OUTPUT, proof, sender=provider)  # the property's eth_call passes
    suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id), OUTPUT, proof, sender=provider)
    assert suite.escrow.jobStatus(job_id) == CLOSED
