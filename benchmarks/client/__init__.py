"""Client benchmarks (`make bench`): end-to-end job throughput of the Python client on Anvil next to raw
Anvil transaction throughput, and provider latency in blocks (job creation to result submission)."""
