"""Stateful invariant machine for delegation (IStakingDelegation) on the wired suite of `inv_world`.

Random sequences of delegator actions (delegate by approve or permit, undelegate part or all, withdraw at or
around the unlock second, claim rewards), provider actions (stake, unbond, set terms: favourable or
scheduled), jobs that finalize (fees credited, pools credited), jobs that expire (collateral slashed pro
rata), general slashes of free and unbonding stake, and time travel across epochs. Each action predicts
success or its exact custom error from a read of the chain, and value-moving ones check their own arithmetic
exactly (pro-rata slashing with the provider's part rounded up; share values and reward increments by the
documented formulas, rounded against the claimant). After every step the invariants hold:

- OPG conservation: the balances of every holder (actors and contracts) sum to totalSupply;
- staking balance == totalStaked + delegator rewards held; totalStaked == sum of own (active + unbonding) +
  sum of pools (assets + unbonding assets): the stake is the staking balance minus what was credited out;
- per provider: locked <= capacity; delegators' values never exceed the pool (active and unbonding);
  delegators' shares sum to the pool's; the settlement's `delegated` bit == (pool has shares);
- delegators' claims are backed: their rewards sum to at most what staking holds plus its settlement balance."""

import os
from collections import Counter

import ape
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from inv_helpers import INPUT, MAX_UINT, MODEL_ID, OPG, OPTIMISTIC, OUTPUT, VERSION, sign_permit
from opg_testkit import TRACE_ROOT, job_of

PRECISION = 10**36
AMOUNTS = (1, 7 * OPG + 3, 250 * OPG, 1_000 * OPG + 1, 4_000 * OPG)
FEES = (10 * OPG, 37 * OPG + 11, 400 * OPG, 1_600 * OPG)
WARPS = (61, 3_601, 86_400, 7 * 86_400 + 1)
DELEGATOR_FUNDS = 20_000 * OPG
# Providers 0 and 1 have pools from the start; provider 2 is unstaked (its actions mostly revert).
providers = st.sampled_from([0, 0, 1, 1, 2])
STATS: Counter[str] = Counter()  # outcome counts over a run (printed with -s)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _value(shares: int, assets: int, pool_shares: int) -> int:
    return shares * (assets + 1) // (pool_shares + 1)


class DelegationMachine(RuleBasedStateMachine):
    world = None
    chain = None
    delegators: tuple = ()

    def __init__(self):
        super().__init__()
        self.snapshot = self.chain.snapshot()
        w = self.world
        self.providers = [str(p.address) for p in w.providers]
        self.holders = [*dict.fromkeys([str(a) for a in (*w.holders, *(d.address for d in self.delegators))])]
        # Every example starts with two pools: provider 0 shares 50% of fees and 80% of emissions with two
        # delegators, provider 1 all of its fees with one; provider 2 (unstaked) has none.
        w.staking.setDelegationTerms(2_000, 5_000, sender=w.providers[0])
        w.staking.setDelegationTerms(0, 10_000, sender=w.providers[1])
        for d, p, amount in ((0, 0, 1_000 * OPG), (1, 0, 2_500 * OPG + 3), (1, 1, 700 * OPG)):
            w.staking.delegateStake(self.providers[p], amount, sender=self.delegators[d])

    def teardown(self):
        self.chain.restore(self.snapshot)

    # ------------------------------------------------------------------------------------------- helpers

    def _reverts(self, error, fn, *args, sender, **inputs):
        STATS[f"{fn.abis[0].name}: {error.__name__}"] += 1
        with ape.reverts(error, **inputs):
            fn(*args, sender=sender)

    def _pool(self, p):
        return self.world.staking.poolOf(p)

    def _positions(self, p):
        return [self.world.staking.delegationOf(d, p) for d in self.delegators]

    def _job(self, p_index: int, fee: int):
        """A job created by requester 0 and claimed by provider `p_index`; None if it is not eligible."""
        w = self.world
        provider = w.providers[p_index]
        collateral = w.collateral(fee)
        if not w.staking.isEligible(provider, MODEL_ID, collateral):
            return None
        deadline = self.chain.pending_timestamp + 3_600
        w.escrow.createJob(MODEL_ID, VERSION, OPTIMISTIC, fee, deadline, INPUT, sender=w.requesters[0])
        job_id = w.escrow.lastJobId()
        w.escrow.claimJob(job_id, job_of(w.escrow, job_id), sender=provider)
        return job_id

    # --------------------------------------------------------------------------------------- delegators

    @rule(d=st.integers(0, 1), p=providers, amount=st.sampled_from(AMOUNTS), permit=st.booleans())
    def delegate(self, d, p, amount, permit):
        w, delegator, provider = self.world, self.delegators[d], self.providers[p]
        own = w.staking.stakeOf(provider).active
        if own < w.min_stake:
            self._reverts(w.staking.StakeTooLow, w.staking.delegateStake, provider, amount, sender=delegator,
                          provider=provider, have=own, need=w.min_stake)
            return
        amount = min(amount, w.token.balanceOf(delegator))  # a delegator can run out of OPG
        if amount == 0:
            return
        assets, shares, *_ = self._pool(provider)
        expected = amount * (shares + 1) // (assets + 1)
        if permit:
            deadline = self.chain.pending_timestamp + 600
            v, r, s = sign_permit(w.token, delegator, w.staking, amount, deadline)
            tx = w.staking.delegateStakeWithPermit(provider, amount, deadline, v, r, s, sender=delegator)
        else:
            if w.token.allowance(delegator, w.staking) < amount:  # a permit replaced the standing approval
                w.token.approve(w.staking, MAX_UINT, sender=delegator)
            tx = w.staking.delegateStake(provider, amount, sender=delegator)
        assert tx.return_value == expected
        assert self._pool(provider)[:2] == (assets + amount, shares + expected)
        STATS["delegate: ok"] += 1

    @rule(d=st.integers(0, 1), p=providers, part=st.sampled_from([1, 1, 2, 0, 3]))
    def undelegate(self, d, p, part):
        """part: 0 nothing (ZeroAmount), 1 a third, 2 all, 3 one more share than held."""
        w, delegator, provider = self.world, self.delegators[d], self.providers[p]
        held = w.staking.delegationOf(delegator, provider).shares
        shares = (0, held // 3, held, held + 1)[part]
        if shares == 0:
            self._reverts(w.staking.ZeroAmount, w.staking.undelegate, provider, 0, sender=delegator)
            return
        if shares > held:
            self._reverts(w.staking.InsufficientShares, w.staking.undelegate, provider, shares, sender=delegator,
                          have=held, need=shares)
            return
        assets, pool_shares, *_ = self._pool(provider)
        amount = assets if shares == pool_shares else _value(shares, assets, pool_shares)
        free = w.staking.freeStake(provider)
        if amount > free:
            self._reverts(w.staking.InsufficientFreeStake, w.staking.undelegate, provider, shares,
                          sender=delegator, provider=provider, free=free, need=amount)
            return
        tx = w.staking.undelegate(provider, shares, sender=delegator)
        assert tx.return_value == amount
        assert w.staking.delegationOf(delegator, provider).unlockAt == tx.timestamp + w.unbonding_delay
        STATS["undelegate: ok"] += 1

    @rule(d=st.integers(0, 1), p=providers, timing=st.sampled_from([None, "before", "at"]))
    def withdraw(self, d, p, timing):
        w, delegator, provider = self.world, self.delegators[d], self.providers[p]
        pos = w.staking.delegationOf(delegator, provider)
        if pos.unlockAt == 0:
            self._reverts(w.staking.NoDelegationUnbonding, w.staking.withdrawDelegation, provider, sender=delegator)
            return
        if timing is not None and pos.unlockAt - (timing == "before") > self.chain.pending_timestamp:
            self.chain.pending_timestamp = pos.unlockAt - (timing == "before")
        if self.chain.pending_timestamp < pos.unlockAt:
            self._reverts(w.staking.DelegationLocked, w.staking.withdrawDelegation, provider, sender=delegator,
                          unlockAt=pos.unlockAt)
            return
        before = w.token.balanceOf(delegator)
        tx = w.staking.withdrawDelegation(provider, sender=delegator)
        assert w.token.balanceOf(delegator) == before + tx.return_value
        assert tx.return_value >= pos.unbonding  # the view rounds down; the last withdrawer takes the dust
        STATS["withdrawDelegation: ok"] += 1

    @rule(d=st.integers(0, 1), p=providers)
    def claim_rewards(self, d, p):
        w, delegator, provider = self.world, self.delegators[d], self.providers[p]
        owed = w.staking.delegationOf(delegator, provider).rewards
        if owed == 0:
            self._reverts(w.staking.NoDelegatorRewards, w.staking.claimDelegatorRewards, provider,
                          sender=delegator)
            return
        before = w.token.balanceOf(delegator)
        w.staking.claimDelegatorRewards(provider, sender=delegator)
        assert w.token.balanceOf(delegator) == before + owed  # the settlement can mint: paid in full
        assert w.staking.delegationOf(delegator, provider).rewards == 0
        STATS["claimDelegatorRewards: ok"] += 1

    # ---------------------------------------------------------------------------------------- providers

    @rule(p=providers, cut=st.sampled_from([0, 2_000, 10_000, 10_001]),
          share=st.sampled_from([0, 5_000, 10_000]))
    def set_terms(self, p, cut, share):
        w, provider = self.world, self.world.providers[p]
        if cut > 10_000:
            self._reverts(w.staking.InvalidTerms, w.staking.setDelegationTerms, cut, share, sender=provider)
            return
        old_cut, old_share, *_ = w.staking.delegationTerms(provider)
        tx = w.staking.setDelegationTerms(cut, share, sender=provider)
        favourable = cut <= old_cut and share >= old_share
        at = tx.events.filter(w.staking.DelegationTermsSet)[0]["effectiveAt"]
        assert at == (tx.timestamp if favourable else tx.timestamp + w.unbonding_delay)
        assert w.staking.delegationTerms(provider)[:2] == ((cut, share) if favourable else (old_cut, old_share))

    @rule(p=providers, amount=st.sampled_from((1_000 * OPG, 2_500 * OPG)))
    def provider_stakes(self, p, amount):
        w, provider = self.world, self.world.providers[p]
        w.staking.stake(amount, sender=provider)

    @rule(p=providers)
    def provider_unbonds_free(self, p):
        w, provider = self.world, self.world.providers[p]
        active, locked, *_ = w.staking.stakeOf(provider)
        amount = max(active - locked, 0)  # own stake beyond locked collateral
        if 0 < active - amount < w.min_stake:
            amount = active - w.min_stake  # stay at the minimum rather than below it
        if amount <= 0:
            return
        tx = w.staking.unbond(amount, sender=provider)
        assert tx.events.filter(w.staking.Unbonded)[0]["activeLeft"] == active - amount

    # ---------------------------------------------------------------------------------------------- jobs

    @rule(p=providers, fee=st.sampled_from(FEES))
    def job_finalizes(self, p, fee):
        """Fees reach the pool by the provider's fee share; each delegator's reward grows by its shares."""
        w, provider = self.world, self.providers[p]
        job_id = self._job(p, fee)
        if job_id is None:
            return
        w.escrow.submitResult(job_id, job_of(w.escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider)
        self.chain.pending_timestamp += w.window + 1
        before = self._positions(provider)
        rps_before = self._pool(provider).rewardPerShare
        tx = w.escrow.finalizeJob(job_id, job_of(w.escrow, job_id), sender=w.keeper)
        credited = sum(e["fees"] + e["emissions"] for e in tx.events.filter(w.staking.DelegatorRewardsCredited))
        rps = self._pool(provider).rewardPerShare
        after = self._positions(provider)
        gained, n = 0, len(self.delegators)
        for b, a in zip(before, after, strict=True):
            # rewards = floor(shares * (rps - rps at checkpoint) / 1e36): a difference of two floors.
            step = b.shares * (rps - rps_before) // PRECISION
            assert step <= a.rewards - b.rewards <= step + 1
            gained += a.rewards - b.rewards
        # Per credit within a wei per delegator; that the total never exceeds what was credited is the
        # `delegators' claims are backed` invariant.
        assert credited - n <= gained <= credited + n
        STATS["finalize: ok" + (" (pool credited)" if credited else "")] += 1

    @rule(p=providers, fee=st.sampled_from(FEES))
    def job_expires(self, p, fee):
        """Collateral is slashed from own stake and pool pro rata, the provider's part rounded up."""
        w, provider = self.world, self.providers[p]
        job_id = self._job(p, fee)
        if job_id is None:
            return
        own, *_ = w.staking.stakeOf(provider)
        assets, shares, *_ = self._pool(provider)
        before = self._positions(provider)
        self.chain.pending_timestamp += 3_601
        w.escrow.expireJob(job_id, job_of(w.escrow, job_id), sender=w.keeper)
        x = w.collateral(fee)
        pooled = shares != 0
        from_own = _ceil_div(x * own, own + assets) if pooled else x
        assert w.staking.stakeOf(provider).active == own - from_own
        assert self._pool(provider).assets == assets - (x - from_own if pooled else 0)
        for b, a in zip(before, self._positions(provider), strict=True):
            assert a.amount == _value(b.shares, self._pool(provider).assets, shares) <= b.amount
        STATS["expire: ok" + (" (pool slashed)" if pooled else "")] += 1

    @rule(p=providers, amount=st.sampled_from((1, 300 * OPG, 300 * OPG, 10**30)))
    def slashed(self, p, amount):
        """A general slash: free capacity (own and pool pro rata), then both unbonding positions pro rata."""
        w, provider = self.world, self.providers[p]
        own, locked, lock, _ = w.staking.stakeOf(provider)
        assets, shares, u_assets, _, _ = self._pool(provider)
        capacity = own + (assets if shares else 0)
        free = capacity - locked
        from_active = min(amount, free)
        from_unbonding = min(amount - from_active, lock + u_assets)
        if from_active + from_unbonding == 0:
            self._reverts(w.staking.NothingToSlash, w.staking.slash, provider, amount, w.deployer,
                          sender=w.deployer, provider=provider)
            return
        w.staking.slash(provider, amount, w.deployer, sender=w.deployer)
        from_own = _ceil_div(from_active * own, capacity) if shares and from_active else from_active
        from_lock = _ceil_div(from_unbonding * lock, lock + u_assets) if from_unbonding else 0
        active_after, _, lock_after, _ = w.staking.stakeOf(provider)
        pool_after = self._pool(provider)
        assert (active_after, lock_after) == (own - from_own, lock - from_lock)
        assert pool_after.assets == assets - (from_active - from_own)
        assert pool_after.unbondingAssets == u_assets - (from_unbonding - from_lock)
        STATS["slash: ok"] += 1

    @rule(seconds=st.sampled_from(WARPS))
    def time_passes(self, seconds):
        self.chain.pending_timestamp += seconds
        self.chain.mine()

    # ---------------------------------------------------------------------------------------- invariants

    @invariant()
    def conserved_backed_and_consistent(self):
        """One batch of reads per step: conservation, stake accounting, pool consistency, backed claims."""
        w = self.world
        assert sum(w.token.balanceOf(a) for a in self.holders) == w.token.totalSupply()
        held = w.staking.delegatorRewardsHeld()
        total = w.staking.totalStaked()
        # The stake is the staking balance minus what was credited out to it for delegators.
        assert w.token.balanceOf(w.staking) == total + held
        parts = owed = 0
        for p in self.providers:
            active, locked, unbonding, _ = w.staking.stakeOf(p)
            assets, shares, u_assets, _, _ = self._pool(p)
            parts += active + unbonding + assets + u_assets
            assert locked <= w.staking.capacityOf(p)
            positions = self._positions(p)
            assert sum(x.shares for x in positions) == shares
            assert sum(x.amount for x in positions) <= assets
            assert sum(x.unbonding for x in positions) <= u_assets
            assert w.settlement.isDelegated(p) == (shares != 0)
            owed += sum(x.rewards for x in positions)
        assert total == parts
        fees, emissions = w.settlement.claimable(w.staking)
        assert owed <= held + fees + emissions  # delegators' claims are backed


SETTINGS = settings(
    # Each step reads every position (~40 calls): fewer, shorter examples than the other machines by default.
    max_examples=int(os.environ.get("DELEGATION_INV_EXAMPLES", 6)),
    stateful_step_count=int(os.environ.get("DELEGATION_INV_STEPS", 30)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_delegation_machine__random_actions__invariants_hold(chain, accounts, inv_world):
    delegators = [accounts.generate_test_account() for _ in range(2)]
    for d in delegators:
        chain.set_balance(d.address, 10**20)
        inv_world.token.transfer(d, DELEGATOR_FUNDS, sender=inv_world.treasury)
        inv_world.token.approve(inv_world.staking, MAX_UINT, sender=d)
    inv_world.staking.grantRole(inv_world.staking.SLASHER_ROLE(), inv_world.deployer, sender=inv_world.deployer)
    DelegationMachine.world, DelegationMachine.chain = inv_world, chain
    DelegationMachine.delegators = tuple(delegators)
    STATS.clear()
    run_state_machine_as_test(DelegationMachine, settings=SETTINGS)
    print("\n".join(f"{n:5d}  {label}" for label, n in sorted(STATS.items())))
