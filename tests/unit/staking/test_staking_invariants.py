"""Property test: random sequences of stake / unbond / withdraw / lock / release / slash keep the staking
contract's OPG balance equal to totalStaked (active + unbonding), keep active >= locked, and match a
Python model of the accounting exactly (including which calls revert)."""

import ape
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from staking_helpers import MIN_STAKE, MODEL, UNBONDING_DELAY, ZERO_ADDRESS

HOUR = 3600
QUARTER = MIN_STAKE // 4

raw_amounts = st.one_of(
    st.integers(min_value=0, max_value=24).map(lambda q: q * QUARTER),  # boundaries: 0, MIN, multiples
    st.integers(min_value=1, max_value=6 * MIN_STAKE),
)
# How an op's amount is chosen: a raw amount, or relative to the provider's state at that point (so that
# unbond-all, release-all, exact-free locks etc. happen often enough to matter).
sizing = st.sampled_from(["raw", "raw", "all", "half", "min"])
ops = st.lists(
    st.tuples(
        st.sampled_from(
            [
                *("stake", "unbond", "unbond", "withdraw", "withdraw", "lock", "lock", "release"),
                *("slash_collateral", "slash", "warp", "warp"),
            ]
        ),
        st.integers(min_value=0, max_value=1),  # which provider
        sizing,
        raw_amounts,
    ),
    min_size=3,
    max_size=12,
)


def _amount(model, op, p, how, raw):
    active, locked, unbonding, _ = model.s[p]
    base = {
        "unbond": active - locked,
        "lock": active - locked,
        "release": locked,
        "slash_collateral": locked,
        "slash": active - locked + unbonding,
    }.get(op, MIN_STAKE)
    return {"raw": raw, "all": base, "half": base // 2, "min": MIN_STAKE}[how]


class Model:
    """Expected per-provider (active, locked, unbonding, unlockAt); `apply` returns False if the call
    must revert (and leaves the model unchanged)."""

    def __init__(self, providers):
        self.s = {p: [0, 0, 0, 0] for p in providers}

    def total(self):
        return sum(a + u for a, _, u, _ in self.s.values())

    def apply(self, op, p, amount, now):
        active, locked, unb, unlock = self.s[p]
        free = active - locked
        if op == "stake":
            if amount == 0 or (active == 0 and amount < MIN_STAKE):
                return False
            self.s[p][0] += amount
        elif op == "unbond":
            left = active - amount
            if amount == 0 or amount > free or 0 < left < MIN_STAKE:
                return False
            self.s[p] = [left, locked, unb + amount, None]  # unlockAt read from the receipt
        elif op == "withdraw":
            if unb == 0 or now < unlock:
                return False
            self.s[p] = [active, locked, 0, 0]
        elif op == "lock":
            if active < MIN_STAKE or amount > free:
                return False
            self.s[p][1] += amount
        elif op == "release":
            if amount > locked:
                return False
            self.s[p][1] -= amount
        elif op == "slash_collateral":
            if amount > locked:
                return False
            self.s[p][0] -= amount
            self.s[p][1] -= amount
        elif op == "slash":
            from_active = min(amount, free)
            from_unb = min(amount - from_active, unb)
            if amount == 0 or from_active + from_unb == 0:
                return False
            new_unb = unb - from_unb
            self.s[p] = [active - from_active, locked, new_unb, unlock if new_unb else 0]
        return True


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=ops)
@example(  # lock, partial exit, slash spilling into unbonding, withdraw the rest, re-stake
    sequence=[
        ("lock", 0, "raw", MIN_STAKE),
        ("unbond", 0, "all", 0),
        ("slash", 0, "raw", 2 * MIN_STAKE + 1),
        ("warp", 0, "raw", 1),
        ("withdraw", 0, "raw", 0),
        ("slash_collateral", 0, "half", 0),
        ("release", 0, "all", 0),
        ("stake", 0, "raw", 1),
        ("unbond", 0, "all", 0),
        ("warp", 1, "raw", 1),
        ("withdraw", 0, "raw", 0),
        ("stake", 0, "raw", MIN_STAKE - 1),
    ]
)
@example(  # two unbonds restart the clock: a withdraw between the original and the new unlock reverts
    sequence=[
        ("unbond", 1, "min", 0),
        ("warp", 1, "raw", 3),
        ("unbond", 1, "min", 0),
        ("warp", 1, "raw", 1),
        ("withdraw", 1, "raw", 0),
        ("lock", 1, "all", 0),
        ("slash", 1, "all", 0),
        ("warp", 1, "raw", 1),
        ("withdraw", 1, "raw", 0),
    ]
)
def test_random_operations__any_sequence__balance_equals_total_and_active_covers_locked(
    sequence, chain, staking, opg, provider, provider2, job_manager, slasher, watcher
):
    providers = [provider, provider2]
    with chain.isolate():
        model = Model([p.address for p in providers])
        for p in providers:
            opg.approve(staking, 2**256 - 1, sender=p)
            staking.serveModel(MODEL, sender=p)
            staking.stake(3 * MIN_STAKE, sender=p)
            model.apply("stake", p.address, 3 * MIN_STAKE, 0)

        for op, idx, how, raw in sequence:
            p = providers[idx]
            if op == "warp":
                chain.pending_timestamp += HOUR if raw % 3 == 0 else UNBONDING_DELAY
                continue
            amount = _amount(model, op, p.address, how, raw)
            calls = {
                "stake": lambda p=p, amount=amount: staking.stake(amount, sender=p),
                "unbond": lambda p=p, amount=amount: staking.unbond(amount, sender=p),
                "withdraw": lambda p=p: staking.withdraw(sender=p),
                "lock": lambda p=p, amount=amount: staking.lockCollateral(
                    p, MODEL, amount, sender=job_manager
                ),
                "release": lambda p=p, amount=amount: staking.releaseCollateral(
                    p, amount, sender=job_manager
                ),
                "slash_collateral": lambda p=p, amount=amount: staking.slashCollateral(
                    p, amount, watcher, sender=job_manager
                ),
                "slash": lambda p=p, amount=amount: staking.slash(p, amount, ZERO_ADDRESS, sender=slasher),
            }
            # Warps are an hour or a whole delay, so `now` is never within seconds of an unlock time.
            expected_ok = model.apply(op, p.address, amount, chain.pending_timestamp)
            event(f"{op} {'ok' if expected_ok else 'reverts'}")
            if expected_ok:
                receipt = calls[op]()
                if op == "unbond":
                    model.s[p.address][3] = receipt.timestamp + UNBONDING_DELAY
            else:
                with ape.reverts():
                    calls[op]()

            for q in providers:
                active, locked, unbonding, unlock_at = staking.stakeOf(q)
                assert active >= locked
                assert [active, locked, unbonding, unlock_at] == model.s[q.address], (op, idx, how, amount)
            assert opg.balanceOf(staking) == staking.totalStaked() == model.total()
