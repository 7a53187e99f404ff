"""Every role's path against the real contracts: researcher, provider, requester, rewards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from eth_utils import keccak
from helpers_client_lib import OPG, PRICE, advance_time, model_params, register_model, staked_provider

from opg_client import jobstate
from opg_client.chain import OpgClient
from opg_client.errors import InvalidTraceRoot, JobTimeout, VersionIsDeprecated
from opg_client.models import JobStatus, VerificationMode
from opg_client.roles import Provider, Requester, Researcher, RewardsClaimant
from opg_client.runtime import encode_vector, layer_commitments, model_hash, read_model
from opg_client.tx import TxOptions

DIGITS = Path(__file__).resolve().parents[3] / "tools" / "opg_client" / "data" / "models" / "digits-mlp.json"


def test_researcher__register_publish_deprecate__versions_tracked(client: OpgClient, deployment: Any) -> None:
    researcher = Researcher(client, deployment.actors.researcher)
    ref = researcher.register_model(model_params(1))
    assert (ref.model_id, ref.version) == (1, 1)
    v2 = researcher.publish_version(ref.model_id, model_params(2, price=3 * OPG))
    assert v2.version == 2
    researcher.deprecate_version(ref.model_id, 1)
    assert client.registry.get_version(ref.model_id, 1).deprecated
    assert client.registry.job_terms(ref.model_id, 2).price_per_job == 3 * OPG
    with pytest.raises(VersionIsDeprecated):
        researcher.deprecate_version(ref.model_id, 1)
    researcher.deprecate_model(ref.model_id)
    assert client.registry.get_model(ref.model_id).deprecated


def test_researcher__register_model_file__commits_runtime_hashes(client: OpgClient, deployment: Any) -> None:
    researcher = Researcher(client, deployment.actors.researcher)
    ref = researcher.register_model_file(DIGITS, "ipfs://digits", PRICE, 500, [VerificationMode.Optimistic])
    model = read_model(DIGITS)
    info = client.registry.get_version(ref.model_id, ref.version)
    assert info.weights_hash == model_hash(model)
    commitments = layer_commitments(model)
    assert info.layer_count == len(commitments)
    assert client.registry.layer_commitment(ref.model_id, ref.version, 0) == commitments[0]


def test_provider__stake_serve_unbond_withdraw__balances_move(client: OpgClient, deployment: Any) -> None:
    model_id = register_model(client, deployment).model_id
    provider = Provider(client, deployment.actors.provider)
    start = client.token.balance_of(provider.address)
    assert provider.stake(60 * OPG).active == 60 * OPG  # permit
    assert provider.stake(40 * OPG, permit=False).active == 100 * OPG  # approve + stake
    provider.serve(model_id)
    status = provider.status([model_id, 99])
    assert status.serving == frozenset({model_id}) and status.stake.free == 100 * OPG
    info = provider.unbond(100 * OPG)
    assert (info.active, info.unbonding) == (0, 100 * OPG)
    advance_time(deployment.url, 86_400 + 1)
    assert provider.withdraw() == 100 * OPG
    assert client.token.balance_of(provider.address) == start


def test_requester__job_lifecycle__result_finalized_and_rewards_claimed(client: OpgClient, deployment: Any) -> None:
    model_id = register_model(client, deployment).model_id
    provider = staked_provider(client, deployment, model_id)
    requester = Requester(client, deployment.actors.requester)
    job = requester.submit_job(model_id, b"input-bytes")  # permit
    assert (job.job_id, job.fee, job.version) == (1, PRICE, 1)
    assert requester.job(job.job_id).status is JobStatus.Open
    provider.claim_job(job.job_id)
    output, root = encode_vector([1, -2, 3]), keccak(b"trace root")
    with pytest.raises(InvalidTraceRoot):  # an optimistic result needs its 32-byte trace root
        provider.submit_result(job.job_id, output)
    provider.submit_result(job.job_id, output, root)
    result = requester.wait_for_result(job.job_id, timeout=10, poll_interval=0.05)
    assert (result.output, result.trace_root, result.finalized) == (output, root, False)
    assert requester.output_vector(job.job_id) == (1, -2, 3)
    advance_time(deployment.url, 61)
    requester.finalize(job.job_id)
    assert requester.wait_for_result(job.job_id, timeout=5, finalized=True).finalized
    claimant = RewardsClaimant(client, deployment.actors.provider)
    owed = claimant.claimable()
    assert owed.fees > 0
    before = client.token.balance_of(provider.address)
    claimed = claimant.claim()
    assert claimed.fees == owed.fees
    assert client.token.balance_of(provider.address) == before + claimed.fees + claimed.emissions


def test_requester__cancel_open_job__refunded(client: OpgClient, deployment: Any) -> None:
    model_id = register_model(client, deployment).model_id
    requester = Requester(client, deployment.actors.requester)
    before = client.token.balance_of(requester.address)
    job = requester.submit_job(model_id, b"x", permit=False)  # approve path
    assert client.token.balance_of(requester.address) == before - PRICE
    requester.cancel(job.job_id)
    assert client.escrow.job_status(job.job_id) is JobStatus.Closed
    assert client.token.balance_of(requester.address) == before


def test_requester__claimed_job_past_deadline__expired_refunded(client: OpgClient, deployment: Any) -> None:
    model_id = register_model(client, deployment).model_id
    provider = staked_provider(client, deployment, model_id)
    requester = Requester(client, deployment.actors.requester)
    before = client.token.balance_of(requester.address)
    job = requester.submit_job(model_id, b"x", ttl=120)
    provider.claim_job(job.job_id)
    with pytest.raises(JobTimeout):
        requester.wait_for_result(job.job_id, timeout=0.2, poll_interval=0.05)
    advance_time(deployment.url, 121)
    requester.expire(job.job_id)
    assert client.escrow.job_status(job.job_id) is JobStatus.Closed
    assert client.token.balance_of(requester.address) >= before  # refund (+ slash bounty to the caller)
    assert client.staking.stake_of(provider.address).active < 100 * OPG  # collateral slashed


def test_requester__submit_jobs_pipelined__all_created_in_order(client: OpgClient, deployment: Any) -> None:
    model_id = register_model(client, deployment).model_id
    requester = Requester(client, deployment.actors.requester)
    before = client.token.balance_of(requester.address)
    inputs = [f"input-{i}".encode() * (1 + i % 3) for i in range(60)]
    jobs = requester.submit_jobs(model_id, inputs)
    assert [j.job_id for j in jobs] == list(range(1, 61))
    assert all(client.escrow.job_status(j.job_id) is JobStatus.Open for j in jobs)
    assert [j.input_hash for j in jobs] == [client.escrow.input_hash(data) for data in inputs]
    assert client.token.balance_of(requester.address) == before - 60 * PRICE


def test_requester__submit_jobs_after_a_cancel__first_recycles_the_slot_and_none_runs_out_of_gas(
    client: OpgClient, deployment: Any
) -> None:
    # One gas estimate for the whole pipeline sees the cancelled job's slot on the free list (a cheap rewrite);
    # only the first creation gets it, the others write fresh slots (+17,100 gas): FRESH_SLOT_GAS covers them.
    # Without estimate headroom, so that nothing but FRESH_SLOT_GAS can cover them.
    model_id = register_model(client, deployment).model_id
    client = OpgClient(client.w3, client.manifest, tx_options=TxOptions(gas_headroom_bps=0))
    requester = Requester(client, deployment.actors.requester)
    first = requester.submit_job(model_id, b"first")
    requester.submit_job(model_id, b"kept open")  # the escrow's token balance stays non-zero
    requester.cancel(first.job_id)
    jobs = requester.submit_jobs(model_id, [f"input-{i}".encode() for i in range(8)])
    assert jobstate.slot_of(jobs[0].job_id) == jobstate.slot_of(first.job_id) == 1
    assert [jobstate.sequence_of(j.job_id) for j in jobs] == list(range(3, 11))
    assert [jobstate.slot_of(j.job_id) for j in jobs[1:]] == list(range(3, 10))
    assert all(client.escrow.job_status(j.job_id) is JobStatus.Open for j in jobs)
    assert client.escrow.job_status(first.job_id) is JobStatus.Closed
