"""Stateful invariant machine over the whole job lifecycle (OPGToken, ProviderStaking, InferenceEscrow,
RewardSettlement; a TestVerifier judges TEE proofs and challenges).

Random sequences of provider actions (stake / unbond / withdraw / claim / submit), requester actions
(create by approve or permit, cancel), keeper actions (finalize / expire), challenges (upheld / rejected),
reward and treasury claims, pauses and time travel run against the exact model of `inv_machine`. Actions
are mostly valid, but a fifth of the job actions target a job in any state (closed, or never created) and
several carry deliberate faults (wrong sender, missing allowance, deadline passed, window still open,
withdraw while locked, create or stake while paused): those must revert with the predicted custom error
and change nothing. Time-dependent actions sometimes travel to exactly the boundary second or the one
after it. The invariants of `ProtocolModel` are checked after every step."""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import rule, run_state_machine_as_test
from inv_helpers import CLAIMED, OPEN, OPG, OPTIMISTIC, PRICE, SUBMITTED, TEE
from inv_machine import STATS, ProtocolModel

WARPS = (61, 15 * 60, 3_601, 3_601, 86_400, 86_400, 7 * 86_400 + 1)
FEES = (PRICE, 25 * OPG, 60 * OPG, 150 * OPG, 400 * OPG)
DURATIONS = (900, 3_600, 2 * 3_600)
STAKES = (1 * OPG, 100 * OPG, 500 * OPG, 999 * OPG, 1_000 * OPG, 2_500 * OPG)

picks = st.integers(min_value=0, max_value=2**16)
providers = st.integers(0, 2)
# When an action depends on a time boundary B (deadline, challenge end, unlock - 1): leave time as it is,
# or travel so the transaction lands exactly AT B (the last second on one side) or one second AFTER it.
timings = st.sampled_from([None, None, "at", "after"])


class LifecycleMachine(ProtocolModel):
    @rule(i=providers, amount=st.sampled_from(STAKES), path=st.sampled_from(["approve", "approve", "permit"]))
    def provider_stakes(self, i, amount, path):
        self.stake(i, amount, path)

    @rule(i=providers, how=st.sampled_from(["free", "half", "to_min", "min", "over"]))
    def provider_unbonds(self, i, how):
        self.unbond(i, how)

    @rule(i=providers, timing=timings)
    def provider_withdraws(self, i, timing):
        self.withdraw(i, timing)

    @rule(pick=picks, i=providers, timing=timings)
    def provider_claims(self, pick, i, timing):
        self.claim_job(self._pick(pick, (OPEN,)), i, timing)

    @rule(pick=picks, wrong_sender=st.one_of(st.none(), st.none(), st.integers(0, 1)), accept=st.booleans(),
          timing=timings)
    def provider_submits(self, pick, wrong_sender, accept, timing):
        self.submit_result(self._pick(pick, (CLAIMED,)), wrong_sender, accept, timing)

    @rule(r=st.integers(0, 1), fee=st.sampled_from(FEES), mode=st.sampled_from([OPTIMISTIC] * 3 + [TEE]),
          duration=st.sampled_from(DURATIONS), path=st.sampled_from(["approve", "approve", "permit", "bare"]))
    def requester_creates(self, r, fee, mode, duration, path):
        self.create_job(r, fee, mode, duration, path)

    @rule(pick=picks, wrong_sender=st.booleans())
    def requester_cancels(self, pick, wrong_sender):
        self.cancel_job(self._pick(pick, (OPEN,)), wrong_sender)

    @rule(pick=picks, timing=timings)
    def keeper_finalizes(self, pick, timing):
        self.finalize_job(self._pick(pick, (SUBMITTED,)), timing)

    @rule(pick=picks, caller=st.one_of(st.none(), providers), timing=timings)
    def someone_expires(self, pick, caller, timing):
        self.expire_job(self._pick(pick, (OPEN, CLAIMED)), caller, timing)

    @rule(pick=picks, uphold=st.booleans(), bad_hash=st.sampled_from([False, False, False, True]), timing=timings)
    def challenger_challenges(self, pick, uphold, bad_hash, timing):
        self.challenge(self._pick(pick, (SUBMITTED,)), uphold, bad_hash, timing)

    @rule(who=st.integers(0, 5))
    def someone_claims_rewards(self, who):
        self.claim_rewards(who)

    @rule(target_escrow=st.booleans())
    def guardian_toggles_pause(self, target_escrow):
        self.toggle_pause(target_escrow)

    @rule(seconds=st.sampled_from(WARPS))
    def time_passes(self, seconds):
        self.warp(seconds)


SETTINGS = settings(
    max_examples=int(os.environ.get("INV_EXAMPLES", 30)),
    stateful_step_count=int(os.environ.get("INV_STEPS", 40)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_lifecycle_machine__random_actions__invariants_hold(chain, inv_world):
    LifecycleMachine.world = inv_world
    LifecycleMachine.chain = chain
    STATS.clear()
    run_state_machine_as_test(LifecycleMachine, settings=SETTINGS)
    print("\n".join(f"{n:5d}  {label}" for label, n in sorted(STATS.items())))
