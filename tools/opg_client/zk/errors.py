"""Errors of the ZK tooling."""

from __future__ import annotations

from opg_client.errors import OpgError


class ZkError(OpgError):
    """Circuit setup, SRS, verifier generation / compilation or proving failed."""
