"""Stateful invariant machine of batch settlement: requesters deposit, announce and execute withdrawals;
providers post batches of signed requests (some forged, some replaying a job id of another batch); anyone
disputes single leaves (upheld or rejected), pays random subsets of leaves, lets time pass, closes expired
batches. Each action predicts success or the exact custom error (simulating the payout loop in the
contract's order), then the invariants are checked against the chain after every step:

- custody: OPG held by BatchSettlement == the sum of requester balances (each equal to the model's);
- every batch's settled leaves / settled fee / remaining collateral / closed flag equal the model's, and
  each provider's locked stake equals the collateral of its open batches;
- each (requester, jobId) is paid at most once and exactly the model's set is paid;
- RewardSettlement stays solvent: its balance + the escrow's unswept fees == claimable balances + treasury.
Each example starts from a chain snapshot that teardown restores."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

import ape
import pytest
from eth_utils import keccak
from hexbytes import HexBytes
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from opg_client.batchtree import Leaf, MerkleTree, RequestSignature, domain_separator, sign_request

OPG = 10**18
PRICE = OPG
ROYALTY_BPS = 500
RATIO_BPS, MIN_COLLATERAL, BOND = 15_000, 10 * OPG, 10 * OPG  # tests/conftest.py suite_params
STATS: Counter[str] = Counter()  # outcomes seen (printed with -s): the machine must reach every path


@dataclass
class BatchModel:
    provider: str
    posted_at: int
    leaves: list[Leaf]
    sigs: dict[int, RequestSignature]
    forged: set[int]
    total_fee: int
    collateral: int
    settled: set[int] = field(default_factory=set)
    settled_fee: int = 0
    closed: bool = False

    @property
    def tree(self) -> MerkleTree:
        return MerkleTree(self.leaves)


@pytest.fixture(scope="module")
def batch_inv_world(project, accounts, suite, deployer, treasury, researcher, provider, provider2, requester,
                    stranger, watcher):
    token, batch = suite.token, suite.batch
    model_id = suite.registry.registerModel(
        (b"\x11" * 32, [b"\x22" * 32], "ipfs://inv-batch", PRICE, ROYALTY_BPS, 1, ape.utils.ZERO_ADDRESS),
        sender=researcher,
    ).return_value
    verifier = accounts[9].deploy(project.TestVerifier)
    suite.escrow.setVerifier(0, verifier, sender=deployer)
    for p in (provider, provider2):
        token.transfer(p, 20_000 * OPG, sender=treasury)
        token.approve(suite.staking, 20_000 * OPG, sender=p)
        suite.staking.stake(20_000 * OPG, sender=p)
        suite.staking.serveModel(model_id, sender=p)
    for r in (requester, stranger):
        token.transfer(r, 5_000 * OPG, sender=treasury)
        token.approve(batch, 2**256 - 1, sender=r)
        batch.deposit(200 * OPG, sender=r)
    token.transfer(watcher, 1_000 * OPG, sender=treasury)
    token.approve(batch, 2**256 - 1, sender=watcher)
    suite.model_id = model_id
    suite.verifier = verifier
    suite.providers = (provider, provider2)
    suite.requesters = (requester, stranger)
    suite.watcher = watcher
    suite.researcher = researcher
    return suite


class BatchMachine(RuleBasedStateMachine):
    world = None
    chain = None

    def __init__(self):
        super().__init__()
        w = self.world
        self.snapshot = self.chain.snapshot()
        self.now = self.chain.blocks.head.timestamp
        self.cw, self.pw, self.notice = int(w.batch.CHALLENGE_WINDOW()), int(w.batch.PAYOUT_WINDOW()), int(
            w.batch.WITHDRAWAL_NOTICE())
        self.reqs = [str(r.address) for r in w.requesters]
        self.keys = {str(r.address): bytes(HexBytes(r.private_key)) for r in w.requesters}
        self.provs = [str(p.address) for p in w.providers]
        self.balance = {r: int(w.batch.accountOf(r)[0]) for r in self.reqs}
        self.withdrawal = {r: (0, 0) for r in self.reqs}
        self.next_job = dict.fromkeys(self.reqs, 1)
        self.paid: set[tuple[str, int]] = set()
        self.batches: dict[int, BatchModel] = {}
        self.base_locked = {p: int(w.staking.stakeOf(p).locked) for p in self.provs}
        self.domain = domain_separator(self.chain.chain_id, str(w.batch.address))
        self.batch_count = int(w.batch.batchCount())

    def teardown(self):
        self.chain.restore(self.snapshot)

    # plumbing ------------------------------------------------------------------------------------

    def _tick(self, seconds: int = 1) -> None:
        self.now += seconds
        self.chain.pending_timestamp = self.now

    def _expect(self, error, send):
        """Sends; `error` None means it must succeed (returns the receipt), else it must revert with it."""
        STATS[f"{self._rule}: {'ok' if error is None else error[0]}"] += 1
        if error is None:
            return send()
        cls, inputs = error
        with ape.reverts(getattr(self.world.batch, cls), **inputs):
            send()
        return None

    @initialize(p=st.integers(0, 1), n=st.integers(1, 4))
    def first_batch(self, p, n):
        """Every example starts with an honest batch (no forgery, no replay) so payouts are reachable."""
        self.post_batch(p, [(k % 2, 1) for k in range(n)], set(), False)

    # requesters ------------------------------------------------------------------------------------

    @rule(r=st.integers(0, 1), amount=st.sampled_from([1, 5, 20]))
    def deposit(self, r, amount):
        self._tick()
        a = self.reqs[r]
        self.world.batch.deposit(amount * OPG, sender=self.world.requesters[r])
        self.balance[a] += amount * OPG

    @rule(r=st.integers(0, 1), amount=st.sampled_from([1, 10, 1_000]))
    def announce_withdrawal(self, r, amount):
        self._tick()
        self.world.batch.requestWithdrawal(amount * OPG, sender=self.world.requesters[r])
        self.withdrawal[self.reqs[r]] = (amount * OPG, self.now + self.notice)

    @rule(r=st.integers(0, 1), wait=st.booleans())
    def withdraw(self, r, wait):
        self._rule = "withdraw"
        self._tick(self.notice if wait else 1)
        a = self.reqs[r]
        amount, unlock = self.withdrawal[a]
        if amount == 0:
            error = ("NoWithdrawal", {"requester": a})
        elif self.now < unlock:
            error = ("WithdrawalLocked", {"requester": a, "unlockAt": unlock})
        else:
            error = None
        if self._expect(error, lambda: self.world.batch.withdraw(sender=self.world.requesters[r])) is not None:
            self.balance[a] -= min(amount, self.balance[a])
            self.withdrawal[a] = (0, 0)

    # providers ---------------------------------------------------------------------------------------

    @rule(p=st.integers(0, 1), shape=st.lists(st.tuples(st.integers(0, 1), st.integers(1, 3)), min_size=1,
                                                max_size=6),
          forge=st.sampled_from([set(), set(), set(), {0}, {1}, {5}]), replay=st.booleans())
    def post_batch(self, p, shape, forge, replay):
        w = self.world
        self._tick()
        shape = sorted(shape)  # group by requester: one run each
        leaves, sigs, forged = [], {}, set()
        old = [leaf for b in self.batches.values() for leaf in b.leaves]
        for i, (r, mult) in enumerate(shape):
            a = self.reqs[r]
            if replay and i == 0 and any(leaf.requester == a for leaf in old):
                job_id = next(leaf.job_id for leaf in old if leaf.requester == a)
            else:
                job_id = self.next_job[a]
                self.next_job[a] += 1
            leaf = Leaf(i, job_id, a, mult * PRICE, keccak(text=f"in {a} {job_id}"),
                        keccak(text=f"out {a} {job_id} {self.now}"), keccak(text=f"trace {job_id}"))
            signer = self.reqs[1 - r] if i in forge else a
            if i in forge:
                forged.add(i)
            sigs[i] = sign_request(self.keys[signer], self.domain, self.provs[p], w.model_id, 1, leaf, self.now + 600)
            leaves.append(leaf)
        tree = MerkleTree(leaves)
        total = tree.total_fee
        collateral = max(total * RATIO_BPS // 10_000, MIN_COLLATERAL)
        w.batch.postBatch(tree.root, len(leaves), total, w.model_id, 1, sender=w.providers[p])
        self.batch_count += 1
        self.batches[self.batch_count] = BatchModel(self.provs[p], self.now, leaves, sigs, forged, total, collateral)

    # anyone ----------------------------------------------------------------------------------------

    @precondition(lambda self: self.batches)
    @rule(data=st.data(), uphold=st.booleans())
    def dispute_leaf(self, data, uphold):
        self._rule = "dispute (upheld)" if uphold else "dispute (rejected)"
        w = self.world
        bid = data.draw(st.sampled_from(sorted(self.batches)))
        b = self.batches[bid]
        index = data.draw(st.integers(0, len(b.leaves) - 1))
        self._tick()
        w.verifier.setVerdicts(True, uphold, sender=w.watcher)
        self._tick()
        end = b.posted_at + self.cw
        if b.closed:
            error = ("BatchIsClosed", {"batchId": bid})
        elif self.now > end:
            error = ("BatchChallengeWindowClosed", {"batchId": bid, "challengeEnd": end})
        elif index in b.settled:
            error = ("LeafAlreadySettled", {"batchId": bid, "index": index})
        else:
            error = None
        leaf = b.leaves[index]
        tx = self._expect(error, lambda: w.batch.disputeLeaf(bid, leaf.as_tuple(), b.tree.proof(index), b"e",
                                                             sender=w.watcher))
        if tx is None or not uphold:
            return
        unsettled = b.total_fee - b.settled_fee
        slashed = b.collateral if leaf.fee >= unsettled else b.collateral * leaf.fee // unsettled
        assert tx.events.filter(w.batch.LeafDisputeUpheld)[0].slashed == slashed
        b.collateral -= slashed
        b.settled_fee += min(leaf.fee, unsettled)
        b.settled.add(index)
        if len(b.settled) == len(b.leaves):
            b.closed, b.collateral = True, 0

    @precondition(lambda self: self.batches)
    @rule(data=st.data(), to_window=st.booleans())
    def pay_leaves(self, data, to_window):
        """A random subset of a random batch (may hit every error)."""
        bid = data.draw(st.sampled_from(sorted(self.batches)))
        b = self.batches[bid]
        self._pay(bid, sorted(data.draw(st.sets(st.integers(0, len(b.leaves) - 1), min_size=1))), to_window)

    @precondition(lambda self: any(not b.closed for b in self.batches.values()))
    @rule(data=st.data())
    def keeper_pays(self, data):
        """An honest keeper: every unsettled, well-signed leaf of an open batch, once its window has passed."""
        bid = data.draw(st.sampled_from(sorted(k for k, b in self.batches.items() if not b.closed)))
        b = self.batches[bid]
        indices = [i for i in range(len(b.leaves)) if i not in b.settled and i not in b.forged]
        if indices:
            self._pay(bid, indices, True)

    def _pay(self, bid, indices, to_window):
        self._rule = "pay"
        w = self.world
        b = self.batches[bid]
        self._tick()
        if to_window and self.now <= b.posted_at + self.cw:  # jump just past its challenge window
            self._tick(b.posted_at + self.cw + 1 - self.now)
        error, debits = self._predict_pay(bid, b, indices)
        mp = b.tree.multiproof(indices)
        tx = self._expect(error, lambda: w.batch.payLeaves(
            bid, [leaf.as_tuple() for leaf in mp.leaves], [b.sigs[leaf.index].as_tuple() for leaf in mp.leaves],
            list(mp.proof), list(mp.flags), sender=w.watcher))
        if tx is None:
            return
        for a, amount in debits.items():
            self.balance[a] -= amount
        fee = sum(b.leaves[i].fee for i in indices)
        assert tx.events.filter(w.batch.LeavesPaid)[0].fee == fee
        b.settled.update(indices)
        b.settled_fee += fee
        self.paid.update((b.leaves[i].requester, b.leaves[i].job_id) for i in indices)
        if len(b.settled) == len(b.leaves):
            b.closed, b.collateral = True, 0

    def _predict_pay(self, bid, b, indices):
        end = b.posted_at + self.cw
        if b.closed:
            return ("BatchIsClosed", {"batchId": bid}), {}
        if self.now <= end:
            return ("BatchChallengeWindowOpen", {"batchId": bid, "challengeEnd": end}), {}
        if self.now > end + self.pw:
            return ("PayoutWindowClosed", {"batchId": bid, "payoutEnd": end + self.pw}), {}
        balance = dict(self.balance)
        debits: dict[str, int] = {}
        seen: set[tuple[str, int]] = set()
        run: tuple[str, int] | None = None  # (requester, job-id word)
        run_debit = 0

        def flush():
            if run is not None and run_debit:
                a = run[0]
                if balance[a] < run_debit:
                    return ("InsufficientBalance", {"requester": a, "balance": balance[a], "need": run_debit})
                balance[a] -= run_debit
                debits[a] = debits.get(a, 0) + run_debit
            return None

        for i in indices:  # the contract's order: ascending index
            leaf = b.leaves[i]
            if i in b.forged:
                return ("UnauthorizedLeaf", {"batchId": bid, "index": i, "requester": leaf.requester}), {}
            if i in b.settled:
                return ("LeafAlreadySettled", {"batchId": bid, "index": i}), {}
            key = (leaf.requester, leaf.job_id)
            if run != (leaf.requester, leaf.job_id >> 8):
                err = flush()
                if err:
                    return err, {}
                run, run_debit = (leaf.requester, leaf.job_id >> 8), 0
            if key in self.paid or key in seen:
                return ("JobAlreadyPaid", {"requester": leaf.requester, "jobId": leaf.job_id}), {}
            seen.add(key)
            run_debit += leaf.fee
        err = flush()
        if err:
            return err, {}
        return None, debits

    @precondition(lambda self: self.batches)
    @rule(data=st.data(), to_expiry=st.booleans())
    def close_batch(self, data, to_expiry):
        self._rule = "close"
        bid = data.draw(st.sampled_from(sorted(self.batches)))
        b = self.batches[bid]
        self._tick()
        if to_expiry and self.now <= b.posted_at + self.cw + self.pw:  # jump just past its payout window
            self._tick(b.posted_at + self.cw + self.pw + 1 - self.now)
        end = b.posted_at + self.cw + self.pw
        if b.closed:
            error = ("BatchIsClosed", {"batchId": bid})
        elif self.now <= end:
            error = ("PayoutWindowOpen", {"batchId": bid, "payoutEnd": end})
        else:
            error = None
        tx = self._expect(error, lambda: self.world.batch.closeBatch(bid, sender=self.world.watcher))
        if tx is not None:
            assert tx.events.filter(self.world.batch.BatchClosed)[0].released == b.collateral
            b.closed, b.collateral = True, 0

    @rule(seconds=st.sampled_from([60, 3_600, 2 * 86_400, 7 * 86_400]))
    def time_passes(self, seconds):
        self._tick(seconds)
        self.chain.mine()

    # invariants --------------------------------------------------------------------------------------

    @invariant()
    def custody_and_balances(self):
        w = self.world
        assert int(w.token.balanceOf(w.batch)) == sum(self.balance.values())
        for a in self.reqs:
            assert int(w.batch.accountOf(a)[0]) == self.balance[a]

    @invariant()
    def batches_and_collateral(self):
        w = self.world
        locked = dict(self.base_locked)
        for bid, b in self.batches.items():
            got = w.batch.getBatch(bid)
            assert (int(got.settledLeaves), int(got.settledFee), int(got.collateral), bool(got.closed)) == (
                len(b.settled), b.settled_fee, b.collateral, b.closed)
            locked[b.provider] += b.collateral
        for p in self.provs:
            assert int(w.staking.stakeOf(p).locked) == locked[p]

    @invariant()
    def jobs_paid_once(self):
        w = self.world
        for a, job_id in self.paid:
            assert w.batch.isJobPaid(a, job_id)
        for a in self.reqs:
            assert not w.batch.isJobPaid(a, self.next_job[a])

    @invariant()
    def settlement_solvent(self):
        w = self.world
        holders = [*self.provs, str(w.researcher.address)]
        owed = sum(int(w.settlement.claimable(h).fees) for h in holders) + int(w.settlement.treasuryAccrued())
        assert int(w.token.balanceOf(w.settlement)) + int(w.escrow.settledUnswept()) == owed


SETTINGS = settings(
    max_examples=int(os.environ.get("INV_BATCH_EXAMPLES", 10)),
    stateful_step_count=int(os.environ.get("INV_BATCH_STEPS", 20)),
    deadline=None,
    derandomize=os.environ.get("INV_BATCH_RANDOM") is None,  # reproducible in CI; INV_BATCH_RANDOM=1 explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_batch_machine__deposits_posts_disputes_payouts__invariants_hold(chain, batch_inv_world):
    BatchMachine.world = batch_inv_world
    BatchMachine.chain = chain
    STATS.clear()
    run_state_machine_as_test(BatchMachine, settings=SETTINGS)
    print("\n".join(f"{n:5d}  {label}" for label, n in sorted(STATS.items())))
    for outcome in ("pay: ok", "dispute (upheld): ok", "close: ok"):
        assert STATS[outcome], f"the machine never reached {outcome!r}"
