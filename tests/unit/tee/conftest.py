"""Fixtures of the TEE tests: the suite as `deploy_suite` wires it (TEEAttestationRegistry + TEEVerifier set
as the escrow's TEE verifier; the deployer governs, the watcher is an extra revoker), an approved measurement
and attestation verifier, a model supporting TEE, two staked providers serving it, and the provider's
enclave key registered."""

import ape
import pytest
from opg_testkit import job_of
from tee_helpers import (
    ATTESTER,
    ENCLAVE,
    INPUT,
    KEY_LIFETIME,
    MEASUREMENT,
    OPG,
    PRICE,
    ROYALTY_BPS,
    TEE,
    TEE_MODES_MASK,
    WEIGHTS_HASH,
    attestation_domain,
)


@pytest.fixture(scope="module")
def attestations(project, suite):
    return project.TEEAttestationRegistry.at(suite.addresses["TEEAttestationRegistry"])


@pytest.fixture(scope="module")
def tee_verifier(project, suite):
    return project.TEEVerifier.at(suite.addresses["TEEVerifier"])


@pytest.fixture(scope="module")
def tee_world(suite, attestations, deployer, treasury, researcher, provider, provider2, requester, watcher):
    attestations.approveMeasurement(MEASUREMENT, "test build 1", sender=deployer)
    attestations.approveAttester(ATTESTER.address, sender=deployer)
    attestations.grantRole(attestations.REVOKER_ROLE(), watcher, sender=deployer)
    suite.registry.registerModel(
        (WEIGHTS_HASH, [b"\x22" * 32], "ipfs://tee", PRICE, ROYALTY_BPS, TEE_MODES_MASK, ape.utils.ZERO_ADDRESS),
        sender=researcher,
    )
    model_id = suite.registry.modelCount()
    for acct in (provider, provider2, requester):
        suite.token.transfer(acct, 50_000 * OPG, sender=treasury)
    for acct in (provider, provider2):
        suite.token.approve(suite.staking, 10_000 * OPG, sender=acct)
        suite.staking.stake(10_000 * OPG, sender=acct)
        suite.staking.serveModel(model_id, sender=acct)
    suite.token.approve(suite.escrow, 2**256 - 1, sender=requester)
    return {"model_id": model_id}


@pytest.fixture(scope="module")
def register_key(attestations, chain):
    def _register(enclave, operator, attester=ATTESTER, lifetime=KEY_LIFETIME, measurement=None):
        measurement = enclave.measurement if measurement is None else measurement
        expires_at = chain.pending_timestamp + lifetime
        sig = attester.attest(attestation_domain(attestations), enclave.address, str(operator.address), measurement,
                              expires_at)
        return attestations.registerEnclaveKey(enclave.address, measurement, expires_at, sig, sender=operator)

    return _register


@pytest.fixture(scope="module")
def registered(tee_world, register_key, provider):
    register_key(ENCLAVE, provider)
    return tee_world


@pytest.fixture(scope="module")
def claimed_tee_job(suite, registered, requester, chain):
    def _make(claimer, input_data=INPUT, mode=TEE):
        deadline = chain.pending_timestamp + 3_600
        receipt = suite.escrow.createJob(registered["model_id"], 1, mode, PRICE, deadline, input_data, sender=requester)
        job_id = receipt.return_value
        suite.escrow.claimJob(job_id, job_of(suite.escrow, job_id), sender=claimer)
        return job_id

    return _make
