"""`opg delegate`, `opg undelegate`, `opg delegation withdraw|claim|status`, `opg provider set-cut`: delegation
commands for token holders and providers (registered on the `opg` group by `opg_client.cli`)."""

from __future__ import annotations

from typing import Any

import click

from opg_client.cli import OpgGroup, _account, _amount, _client, _hex, _merge, _table, cli, common, emit, provider
from opg_client.models import DelegationInfo, DelegationTerms, PoolInfo
from opg_client.units import format_opg


def _position_dict(d: DelegationInfo) -> dict[str, Any]:
    return {
        "delegator": d.delegator,
        "provider": d.provider,
        "shares": str(d.shares),
        "amount": str(d.amount),
        "unbonding": str(d.unbonding),
        "unlock_at": d.unlock_at,
        "rewards": str(d.rewards),
    }


def _terms_dict(t: DelegationTerms) -> dict[str, Any]:
    return {
        "reward_cut_bps": t.reward_cut_bps,
        "fee_share_bps": t.fee_share_bps,
        "next_reward_cut_bps": t.next_reward_cut_bps,
        "next_fee_share_bps": t.next_fee_share_bps,
        "effective_at": t.effective_at,
    }


def _pool_dict(p: PoolInfo) -> dict[str, Any]:
    return {
        "assets": str(p.assets),
        "shares": str(p.shares),
        "unbonding_assets": str(p.unbonding_assets),
        "unbonding_shares": str(p.unbonding_shares),
    }


@cli.command("delegate")
@click.argument("provider_address")
@click.argument("amount")
@click.option("--no-permit", is_flag=True, help="Use approve + delegateStake instead of an EIP-2612 permit.")
@common
@click.pass_context
def delegate_cmd(ctx: click.Context, provider_address: str, amount: str, no_permit: bool, **params: Any) -> None:
    """Delegate AMOUNT OPG to PROVIDER_ADDRESS (counts toward its collateral, shares its slashing and rewards)."""
    from opg_client.roles import Delegator

    _merge(ctx, params)
    client = _client(ctx)
    wei = _amount(amount)
    pos = Delegator(client, _account(ctx, client.chain_id)).delegate(provider_address, wei, permit=not no_permit)
    emit(
        ctx,
        {"delegated": str(wei), **_position_dict(pos)},
        lambda: click.echo(f"delegated {format_opg(wei)} to {pos.provider}; position {format_opg(pos.amount)}"),
    )


@cli.command("undelegate")
@click.argument("provider_address")
@click.argument("amount", required=False)
@common
@click.pass_context
def undelegate_cmd(ctx: click.Context, provider_address: str, amount: str | None, **params: Any) -> None:
    """Start unbonding AMOUNT OPG (default: everything) delegated to PROVIDER_ADDRESS."""
    from opg_client.roles import Delegator

    _merge(ctx, params)
    client = _client(ctx)
    d = Delegator(client, _account(ctx, client.chain_id))
    unbonded = d.undelegate(provider_address, None if amount is None else _amount(amount))
    pos = d.position(provider_address)
    emit(
        ctx,
        {"undelegated": str(unbonded), **_position_dict(pos)},
        lambda: click.echo(f"unbonding {format_opg(pos.unbonding)} from {pos.provider} until {pos.unlock_at}"),
    )


@cli.group(cls=OpgGroup)
def delegation() -> None:
    """Your delegations: withdraw unbonded stake, claim rewards, status."""


@delegation.command("withdraw")
@click.argument("provider_address")
@common
@click.pass_context
def delegation_withdraw(ctx: click.Context, provider_address: str, **params: Any) -> None:
    """Withdraw your unlocked unbonding delegation with PROVIDER_ADDRESS."""
    from opg_client.roles import Delegator

    _merge(ctx, params)
    client = _client(ctx)
    d = Delegator(client, _account(ctx, client.chain_id))
    amount = d.withdraw(provider_address)
    emit(
        ctx,
        {"delegator": d.address, "provider": provider_address, "withdrawn": str(amount)},
        lambda: click.echo(f"withdrew {format_opg(amount)}"),
    )


@delegation.command("claim")
@click.argument("provider_address")
@common
@click.pass_context
def delegation_claim(ctx: click.Context, provider_address: str, **params: Any) -> None:
    """Claim your rewards (fee share + emissions) from PROVIDER_ADDRESS's pool."""
    from opg_client.roles import Delegator

    _merge(ctx, params)
    client = _client(ctx)
    d = Delegator(client, _account(ctx, client.chain_id))
    amount = d.claim(provider_address)
    emit(
        ctx,
        {"delegator": d.address, "provider": provider_address, "claimed": str(amount)},
        lambda: click.echo(f"claimed {format_opg(amount)}"),
    )


@delegation.command("status")
@click.argument("provider_address")
@click.option("--address", default=None, help="Any delegator (default: your account).")
@common
@click.pass_context
def delegation_status(ctx: click.Context, provider_address: str, address: str | None, **params: Any) -> None:
    """PROVIDER_ADDRESS's pool, terms and capacity, and a delegator's position with it."""
    _merge(ctx, params)
    client = _client(ctx)
    address = address or _account(ctx, client.chain_id).address
    staking = client.staking
    pos = staking.delegation_of(address, provider_address)
    pool = staking.pool_of(provider_address)
    terms = staking.delegation_terms(provider_address)
    capacity = staking.capacity_of(provider_address)
    data = {
        **_position_dict(pos),
        "pool": _pool_dict(pool),
        "terms": _terms_dict(terms),
        "capacity": str(capacity),
    }

    def human() -> None:
        scheduled = (
            f"cut {terms.next_reward_cut_bps} / share {terms.next_fee_share_bps} bps from {terms.effective_at}"
            if terms.effective_at
            else "-"
        )
        _table(
            f"delegation {address} -> {provider_address}",
            ["", "value"],
            [
                ("delegated", f"{format_opg(pos.amount)} ({pos.shares} shares)"),
                ("unbonding", f"{format_opg(pos.unbonding)} (unlock {pos.unlock_at})"),
                ("rewards", format_opg(pos.rewards)),
                ("pool", f"{format_opg(pool.assets)} active, {format_opg(pool.unbonding_assets)} unbonding"),
                ("provider capacity", format_opg(capacity)),
                ("terms", f"reward cut {terms.reward_cut_bps} bps, fee share {terms.fee_share_bps} bps"),
                ("scheduled terms", scheduled),
            ],
        )

    emit(ctx, data, human)


@provider.command("set-cut")
@click.option("--reward-cut-bps", type=int, required=True, help="Share of your emissions you keep (bps).")
@click.option("--fee-share-bps", type=int, required=True, help="Share of your fee income for delegators (bps).")
@common
@click.pass_context
def provider_set_cut(ctx: click.Context, reward_cut_bps: int, fee_share_bps: int, **params: Any) -> None:
    """Set your delegation terms. Changes that favour delegators apply now, others after the unbonding delay."""
    from opg_client.roles import Provider

    _merge(ctx, params)
    client = _client(ctx)
    p = Provider(client, _account(ctx, client.chain_id))
    receipt = p.client.sender(p.account).wait(
        client.staking.set_delegation_terms(p.account, reward_cut_bps, fee_share_bps)
    )
    terms = client.staking.delegation_terms(p.address)
    emit(
        ctx,
        {"provider": p.address, **_terms_dict(terms), "tx": _hex(receipt["transactionHash"])},
        lambda: click.echo(
            f"terms: reward cut {terms.reward_cut_bps} bps, fee share {terms.fee_share_bps} bps"
            + (f"; scheduled from {terms.effective_at}" if terms.effective_at else "")
        ),
    )
