"""A local Anvil for development, tests and the demo: free port, readiness wait, dev accounts, time travel.

with LocalChain.start() as chain:           # anvil from node_modules/.bin (or $OPG_ANVIL / PATH)
    chain.url, chain.dev_account(0)         # anvil's well-known mnemonic accounts
    chain.advance_time(3_601)               # evm_increaseTime + evm_mine
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import requests
from eth_account import Account
from eth_account.signers.local import LocalAccount

from opg_client.errors import OpgError

DEV_MNEMONIC = "test test test test test test test test test test test junk"
DEV_CHAIN_ID = 31337
DEV_ACCOUNTS = 10  # anvil funds the first 10 accounts of the mnemonic with 10,000 ETH each


class LocalChainError(OpgError):
    """Anvil could not be found or did not start."""


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT / SIGTERM while spawning a child and recording it, so an interrupt can never leave an
    untracked child behind (the signal is delivered right after). Spawn with `preexec_fn=unblock_signals`."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def unblock_signals() -> None:
    """preexec_fn for children spawned under `deferred_signals` (they must not inherit the blocked mask)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def dev_account(index: int) -> LocalAccount:
    """Anvil's well-known dev account `index` (m/44'/60'/0'/0/index of the test mnemonic). Local chains only."""
    if not 0 <= index < 1_000:
        raise LocalChainError(f"dev account index {index} out of range")
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")


def find_anvil(root: str | os.PathLike[str] | None = None) -> str:
    """$OPG_ANVIL, else node_modules/.bin/anvil under `root` / the cwd / the source checkout, else PATH."""
    explicit = os.environ.get("OPG_ANVIL")
    if explicit:
        return explicit
    candidates = [Path(root)] if root else []
    candidates += [Path.cwd(), Path(__file__).resolve().parents[2]]
    for base in candidates:
        path = base / "node_modules" / ".bin" / "anvil"
        if path.exists():
            return str(path)
    found = shutil.which("anvil")
    if found:
        return found
    raise LocalChainError("anvil not found: run `npm ci` (make bootstrap) or set OPG_ANVIL")


def rpc(url: str, method: str, params: Sequence[Any] | None = None, timeout: float = 10.0) -> Any:
    """One raw JSON-RPC call (used for Anvil's cheat codes)."""
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params or [])}
    reply = requests.post(url, json=body, timeout=timeout).json()
    if "error" in reply:
        raise LocalChainError(f"{method}: {reply['error']}")
    return reply["result"]


def advance_time(url: str, seconds: int) -> int:
    """Move the chain clock forward by `seconds` and mine a block; returns the new block's timestamp."""
    rpc(url, "evm_increaseTime", [int(seconds)])
    rpc(url, "evm_mine")
    return int(rpc(url, "eth_getBlockByNumber", ["latest", False])["timestamp"], 16)


class LocalChain:
    """An Anvil process we started (and must stop: `stop()` or use as a context manager)."""

    def __init__(self, proc: subprocess.Popen[bytes], url: str, port: int, chain_id: int) -> None:
        self.proc = proc
        self.url = url
        self.port = port
        self.chain_id = chain_id

    @classmethod
    def start(
        cls,
        *,
        port: int | None = None,
        chain_id: int = DEV_CHAIN_ID,
        block_time: float | None = None,
        anvil: str | None = None,
        startup_timeout: float = 30.0,
        extra_args: Sequence[str] = (),
    ) -> LocalChain:
        binary = anvil or find_anvil()
        port = port or free_port()
        args = [binary, "--port", str(port), "--chain-id", str(chain_id), "--silent", *extra_args]
        if block_time:
            args += ["--block-time", str(block_time)]
        with deferred_signals():  # no Ctrl-C between spawning anvil and owning it
            try:
                proc = subprocess.Popen(
                    args,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                    preexec_fn=unblock_signals,
                )
            except OSError as exc:
                raise LocalChainError(f"could not start {binary}: {exc}") from exc
            chain = cls(proc, f"http://127.0.0.1:{port}", port, chain_id)
        try:
            chain._wait_ready(startup_timeout)
        except BaseException:  # including Ctrl-C while waiting: never leave anvil behind
            chain.stop()
            raise
        return chain

    def _wait_ready(self, startup_timeout: float) -> None:
        deadline = time.monotonic() + startup_timeout
        while True:
            if self.proc.poll() is not None:
                raise LocalChainError(f"anvil exited with code {self.proc.returncode} (port {self.port} taken?)")
            try:
                rpc(self.url, "eth_chainId", timeout=1.0)
                return
            except (requests.ConnectionError, requests.Timeout):
                if time.monotonic() > deadline:
                    raise LocalChainError(f"anvil did not answer on {self.url} within {startup_timeout:g} s") from None
                time.sleep(0.05)

    def rpc(self, method: str, params: Sequence[Any] | None = None) -> Any:
        return rpc(self.url, method, params)

    def advance_time(self, seconds: int) -> int:
        return advance_time(self.url, seconds)

    def timestamp(self) -> int:
        return int(self.rpc("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)

    @staticmethod
    def dev_account(index: int) -> LocalAccount:
        return dev_account(index)

    @property
    def running(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate anvil: SIGTERM to its process group (the npm wrapper and the binary it runs; the group is
        the session we created for it), then SIGKILL after `timeout`."""
        if self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=timeout)

    def __enter__(self) -> LocalChain:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def deploy_local(
    url: str,
    *,
    artifacts: Any = None,
    fund: int = 0,
    fund_indices: Sequence[int] = range(2, 9),
    handover: bool = True,
    network: str = "local",
    **suite_overrides: Any,
) -> tuple[Any, dict[str, int]]:
    """Deploy the suite on a local chain with dev accounts (deployer #0, treasury #1); optionally send
    `fund` wei of OPG from the treasury to each of `fund_indices`. Returns (manifest, gas per step)."""
    from web3 import Web3

    from opg_client.cli import deploy_with_web3, fund_dev_accounts
    from opg_client.demo import find_artifacts
    from opg_client.deploy import SuiteParams
    from opg_client.transport import RetryingHTTPProvider

    deployer, treasury = dev_account(0), dev_account(1)
    suite = SuiteParams(
        treasury=treasury.address, guardian=deployer.address, proposers=(deployer.address,), **suite_overrides
    )
    w3 = Web3(RetryingHTTPProvider(url))
    arts = artifacts if artifacts is not None else find_artifacts()
    manifest, gas = deploy_with_web3(w3, deployer, arts, suite, network=network, rpc_url=url, handover=handover)
    if fund:
        fund_dev_accounts(manifest, url, fund, fund_indices)
    return manifest, gas
