"""Checks that can fail before sending raise the same named errors, and send nothing (nonce unchanged)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers_client_lib import OPG, PRICE, register_model

from opg_client.chain import OpgClient
from opg_client.errors import (
    ERC20InsufficientAllowance,
    ERC20InsufficientBalance,
    ERC2612ExpiredSignature,
    FeeBelowPrice,
    InvalidDeadline,
    ModelVersionDeprecated,
    NothingToClaim,
    StakeTooLow,
    UnknownModelVersion,
)
from opg_client.models import VerificationMode
from opg_client.roles import Researcher

OPT = VerificationMode.Optimistic


def _assert_nothing_sent(client: OpgClient, address: str, action: Callable[[], Any], error: type) -> Any:
    before = client.w3.eth.get_transaction_count(address, "pending")
    block = client.block_number()
    with pytest.raises(error) as info:
        action()
    assert client.w3.eth.get_transaction_count(address, "pending") == before
    assert client.block_number() == block
    return info.value


@pytest.fixture
def model(client: OpgClient, deployment: Any) -> int:
    return register_model(client, deployment).model_id


def test_create_job__deadline_in_past__invalid_deadline_unsent(client: OpgClient, deployment: Any, model: int) -> None:
    req = deployment.actors.requester
    past = client.timestamp() - 10
    err = _assert_nothing_sent(
        client,
        req.address,
        lambda: client.escrow.create_job(req, model, 1, OPT, PRICE, past, b"x"),
        InvalidDeadline,
    )
    assert err.deadline == past


def test_create_job__unknown_model__unknown_model_version_unsent(client: OpgClient, deployment: Any) -> None:
    req = deployment.actors.requester
    soon = client.timestamp() + 100
    err = _assert_nothing_sent(
        client,
        req.address,
        lambda: client.escrow.create_job(req, 9, 1, OPT, PRICE, soon, b"x"),
        UnknownModelVersion,
    )
    assert (err.model_id, err.version) == (9, 1)


def test_create_job__deprecated_model__refused_unsent(client: OpgClient, deployment: Any, model: int) -> None:
    Researcher(client, deployment.actors.researcher).deprecate_model(model)
    req = deployment.actors.requester
    soon = client.timestamp() + 100
    _assert_nothing_sent(
        client,
        req.address,
        lambda: client.escrow.create_job(req, model, 1, OPT, PRICE, soon, b"x"),
        ModelVersionDeprecated,
    )


def test_create_job__fee_below_price__refused_unsent(client: OpgClient, deployment: Any, model: int) -> None:
    req = deployment.actors.requester
    soon = client.timestamp() + 100
    err = _assert_nothing_sent(
        client,
        req.address,
        lambda: client.escrow.create_job(req, model, 1, OPT, 1, soon, b"x"),
        FeeBelowPrice,
    )
    assert str(err) == "FeeBelowPrice: fee 0.000000000000000001 OPG is below the model price of 2 OPG"


def test_create_job__no_allowance__refused_unsent(client: OpgClient, deployment: Any, model: int) -> None:
    req = deployment.actors.requester
    soon = client.timestamp() + 100
    err = _assert_nothing_sent(
        client,
        req.address,
        lambda: client.escrow.create_job(req, model, 1, OPT, PRICE, soon, b"x"),
        ERC20InsufficientAllowance,
    )
    assert (err.allowance, err.needed) == (0, PRICE)


def test_create_job__balance_too_low__refused_unsent(client: OpgClient, deployment: Any, model: int) -> None:
    poor = deployment.actors.stranger
    soon = client.timestamp() + 100
    err = _assert_nothing_sent(
        client,
        poor.address,
        lambda: client.escrow.create_job_with_permit(poor, model, 1, OPT, PRICE, soon, b"x"),
        ERC20InsufficientBalance,
    )
    assert (err.balance, err.needed) == (0, PRICE)


def test_stake__below_minimum__refused_unsent(client: OpgClient, deployment: Any) -> None:
    prov = deployment.actors.provider
    err = _assert_nothing_sent(
        client, prov.address, lambda: client.staking.stake_with_permit(prov, 10 * OPG), StakeTooLow
    )
    assert (err.have, err.need) == (10 * OPG, 50 * OPG)


def test_permit__deadline_past__refused_unsent(client: OpgClient, deployment: Any) -> None:
    prov = deployment.actors.provider
    past = client.timestamp() - 1
    _assert_nothing_sent(
        client,
        prov.address,
        lambda: client.staking.stake_with_permit(prov, 60 * OPG, past),
        ERC2612ExpiredSignature,
    )


def test_claim__nothing_claimable__refused_unsent(client: OpgClient, deployment: Any) -> None:
    who = deployment.actors.stranger
    _assert_nothing_sent(client, who.address, lambda: client.rewards.claim(who), NothingToClaim)
