"""What a client bench run measures."""

from __future__ import annotations

from dataclasses import dataclass

#: Target: client transactions per second at least this share of raw Anvil transactions per second.
THROUGHPUT_MIN_RATIO = 0.5
#: Target: the result is submitted in the block right after the job's creation block.
LATENCY_TARGET_BLOCKS = 1
#: Transactions the client sends per job: createJob + claimJob + submitResult + finalizeJob.
TXS_PER_JOB = 4


@dataclass(frozen=True)
class ClientBenchConfig:
    """`jobs`: jobs pushed through the throughput run (raw Anvil sends `TXS_PER_JOB * jobs` transfers).
    `latency_jobs`: jobs per provider implementation in the latency run, created `latency_wave` per block
    on an Anvil mining every `block_time` seconds."""

    jobs: int = 300
    rounds: int = 2  # throughput: raw / floor / client measured this many times, interleaved; best kept
    latency_jobs: int = 12
    latency_wave: int = 3
    block_time: int = 1
    price: int = 10**18  # wei per job
    node: bool = True  # also measure the provider node (opg_client.node), not only the library loop

    def __post_init__(self) -> None:
        if self.jobs < 1 or self.rounds < 1 or self.latency_jobs < 1 or self.latency_wave < 1 or self.block_time < 1:
            raise ValueError(f"every count must be >= 1: {self}")


FULL = ClientBenchConfig()
#: What tests/bench runs: every code path, a handful of transactions.
MINIMAL = ClientBenchConfig(jobs=6, rounds=1, latency_jobs=2, latency_wave=2)
