"""Stateful invariant machine focused on settlement: whole job lifecycles per step (finalized, TEE-proven,
challenged and upheld or rejected, expired after a claim, cancelled) spread over many epochs, interleaved
with reward and treasury claims, stake top-ups and exits. Fees are attributed to the epoch in which the
job settles, emissions of closed epochs are shared pro rata (each share rounded down per epoch), owed
emissions stay within the OPG cap, and double claims revert NothingToClaim. Same model and invariants as
the lifecycle machine (`inv_machine.ProtocolModel`), checked after every step."""

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import rule, run_state_machine_as_test
from inv_helpers import CLAIMED, OPG, OPTIMISTIC, PRICE, TEE
from inv_machine import STATS, ProtocolModel

ENDINGS = ("finalize", "finalize", "tee", "upheld", "rejected", "expire", "cancel")
FEES = (PRICE, 33 * OPG, 100 * OPG, 250 * OPG)


class SettlementMachine(ProtocolModel):
    @rule(i=st.integers(0, 2), r=st.integers(0, 1), fee=st.sampled_from(FEES), ending=st.sampled_from(ENDINGS),
          then_claim=st.booleans())
    def whole_job(self, i, r, fee, ending, then_claim):
        self._whole_job(i, r, fee, ending)
        if then_claim:  # next epoch: the provider takes its fees and its emission share
            self.warp(self.world.epoch_length)
            self.claim_rewards(i)

    def _whole_job(self, i, r, fee, ending):
        w = self.world
        a = str(w.providers[i].address)
        active, locked, _, _ = self.stakes[a]
        top_up = max(w.min_stake - active, w.collateral(fee) - (active - locked), 0)
        if top_up and ending != "cancel":
            self.stake(i, top_up)
        job_id = self.create_job(r, fee, TEE if ending == "tee" else OPTIMISTIC, 3_600, "approve")
        if job_id is None:
            return
        job = self.jobs[job_id]
        if ending == "cancel":
            self.cancel_job(job)
            return
        self.claim_job(job, i)
        if job.status != CLAIMED:
            return
        if ending == "expire":
            self.expire_job(job, None, "after")
            return
        self.submit_result(job)
        if ending in ("upheld", "rejected"):
            self.challenge(job, uphold=ending == "upheld")
        self.finalize_job(job, "after")  # closed already (TEE, upheld): must revert InvalidJobStatus

    @rule(epochs=st.integers(1, 3), extra=st.sampled_from([0, 61, 12 * 3_600]))
    def epochs_pass(self, epochs, extra):
        self.warp(epochs * self.world.epoch_length + extra)

    @rule(who=st.integers(0, 6), twice=st.booleans())
    def someone_claims_rewards(self, who, twice):
        if who == 6:  # the provider owed the most emissions
            epoch = self.world.epoch_at(self.t)
            who = max(range(3), key=lambda k: self._owed(str(self.world.providers[k].address), epoch))
        self.claim_rewards(who)
        if twice:
            self.claim_rewards(who)  # nothing left: NothingToClaim (unless an epoch closed in between)

    @rule(i=st.integers(0, 2), how=st.sampled_from(["free", "to_min", "half"]))
    def provider_unbonds(self, i, how):
        self.unbond(i, how)

    @rule(i=st.integers(0, 2))
    def provider_withdraws(self, i):
        self.withdraw(i, "after")


SETTINGS = settings(
    max_examples=int(os.environ.get("INV_SETTLEMENT_EXAMPLES", 15)),
    stateful_step_count=int(os.environ.get("INV_SETTLEMENT_STEPS", 25)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_settlement_machine__lifecycles_across_epochs__invariants_hold(chain, inv_world):
    SettlementMachine.world = inv_world
    SettlementMachine.chain = chain
    STATS.clear()
    run_state_machine_as_test(SettlementMachine, settings=SETTINGS)
    print("\n".join(f"{n:5d}  {label}" for label, n in sorted(STATS.items())))
