"""Scenario flags without a chain: provider mixes, sweeps, agent kinds that have not landed, and the
profitability invariant's verdicts."""

from __future__ import annotations

import pytest

from opg_client.sim.agents import delegation_unavailable
from opg_client.sim.config import ScenarioConfig, ScenarioError, parse_mix, parse_sweep
from opg_client.sim.engine import check_kinds
from opg_client.sim.invariants import InvariantBroken, _profitability, enforce

OPG = 10**18


def test_parse_mix__strategies_and_counts__ordered_pairs():
    assert parse_mix("honest=3, Lazy=1") == (("honest", 3), ("lazy", 1))


@pytest.mark.parametrize("text", ["honest", "honest=x", "=2", "honest=-1", "honest=1,honest=2", ""])
def test_parse_mix__malformed__scenario_error(text):
    with pytest.raises(ScenarioError):
        parse_mix(text)


def test_parse_sweep__opg_amounts__wei_values():
    assert parse_sweep("bond=1,2.5") == ("bond", [OPG, 5 * OPG // 2])
    assert parse_sweep("challenge_window=600,3600") == ("challenge_window", [600, 3_600])


@pytest.mark.parametrize("text", ["bond", "nonsense=1,2", "challenge-window=", "challenge-window=a", "bond=-1"])
def test_parse_sweep__malformed__scenario_error(text):
    with pytest.raises(ScenarioError):
        parse_sweep(text)


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"providers": (("greedy", 1),)}, "unknown provider strategy 'greedy'"),
    ],
)
def testcheck_kinds__agent_kind_not_landed__scenario_error_with_reason(kwargs, needle):
    with pytest.raises(ScenarioError, match=needle):
        check_kinds(ScenarioConfig(**kwargs))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"epochs": 0}, {"requesters": 0}, {"providers": (("honest", 0),)}, {"lazy_miss_bps": 10_001},
        {"cheat_bps": -1}, {"watch_bps": 10_001}, {"compute_cost": -1}, {"job_ttl": 5},
    ],
)
def test_scenario_config__out_of_range__scenario_error(kwargs):
    with pytest.raises(ScenarioError):
        ScenarioConfig(**kwargs)


def _by(honest: int, lazy: int) -> dict:
    return {
        "by_strategy": {
            "honest": {"dishonest": False, "profit_per_job_wei": honest},
            "lazy": {"dishonest": True, "profit_per_job_wei": lazy},
        }
    }


def test_profitability__dishonest_earns_more__violation_named():
    verdict = _profitability(_by(honest=5 * OPG, lazy=6 * OPG))
    assert not verdict["ok"] and "MORE profitable than honest: ['lazy']" in verdict["detail"]
    with pytest.raises(InvariantBroken, match="dishonest_not_more_profitable"):
        enforce([verdict])


def test_profitability__dishonest_earns_less__holds():
    assert _profitability(_by(honest=6 * OPG, lazy=5 * OPG))["ok"]


def test_profitability__dishonest_claimed_nothing__not_applicable():
    by = _by(honest=6 * OPG, lazy=0)
    by["by_strategy"]["lazy"]["profit_per_job_wei"] = None
    verdict = _profitability(by)
    assert verdict["ok"] and "not applicable" in verdict["detail"]


class _Contract:
    def __init__(self, names):
        self.abi = [{"type": "function", "name": n} for n in names]


class _World:
    def __init__(self, names):
        self.client = type("Client", (), {"contract": lambda _self, _name: _Contract(names)})()


def test_delegation_unavailable__staking_without_delegate_stake__reason():
    assert "no delegation" in delegation_unavailable(_World(["stake", "unbond"]))
    assert delegation_unavailable(_World(["stake", "delegateStake"])) is None
