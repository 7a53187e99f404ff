"""Happy path of every `opg` command, with --json, checked against the chain."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from helpers_opg_cli import OPG, PRICE, UNBONDING, WINDOW, ok_json, run_cli

from opg_client.chain import OpgClient
from opg_client.localchain import advance_time, dev_account
from opg_client.manifest import load_manifest
from opg_client.models import JobStatus
from opg_client.runtime import (
    argmax,
    digits_model_bytes,
    encode_digit_pixels,
    encode_vector,
    load_digits_meta,
    load_model,
    model_hash,
    run,
    trace,
    trace_root,
)

REQUESTER = "5"
PROVIDER = "3"


def _sample(i: int) -> tuple[list[int], int]:
    from sklearn.datasets import load_digits

    meta = load_digits_meta()
    pixels = [int(p) for p in load_digits().data[meta.test_indices[i]]]
    return pixels, int(meta.test_labels[i])


def _answer(client: OpgClient, job_id: int) -> int:
    """Provider #3 claims and answers `job_id` with the real model output; returns the prediction."""
    provider = dev_account(3)
    sender = client.sender(provider)
    sender.wait(client.escrow.claim_job(provider, job_id))
    logs = (
        client.contract("InferenceEscrow")
        .events.JobCreated()
        .get_logs(from_block=client.manifest.block, argument_filters={"jobId": job_id})
    )
    from opg_client.runtime import decode_vector

    tr = trace(load_model(digits_model_bytes()), decode_vector(bytes(logs[0]["args"]["input"])))
    sender.wait(client.escrow.submit_result(provider, job_id, encode_vector(tr.output), trace_root(tr)))
    return argmax(tr.output)


def test_chain_up__detach__anvil_answers_until_killed(net):
    data = ok_json(net, "chain", "up", "--detach")
    try:
        reply = requests.post(data["rpc_url"], json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=5)
        assert int(reply.json()["result"], 16) == data["chain_id"] == 31337
    finally:
        os.kill(data["pid"], signal.SIGTERM)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            requests.post(data["rpc_url"], json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=1)
        except requests.ConnectionError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("anvil still answers after SIGTERM")


def test_deploy__fresh_suite__manifest_written_and_dev_accounts_funded(net, tmp_path):
    out = tmp_path / "second.json"
    data = ok_json(net, "deploy", "--rpc", net.url, "--account-index", "0", "--out", str(out), "--fund", "7")
    manifest = load_manifest(out)
    assert set(data["contracts"]) == set(manifest.contracts) >= {"OPGToken", "InferenceEscrow", "RewardSettlement"}
    client = OpgClient.connect(out)
    assert client.token.balance_of(dev_account(4).address) == 7 * OPG
    assert sum(data["gas"].values()) > 0


def test_model_register_version_list_show__shipped_model__on_chain(net, client):
    registered = ok_json(net, "model", "register", "--account-index", "6", "--price", "3", "--royalty-bps", "500")
    shipped_hash = model_hash(load_model(digits_model_bytes()))
    assert registered["weights_hash"] == "0x" + shipped_hash.hex()
    model_id = registered["model_id"]
    version = client.registry.get_version(model_id, 1)
    assert version.weights_hash == shipped_hash and version.price_per_job == 3 * OPG and version.layer_count == 2

    published = ok_json(net, "model", "version", str(model_id), "--account-index", "6", "--price", "4")
    assert published["version"] == 2 and client.registry.latest_version(model_id) == 2

    listed = ok_json(net, "model", "list")
    assert [m["model_id"] for m in listed["models"]] == [1, model_id]
    assert listed["models"][1]["latest_version"] == 2 and listed["models"][1]["latest_price"] == str(4 * OPG)

    shown = ok_json(net, "model", "show", str(model_id))
    assert [v["version"] for v in shown["versions"]] == [1, 2]
    assert shown["owner"] == dev_account(6).address


def test_provider_stake_serve_status_unbond_withdraw__lifecycle(net, client):
    who = dev_account(6).address
    staked = ok_json(net, "provider", "stake", "150", "--account-index", "6")
    assert staked["active"] == str(150 * OPG) and client.staking.stake_of(who).active == 150 * OPG
    ok_json(net, "provider", "serve", str(net.model_id), "--account-index", "6")
    assert client.staking.is_serving(who, net.model_id)
    status = ok_json(net, "provider", "status", "--account-index", "6")
    assert status["serving"] == [net.model_id] and status["free"] == str(150 * OPG)

    unbonded = ok_json(net, "provider", "unbond", "20", "--account-index", "6")
    assert unbonded["unbonding"] == str(20 * OPG)
    advance_time(net.url, UNBONDING + 1)
    balance = client.token.balance_of(who)
    withdrawn = ok_json(net, "provider", "withdraw", "--account-index", "6")
    assert withdrawn["withdrawn"] == str(20 * OPG)
    assert client.token.balance_of(who) == balance + 20 * OPG


def test_job_submit_status_cancel__sample_input_pixels__escrowed_and_refunded(net, client):
    requester = dev_account(5).address
    balance = client.token.balance_of(requester)
    by_sample = ok_json(net, "job", "submit", str(net.model_id), "--sample", "0", "--account-index", REQUESTER)
    pixels, _ = _sample(1)
    by_pixels = ok_json(
        net, "job", "submit", str(net.model_id), "--pixels", json.dumps(pixels), "--account-index", REQUESTER
    )
    meta = load_digits_meta()
    vector = encode_digit_pixels(pixels, meta.frac_bits, meta.input_scale_bits)
    by_input = ok_json(
        net,
        "job",
        "submit",
        str(net.model_id),
        "--input",
        json.dumps(vector),
        "--fee",
        "2.5",
        "--pay",
        "permit",
        "--account-index",
        REQUESTER,
    )
    assert [by_sample["job_id"], by_pixels["job_id"], by_input["job_id"]] == [1, 2, 3]
    assert by_sample["label"] == load_digits_meta().test_labels[0]
    assert client.token.balance_of(requester) == balance - 2 * PRICE - 25 * OPG // 10

    status = ok_json(net, "job", "status", "3")
    assert status["status"] == "Open" and status["fee"] == str(25 * OPG // 10)
    cancelled = ok_json(net, "job", "cancel", "3", "--account-index", REQUESTER)
    assert cancelled["refund"] == str(25 * OPG // 10)
    assert client.escrow.job_status(3) == JobStatus.Closed
    assert client.token.balance_of(requester) == balance - 2 * PRICE


def test_job_wait__answered_then_finalized__prediction_matches_model(net, client):
    submitted = ok_json(net, "job", "submit", str(net.model_id), "--sample", "2", "--account-index", REQUESTER)
    job_id = submitted["job_id"]
    prediction = _answer(client, job_id)
    waited = ok_json(net, "job", "wait", str(job_id), "--timeout", "10")
    assert waited["prediction"] == prediction and waited["finalized"] is False
    assert waited["provider"] == dev_account(3).address
    advance_time(net.url, WINDOW + 1)
    client.sender(dev_account(7)).wait(client.escrow.finalize_job(dev_account(7), job_id))
    final = ok_json(net, "job", "wait", str(job_id), "--finalized", "--timeout", "10")
    assert final["finalized"] is True


def test_job_expire__overdue_open_job__refunded(net, client):
    submitted = ok_json(
        net, "job", "submit", str(net.model_id), "--sample", "3", "--ttl", "60", "--account-index", REQUESTER
    )
    balance = client.token.balance_of(dev_account(5).address)
    advance_time(net.url, 61)
    expired = ok_json(net, "job", "expire", str(submitted["job_id"]), "--account-index", "7")
    assert expired["refund"] == str(PRICE) and expired["bounty"] == "0"
    assert client.token.balance_of(dev_account(5).address) == balance + PRICE


def test_rewards_show_claim__after_finalized_job_and_epoch__fees_and_emissions_paid(net, client):
    job_id = ok_json(net, "job", "submit", str(net.model_id), "--sample", "4", "--account-index", REQUESTER)["job_id"]
    _answer(client, job_id)
    advance_time(net.url, WINDOW + 1)
    client.sender(dev_account(3)).wait(client.escrow.finalize_job(dev_account(3), job_id))
    shown = ok_json(net, "rewards", "show", "--account-index", PROVIDER)
    assert int(shown["claimable_fees"]) > 0
    rewards = client.contract("RewardSettlement")
    genesis, length = rewards.functions.GENESIS_TIME().call(), rewards.functions.EPOCH_LENGTH().call()
    epoch = client.rewards.current_epoch()
    advance_time(net.url, genesis + (epoch + 1) * length - client.timestamp() + 1)
    before = client.token.balance_of(dev_account(3).address)
    claimed = ok_json(net, "rewards", "claim", "--account-index", PROVIDER)
    assert int(claimed["fees"]) == int(shown["claimable_fees"]) and int(claimed["emissions"]) > 0
    assert client.token.balance_of(dev_account(3).address) == before + int(claimed["fees"]) + int(claimed["emissions"])
    treasury = ok_json(net, "rewards", "claim", "--treasury", "--account-index", "7")
    assert int(treasury["treasury_paid"]) == PRICE * 500 // 10_000


def test_provider_run__node_process__answers_job_submitted_with_wait(net, client, tmp_path: Path):
    env = {**os.environ, "OPG_PRIVATE_KEY": "0x" + bytes(dev_account(3).key).hex()}
    log = open(tmp_path / "node.log", "wb")  # noqa: SIM115 - closed below
    node = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "opg_client.cli",
            "--manifest",
            str(net.manifest_path),
            "provider",
            "run",
            "--model",
            str(net.model_id),
            "--db",
            str(tmp_path / "node.sqlite"),
            "--store",
            str(net.store),
            "--poll-interval",
            "0.1",
        ],
        stdout=log,
        stderr=log,
        env=env,
    )
    try:
        pixels, _ = _sample(5)
        data = ok_json(
            net,
            "job",
            "submit",
            str(net.model_id),
            "--pixels",
            json.dumps(pixels),
            "--wait",
            "--timeout",
            "60",
            "--account-index",
            REQUESTER,
        )
        meta = load_digits_meta()
        expected = argmax(
            run(load_model(digits_model_bytes()), encode_digit_pixels(pixels, meta.frac_bits, meta.input_scale_bits))
        )
        assert data["prediction"] == expected and data["provider"] == dev_account(3).address
    finally:
        node.send_signal(signal.SIGTERM)
        code = node.wait(timeout=15)
        log.close()
    assert code == 0
    events = [json.loads(line)["event"] for line in (tmp_path / "node.log").read_text().splitlines()]
    assert events[0] == "node_started" and events[-1] == "node_stopped" and "job_submitted" in events


def test_root_json_flag__before_the_command__json_output(net):
    result = run_cli(net, "--json", "model", "show", str(net.model_id))
    assert result.exit_code == 0 and json.loads(result.stdout)["model_id"] == net.model_id


def test_model_install__shipped_weights_match_registry__stored_under_their_hash(net, tmp_path):
    store = tmp_path / "store"
    data = ok_json(net, "model", "install", str(net.model_id), "--store", str(store))
    shipped_hash = model_hash(load_model(digits_model_bytes()))
    assert data["weights_hash"] == "0x" + shipped_hash.hex()
    assert Path(data["path"]).read_bytes() == digits_model_bytes()


def test_chain_up__foreground_then_ctrl_c__anvil_stopped():
    proc = subprocess.Popen(
        [sys.executable, "-m", "opg_client.cli", "chain", "up", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        data = json.loads(proc.stdout.readline())
        reply = requests.post(data["rpc_url"], json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=5)
        assert int(reply.json()["result"], 16) == 31337
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    try:
        requests.post(data["rpc_url"], json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId"}, timeout=2)
    except requests.ConnectionError:
        pass
    else:
        raise AssertionError("anvil still answers after Ctrl-C")
