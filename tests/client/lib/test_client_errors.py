"""Revert decoding: real reverts from the chain become named exceptions with their arguments."""

from __future__ import annotations

from typing import Any

import pytest
from helpers_client_lib import OPG, register_model

from opg_client.chain import OpgClient
from opg_client.errors import (
    ContractRevert,
    OpgError,
    StakeTooLow,
    UnknownModel,
    UnknownRevert,
    declared_errors,
)


def test_estimate__stake_below_minimum__raises_stake_too_low_with_args(client: OpgClient, deployment: Any) -> None:
    provider = deployment.actors.provider
    staking = client.contract("ProviderStaking")
    client.sender(provider).transact(client.contract("OPGToken").functions.approve(staking.address, 10 * OPG))
    with pytest.raises(StakeTooLow) as info:
        client.sender(provider).send(staking.functions.stake(10 * OPG))  # raw call: no client-side check
    err = info.value
    assert (err.provider, err.have, err.need) == (provider.address, 10 * OPG, 50 * OPG)
    assert err.contract == "ProviderStaking"
    short = f"{provider.address[:6]}…{provider.address[-4:]}"
    assert str(err) == f"StakeTooLow: provider {short} has 10 OPG staked, needs 50 OPG"
    assert isinstance(err, ContractRevert) and isinstance(err, OpgError)


def test_call__unknown_model__raises_unknown_model(client: OpgClient, deployment: Any) -> None:
    with pytest.raises(UnknownModel) as info:
        client.registry.get_model(77)
    assert info.value.model_id == 77 and info.value.modelId == 77
    assert str(info.value) == "UnknownModel: model 77 does not exist"


def test_call__invalid_job_status__decodes_enum(client: OpgClient, deployment: Any) -> None:
    register_model(client, deployment)
    escrow = client.contract("InferenceEscrow")
    from opg_client.errors import InvalidJobStatus
    from opg_client.models import JobStatus

    with pytest.raises(InvalidJobStatus) as info:
        client.sender(deployment.actors.requester).send(escrow.functions.cancelJob(5, client.escrow.job_struct(5)))
    assert info.value.status is JobStatus.None_
    assert info.value.job_id == 5


def test_decoder__every_abi_error__has_a_declared_class(client: OpgClient) -> None:
    declared = declared_errors()
    generated = sorted(name for name in client.errors.error_names if declared[name].template is None)
    assert generated == []


def test_decoder__unknown_selector__unknown_revert_keeps_data(client: OpgClient) -> None:
    err = client.errors.decode("0xdeadbeef" + "00" * 32)
    assert isinstance(err, UnknownRevert)
    assert err.data == bytes.fromhex("deadbeef" + "00" * 32)
