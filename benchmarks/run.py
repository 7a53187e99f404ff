"""Runs every section on one deployed world and assembles the results."""

from __future__ import annotations

import time
from typing import Any

from benchmarks.config import FULL, BenchConfig
from benchmarks.lifecycle import measure_lifecycles
from benchmarks.operations import measure_operations
from benchmarks.payloads import digits_payload, tiny_payload
from benchmarks.report import meta, targets
from benchmarks.scaling import measure_scaling
from benchmarks.world import World


def run_all(config: BenchConfig = FULL) -> dict[str, Any]:
    started = time.monotonic()
    digits, tiny = digits_payload(config.digits_sample), tiny_payload()
    world = World()
    operations = measure_operations(world, digits)
    lifecycle = measure_lifecycles(world, (digits, tiny))
    scaling = measure_scaling(world, digits, config.providers, config.epochs)
    world.reset()
    return {
        "meta": meta(config, world.params.to_json(), time.monotonic() - started),
        "operations": operations,
        "lifecycle": lifecycle,
        "scaling": scaling,
        "targets": targets(lifecycle, scaling),
    }
