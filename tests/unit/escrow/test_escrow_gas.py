"""Gas of the optimistic job lifecycle (createJobWithPermit + claim + submit + finalize), from receipts."""

from escrow_helpers import INPUT, OPTIMISTIC, OUTPUT, PRICE, WINDOW, sign_permit

GAS_TARGET = 250_000


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


def test_lifecycle_gas__steady_state__within_target(
    chain, opg, escrow, verifier, staked, requester, provider, stranger
):
    first = _lifecycle(chain, opg, escrow, requester, provider, stranger)
    second = _lifecycle(chain, opg, escrow, requester, provider, stranger)
    print(f"\nfirst job:  {first} total={sum(first.values())}")
    print(f"steady:     {second} total={sum(second.values())}")
    assert sum(second.values()) <= GAS_TARGET
