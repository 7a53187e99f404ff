"""RewardSettlement wrapper: claimable balances (fees + emissions) and claims."""

from __future__ import annotations

from eth_account.signers.local import LocalAccount
from web3.types import TxReceipt

from opg_client._base import ContractWrapper
from opg_client.errors import NothingToClaim
from opg_client.models import Claimable, Claimed
from opg_client.tx import PendingTx


class Rewards(ContractWrapper):
    NAME = "RewardSettlement"

    def claimable(self, account: str) -> Claimable:
        fees, emissions = self._call("claimable", account)
        return Claimable(int(fees), int(emissions))

    def current_epoch(self) -> int:
        return int(self._call("currentEpoch"))

    def epoch_emission(self, epoch: int) -> int:
        return int(self._call("epochEmission", epoch))

    def treasury_accrued(self) -> int:
        return int(self._call("treasuryAccrued"))

    def treasury_fee_bps(self) -> int:
        return int(self._call("treasuryFeeBps"))

    def claim(self, account: LocalAccount) -> PendingTx:
        """Raises NothingToClaim (without sending) when both balances are zero."""
        if self.claimable(account.address).total == 0:
            raise NothingToClaim(account=account.address)
        return self._send(account, "claim")

    def claim_treasury(self, account: LocalAccount) -> PendingTx:
        if self.treasury_accrued() == 0:
            raise NothingToClaim(account=self._call("treasury"))
        return self._send(account, "claimTreasury")

    def claimed(self, receipt: TxReceipt) -> Claimed:
        args = self.event_in(receipt, "RewardsClaimed")
        return Claimed(
            int(args["fees"]), int(args["emissions"]), "0x" + bytes(receipt["transactionHash"]).hex()
        )
