"""TEEVerifier on its own: constructor bounds, escrow-only entry points, non-TEE contexts, the EIP-712 digest
the client signs, and challenges that never uphold."""

import pytest
from eth_utils import keccak
from opg_testkit import deploy_reverts_with, reverts_with
from tee_helpers import ENCLAVE, INPUT, OPTIMISTIC, OUTPUT, TEE, WEIGHTS_HASH, call_revert, result_domain

ZERO = "0x0000000000000000000000000000000000000000"


def context(verifier, **fields):
    """A JobContext tuple in the ABI's field order (fields the test does not name are zero)."""
    abi = next(m for m in verifier.contract_type.abi if getattr(m, "name", None) == "verifyResult")
    names = [c.name for c in abi.inputs[0].components]
    defaults = {"requester": ZERO, "provider": ZERO, "inputHash": b"\x00" * 32, "outputHash": b"\x00" * 32,
                "traceRoot": b"\x00" * 32}
    return tuple(fields.get(n, defaults.get(n, 0)) for n in names)


@pytest.fixture(scope="module")
def lone_verifier(project, deployer, suite, attestations):
    """A TEEVerifier whose escrow is the deployer account (to call verifyResult directly)."""
    return deployer.deploy(project.TEEVerifier, deployer, suite.registry, attestations, 600)


@pytest.mark.parametrize("age", [59, 86_401])
def test_deploy__signature_age_out_of_bounds__reverts(project, deployer, suite, attestations, age):
    with deploy_reverts_with(project.TEEVerifier, "InvalidMaxSignatureAge", age, 60, 86_400):
        deployer.deploy(project.TEEVerifier, deployer, suite.registry, attestations, age)


def test_deploy__zero_escrow__reverts_zero_address(project, deployer, suite, attestations):
    with deploy_reverts_with(project.TEEVerifier, "ZeroAddress"):
        deployer.deploy(project.TEEVerifier, ZERO, suite.registry, attestations, 600)


def test_verify_result__not_escrow__reverts_not_escrow(lone_verifier, stranger):
    with reverts_with(lone_verifier.NotEscrow, caller=stranger.address):
        lone_verifier.verifyResult(context(lone_verifier, jobId=1, mode=TEE), b"", sender=stranger)


def test_verify_result__optimistic_context__reverts_not_tee_job(lone_verifier, deployer):
    with reverts_with(lone_verifier.NotTEEJob, jobId=7, mode=OPTIMISTIC):
        lone_verifier.verifyResult(context(lone_verifier, jobId=7, mode=OPTIMISTIC), b"\x00" * 73, sender=deployer)


def test_judge_challenge__escrow__never_upholds(lone_verifier, deployer, stranger):
    ctx = context(lone_verifier, jobId=1, mode=TEE)
    assert lone_verifier.judgeChallenge(ctx, stranger, b"x", sender=deployer) is False
    assert call_revert(lone_verifier, "judgeChallenge", ctx, stranger.address, b"x", sender=stranger) == (
        "NotEscrow", {"caller": stranger.address}
    )


def test_verify_result__direct_escrow_call__accepts_registered_key(
    lone_verifier, registered, deployer, provider, chain
):
    from tee_helpers import proof_for

    ts = chain.pending_timestamp
    proof = proof_for(lone_verifier, ENCLAVE, 3, ts)
    ctx = context(lone_verifier, jobId=3, provider=provider.address, modelId=registered["model_id"], version=1,
                  mode=TEE, inputHash=keccak(INPUT), outputHash=keccak(OUTPUT))
    receipt = lone_verifier.verifyResult(ctx, proof, sender=deployer)
    events = lone_verifier.TEEResultVerified.from_receipt(receipt)
    assert [(e.jobId, e.enclaveKey, e.signedAt) for e in events] == [(3, ENCLAVE.address, ts)]


def test_result_digest__matches_client_typed_data(lone_verifier):
    from eth_account.messages import encode_typed_data

    from opg_client.tee import RESULT_TYPES, TeeResult

    result = TeeResult(9, WEIGHTS_HASH, keccak(INPUT), keccak(OUTPUT), 1_800_000_000)
    signable = encode_typed_data(result_domain(lone_verifier), RESULT_TYPES, result.message())
    expected = keccak(b"\x19" + signable.version + signable.header + signable.body)
    assert lone_verifier.resultDigest(9, WEIGHTS_HASH, keccak(INPUT), keccak(OUTPUT), 1_800_000_000) == expected


def test_constants__published(lone_verifier, deployer):
    assert lone_verifier.MAX_SIGNATURE_AGE() == 600
    assert lone_verifier.MAX_CLOCK_SKEW() == 30
    assert lone_verifier.ESCROW() == deployer.address
