"""BatchSettlement wrapper: requester balances (deposit / permit / announced withdrawal), signing job
requests, building a batch file (leaves, tree, signatures), post, pay (multiproof, in chunks), dispute, close.

A batch file (JSON) is what a provider keeps between posting and paying, and what it hands each requester
(its leaves and their proofs): see `BatchFile`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3.types import TxReceipt

from opg_client._base import ContractWrapper
from opg_client.batch_errors import (
    BatchChallengeWindowClosed,
    BatchChallengeWindowOpen,
    BatchIsClosed,
    NoWithdrawal,
    PayoutWindowClosed,
    PayoutWindowOpen,
    UnknownBatch,
    WithdrawalLocked,
)
from opg_client.batchtree import (
    Leaf,
    MerkleTree,
    RequestSignature,
    domain_separator,
    root_from_proof,
    sign_request,
)
from opg_client.errors import ZeroAmount
from opg_client.tx import PendingTx

#: Leaves per payLeaves transaction by default (256 leaves with 8 requesters use about 3.5M gas).
DEFAULT_CHUNK = 256


@dataclass(frozen=True)
class BatchInfo:
    """A posted batch (IBatchSettlement.Batch) plus its windows (unix s). Amounts in wei."""

    batch_id: int
    provider: str
    model_id: int
    version: int
    posted_at: int
    closed: bool
    root: bytes
    total_fee: int
    settled_fee: int
    leaf_count: int
    settled_leaves: int
    collateral: int
    price: int
    model_owner: str
    royalty_bps: int
    challenge_end: int
    payout_end: int


@dataclass(frozen=True)
class RequesterAccount:
    balance: int  # wei, chargeable
    withdrawal: int  # wei announced
    unlock_at: int  # unix s (0: none announced)


@dataclass(frozen=True)
class BatchFile:
    """Leaves + signatures of one batch (by leaf index), and its model version; JSON round-trip."""

    model_id: int
    version: int
    provider: str
    leaves: tuple[Leaf, ...]
    signatures: tuple[RequestSignature, ...]
    batch_id: int = 0  # 0 until posted

    @property
    def tree(self) -> MerkleTree:
        return MerkleTree(self.leaves)

    def to_json(self) -> dict[str, Any]:
        return {
            "batchId": self.batch_id,
            "modelId": self.model_id,
            "version": self.version,
            "provider": self.provider,
            "root": "0x" + self.tree.root.hex(),
            "leaves": [
                {"index": leaf.index, "jobId": leaf.job_id, "requester": leaf.requester, "fee": str(leaf.fee),
                 "inputHash": "0x" + leaf.input_hash.hex(), "outputHash": "0x" + leaf.output_hash.hex(),
                 "traceRoot": "0x" + leaf.trace_root.hex(), "deadline": sig.deadline, "r": "0x" + sig.r.hex(),
                 "vs": "0x" + sig.vs.hex()}
                for leaf, sig in zip(self.leaves, self.signatures, strict=True)
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BatchFile:
        leaves, sigs = [], []
        for e in data["leaves"]:
            leaves.append(Leaf(int(e["index"]), int(e["jobId"]), e["requester"], int(e["fee"]),
                               bytes.fromhex(e["inputHash"][2:]), bytes.fromhex(e["outputHash"][2:]),
                               bytes.fromhex(e["traceRoot"][2:])))
            sigs.append(RequestSignature(int(e["deadline"]), bytes.fromhex(e["r"][2:]), bytes.fromhex(e["vs"][2:])))
        return cls(int(data["modelId"]), int(data["version"]), data["provider"], tuple(leaves), tuple(sigs),
                   int(data.get("batchId", 0)))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> BatchFile:
        return cls.from_json(json.loads(path.read_text()))


class Batches(ContractWrapper):
    NAME = "BatchSettlement"

    # -------------------------------------------------------------------------------------- views

    def domain(self) -> bytes:
        return domain_separator(self.client.w3.eth.chain_id, self.address)

    def account_of(self, requester: str) -> RequesterAccount:
        balance, withdrawal, unlock_at = self._call("accountOf", requester)
        return RequesterAccount(int(balance), int(withdrawal), int(unlock_at))

    def batch_count(self) -> int:
        return int(self._call("batchCount"))

    def get_batch(self, batch_id: int) -> BatchInfo:
        raw = self._call("getBatch", batch_id)
        if int(raw[3]) == 0:
            raise UnknownBatch(batchId=batch_id)
        challenge_end = int(raw[3]) + int(self._call("CHALLENGE_WINDOW"))
        return BatchInfo(batch_id, raw[0], int(raw[1]), int(raw[2]), int(raw[3]), bool(raw[4]), bytes(raw[5]),
                         int(raw[6]), int(raw[7]), int(raw[8]), int(raw[9]), int(raw[10]), int(raw[11]), raw[12],
                         int(raw[13]), challenge_end, challenge_end + int(self._call("PAYOUT_WINDOW")))

    def leaf_in_batch(self, batch_id: int, leaf: Leaf, proof: Sequence[bytes]) -> bool:
        """Requester's check (do it within the challenge window): is `leaf` (its job, fee, input and the
        output the provider handed over) under the posted root of `batch_id`, at an index below its count?"""
        info = self.get_batch(batch_id)
        return leaf.index < info.leaf_count and root_from_proof(leaf, proof) == info.root

    def is_leaf_settled(self, batch_id: int, index: int) -> bool:
        return bool(self._call("isLeafSettled", batch_id, index))

    def is_job_paid(self, requester: str, job_id: int) -> bool:
        return bool(self._call("isJobPaid", requester, job_id))

    # ------------------------------------------------------------------------------------ requester

    def deposit(self, account: LocalAccount, amount: int) -> PendingTx:
        """Needs an allowance of `amount` (pre-checked)."""
        if amount <= 0:
            raise ZeroAmount()
        self.client.token.require_balance(account.address, amount)
        self.client.token.require_allowance(account.address, self.address, amount)
        return self._send(account, "deposit", amount)

    def deposit_with_permit(self, account: LocalAccount, amount: int, permit_deadline: int) -> PendingTx:
        if amount <= 0:
            raise ZeroAmount()
        self.client.token.require_balance(account.address, amount)
        permit = self.client.token.sign_permit(account, self.address, amount, permit_deadline)
        return self._send(account, "depositWithPermit", amount, permit_deadline, permit.v, permit.r, permit.s)

    def request_withdrawal(self, account: LocalAccount, amount: int) -> PendingTx:
        if amount <= 0:
            raise ZeroAmount()
        return self._send(account, "requestWithdrawal", amount)

    def withdraw(self, account: LocalAccount) -> PendingTx:
        acc = self.account_of(account.address)
        if acc.withdrawal == 0:
            raise NoWithdrawal(requester=account.address)
        if self.client.timestamp("pending") < acc.unlock_at:
            raise WithdrawalLocked(requester=account.address, unlockAt=acc.unlock_at)
        return self._send(account, "withdraw")

    def sign_request(
        self, account: LocalAccount, provider: str, model_id: int, version: int, leaf: Leaf, deadline: int
    ) -> RequestSignature:
        """The requester's EIP-712 JobRequest for `leaf` (job id, fee, input hash) to `provider` (no tx)."""
        return sign_request(bytes(account.key), self.domain(), provider, model_id, version, leaf, deadline)

    # ------------------------------------------------------------------------------------- provider

    def post(self, account: LocalAccount, batch: BatchFile, total_fee: int | None = None) -> PendingTx:
        tree = batch.tree
        fee = tree.total_fee if total_fee is None else total_fee
        return self._send(account, "postBatch", tree.root, len(batch.leaves), fee, batch.model_id, batch.version)

    def posted_id(self, receipt: TxReceipt) -> int:
        return int(self.event_in(receipt, "BatchPosted")["batchId"])

    # ---------------------------------------------------------------------------------------- anyone

    def pay(
        self, account: LocalAccount, batch: BatchFile, indices: Sequence[int] | None = None, *,
        chunk: int = DEFAULT_CHUNK,
    ) -> list[PendingTx]:
        """Pays the unsettled leaves among `indices` (default: all), `chunk` leaves per transaction."""
        info = self._require_open(batch.batch_id)
        now = self.client.timestamp("pending")
        if now <= info.challenge_end:
            raise BatchChallengeWindowOpen(batchId=batch.batch_id, challengeEnd=info.challenge_end)
        if now > info.payout_end:
            raise PayoutWindowClosed(batchId=batch.batch_id, payoutEnd=info.payout_end)
        wanted = range(len(batch.leaves)) if indices is None else indices
        todo = [i for i in sorted(set(wanted)) if not self.is_leaf_settled(batch.batch_id, i)]
        tree = batch.tree
        sent: list[PendingTx] = []
        for start in range(0, len(todo), chunk):
            mp = tree.multiproof(todo[start:start + chunk])
            sent.append(self._send(
                account, "payLeaves", batch.batch_id, [leaf.as_tuple() for leaf in mp.leaves],
                [batch.signatures[leaf.index].as_tuple() for leaf in mp.leaves], list(mp.proof), list(mp.flags),
            ))
        return sent

    def dispute(
        self, account: LocalAccount, batch: BatchFile, index: int, evidence: bytes, *, gas: int | None = None
    ) -> PendingTx:
        """Disputes leaf `index` during the challenge window, posting the escrow's bond (allowance needed)."""
        info = self._require_open(batch.batch_id)
        if self.client.timestamp("pending") > info.challenge_end:
            raise BatchChallengeWindowClosed(batchId=batch.batch_id, challengeEnd=info.challenge_end)
        self.client.token.require_allowance(account.address, self.address, self.client.escrow.challenge_bond())
        leaf = batch.leaves[index]
        return self._send(account, "disputeLeaf", batch.batch_id, leaf.as_tuple(), batch.tree.proof(index),
                          evidence, gas=gas)

    def close(self, account: LocalAccount, batch_id: int) -> PendingTx:
        info = self._require_open(batch_id)
        if self.client.timestamp("pending") <= info.payout_end:
            raise PayoutWindowOpen(batchId=batch_id, payoutEnd=info.payout_end)
        return self._send(account, "closeBatch", batch_id)

    def _require_open(self, batch_id: int) -> BatchInfo:
        info = self.get_batch(batch_id)
        if info.closed:
            raise BatchIsClosed(batchId=batch_id)
        return info


def build_batch(
    provider: str, model_id: int, version: int, answered: Sequence[tuple[Leaf, RequestSignature]]
) -> BatchFile:
    """A batch file from answered requests (leaves re-indexed 0..n-1 in the given order: group each
    requester's jobs together, ids ascending, for the cheapest payout)."""
    leaves, sigs = [], []
    for i, (leaf, sig) in enumerate(answered):
        leaves.append(Leaf(i, leaf.job_id, leaf.requester, leaf.fee, leaf.input_hash, leaf.output_hash,
                           leaf.trace_root))
        sigs.append(sig)
    return BatchFile(model_id, version, provider, tuple(leaves), tuple(sigs))
