"""Property test: random sequences of job operations (create, claim, submit, finalize, cancel, expire,
upheld / rejected challenges, reward claims, time warps) keep the escrow and settlement books exact:
  escrow balance == fees of live jobs + settledUnswept,
  settlement balance + settledUnswept == claimable fee balances + treasury accrued,
  each provider's locked collateral == collateral of its claimed / submitted jobs,
and every operation succeeds exactly when a Python model of the state machine says it may."""

import ape
from escrow_helpers import INPUT, OPG, OUTPUT, PRICE, WINDOW, collateral_of
from eth_utils import keccak
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from opg_testkit import TRACE_ROOT, job_of

DURATION = 4 * 3_600  # job deadline after creation, seconds

OPS = [
    *("create", "create", "claim", "claim", "submit", "submit", "finalize", "finalize"),
    *("cancel", "expire", "uphold", "reject", "claim_rewards", "warp", "warp"),
]
ops = st.lists(
    st.tuples(
        st.sampled_from(OPS),
        st.integers(min_value=0, max_value=7),  # which job (modulo the jobs created)
        st.integers(min_value=0, max_value=1),  # which provider
        st.integers(min_value=0, max_value=3),  # fee multiplier / warp size
    ),
    min_size=4,
    max_size=14,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=ops)
@example(  # happy path with a rejected challenge, then reward claims
    sequence=[
        ("create", 0, 0, 1),
        ("claim", 0, 0, 0),
        ("submit", 0, 0, 0),
        ("reject", 0, 0, 0),
        ("warp", 0, 0, 0),
        ("finalize", 0, 0, 0),
        ("claim_rewards", 0, 0, 0),
        ("finalize", 0, 0, 0),
    ]
)
@example(  # upheld challenge, cancel, expiry of a claimed job, then a second provider's job
    sequence=[
        ("create", 0, 0, 0),
        ("create", 0, 0, 2),
        ("create", 0, 0, 3),
        ("claim", 0, 1, 0),
        ("submit", 0, 0, 0),
        ("uphold", 0, 0, 0),
        ("cancel", 1, 0, 0),
        ("claim", 2, 0, 0),
        ("warp", 0, 0, 3),
        ("expire", 2, 0, 0),
        ("claim", 1, 0, 0),
        ("claim_rewards", 0, 1, 0),
    ]
)
def test_random_job_operations__any_sequence__books_balance(
    sequence,
    chain,
    opg,
    escrow,
    staking,
    settlement,
    verifier,
    staked,
    funded,
    deployer,
    requester,
    provider,
    provider2,
    researcher,
    watcher,
):
    providers = [provider, provider2]
    with chain.isolate():
        jobs = {}  # id -> dict(status, fee, provider, deadline)
        for op, pick, who, size in sequence:
            now = chain.pending_timestamp
            ids = sorted(jobs)
            job_id = ids[pick % len(ids)] if ids else 0
            job = jobs.get(job_id)
            status = job["status"] if job else None
            p = providers[who]
            if op == "warp":
                chain.pending_timestamp += (WINDOW + 1) if size < 3 else DURATION + 1
                continue
            if op == "create":
                fee = PRICE + size * 7 * OPG
                escrow.createJob(1, 1, 0, fee, now + DURATION, INPUT, sender=requester)
                new_id = escrow.lastJobId()
                jobs[new_id] = {"status": "open", "fee": fee, "provider": None, "deadline": now + DURATION}
                event("create")
                continue
            if op == "claim_rewards":
                for acct in (p, researcher):
                    if settlement.claimable(acct).fees > 0:
                        settlement.claim(sender=acct)
                event("claim_rewards")
                continue
            if job is None:
                continue
            submitter = job["provider"] or watcher
            if op == "claim":
                ok = status == "open" and now <= job["deadline"]
                fn, args, sender = escrow.claimJob, (job_id, job_of(escrow, job_id)), p
            elif op == "submit":
                ok = status == "claimed" and now <= job["deadline"]
                fn, args, sender = escrow.submitResult, (job_id, job_of(escrow, job_id), OUTPUT, TRACE_ROOT), submitter
            elif op == "finalize":
                ok = status == "submitted" and now > job["deadline"]
                fn, args, sender = escrow.finalizeJob, (job_id, job_of(escrow, job_id)), watcher
            elif op == "cancel":
                ok = status == "open"
                fn, args, sender = escrow.cancelJob, (job_id, job_of(escrow, job_id)), requester
            elif op == "expire":
                ok = status in ("open", "claimed") and now > job["deadline"]
                fn, args, sender = escrow.expireJob, (job_id, job_of(escrow, job_id)), watcher
            else:  # uphold / reject
                ok = status == "submitted" and now <= job["deadline"]
                verifier.setVerdicts(True, op == "uphold", sender=deployer)
                args = (job_id, job_of(escrow, job_id), keccak(INPUT), keccak(OUTPUT), TRACE_ROOT, b"")
                fn, sender = escrow.challengeResult, watcher
            event(f"{op} {'ok' if ok else 'reverts'}")
            if not ok:
                with ape.reverts():
                    fn(*args, sender=sender)
            else:
                receipt = fn(*args, sender=sender)
                if op == "claim":
                    job.update(status="claimed", provider=p)
                elif op == "submit":
                    job.update(status="submitted", deadline=receipt.timestamp + WINDOW)
                elif op in ("finalize", "cancel", "expire", "uphold"):
                    job["status"] = "closed"
            assert escrow.jobStatus(job_id) == {"open": 1, "claimed": 2, "submitted": 3, "closed": 4}[job["status"]]

            live = sum(j["fee"] for j in jobs.values() if j["status"] != "closed")
            unswept = escrow.settledUnswept()
            assert opg.balanceOf(escrow) == live + unswept
            owed = sum(settlement.accountOf(a).claimableFees for a in (provider, provider2, researcher))
            assert opg.balanceOf(settlement) + unswept == owed + settlement.treasuryAccrued()
            for q in providers:
                locked = sum(
                    collateral_of(j["fee"])
                    for j in jobs.values()
                    if j["provider"] == q and j["status"] in ("claimed", "submitted")
                )
                assert staking.stakeOf(q).locked == locked
