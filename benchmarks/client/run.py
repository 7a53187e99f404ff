"""Runs the client bench on its own Anvil and assembles the results."""

from __future__ import annotations

import time
from typing import Any

from benchmarks.client.config import FULL, ClientBenchConfig
from benchmarks.client.latency import measure_latency
from benchmarks.client.report import meta, targets
from benchmarks.client.throughput import measure_throughput
from benchmarks.client.world import ClientWorld, digits_inputs
from opg_client.units import OPG

COLLATERAL_PER_JOB = 10 * OPG  # the suite's min collateral (a job of 1 OPG locks max(1.5 OPG, 10 OPG))


def run_client(config: ClientBenchConfig = FULL) -> dict[str, Any]:
    started = time.monotonic()
    samples = digits_inputs(config.jobs + config.latency_jobs)
    throughput_samples = samples[: config.jobs]
    latency_samples = samples[config.jobs :]
    stake = 1_000 * OPG + COLLATERAL_PER_JOB * (config.jobs + 2 * config.latency_jobs + 1)
    with ClientWorld(price=config.price, provider_stake=stake) as world:
        chain = world.anvil_version()
        throughput = measure_throughput(world, throughput_samples, config.rounds)
        latency = measure_latency(world, latency_samples, config,
                                  throughput["client"]["gas_limits"])
    return {
        "meta": meta(config, chain, time.monotonic() - started),
        "throughput": throughput,
        "latency": latency,
        "targets": targets(throughput, latency),
    }
