"""Gas ceilings for the provider and job hot paths (execution gas: receipt gas minus the 21,000 base and
calldata cost, i.e. what a contract calling in pays on top of the CALL itself). Run with `-s` to print."""

from staking_helpers import MIN_STAKE, MODEL, UNBONDING_DELAY

# Ceilings (execution gas, cold storage as in a fresh transaction). lockCollateral's floor is four cold
# reads (JOB_MANAGER role, served flag, provider slot, minStake), one SSTORE of the provider slot, the event.
CEILINGS = {
    "stake (first)": 90_000,  # three zero-to-nonzero SSTOREs: provider slot, totalStaked, token balance
    "stake (top-up)": 36_000,
    "unbond (first)": 35_000,  # zero-to-nonzero unbonding slot
    "unbond (again)": 17_000,
    "withdraw": 26_000,
    "lockCollateral": 15_000,
    "releaseCollateral": 10_000,
}


def _execution_gas(receipt):
    data = bytes(receipt.transaction.data)
    calldata = sum(16 if b else 4 for b in data)
    return receipt.gas_used - 21_000 - calldata


def test_gas__hot_paths__within_ceilings(staking, opg, chain, provider, job_manager):
    measured = {}
    opg.approve(staking, 2**256 - 1, sender=provider)
    measured["stake (first)"] = staking.stake(5 * MIN_STAKE, sender=provider)
    measured["stake (top-up)"] = staking.stake(MIN_STAKE, sender=provider)
    staking.serveModel(MODEL, sender=provider)
    measured["lockCollateral"] = staking.lockCollateral(provider, MODEL, MIN_STAKE, sender=job_manager)
    measured["releaseCollateral"] = staking.releaseCollateral(provider, MIN_STAKE, sender=job_manager)
    measured["unbond (first)"] = staking.unbond(MIN_STAKE, sender=provider)
    measured["unbond (again)"] = staking.unbond(MIN_STAKE, sender=provider)
    chain.pending_timestamp += UNBONDING_DELAY
    measured["withdraw"] = staking.withdraw(sender=provider)

    print()
    for name, receipt in measured.items():
        print(f"{name:20s} tx gas {receipt.gas_used:7d}  execution {_execution_gas(receipt):7d}")
    for name, receipt in measured.items():
        assert _execution_gas(receipt) <= CEILINGS[name], (name, _execution_gas(receipt))
