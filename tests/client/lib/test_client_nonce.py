"""Nonce counter: thread safety, release of unsent nonces, resync."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from opg_client.chain import OpgClient
from opg_client.errors import TxError
from opg_client.nonce import NonceManager
from opg_client.units import format_opg, parse_opg


def test_reserve__many_threads__unique_consecutive() -> None:
    manager = NonceManager(lambda: 5)
    got: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(200):
            nonce = manager.reserve()
            with lock:
                got.append(nonce)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(got) == list(range(5, 5 + 1600))


def test_release__latest_nonce__reused_without_fetch() -> None:
    fetches: list[int] = []
    manager = NonceManager(lambda: fetches.append(1) or 0)
    assert manager.reserve() == 0
    manager.release(0)
    assert manager.reserve() == 0
    assert len(fetches) == 1


def test_release__with_gap__next_reserve_resyncs() -> None:
    chain_pending = [3]
    manager = NonceManager(lambda: chain_pending[0])
    assert [manager.reserve(), manager.reserve()] == [3, 4]
    manager.release(3)  # 4 is in flight: a gap, so ask the node next time
    assert manager.peek() is None
    assert manager.reserve() == 3


def test_send__node_rejects_tx__nonce_released_next_send_mines(client: OpgClient, deployment: Any) -> None:
    actors = deployment.actors
    sender = client.sender(actors.requester)
    start = client.w3.eth.get_transaction_count(actors.requester.address)
    too_much = client.eth_balance(actors.requester.address) * 2
    with pytest.raises(TxError):
        sender.send({"to": actors.stranger.address, "value": too_much}, gas=21_000)  # insufficient funds
    receipt = sender.transact({"to": actors.stranger.address, "value": 1}, gas=21_000)
    assert receipt["status"] == 1
    assert client.w3.eth.get_transaction_count(actors.requester.address) == start + 1


def test_format_opg__exact_decimals__no_float() -> None:
    assert format_opg(10 * 10**18) == "10 OPG"
    assert format_opg(15 * 10**17) == "1.5 OPG"
    assert format_opg(1) == "0.000000000000000001 OPG"
    assert parse_opg("1.5 OPG") == 15 * 10**17
    with pytest.raises(ValueError):
        parse_opg("0.0000000000000000001")
