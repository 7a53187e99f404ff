"""ProviderStaking wrapper: stake (approve or permit), serve models, unbond, withdraw, delegation, views."""

from __future__ import annotations

from eth_account.signers.local import LocalAccount

from opg_client._base import ContractWrapper
from opg_client.errors import (
    AlreadyServingModel,
    DelegationLocked,
    InsufficientFreeStake,
    InsufficientShares,
    InvalidTerms,
    NoDelegationUnbonding,
    NoDelegatorRewards,
    NothingToWithdraw,
    NotServingModel,
    RemainingStakeTooLow,
    SelfDelegation,
    SettlementNotSet,
    StakeTooLow,
    UnbondingLocked,
    ZeroAmount,
    ZeroShares,
)
from opg_client.models import DelegationInfo, DelegationTerms, PoolInfo, StakeInfo
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

    def capacity_of(self, provider: str) -> int:
        """Collateral capacity (wei): own active stake + delegated pool assets."""
        return int(self._call("capacityOf", provider))

    def pool_of(self, provider: str) -> PoolInfo:
        assets, shares, unbonding_assets, unbonding_shares, rps = self._call("poolOf", provider)
        return PoolInfo(provider, int(assets), int(shares), int(unbonding_assets), int(unbonding_shares), int(rps))

    def delegation_terms(self, provider: str) -> DelegationTerms:
        cut, share, next_cut, next_share, at = self._call("delegationTerms", provider)
        return DelegationTerms(provider, int(cut), int(share), int(next_cut), int(next_share), int(at))

    def delegation_of(self, delegator: str, provider: str) -> DelegationInfo:
        shares, amount, unbonding, unlock_at, rewards = self._call("delegationOf", delegator, provider)
        return DelegationInfo(
            delegator, provider, int(shares), int(amount), int(unbonding), int(unlock_at), int(rewards)
        )

    def shares_for(self, provider: str, amount: int) -> int:
        """Pool shares to redeem for at least `amount` wei (rounded up, as the pool rounds values down)."""
        pool = self.pool_of(provider)
        return -(-amount * (pool.shares + 1) // (pool.assets + 1))

    # ------------------------------------------------------------------------------------- checks

    def _check_stake(self, account: LocalAccount, amount: int) -> None:
        if amount <= 0:
            raise ZeroAmount()
        info = self.stake_of(account.address)
        if info.active == 0 and amount < info.min_stake:
            raise StakeTooLow(provider=account.address, have=amount, need=info.min_stake)
        self.client.token.require_balance(account.address, amount)

    def _check_delegate(self, account: LocalAccount, provider: str, amount: int) -> None:
        if amount <= 0:
            raise ZeroAmount()
        if provider.lower() == account.address.lower():
            raise SelfDelegation(provider=provider)
        if int(str(self._call("rewardSettlement")), 16) == 0:
            raise SettlementNotSet()
        info = self.stake_of(provider)
        if info.active < info.min_stake:
            raise StakeTooLow(provider=provider, have=info.active, need=info.min_stake)
        pool = self.pool_of(provider)
        if amount * (pool.shares + 1) // (pool.assets + 1) == 0:
            raise ZeroShares(provider=provider, amount=amount)
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

    # ------------------------------------------------------------------------------- delegation

    def delegate(self, account: LocalAccount, provider: str, amount: int) -> PendingTx:
        """`delegateStake(provider, amount)`; needs an allowance (pre-checked)."""
        self._check_delegate(account, provider, amount)
        self.client.token.require_allowance(account.address, self.address, amount)
        return self._send(account, "delegateStake", provider, amount)

    def delegate_with_permit(
        self, account: LocalAccount, provider: str, amount: int, deadline: int | None = None
    ) -> PendingTx:
        """`delegateStakeWithPermit`: signs an EIP-2612 permit locally (deadline default: chain time + 1 h)."""
        self._check_delegate(account, provider, amount)
        deadline = self.client.timestamp() + 3_600 if deadline is None else deadline
        permit = self.client.token.sign_permit(account, self.address, amount, deadline)
        return self._send(account, "delegateStakeWithPermit", provider, amount, deadline, permit.v, permit.r, permit.s)

    def undelegate(self, account: LocalAccount, provider: str, shares: int) -> PendingTx:
        """`undelegate(provider, shares)`: the shares' value starts unbonding (see `shares_for`)."""
        if shares <= 0:
            raise ZeroAmount()
        mine = self.delegation_of(account.address, provider)
        if shares > mine.shares:
            raise InsufficientShares(delegator=account.address, provider=provider, have=mine.shares, need=shares)
        pool = self.pool_of(provider)
        amount = pool.assets if shares == pool.shares else shares * (pool.assets + 1) // (pool.shares + 1)
        free = self.free_stake(provider)
        if amount > free:
            raise InsufficientFreeStake(provider=provider, free=free, need=amount)
        return self._send(account, "undelegate", provider, shares)

    def withdraw_delegation(self, account: LocalAccount, provider: str) -> PendingTx:
        mine = self.delegation_of(account.address, provider)
        if mine.unlock_at == 0:
            raise NoDelegationUnbonding(delegator=account.address, provider=provider)
        if self.client.timestamp("pending") < mine.unlock_at:
            raise DelegationLocked(delegator=account.address, provider=provider, unlockAt=mine.unlock_at)
        return self._send(account, "withdrawDelegation", provider)

    def claim_delegator_rewards(self, account: LocalAccount, provider: str) -> PendingTx:
        if self.delegation_of(account.address, provider).rewards == 0:
            raise NoDelegatorRewards(delegator=account.address, provider=provider)
        return self._send(account, "claimDelegatorRewards", provider)

    def set_delegation_terms(self, account: LocalAccount, reward_cut_bps: int, fee_share_bps: int) -> PendingTx:
        if not (0 <= reward_cut_bps <= 10_000 and 0 <= fee_share_bps <= 10_000):
            raise InvalidTerms(rewardCutBps=reward_cut_bps, feeShareBps=fee_share_bps)
        return self._send(account, "setDelegationTerms", reward_cut_bps, fee_share_bps)
