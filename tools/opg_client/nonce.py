"""Thread-safe local nonce counter for one account, synced from the node's pending transaction count."""

from __future__ import annotations

import threading
from collections.abc import Callable


class NonceManager:
    """Hands out consecutive nonces to concurrent senders without a round trip per transaction.

    The counter is loaded lazily from `fetch_pending()` (``eth_getTransactionCount(addr, "pending")``) and
    reloaded after `resync()` (e.g. on "nonce too low": another process used the account).
    """

    def __init__(self, fetch_pending: Callable[[], int]) -> None:
        self._fetch = fetch_pending
        self._lock = threading.Lock()
        self._next: int | None = None

    def reserve(self) -> int:
        with self._lock:
            if self._next is None:
                self._next = self._fetch()
            nonce = self._next
            self._next += 1
            return nonce

    def release(self, nonce: int) -> None:
        """Give back a reserved nonce that was never broadcast.

        If it was the latest one handed out the counter steps back; otherwise there is now a gap, and the
        next reservation resyncs from the node (which does not count the unsent nonce).
        """
        with self._lock:
            if self._next is not None and nonce == self._next - 1:
                self._next = nonce
            else:
                self._next = None

    def resync(self, at_least: int | None = None) -> int:
        """Reload the counter from the node now; never go below `at_least`. Returns the next nonce."""
        with self._lock:
            fetched = self._fetch()
            self._next = fetched if at_least is None else max(fetched, at_least)
            return self._next

    def peek(self) -> int | None:
        """The next nonce that would be handed out, or None before the first sync."""
        with self._lock:
            return self._next
