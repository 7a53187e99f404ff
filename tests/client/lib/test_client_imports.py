"""The client library must not import Ape at run time."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "opg_client.chain",
    "opg_client.roles",
    "opg_client.events",
    "opg_client.errors",
    "opg_client.manifest",
    "opg_client.tx",
    "opg_client.nonce",
    "opg_client.token",
    "opg_client.registry",
    "opg_client.staking",
    "opg_client.escrow",
    "opg_client.rewards",
]


def test_import__client_modules__ape_not_loaded() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'ape' or m.startswith(('ape.', 'ape_')))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
