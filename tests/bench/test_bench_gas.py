"""The gas bench (`make bench`) runs end to end on its minimal configuration (1 vs 2 providers, 1 vs 2
epochs) and writes both result files, so it cannot rot unnoticed. Every scenario checks by events that it
took the path it is named for (BenchError otherwise)."""

import json
import re

from benchmarks.config import LIFECYCLE_STEADY_STATE_MAX, MINIMAL
from benchmarks.lifecycle import PHASES
from benchmarks.operations import OPERATIONS
from benchmarks.report import LIFECYCLE_TXS, write_results
from benchmarks.run import run_all


def test_bench__minimal_config__measures_every_section_and_writes_results(chain, tmp_path):
    results = run_all(MINIMAL)
    paths = write_results(results, tmp_path)
    data = json.loads(paths.json.read_text())

    assert list(data["operations"]) == list(OPERATIONS)
    for name, op in data["operations"].items():
        assert 21_000 < op["gas"] < 1_000_000, name

    assert set(data["lifecycle"]) == {"digits", "tiny"}
    assert data["lifecycle"]["digits"]["input_bytes"] == 4 * 64  # packed int32 of 64 pixels (docs/runtime.md §5)
    assert data["lifecycle"]["digits"]["output_bytes"] == 4 * 10
    for lc in data["lifecycle"].values():
        for phase in PHASES:
            assert lc[phase]["total"] == sum(lc[phase][tx] for tx in LIFECYCLE_TXS)
        assert lc["first_job"]["total"] > lc["steady_state"]["total"]  # first permit / lock / credits
        for tx, a in lc["steady_state_anatomy"].items():
            assert a["intrinsic"] >= 21_000 and a["refund"] >= 0 and a["other"] > 0, tx
            assert a["intrinsic"] + a["sstore"] + a["logs"] + a["other"] - a["refund"] == lc["steady_state"][tx], tx
    assert data["lifecycle"]["digits"]["steady_state"]["total"] > data["lifecycle"]["tiny"]["steady_state"]["total"]

    for axis, counts in (("providers", MINIMAL.providers), ("epochs", MINIMAL.epochs)):
        s = data["scaling"][axis]
        assert (s["small"], s["large"]) == counts
        for measure in ("finalizeJob", "claim"):
            e = s[measure]
            assert e["ratio"] == round(e[str(counts[1])] / e[str(counts[0])], 4)

    t = data["targets"]
    steady = data["lifecycle"]["digits"]["steady_state"]["total"]
    assert t["verdicts"]["lifecycle_steady_state"] == {
        "payload": "digits", "gas": steady, "pass": steady <= LIFECYCLE_STEADY_STATE_MAX
    }
    assert t["pass"] == all(v["pass"] for v in t["verdicts"].values())
    assert data["meta"]["solc"].startswith("0.8.28") and data["meta"]["evm"] == "cancun"

    md = paths.markdown.read_text()
    gas = f"{data['operations']['createJobWithPermit']['gas']:,}"
    assert re.search(rf"^\| createJobWithPermit +\| +{gas} \|", md, re.MULTILINE)
    assert "Overall: **" in md
