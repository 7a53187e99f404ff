"""The batch-settlement bench (`ape run bench --batch`) runs end to end on its quick configuration and writes
both result files; its rows add up and the per-job figures are what the totals say."""

import json

from benchmarks.batch.report import markdown, verdict_lines, with_meta, write_results
from benchmarks.batch.run import QUICK, run_batch


def test_bench_batch__quick__measures_rounds_and_writes_results(chain, tmp_path):
    results = with_meta(run_batch(QUICK))
    paths = write_results(results, tmp_path)
    data = json.loads(paths.json.read_text())
    [row] = data["rows"]
    assert (row["jobs"], row["requesters"]) == (16, 4)
    for phase in ("first", "steady"):
        m = row[phase]
        assert m["total"] == m["deposits"] + m["postBatch"] + m["payLeaves"]
        assert m["per_job"] == round(m["total"] / 16)
        assert m["deposits"] > 21_000 * 4 and m["postBatch"] > 21_000 and m["payLeaves"] > 21_000
    assert row["steady"]["payLeaves"] < row["first"]["payLeaves"]  # job-id words already written
    assert data["single_job"]["total"] == sum(v for k, v in data["single_job"].items() if k != "total")
    assert data["target"]["pass"] is None  # the 256-job shape is not in the quick run
    assert "not measured" in verdict_lines(data)[0]
    assert paths.markdown.read_text() == markdown(data)
