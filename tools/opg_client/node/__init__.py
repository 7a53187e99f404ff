"""Provider node (claim / infer / submit) and keeper (finalize / expire) with crash-safe SQLite state."""

from opg_client.node.provider import KEEPER_MODES, NodeConfig, NodeError, ProviderNode, install_signal_handlers
from opg_client.node.store import JobState, NodeStore, TxState

__all__ = [
    "KEEPER_MODES",
    "JobState",
    "NodeConfig",
    "NodeError",
    "NodeStore",
    "ProviderNode",
    "TxState",
    "install_signal_handlers",
]
