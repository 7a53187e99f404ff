"""HTTP transport with retries on transient failures (connection errors, timeouts, HTTP 429 / 5xx).

Read-only requests are retried with exponential backoff. `eth_sendRawTransaction` is never retried here:
the sender (`opg_client.tx`) first checks whether the node already has the transaction.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from eth_typing import URI
from web3 import HTTPProvider
from web3.types import RPCEndpoint

from opg_client.errors import RpcUnavailable

log = logging.getLogger(__name__)
T = TypeVar("T")
NEVER_RETRIED = frozenset({"eth_sendRawTransaction", "eth_sendTransaction"})


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # total tries, including the first
    backoff: float = 0.05  # seconds before the first retry; doubles each time
    max_backoff: float = 2.0

    def delays(self) -> Iterator[float]:
        delay = self.backoff
        for _ in range(max(self.attempts - 1, 0)):
            yield min(delay, self.max_backoff)
            delay *= 2


def is_transient(exc: BaseException) -> bool:
    """Connection refused/reset, timeouts, HTTP 429 and 5xx: worth retrying. Everything else is not."""
    if isinstance(exc, requests.HTTPError):
        status = exc.response.status_code if exc.response is not None else None
        return status is None or status == 429 or status >= 500
    return isinstance(exc, requests.ConnectionError | requests.Timeout | ConnectionError | TimeoutError)


def with_retries(action: Callable[[], T], policy: RetryPolicy, what: str) -> T:
    """Run `action`, retrying transient failures per `policy`; raise RpcUnavailable when they persist."""
    delays = policy.delays()
    while True:
        try:
            return action()
        except Exception as exc:
            if not is_transient(exc):
                raise
            delay = next(delays, None)
            if delay is None:
                raise RpcUnavailable(f"{what}: node unavailable after {policy.attempts} tries: {exc}") from exc
            log.debug("transient failure on %s (%s); retrying in %.2fs", what, exc, delay)
            time.sleep(delay)


class RetryingHTTPProvider(HTTPProvider):
    """`HTTPProvider` that retries transient failures of every request except transaction submission."""

    def __init__(self, endpoint_uri: str, *, timeout: float = 10.0, retry: RetryPolicy | None = None) -> None:
        super().__init__(endpoint_uri, request_kwargs={"timeout": timeout}, exception_retry_configuration=None)
        self.retry = retry or RetryPolicy()

    def _post(self, method: str, request_data: bytes) -> bytes:
        """One HTTP POST (overridable: tests inject failures here)."""
        return self._request_session_manager.make_post_request(
            URI(str(self.endpoint_uri)), request_data, **self.get_request_kwargs()
        )

    def _make_request(self, method: RPCEndpoint, request_data: bytes) -> bytes:
        if method in NEVER_RETRIED:
            return self._post(method, request_data)  # the sender checks before resending
        return with_retries(lambda: self._post(method, request_data), self.retry, method)

    def make_batch_request(self, batch_requests: list[tuple[RPCEndpoint, Any]]) -> Any:
        request_data = self.encode_batch_rpc_request(batch_requests)
        if any(method in NEVER_RETRIED for method, _ in batch_requests):
            raw = self._post("batch", request_data)  # the sender checks before resending
        else:
            raw = with_retries(lambda: self._post("batch", request_data), self.retry, "batch")
        response = self.decode_rpc_response(raw)
        if not isinstance(response, list):
            return response
        return sorted(response, key=lambda item: int(item.get("id", 0)))
