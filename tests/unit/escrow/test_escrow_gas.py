"""Gas of one optimistic job lifecycle (createJobWithPermit + claimJob + submitResult + finalizeJob), from
receipts (`gas_used`, after refunds), with a 64-byte input and a 40-byte output. Steady state = the second
job between the same requester, provider and model (every balance / record slot already non-zero).

Measured (anvil, solc 0.8.28 --optimize-runs 10000): first job ~418k, steady state ~312.6k
(create 147.1k, claim 51.9k, submit 40.5k, finalize 73.1k). The protocol target is 250k; the gap and what
would close it are in the report of the escrow work (three fresh job slots alone cost 66.3k per job)."""

import pytest
from escrow_helpers import INPUT, OPTIMISTIC, OUTPUT, PRICE, WINDOW, sign_permit

GAS_TARGET = 250_000  # protocol target (docs/protocol.md)
STEADY_STATE_BUDGET = 315_000  # regression ceiling of the current design


def _lifecycle(chain, opg, escrow, requester, provider, stranger):
    deadline = chain.pending_timestamp + 3_600
    v, r, s = sign_permit(opg, requester, escrow, PRICE, deadline)
    tx_create = escrow.createJobWithPermit(
        1, 1, OPTIMISTIC, PRICE, deadline, INPUT, deadline, v, r, s, sender=requester
    )
    job_id = escrow.jobCount()
    tx_claim = escrow.claimJob(job_id, sender=provider)
    tx_submit = escrow.submitResult(job_id, OUTPUT, b"", sender=provider)
    chain.pending_timestamp += WINDOW + 1
    tx_finalize = escrow.finalizeJob(job_id, sender=stranger)
    return {
        "create": tx_create.gas_used,
        "claim": tx_claim.gas_used,
        "submit": tx_submit.gas_used,
        "finalize": tx_finalize.gas_used,
    }


@pytest.fixture(scope="module")
def gas(chain, opg, escrow, verifier, staked, requester, provider, stranger):
    first = _lifecycle(chain, opg, escrow, requester, provider, stranger)
    steady = _lifecycle(chain, opg, escrow, requester, provider, stranger)
    print(f"\nlifecycle gas, first job:    {first} total={sum(first.values())}")
    print(f"lifecycle gas, steady state: {steady} total={sum(steady.values())}")
    return first, steady


def test_lifecycle_gas__steady_state__within_regression_budget(gas):
    first, steady = gas
    assert sum(steady.values()) <= STEADY_STATE_BUDGET
    assert sum(steady.values()) < sum(first.values())


@pytest.mark.xfail(strict=True, reason="steady state ~312.6k vs 250k target: see module docstring / report")
def test_lifecycle_gas__steady_state__within_protocol_target(gas):
    _, steady = gas
    assert sum(steady.values()) <= GAS_TARGET
