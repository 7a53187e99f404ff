"""The delegation bench (`ape run bench --delegation`) runs end to end and writes both result files; every
scenario checks by events that it took the path it is named for (BenchError otherwise)."""

import json

from benchmarks.delegation.measure import LIFECYCLE_TXS, OPERATIONS
from benchmarks.delegation.report import LIFECYCLES, run_delegation, write_results


def test_bench_delegation__default__measures_every_operation_and_writes_results(chain, tmp_path):
    results = run_delegation()
    paths = write_results(results, tmp_path)
    data = json.loads(paths.json.read_text())

    assert list(data["operations"]) == list(OPERATIONS)
    for name, op in data["operations"].items():
        assert 21_000 < op["gas"] < 1_000_000, name
    assert set(data["lifecycle"]) == set(LIFECYCLES)
    for lc in data["lifecycle"].values():
        assert lc["total"] == sum(lc[tx] for tx in LIFECYCLE_TXS)
    # Delegators cost their provider's jobs something; once they have left, nothing.
    lc = data["lifecycle"]
    assert lc["with_delegators"]["total"] > lc["no_delegators"]["total"]
    assert lc["after_delegators_left"]["finalizeJob"] == lc["no_delegators"]["finalizeJob"]
    assert "| delegateStake.first" in paths.markdown.read_text()
