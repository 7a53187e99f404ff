"""The Delegator role and the staking wrapper's delegation calls against the real contracts: delegate, earn a
provider's fee share, claim, undelegate, withdraw; named errors before sending and decoded from reverts."""

from __future__ import annotations

from typing import Any

import pytest
from helpers_client_lib import OPG, PRICE, advance_time, register_model, staked_provider

from opg_client.chain import OpgClient
from opg_client.errors import (
    DelegationLocked,
    InsufficientShares,
    InvalidTerms,
    NoDelegationUnbonding,
    NoDelegatorRewards,
    SelfDelegation,
    StakeTooLow,
    ZeroAmount,
)
from opg_client.roles import Delegator, Requester

UNBONDING = 86_400


def _finalized_job(client: OpgClient, deployment: Any, provider: Any, model_id: int) -> None:
    requester = Requester(client, deployment.actors.requester)
    job = requester.submit_job(model_id, b"input")
    provider.claim_job(job.job_id)
    provider.submit_result(job.job_id, b"output", b"\x11" * 32)  # optimistic: a 32-byte trace root
    advance_time(deployment.url, 61)
    requester.finalize(job.job_id)


def test_delegator__delegate_earn_claim_undelegate_withdraw__balances_move(
    client: OpgClient, deployment: Any
) -> None:
    model_id = register_model(client, deployment).model_id
    provider = staked_provider(client, deployment, model_id)
    terms = provider.set_delegation_terms(reward_cut_bps=1_000, fee_share_bps=5_000)
    assert (terms.reward_cut_bps, terms.fee_share_bps, terms.effective_at) == (1_000, 5_000, 0)
    delegator = Delegator(client, deployment.actors.watcher)
    start = client.token.balance_of(delegator.address)

    pos = delegator.delegate(provider.address, 30 * OPG)  # permit
    assert (pos.shares, pos.amount) == (30 * OPG, 30 * OPG)
    assert delegator.delegate(provider.address, 10 * OPG, permit=False).amount == 40 * OPG  # approve path
    assert client.staking.capacity_of(provider.address) == 140 * OPG

    _finalized_job(client, deployment, provider, model_id)
    share = PRICE - PRICE * 1_000 // 10_000 - PRICE * 500 // 10_000  # royalty 10%, treasury 5%
    assert delegator.position(provider.address).rewards == share * 5_000 // 10_000
    assert delegator.claim(provider.address) == share * 5_000 // 10_000

    assert delegator.undelegate(provider.address, 15 * OPG) == 15 * OPG
    assert delegator.undelegate(provider.address) == 25 * OPG  # the rest
    pos = delegator.position(provider.address)
    assert (pos.shares, pos.unbonding) == (0, 40 * OPG)
    with pytest.raises(DelegationLocked):
        delegator.withdraw(provider.address)
    advance_time(deployment.url, UNBONDING + 1)
    assert delegator.withdraw(provider.address) == 40 * OPG
    assert client.token.balance_of(delegator.address) == start + share * 5_000 // 10_000


def test_delegator__bad_calls__named_errors_before_sending(client: OpgClient, deployment: Any) -> None:
    model_id = register_model(client, deployment).model_id
    provider = staked_provider(client, deployment, model_id)
    delegator = Delegator(client, deployment.actors.watcher)
    nonce = client.w3.eth.get_transaction_count(delegator.address)
    with pytest.raises(StakeTooLow):
        delegator.delegate(deployment.actors.stranger.address, OPG)
    with pytest.raises(SelfDelegation):
        Delegator(client, deployment.actors.provider).delegate(provider.address, OPG)
    with pytest.raises(ZeroAmount):
        delegator.delegate(provider.address, 0)
    with pytest.raises(InsufficientShares):
        client.staking.undelegate(delegator.account, provider.address, 1)
    with pytest.raises(NoDelegationUnbonding):
        delegator.withdraw(provider.address)
    with pytest.raises(NoDelegatorRewards):
        delegator.claim(provider.address)
    with pytest.raises(InvalidTerms):
        provider.set_delegation_terms(10_001, 0)
    assert client.w3.eth.get_transaction_count(delegator.address) == nonce  # nothing was sent


def test_staking__undelegate_revert_on_chain__decoded_to_named_error(client: OpgClient, deployment: Any) -> None:
    model_id = register_model(client, deployment).model_id
    provider = staked_provider(client, deployment, model_id)
    delegator = deployment.actors.watcher
    fn = client.contract("ProviderStaking").functions.undelegate(provider.address, 5)
    with pytest.raises(InsufficientShares) as info:
        client.sender(delegator).send(fn)  # the gas estimate reverts: decoded before anything is signed
    assert (info.value.have, info.value.need) == (0, 5)
    assert info.value.delegator == delegator.address


def test_provider__worse_terms__scheduled_one_unbonding_delay_ahead(client: OpgClient, deployment: Any) -> None:
    model_id = register_model(client, deployment).model_id
    provider = staked_provider(client, deployment, model_id)
    provider.set_delegation_terms(0, 10_000)
    terms = provider.set_delegation_terms(10_000, 0)
    assert (terms.reward_cut_bps, terms.fee_share_bps) == (0, 10_000)
    assert (terms.next_reward_cut_bps, terms.next_fee_share_bps) == (10_000, 0)
    assert terms.effective_at == client.timestamp() + UNBONDING
