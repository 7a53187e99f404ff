"""Scenario parameters (`opg simulate` flags) and the parsers of `--providers` and `--sweep`.

Amounts are ints in wei, durations in seconds, shares in basis points. `None` for a protocol parameter means
"keep what the forked deployment has".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from opg_client.errors import OpgError

OPG = 10**18


class ScenarioError(OpgError):
    """A scenario flag is malformed or names an agent type that does not exist (yet)."""


@dataclass(frozen=True)
class ScenarioConfig:
    """One simulation run: who takes part, how long, and the protocol parameters to explore."""

    seed: int = 1
    epochs: int = 3
    rounds_per_epoch: int = 2  # job waves per epoch (each wave: create, claim, submit, time travel, settle)
    providers: tuple[tuple[str, int], ...] = (("honest", 2), ("lazy", 1), ("cheater", 1))  # (strategy, count)
    requesters: int = 2
    watchers: int = 1
    delegators: int = 2
    jobs_per_round: int = 4  # per requester
    fee: int = 2 * OPG  # the sim's model version price per job (wei)
    royalty_bps: int = 1_000
    stake: int = 2_000 * OPG  # each provider's stake (wei)
    lazy_miss_bps: int = 5_000  # share of its claimed jobs a lazy provider never submits
    cheat_bps: int = 5_000  # share of its jobs a cheating provider answers wrongly
    watch_bps: int = 10_000  # chance a watcher inspects a given result
    compute_cost: int = 0  # off-chain cost (wei) a provider pays per result it computes honestly
    delegation: int = 1_000 * OPG  # what each delegator delegates (wei)
    reward_cut_bps: int = 2_000  # providers' delegation terms: the cut of emissions they keep
    fee_share_bps: int = 5_000  # providers' delegation terms: the share of their fees delegators get
    job_ttl: int = 600  # seconds from creation to deadline
    # Protocol parameters (None: keep the deployment's).
    collateral_ratio_bps: int | None = None
    min_collateral: int | None = None
    challenge_window: int | None = None
    bond: int | None = None
    emission: int | None = None  # initial emission per epoch (wei); immutable: a different one deploys afresh
    # Where to run.
    fork_url: str | None = None
    manifest: str | None = None  # deployment on the forked chain (None: the sim's own upstream, or deploy fresh)

    def __post_init__(self) -> None:
        if self.epochs < 1:
            raise ScenarioError(f"epochs must be >= 1, got {self.epochs}")
        if self.rounds_per_epoch < 1:
            raise ScenarioError(f"rounds per epoch must be >= 1, got {self.rounds_per_epoch}")
        if not self.providers or sum(n for _, n in self.providers) < 1:
            raise ScenarioError("at least one provider is needed")
        if any(n < 0 for _, n in self.providers) or min(self.requesters, self.watchers, self.delegators) < 0:
            raise ScenarioError("agent counts must be >= 0")
        if self.requesters < 1:
            raise ScenarioError("at least one requester is needed")
        for name in ("lazy_miss_bps", "cheat_bps", "watch_bps", "reward_cut_bps", "fee_share_bps"):
            value = getattr(self, name)
            if not 0 <= value <= 10_000:
                raise ScenarioError(f"{name} must be in [0, 10000], got {value}")
        if self.compute_cost < 0:
            raise ScenarioError(f"compute cost must be >= 0, got {self.compute_cost}")
        if self.job_ttl < 60:
            raise ScenarioError(f"job ttl must be >= 60 s, got {self.job_ttl}")

    @property
    def provider_count(self) -> int:
        return sum(n for _, n in self.providers)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["providers"] = {name: n for name, n in self.providers}
        return {k: (str(v) if isinstance(v, int) and abs(v) >= 2**53 else v) for k, v in out.items()}


def parse_mix(text: str) -> tuple[tuple[str, int], ...]:
    """`honest=3,lazy=1` -> (("honest", 3), ("lazy", 1)); order kept, names lower-cased."""
    out: list[tuple[str, int]] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, count = part.partition("=")
        if not sep or not name.strip():
            raise ScenarioError(f"bad provider mix item {part!r}: expected strategy=count")
        try:
            n = int(count)
        except ValueError:
            raise ScenarioError(f"bad provider count in {part!r}") from None
        if n < 0:
            raise ScenarioError(f"negative provider count in {part!r}")
        key = name.strip().lower()
        if any(k == key for k, _ in out):
            raise ScenarioError(f"strategy {key!r} given twice")
        out.append((key, n))
    if not out:
        raise ScenarioError("empty provider mix")
    return tuple(out)


# Sweepable parameter -> (ScenarioConfig field, parser of one value). Amounts on the command line are in OPG.
def _opg(text: str) -> int:
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ScenarioError(f"invalid OPG amount {text!r}") from None
    wei = value * OPG
    if wei < 0 or wei != wei.to_integral_value():
        raise ScenarioError(f"invalid OPG amount {text!r}")
    return int(wei)


SWEEPABLE: dict[str, tuple[str, Any]] = {
    "collateral-ratio-bps": ("collateral_ratio_bps", int),
    "challenge-window": ("challenge_window", int),
    "bond": ("bond", _opg),
    "emission": ("emission", _opg),
    "fee": ("fee", _opg),
    "lazy-miss-bps": ("lazy_miss_bps", int),
    "cheat-bps": ("cheat_bps", int),
    "watch-bps": ("watch_bps", int),
    "watchers": ("watchers", int),
    "compute-cost": ("compute_cost", _opg),
    "delegators": ("delegators", int),
    "reward-cut-bps": ("reward_cut_bps", int),
    "fee-share-bps": ("fee_share_bps", int),
    "jobs-per-round": ("jobs_per_round", int),
    "seed": ("seed", int),
}


def parse_sweep(text: str) -> tuple[str, list[Any]]:
    """`challenge-window=600,3600` -> ("challenge_window", [600, 3600]) (field name, parsed values)."""
    name, sep, values = text.partition("=")
    key = name.strip().lower().replace("_", "-")
    if not sep or key not in SWEEPABLE:
        raise ScenarioError(f"bad --sweep {text!r}: expected one of {', '.join(SWEEPABLE)} = v1,v2,...")
    field_name, parse = SWEEPABLE[key]
    try:
        parsed = [parse(v.strip()) for v in values.split(",") if v.strip()]
    except ValueError:
        raise ScenarioError(f"bad --sweep values in {text!r}") from None
    if not parsed:
        raise ScenarioError(f"--sweep {key} has no values")
    return field_name, parsed


def with_value(config: ScenarioConfig, field_name: str, value: Any) -> ScenarioConfig:
    if field_name not in {f.name for f in fields(config)}:
        raise ScenarioError(f"unknown scenario field {field_name!r}")
    return replace(config, **{field_name: value})
