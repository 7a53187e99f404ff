"""The client bench (`make bench`, after the gas bench) runs end to end on its minimal configuration (6 jobs,
2 latency jobs per provider) on an Anvil of its own and writes both result files, so it cannot rot unnoticed.
Every scenario checks itself (ClientBenchError): every job answered with the model's output and finalized."""

import json
import re

from benchmarks.client.config import MINIMAL, THROUGHPUT_MIN_RATIO, TXS_PER_JOB
from benchmarks.client.report import write_results
from benchmarks.client.run import run_client


def test_client_bench__minimal_config__measures_throughput_and_latency_and_writes_results(tmp_path):
    results = run_client(MINIMAL)
    paths = write_results(results, tmp_path)
    data = json.loads(paths.json.read_text())

    tp = data["throughput"]
    txs = TXS_PER_JOB * MINIMAL.jobs
    assert tp["raw_individual"]["txs"] == tp["raw"]["txs"] == tp["floor"]["txs"] == tp["client"]["txs"] == txs
    for run in ("raw_individual", "raw", "floor", "client"):
        assert len(tp[run]["runs_tx_per_s"]) == MINIMAL.rounds == tp["rounds"], run
        assert tp[run]["tx_per_s"] == max(tp[run]["runs_tx_per_s"]), run
        assert tp[run]["seconds"] > 0 and tp[run]["stall_nudges"] >= 0, run
        seconds = tp[run]["seconds"]  # rounded to 1 ms
        assert txs / (seconds + 0.0005) - 0.1 <= tp[run]["tx_per_s"] <= txs / (seconds - 0.0005) + 0.1, run
    client = tp["client"]
    assert client["jobs"] == MINIMAL.jobs
    assert set(client["phases_s"]) == {"create", "claim_submit", "results", "finalize"}
    assert sum(client["phases_s"].values()) <= client["seconds"] + 0.01
    assert client["inference"]["jobs"] == MINIMAL.jobs and 0 < client["inference"]["total_s"] < client["seconds"]
    assert client["accuracy"] >= 0.5  # real digits inputs through the shipped model
    assert set(client["gas_limits"]) == {"claimJob", "submitResult", "finalizeJob"}
    assert tp["ratio_vs_raw_batched"] == round(client["tx_per_s"] / tp["raw"]["tx_per_s"], 4)
    assert tp["ratio_vs_raw_individual"] == round(client["tx_per_s"] / tp["raw_individual"]["tx_per_s"], 4)

    lat = data["latency"]
    loop = lat["library_loop"]
    assert loop["jobs"] == loop["answered"] == MINIMAL.latency_jobs
    assert 1 <= loop["blocks"]["min"] <= loop["blocks"]["median"] <= loop["blocks"]["max"]
    assert sum(loop["blocks"]["histogram"].values()) == MINIMAL.latency_jobs
    node = lat["node"]
    assert "error" in node or node["blocks"]["min"] >= 1

    verdicts = data["targets"]["verdicts"]
    throughput = verdicts["throughput_ratio"]  # judged against the method: individual sends
    assert throughput["baseline"] == "raw_individual" and throughput["ratio"] == tp["ratio_vs_raw_individual"]
    assert throughput["ratio_vs_raw_batched"] == tp["ratio_vs_raw_batched"]
    assert throughput["pass"] == (tp["ratio_vs_raw_individual"] >= THROUGHPUT_MIN_RATIO)
    assert data["targets"]["pass"] == all(v["pass"] for v in verdicts.values())

    md = paths.markdown.read_text()
    assert re.search(rf"^\| client end to end .*\| +{txs} \|", md, re.MULTILINE)
    assert re.search(rf"^\| raw Anvil, individual sends.*\| +{txs} \|", md, re.MULTILINE)
    assert "| library loop" in md and "Overall: **" in md
