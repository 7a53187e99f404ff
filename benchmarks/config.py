"""What a bench run measures."""

from __future__ import annotations

from dataclasses import dataclass

#: Steady-state gas budget of one optimistic job lifecycle (docs/protocol.md).
LIFECYCLE_STEADY_STATE_MAX = 250_000
#: Scaling target: gas at the large count within 5% of gas at the small count (either direction).
SCALING_MAX_RATIO = 1.05


@dataclass(frozen=True)
class BenchConfig:
    """`providers` / `epochs`: the (small, large) counts the scaling section compares."""

    providers: tuple[int, int] = (1, 100)
    epochs: tuple[int, int] = (1, 50)
    digits_sample: int = 0  # index into the shipped model's held-out test split

    def __post_init__(self) -> None:
        for name, (small, large) in (("providers", self.providers), ("epochs", self.epochs)):
            if not 1 <= small < large:
                raise ValueError(f"{name}: need 1 <= small < large, got {small}, {large}")


FULL = BenchConfig()
#: What tests/bench runs: every code path, a handful of transactions.
MINIMAL = BenchConfig(providers=(1, 2), epochs=(1, 2))
