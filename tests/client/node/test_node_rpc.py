"""The provider node against an RPC endpoint that goes away and comes back (a loopback HTTP proxy we control),
including the worst case: the node accepts a transaction but the answer never reaches the provider node."""

from __future__ import annotations

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from helpers_opg_node import create_jobs, escrow_txs, event_counts, results_count, wait_for

from opg_client.localchain import free_port


class RpcProxy:
    """Forwards JSON-RPC POSTs to `upstream`. `stop()` closes the port (connection refused), `start()` reopens
    it; `lose_send_responses = n` forwards the next n eth_sendRawTransaction calls but drops their answers."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lose_send_responses = 0
        self.lost: list[str] = []
        self.methods: Counter[str] = Counter()
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                payload = json.loads(body)
                calls = payload if isinstance(payload, list) else [payload]
                methods = [c.get("method", "") for c in calls]
                with proxy._lock:
                    proxy.methods.update(methods)
                    drop = "eth_sendRawTransaction" in methods and proxy.lose_send_responses > 0
                    if drop:
                        proxy.lose_send_responses -= 1
                reply = requests.post(
                    proxy.upstream, data=body, headers={"Content-Type": "application/json"}, timeout=10
                )
                if drop:  # the upstream has the transaction; the client never hears back
                    proxy.lost.append(json.dumps(calls))
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(reply.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply.content)))
                self.end_headers()
                self.wfile.write(reply.content)

        return Handler

    def start(self) -> None:
        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def _assert_once(client, provider: str, job_ids: list[int]) -> None:
    txs = escrow_txs(client, provider)
    per_job = Counter((fn, job) for fn, job, _ in txs)
    assert all(ok for _, _, ok in txs), txs
    assert all(per_job[("claimJob", j)] == 1 and per_job[("submitResult", j)] == 1 for j in job_ids), txs
    assert len(txs) == 2 * len(job_ids)
    assert all(n == 1 for n in event_counts(client, "ResultSubmitted").values())


def test_run__rpc_goes_away_and_comes_back__catches_up_without_duplicates(net, client, start_node):
    proxy = RpcProxy(net.url)
    proxy.start()
    try:
        provider = net.providers[0]
        node = start_node(provider, rpc=proxy.url)
        first = create_jobs(client, net, 2)
        wait_for(lambda: results_count(client) == 2, 60, "first results")

        proxy.stop()
        later = create_jobs(client, net, 3)  # straight to anvil while the node's endpoint is down
        wait_for(lambda: node.count("rpc_unavailable") >= 1, 30, "the node to notice the outage")
        assert node.proc.poll() is None  # still running, backing off

        proxy.start()
        wait_for(lambda: results_count(client) == 5, 60, "results after the endpoint returned")
        wait_for(lambda: node.count("rpc_recovered") >= 1, 30, "recovery logged")
        _assert_once(client, provider.address, first + later)
    finally:
        proxy.stop()


def test_run__send_accepted_but_answer_lost__not_sent_twice(net, client, start_node):
    proxy = RpcProxy(net.url)
    proxy.lose_send_responses = 2  # the first claim and (next) submit reach anvil; the node hears nothing
    proxy.start()
    try:
        provider = net.providers[0]
        node = start_node(provider, rpc=proxy.url)
        job_ids = create_jobs(client, net, 3)
        wait_for(lambda: results_count(client) == 3, 60, "all results")
        assert len(proxy.lost) == 2
        assert node.count("broadcast_failed") == 2
        _assert_once(client, provider.address, job_ids)
    finally:
        proxy.stop()
