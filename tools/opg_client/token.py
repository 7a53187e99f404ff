"""OPGToken wrapper: balances, allowances, EIP-2612 permits (signed locally), transfers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_account.signers.local import LocalAccount

from opg_client._base import ContractWrapper
from opg_client.errors import ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC2612ExpiredSignature
from opg_client.tx import PendingTx

PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


@dataclass(frozen=True)
class PermitSignature:
    owner: str
    spender: str
    value: int  # wei
    deadline: int  # unix s
    v: int
    r: bytes
    s: bytes


def sign_permit_typed(
    private_key: Any, domain: dict[str, Any], owner: str, spender: str, value: int, nonce: int, deadline: int
) -> tuple[int, bytes, bytes]:
    """EIP-2612 permit `(v, r, s)`: the one place the typed data is built (client, tests and benchmarks)."""
    from eth_account import Account

    message = {"owner": owner, "spender": spender, "value": value, "nonce": nonce, "deadline": deadline}
    signed = Account.sign_typed_data(private_key, domain, PERMIT_TYPES, message)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


class Token(ContractWrapper):
    NAME = "OPGToken"

    # -------------------------------------------------------------------------------------- views

    def balance_of(self, owner: str) -> int:
        return int(self._call("balanceOf", owner))

    def allowance(self, owner: str, spender: str) -> int:
        return int(self._call("allowance", owner, spender))

    def total_supply(self) -> int:
        return int(self._call("totalSupply"))

    def cap(self) -> int:
        return int(self._call("cap"))

    def permit_nonce(self, owner: str) -> int:
        return int(self._call("nonces", owner))

    def domain(self) -> dict[str, Any]:
        """EIP-712 domain of the token (EIP-5267 `eip712Domain()`)."""
        _, name, version, chain_id, verifying_contract, _, _ = self._call("eip712Domain")
        return {
            "name": name,
            "version": version,
            "chainId": chain_id,
            "verifyingContract": verifying_contract,
        }

    # ------------------------------------------------------------------------------------- checks

    def require_balance(self, owner: str, need: int) -> None:
        balance = self.balance_of(owner)
        if balance < need:
            raise ERC20InsufficientBalance(sender=owner, balance=balance, needed=need)

    def require_allowance(self, owner: str, spender: str, need: int) -> None:
        allowance = self.allowance(owner, spender)
        if allowance < need:
            raise ERC20InsufficientAllowance(spender=spender, allowance=allowance, needed=need)

    # ---------------------------------------------------------------------------------- permits

    def sign_permit(self, account: LocalAccount, spender: str, value: int, deadline: int) -> PermitSignature:
        """EIP-2612 permit signed locally (no transaction). Refuses a deadline already past on chain."""
        if deadline < self.client.timestamp():
            raise ERC2612ExpiredSignature(deadline=deadline)
        nonce = self.permit_nonce(account.address)
        v, r, s = sign_permit_typed(account.key, self.domain(), account.address, spender, value, nonce, deadline)
        return PermitSignature(owner=account.address, spender=spender, value=value, deadline=deadline, v=v, r=r, s=s)

    # -------------------------------------------------------------------------------------- sends

    def approve(self, account: LocalAccount, spender: str, amount: int) -> PendingTx:
        return self._send(account, "approve", spender, amount)

    def transfer(self, account: LocalAccount, to: str, amount: int, *, gas: int | None = None) -> PendingTx:
        """Pre-checks the balance (raises ERC20InsufficientBalance without sending)."""
        self.require_balance(account.address, amount)
        return self._send(account, "transfer", to, amount, gas=gas)

    def ensure_allowance(self, account: LocalAccount, spender: str, amount: int) -> PendingTx | None:
        """Approve `amount` for `spender` unless the allowance already covers it (then returns None)."""
        if self.allowance(account.address, spender) >= amount:
            return None
        return self.approve(account, spender, amount)
