"""Sender: concurrent nonces, pipelining throughput, transient-failure retries, mined reverts."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import requests
from helpers_client_lib import rpc

from opg_client.chain import OpgClient
from opg_client.errors import ERC20InsufficientBalance, RpcUnavailable
from opg_client.transport import RetryingHTTPProvider, RetryPolicy
from opg_client.tx import TxOptions

FAST_RETRY = RetryPolicy(attempts=5, backoff=0.01, max_backoff=0.05)


class FlakyProvider(RetryingHTTPProvider):
    """Fails chosen JSON-RPC methods a number of times: before sending (`fail_before`) or after the node
    processed the request but before the reply arrived (`lose_reply`, the dangerous case for sends)."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        super().__init__(url, **kwargs)
        self.fail_before: dict[str, int] = {}
        self.lose_reply: dict[str, int] = {}
        self.http_status: dict[str, int] = {}
        self.calls: dict[str, int] = {}
        self._lock = threading.Lock()

    def _take(self, table: dict[str, int], method: str) -> bool:
        with self._lock:
            if table.get(method, 0) > 0:
                table[method] -= 1
                return True
            return False

    def _post(self, method: str, request_data: bytes) -> bytes:
        with self._lock:
            self.calls[method] = self.calls.get(method, 0) + 1
        if self._take(self.fail_before, method):
            raise requests.ConnectionError(f"injected connection failure on {method}")
        if self._take(self.http_status, method):
            response = requests.Response()
            response.status_code = 503
            raise requests.HTTPError("injected 503", response=response)
        reply = super()._post(method, request_data)
        if self._take(self.lose_reply, method):
            raise requests.ReadTimeout(f"injected lost reply on {method}")
        return reply


def _flaky_client(deployment: Any) -> tuple[OpgClient, FlakyProvider]:
    provider = FlakyProvider(deployment.url, retry=FAST_RETRY)
    options = TxOptions(retry=FAST_RETRY)
    return OpgClient.connect(deployment.manifest_path, provider=provider, tx_options=options), provider


def test_send__threads_share_account__consecutive_nonces_all_mined(client: OpgClient, deployment: Any) -> None:
    actors = deployment.actors
    sender = client.sender(actors.requester)
    token = client.contract("OPGToken")
    start = client.w3.eth.get_transaction_count(actors.requester.address)
    pendings: list[Any] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(15):
            pending = sender.send(token.functions.transfer(actors.stranger.address, 1), gas=80_000)
            with lock:
                pendings.append(pending)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    receipts = sender.wait_all(pendings, timeout=60)
    assert sorted(p.nonce for p in pendings) == list(range(start, start + 120))
    assert all(r["status"] == 1 for r in receipts)
    assert client.w3.eth.get_transaction_count(actors.requester.address) == start + 120
    assert client.token.balance_of(actors.stranger.address) == 120


def test_send__pipelined_batch__at_least_half_raw_anvil_throughput(client: OpgClient, deployment: Any) -> None:
    actors = deployment.actors
    w3 = client.w3
    count = 300
    # Raw baseline: pre-signed ETH transfers, sent back to back (what the benchmark calls raw throughput).
    raw_key = actors.watcher
    nonce = w3.eth.get_transaction_count(raw_key.address)
    fee = 2 * int(w3.eth.get_block("latest")["baseFeePerGas"]) + 10**9
    signed = [
        raw_key.sign_transaction(
            {
                "to": actors.stranger.address,
                "value": 1,
                "gas": 21_000,
                "nonce": nonce + i,
                "chainId": 31337,
                "maxFeePerGas": fee,
                "maxPriorityFeePerGas": 10**9,
            }
        ).raw_transaction
        for i in range(count)
    ]
    started = time.perf_counter()
    hashes = [w3.eth.send_raw_transaction(raw) for raw in signed]
    w3.eth.wait_for_transaction_receipt(hashes[-1], poll_latency=0.01)
    raw_rate = count / (time.perf_counter() - started)

    sender = client.sender(actors.provider2)
    started = time.perf_counter()
    pendings = sender.send_many([{"to": actors.stranger.address, "value": 1}] * count, gas=21_000)
    receipts = sender.wait_all(pendings, timeout=60)
    client_rate = count / (time.perf_counter() - started)
    print(f"raw {raw_rate:.0f} tx/s, client (sign + send + receipts) {client_rate:.0f} tx/s")
    assert all(r["status"] == 1 for r in receipts)
    assert [p.nonce for p in pendings] == list(range(pendings[0].nonce, pendings[0].nonce + count))
    assert client_rate >= 0.5 * raw_rate


def test_send_many__reply_lost__each_tx_checked_and_mined_once(deployment: Any, chain_snapshot: str) -> None:
    client, provider = _flaky_client(deployment)
    actors = deployment.actors
    before = client.w3.eth.get_transaction_count(actors.requester.address)
    provider.lose_reply["batch"] = 1
    pendings = client.sender(actors.requester).send_many([{"to": actors.stranger.address, "value": 1}] * 20)
    client.sender(actors.requester).wait_all(pendings, timeout=30)
    assert client.w3.eth.get_transaction_count(actors.requester.address) == before + 20
    assert provider.calls.get("eth_sendRawTransaction", 0) == 0  # all found by hash, none resent


def test_send__reply_lost_after_node_accepted__not_sent_twice(deployment: Any, chain_snapshot: str) -> None:
    client, provider = _flaky_client(deployment)
    actors = deployment.actors
    token = client.contract("OPGToken")
    before = client.w3.eth.get_transaction_count(actors.requester.address)
    provider.lose_reply["eth_sendRawTransaction"] = 1
    pending = client.sender(actors.requester).send(token.functions.transfer(actors.stranger.address, 7))
    receipt = pending.wait(timeout=30)
    assert receipt["status"] == 1
    assert provider.calls["eth_sendRawTransaction"] == 1  # found by hash, never resent
    assert client.w3.eth.get_transaction_count(actors.requester.address) == before + 1
    assert client.token.balance_of(actors.stranger.address) == 7


def test_send__connection_fails_before_delivery__resent_and_mined_once(deployment: Any, chain_snapshot: str) -> None:
    client, provider = _flaky_client(deployment)
    actors = deployment.actors
    token = client.contract("OPGToken")
    before = client.w3.eth.get_transaction_count(actors.requester.address)
    provider.fail_before["eth_sendRawTransaction"] = 2
    provider.http_status["eth_estimateGas"] = 2
    provider.fail_before["eth_call"] = 3
    assert client.token.balance_of(actors.requester.address) > 0  # eth_call retried through 3 failures
    receipt = client.sender(actors.requester).transact(token.functions.transfer(actors.stranger.address, 5))
    assert receipt["status"] == 1
    assert provider.calls["eth_sendRawTransaction"] == 3
    assert client.w3.eth.get_transaction_count(actors.requester.address) == before + 1


def test_read__node_keeps_failing__raises_rpc_unavailable(deployment: Any, chain_snapshot: str) -> None:
    client, provider = _flaky_client(deployment)
    provider.fail_before["eth_call"] = 100
    with pytest.raises(RpcUnavailable):
        client.token.balance_of(deployment.actors.requester.address)


def test_send__nonce_used_by_another_process__resyncs_and_mines(client: OpgClient, deployment: Any) -> None:
    actors = deployment.actors
    sender = client.sender(actors.requester)
    token = client.contract("OPGToken")
    sender.transact(token.functions.transfer(actors.stranger.address, 1))  # counter now cached
    other = OpgClient.connect(deployment.manifest_path).sender(actors.requester)  # "another process"
    other.transact(token.functions.transfer(actors.stranger.address, 2))
    receipt = sender.transact(token.functions.transfer(actors.stranger.address, 4))  # stale nonce at first
    assert receipt["status"] == 1
    assert client.token.balance_of(actors.stranger.address) == 7


def test_wait__mined_revert__raises_decoded_error_with_tx_hash(client: OpgClient, deployment: Any) -> None:
    actors = deployment.actors
    token = client.contract("OPGToken")
    too_much = client.token.balance_of(actors.requester.address) + 1
    pending = client.sender(actors.requester).send(
        token.functions.transfer(actors.stranger.address, too_much), gas=100_000
    )  # explicit gas: no estimate, so the revert happens on chain
    with pytest.raises(ERC20InsufficientBalance) as info:
        pending.wait(timeout=30)
    assert info.value.needed == too_much
    assert info.value.tx_hash == pending.tx_hash  # type: ignore[attr-defined]


def test_wait__two_confirmations__returns_only_after_next_block(deployment: Any, chain_snapshot: str) -> None:
    client = OpgClient.connect(deployment.manifest_path, tx_options=TxOptions(confirmations=2, poll_interval=0.02))
    actors = deployment.actors
    timer = threading.Timer(0.5, lambda: rpc(deployment.url, "evm_mine"))
    started = time.monotonic()
    timer.start()
    receipt = client.sender(actors.requester).transact({"to": actors.stranger.address, "value": 1})
    timer.join()
    assert time.monotonic() - started >= 0.5
    assert client.block_number() >= receipt["blockNumber"] + 1
