"""Gas of delegation (IStakingDelegation): each delegator / provider operation, and the optimistic job lifecycle
of a provider with and without delegators. Writes benchmarks/results/delegation.json and delegation.md.

    ape run bench --no-client --no-gas --delegation     # this section alone
"""
