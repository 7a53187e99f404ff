"""The fraud-proof bench (`ape run bench --fraud`) runs end to end and writes both result files; each measured
challenge is checked (inside the bench) to reach the ruling and escrow outcome it is named for."""

import json

from benchmarks.fraud.report import with_meta, write_results
from benchmarks.fraud.run import run_fraud_bench


def test_bench_fraud__run__measures_steps_and_challenges_and_writes_results(chain, tmp_path):
    results = with_meta(run_fraud_bench())
    paths = write_results(results, tmp_path)
    data = json.loads(paths.json.read_text())
    assert [s["weights"] for s in data["steps"]] == [64, 2048, 320]
    assert all(21_000 < s["gas"] < 2_000_000 for s in data["steps"])
    outcomes = [(c["ruling"], c["outcome"]) for c in data["challenges"]]
    assert outcomes == [
        ("WrongLayerOutput", "ChallengeUpheld"),
        ("WrongLayerOutput", "ChallengeUpheld"),
        ("WrongResult", "ChallengeUpheld"),
        ("LayerCorrect", "ChallengeRejected"),
        ("WrongLayerOutput", "ChallengeUpheld"),
    ]
    # the 32x64 layer's proof carries its 2,048 weights at 4 bytes each
    assert data["challenges"][0]["evidence_bytes"] > 4 * 2048
    assert "8x8 layer step" in paths.markdown.read_text()
