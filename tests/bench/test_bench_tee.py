"""The TEE bench (`ape run bench --tee`) runs end to end and writes tee.json / tee.md, so it cannot rot
unnoticed. Each measured TEE submit is checked by events to have verified and settled (BenchError otherwise)."""

import json

from benchmarks.tee import report as tee_report
from benchmarks.tee.run import run_tee_bench


def test_bench_tee__run__measures_both_lifecycles_and_registry_and_writes_results(chain, tmp_path):
    results = tee_report.with_meta(run_tee_bench())
    paths = tee_report.write_results(results, tmp_path)
    data = json.loads(paths.json.read_text())

    opt, tee, first = data["optimistic_steady_state"], data["tee_steady_state"], data["tee_first_job_on_version"]
    assert set(opt) == {"createJobWithPermit", "claimJob", "submitResult", "finalizeJob", "total"}
    assert "finalizeJob" not in tee and tee["proof_bytes"] == 73
    for lc in (opt, tee, first):
        assert lc["total"] == sum(v for k, v in lc.items() if k not in ("total", "proof_bytes"))
    assert tee["submitResult"] > opt["submitResult"]  # the signature check and the settlement happen here
    assert first["submitResult"] > tee["submitResult"]  # cold: the version's weights hash is read and memoised
    assert set(data["registry"]) == {
        "approveMeasurement", "approveAttester", "registerEnclaveKey", "revokeEnclaveKey", "revokeMeasurement"
    }
    assert all(21_000 < g < 300_000 for g in data["registry"].values())
    assert "TEE bench" in paths.markdown.read_text()
