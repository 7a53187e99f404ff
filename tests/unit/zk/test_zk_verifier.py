"""ZKVerifier: a proof settles a ZK job iff it verifies on the job's version's circuit AND its public instances
are the job's input and the submitted output (chain codec hashes)."""

import pytest
from eth_abi import encode
from eth_utils import keccak

from opg_client.runtime.codec import encode_vector
from opg_client.runtime.execute import run
from opg_client.zk import FIELD_MODULUS

ZK = 2
X = [19, 162, -88, -25]  # fixed-point input (F = 8) of the tiny models
OTHER_X = [-7, 40, 255, 3]
MODEL, V_A, V_B = 1, 1, 2


@pytest.fixture(scope="session")
def proof_a(circuit_a):
    return circuit_a.prove(X)


@pytest.fixture(scope="session")
def proof_a_other(circuit_a):
    return circuit_a.prove(OTHER_X)


def context(zk, version, input_bytes, output_bytes, job_id=7, model=MODEL):
    """JobContext tuple for `verifyResult` (with a zero traceRoot if the struct has one)."""
    fields = [job_id, zk.address, zk.address, model, version, ZK, 10**18, keccak(input_bytes), keccak(output_bytes)]
    abi = next(m for m in zk.contract_type.abi if getattr(m, "name", None) == "verifyResult")
    fields += [b"\x00" * 32] * (len(abi.inputs[0].components) - len(fields))
    return tuple(fields)


def calldata(proof_bytes, instances):
    return encode(["bytes", "uint256[]"], [proof_bytes, list(instances)])


def test_verify_result__honest_proof__accepted(zk, proof_a, circuit_a):
    assert proof_a.input == X
    ctx = context(zk, V_A, encode_vector(X), proof_a.output_bytes)
    assert zk.verifyResult(ctx, proof_a.calldata()) is True


def test_prove__tiny_model__output_within_one_ulp_of_runtime(proof_a, circuit_a):
    runtime = run(circuit_a.model, X).tolist()
    assert all(abs(a - b) <= len(circuit_a.model.layers) for a, b in zip(proof_a.output, runtime, strict=True))


def test_verify_result__valid_proof_for_another_input__reverts_input_not_bound(
    zk, proof_a_other, stranger, reverts_with
):
    ctx = context(zk, V_A, encode_vector(X), proof_a_other.output_bytes)
    with reverts_with(
        zk.InputNotBound, jobId=7, inputHash=keccak(encode_vector(X)), provedInputHash=keccak(encode_vector(OTHER_X))
    ):
        zk.verifyResult.transact(ctx, proof_a_other.calldata(), sender=stranger)


def test_verify_result__submitted_output_not_the_proved_one__reverts_output_not_bound(
    zk, proof_a, stranger, reverts_with
):
    forged = [v + 1 for v in proof_a.output]
    ctx = context(zk, V_A, encode_vector(X), encode_vector(forged))
    with reverts_with(zk.OutputNotBound, jobId=7, provedOutputHash=keccak(proof_a.output_bytes)):
        zk.verifyResult.transact(ctx, proof_a.calldata(), sender=stranger)


def test_verify_result__output_instances_changed_to_match_forged_output__rejected(zk, proof_a):
    forged = [v + 1 for v in proof_a.output]
    instances = list(proof_a.instances[: len(X)]) + [v % FIELD_MODULUS for v in forged]
    ctx = context(zk, V_A, encode_vector(X), encode_vector(forged))
    assert zk.verifyResult(ctx, calldata(proof_a.proof, instances)) is False


@pytest.mark.parametrize("where", [0, 700, -1])
def test_verify_result__tampered_proof_bytes__rejected(zk, proof_a, where):
    tampered = bytearray(proof_a.proof)
    tampered[where] ^= 0x01
    ctx = context(zk, V_A, encode_vector(X), proof_a.output_bytes)
    assert zk.verifyResult(ctx, calldata(bytes(tampered), proof_a.instances)) is False


def test_verify_result__proof_of_version_1_on_version_2_job__rejected(zk, proof_a):
    ctx = context(zk, V_B, encode_vector(X), proof_a.output_bytes)
    assert zk.verifyResult(ctx, proof_a.calldata()) is False


def test_verify_result__proof_of_version_2_circuit__accepted_only_on_version_2(zk, circuit_b):
    proof_b = circuit_b.prove(X)
    ctx_b = context(zk, V_B, encode_vector(X), proof_b.output_bytes)
    assert zk.verifyResult(ctx_b, proof_b.calldata()) is True
    assert zk.verifyResult(context(zk, V_A, encode_vector(X), proof_b.output_bytes), proof_b.calldata()) is False


def test_verify_result__too_few_instances__reverts_count_mismatch(zk, proof_a, stranger, reverts_with):
    ctx = context(zk, V_A, encode_vector(X), proof_a.output_bytes)
    short = proof_a.instances[:-1]
    with reverts_with(zk.InstanceCountMismatch, jobId=7, expected=6, actual=5):
        zk.verifyResult.transact(ctx, calldata(proof_a.proof, short), sender=stranger)


def test_verify_result__extra_instance__reverts_count_mismatch(zk, proof_a, stranger, reverts_with):
    ctx = context(zk, V_A, encode_vector(X), proof_a.output_bytes)
    with reverts_with(zk.InstanceCountMismatch, jobId=7, expected=6, actual=7):
        zk.verifyResult.transact(ctx, calldata(proof_a.proof, [*proof_a.instances, 1]), sender=stranger)


@pytest.mark.parametrize("felt", [2**31, FIELD_MODULUS - 2**31 - 1, FIELD_MODULUS, 2**256 - 1])
def test_verify_result__instance_outside_int32__reverts_out_of_range(zk, proof_a, stranger, reverts_with, felt):
    instances = [felt, *proof_a.instances[1:]]
    ctx = context(zk, V_A, encode_vector(X), proof_a.output_bytes)
    with reverts_with(zk.InstanceOutOfRange, jobId=7, index=0, instance=felt):
        zk.verifyResult.transact(ctx, calldata(proof_a.proof, instances), sender=stranger)


@pytest.mark.parametrize(
    "blob",
    [b"", b"\x00" * 64, encode(["uint256", "uint256"], [2**255, 64]) + b"\x00" * 64],
    ids=["empty", "short", "offset-out-of-bounds"],
)
def test_verify_result__malformed_proof__reverts_malformed_zk_proof(zk, stranger, reverts_with, blob):
    ctx = context(zk, V_A, encode_vector(X), encode_vector([1, 2]))
    with reverts_with(zk.MalformedZkProof, jobId=7):
        zk.verifyResult.transact(ctx, blob, sender=stranger)


def test_verify_result__instances_length_past_end__reverts_malformed_zk_proof(zk, proof_a, stranger, reverts_with):
    blob = bytearray(proof_a.calldata())
    instances_at = int.from_bytes(blob[32:64], "big")
    blob[instances_at : instances_at + 32] = (10**6).to_bytes(32, "big")
    ctx = context(zk, V_A, encode_vector(X), proof_a.output_bytes)
    with reverts_with(zk.MalformedZkProof, jobId=7):
        zk.verifyResult.transact(ctx, bytes(blob), sender=stranger)


def test_verify_result__version_without_circuit__reverts(zk, proof_a, stranger, reverts_with):
    ctx = context(zk, 1, encode_vector(X), proof_a.output_bytes, model=2)
    with reverts_with(zk.CircuitVerifierNotSet, modelId=2, version=1):
        zk.verifyResult.transact(ctx, proof_a.calldata(), sender=stranger)


def test_verify_result__verifier_without_code__reverts_not_a_circuit(
    zk, proof_a, researcher, stranger, reverts_with
):
    ctx = context(zk, 1, encode_vector(X), proof_a.output_bytes, model=3)
    with reverts_with(zk.NotACircuitVerifier, modelId=3, version=1, verifier=researcher.address):
        zk.verifyResult.transact(ctx, proof_a.calldata(), sender=stranger)


def test_verify_result__verifier_not_a_circuit_contract__reverts_not_a_circuit(
    zk, registry, proof_a, stranger, reverts_with
):
    ctx = context(zk, 2, encode_vector(X), proof_a.output_bytes, model=3)
    with reverts_with(zk.NotACircuitVerifier, modelId=3, version=2, verifier=registry.address):
        zk.verifyResult.transact(ctx, proof_a.calldata(), sender=stranger)


def test_instances_hash__negative_and_positive__matches_chain_codec(zk, proof_a):
    assert zk.instancesHash(list(proof_a.instances[: len(X)])) == keccak(encode_vector(X))
    assert zk.instancesHash([FIELD_MODULUS - 2**31, 2**31 - 1]) == keccak(
        (2**31).to_bytes(4, "big") + (2**31 - 1).to_bytes(4, "big")
    )


def test_judge_challenge__any__reverts_not_supported(zk, proof_a, stranger, reverts_with):
    ctx = context(zk, V_A, encode_vector(X), proof_a.output_bytes)
    with reverts_with(zk.ChallengeNotSupported, jobId=7):
        zk.judgeChallenge.transact(ctx, stranger, b"", sender=stranger)


def test_deploy__zero_registry__reverts(project, deployer, deploy_reverts_with):
    with deploy_reverts_with(project.ZKVerifier, "ZeroAddress"):
        deployer.deploy(project.ZKVerifier, "0x0000000000000000000000000000000000000000")
