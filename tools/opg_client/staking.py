"""ProviderStaking wrapper: stake (approve or permit), serve models, unbond, withdraw, views."""

from __future__ import annotations

from eth_account.signers.local import LocalAccount

from opg_client._base import ContractWrapper
from opg_client.errors import (
    AlreadyServingModel,
    InsufficientFreeStake,
    NothingToWithdraw,
    NotServingModel,
    RemainingStakeTooLow,
    StakeTooLow,
    UnbondingLocked,
    ZeroAmount,
)
from opg_client.models import StakeInfo
from opg_client.tx import PendingTx


class Staking(ContractWrapper):
    NAME = "ProviderStaking"

    # -------------------------------------------------------------------------------------- views

    def min_stake(self) -> int:
        return int(self._call("minStake"))

    def unbonding_delay(self) -> int:
        return int(self._call("unbondingDelay"))

    def stake_of(self, provider: str) -> StakeInfo:
        active, locked, unbonding, unlock_at = self._call("stakeOf", provider)
        return StakeInfo(provider, int(active), int(locked), int(unbonding), int(unlock_at), self.min_stake())

    def free_stake(self, provider: str) -> int:
        return int(self._call("freeStake", provider))

    def is_serving(self, provider: str, model_id: int) -> bool:
        return bool(self._call("isServing", provider, model_id))

    def is_eligible(self, provider: str, model_id: int, amount: int) -> bool:
        return bool(self._call("isEligible", provider, model_id, amount))

    def total_staked(self) -> int:
        return int(self._call("totalStaked"))

    # ------------------------------------------------------------------------------------- checks

    def _check_stake(self, account: LocalAccount, amount: int) -> None:
        if amount <= 0:
            raise ZeroAmount()
        info = self.stake_of(account.address)
        if info.active == 0 and amount < info.min_stake:
            raise StakeTooLow(provider=account.address, have=amount, need=info.min_stake)
        self.client.token.require_balance(account.address, amount)

    # -------------------------------------------------------------------------------------- sends

    def stake(self, account: LocalAccount, amount: int) -> PendingTx:
        """`stake(amount)`; needs an allowance (pre-checked: ERC20InsufficientAllowance)."""
        self._check_stake(account, amount)
        self.client.token.require_allowance(account.address, self.address, amount)
        return self._send(account, "stake", amount)

    def stake_with_permit(self, account: LocalAccount, amount: int, deadline: int | None = None) -> PendingTx:
        """`stakeWithPermit`: signs an EIP-2612 permit locally (deadline default: chain time + 1 h)."""
        self._check_stake(account, amount)
        deadline = self.client.timestamp() + 3_600 if deadline is None else deadline
        permit = self.client.token.sign_permit(account, self.address, amount, deadline)
        return self._send(account, "stakeWithPermit", amount, deadline, permit.v, permit.r, permit.s)

    def serve_model(self, account: LocalAccount, model_id: int) -> PendingTx:
        self.client.registry.get_model(model_id)  # raises UnknownModel
        if self.is_serving(account.address, model_id):
            raise AlreadyServingModel(provider=account.address, modelId=model_id)
        return self._send(account, "serveModel", model_id)

    def stop_serving(self, account: LocalAccount, model_id: int) -> PendingTx:
        if not self.is_serving(account.address, model_id):
            raise NotServingModel(provider=account.address, modelId=model_id)
        return self._send(account, "stopServing", model_id)

    def unbond(self, account: LocalAccount, amount: int) -> PendingTx:
        if amount <= 0:
            raise ZeroAmount()
        info = self.stake_of(account.address)
        if amount > info.free:
            raise InsufficientFreeStake(provider=account.address, free=info.free, need=amount)
        remaining = info.active - amount
        if 0 < remaining < info.min_stake:
            raise RemainingStakeTooLow(provider=account.address, remaining=remaining, need=info.min_stake)
        return self._send(account, "unbond", amount)

    def withdraw(self, account: LocalAccount) -> PendingTx:
        info = self.stake_of(account.address)
        if info.unbonding == 0:
            raise NothingToWithdraw(provider=account.address)
        if self.client.timestamp("pending") < info.unlock_at:
            raise UnbondingLocked(provider=account.address, unlockAt=info.unlock_at)
        return self._send(account, "withdraw")
