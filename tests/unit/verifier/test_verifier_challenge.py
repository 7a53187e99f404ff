"""Disputes through the escrow with the real OptimisticLayerVerifier (wired by deploy_suite): who pays whom
when a fraud proof is upheld or rejected, and a challenge sent with too little gas reverts instead of
being ruled against the challenger."""

import pytest
from eth_utils import keccak
from fraud_helpers import MODEL, OPTIMISTIC, PRICE, cheated_result, honest_result
from hexbytes import HexBytes
from opg_testkit import job_of
from web3.exceptions import ContractCustomError

from opg_client.fraud import encode_layer_evidence
from opg_client.runtime import encode_vector

SUBMITTED, CLOSED = 3, 4  # JobStatus


@pytest.fixture
def post(world, chain, requester, provider):
    """Create, claim and submit a job whose result is `result` (output + trace root); returns its id."""
    suite, model_id = world["suite"], world["model_id"]

    def run(result):
        deadline = chain.pending_timestamp + 3_600
        suite.escrow.createJob(model_id, 1, OPTIMISTIC, PRICE, deadline, result.input, sender=requester)
        job_id = suite.escrow.lastJobId()
        suite.escrow.claimJob(job_id, job_of(suite.escrow, job_id), sender=provider)
        suite.escrow.submitResult(job_id, job_of(suite.escrow, job_id),
            result.output, result.trace_root, sender=provider)
        return job_id

    return run


def challenge(world, watcher, job_id, result, evidence, **kw):
    return world["suite"].escrow.challengeResult(
        job_id, job_of(world["suite"].escrow, job_id), keccak(result.input), result.output_hash, result.trace_root,
        evidence, sender=watcher, **kw
    )


def test_challenge__cheated_layer_named__upheld_slashes_provider_refunds_requester(world, post, watcher, requester,
                                                                                  provider):
    suite = world["suite"]
    r = cheated_result(layer=0)
    job_id = post(r)
    stake_before = suite.staking.stakeOf(provider)[0]
    requester_before = suite.token.balanceOf(requester)
    watcher_before = suite.token.balanceOf(watcher)

    receipt = challenge(world, watcher, job_id, r, r.layer_evidence(0))

    [upheld] = list(receipt.decode_logs(suite.escrow.ChallengeUpheld))
    assert upheld.jobId == job_id and upheld.challenger == watcher.address and upheld.refund == PRICE
    assert upheld.slashed > 0 and 0 < upheld.reward <= upheld.slashed
    assert suite.staking.stakeOf(provider)[0] == stake_before - upheld.slashed
    assert suite.token.balanceOf(requester) == requester_before + PRICE
    assert suite.token.balanceOf(watcher) == watcher_before + upheld.reward  # bond back + reward
    assert suite.escrow.jobStatus(job_id) == CLOSED


def test_challenge__wrong_layer_named__rejected_bond_credited_to_provider(world, post, watcher, provider):
    suite = world["suite"]
    r = cheated_result(layer=0)
    job_id = post(r)
    bond = suite.escrow.challengeBond()
    watcher_before = suite.token.balanceOf(watcher)
    provider_fees_before = suite.settlement.claimable(provider)[0]

    receipt = challenge(world, watcher, job_id, r, r.layer_evidence(1))  # layer 1 is right on c_1

    [rejected] = list(receipt.decode_logs(suite.escrow.ChallengeRejected))
    assert rejected.jobId == job_id and rejected.bond == bond
    assert suite.token.balanceOf(watcher) == watcher_before - bond
    assert suite.settlement.claimable(provider)[0] == provider_fees_before + bond
    assert suite.escrow.jobStatus(job_id) == SUBMITTED
    # The window is still open: the right layer wins.
    receipt = challenge(world, watcher, job_id, r, r.layer_evidence(0))
    assert len(list(receipt.decode_logs(suite.escrow.ChallengeUpheld))) == 1


def test_challenge__honest_result__rejected(world, post, watcher):
    suite = world["suite"]
    r = honest_result(3)
    job_id = post(r)
    for evidence in (r.layer_evidence(0), r.layer_evidence(1), r.full_evidence()):
        receipt = challenge(world, watcher, job_id, r, evidence)
        assert len(list(receipt.decode_logs(suite.escrow.ChallengeRejected))) == 1
    assert suite.escrow.jobStatus(job_id) == SUBMITTED


def test_challenge__forged_weights_on_cheat__rejected(world, post, watcher):
    suite = world["suite"]
    r = cheated_result(layer=1)
    job_id = post(r)
    forged_input = encode_vector([int(v) + 1 for v in r.honest.vectors[1]])
    receipt = challenge(world, watcher, job_id, r, encode_layer_evidence(MODEL, 1, r.trace, forged_input))
    assert len(list(receipt.decode_logs(suite.escrow.ChallengeRejected))) == 1


def test_challenge__full_reexecution_of_cheat__upheld(world, post, watcher):
    suite = world["suite"]
    r = cheated_result(layer=0, i=4)
    job_id = post(r)
    receipt = challenge(world, watcher, job_id, r, r.full_evidence())
    assert len(list(receipt.decode_logs(suite.escrow.ChallengeUpheld))) == 1


def test_challenge__gas_short_of_the_ruling__reverts_ruling_out_of_gas(world, post, watcher):
    # eth_call with a gas limit (a mined failing tx would be the same, but Ape traces it at length).
    suite = world["suite"]
    r = cheated_result(layer=0, i=5)
    job_id = post(r)
    args = (job_id, job_of(suite.escrow, job_id), keccak(r.input), r.output_hash, r.trace_root, r.layer_evidence(0))
    estimate = suite.escrow.challengeResult.estimate_gas_cost(*args, sender=watcher)
    tx = {"from": watcher.address, "to": suite.escrow.address, "data": suite.escrow.challengeResult.encode_input(*args)}
    web3 = suite.escrow.provider.web3
    with pytest.raises(ContractCustomError) as info:
        web3.eth.call({**tx, "gas": estimate * 6 // 10})
    assert HexBytes(info.value.data)[:4] == keccak(text="RulingOutOfGas(uint256)")[:4]
    web3.eth.call({**tx, "gas": estimate})  # enough gas: no revert (the challenge is upheld)
    receipt = suite.escrow.challengeResult(*args, sender=watcher, gas=estimate)
    assert len(list(receipt.decode_logs(suite.escrow.ChallengeUpheld))) == 1
