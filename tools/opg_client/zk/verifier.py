"""The version's circuit verifier contract: EZKL's Halo2 verifier source plus the instance layout, compiled
with the project's solc set-up (solc-js 0.8.28 behind tools/solcjs/solc.js, optimizer on) and deployed.

`ezkl.create_evm_verifier` renders the Solidity source, then tries to download a solc binary (no network
needed here: a failure after the source is written is expected and ignored).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3 import Web3

from .circuit import ZkCircuit, _ezkl
from .errors import ZkError

HALO2_SOURCE = "Halo2Verifier.sol"
WRAPPER_SOURCE = "OpgZkCircuit.sol"
CONTRACT_NAME = "OpgZkCircuit"
ARTIFACT = "verifier.json"
#: Optimizer runs: EZKL's verifier is one big assembly block; without the optimizer it hits "stack too deep".
OPTIMIZER_RUNS = 200


def _solc_js() -> Path:
    """$OPG_SOLCJS, else tools/solcjs/solc.js of this source checkout."""
    explicit = os.environ.get("OPG_SOLCJS")
    path = Path(explicit) if explicit else Path(__file__).resolve().parents[2] / "solcjs" / "solc.js"
    if not path.is_file():
        raise ZkError(f"solc wrapper not found at {path}: set OPG_SOLCJS to tools/solcjs/solc.js")
    return path


async def _render(ezkl: Any, circuit: ZkCircuit, sol: Path, abi: Path) -> None:
    result = ezkl.create_evm_verifier(
        str(circuit.vk_path), str(circuit.settings_path), str(sol), str(abi), str(circuit.srs_path), False
    )
    await result


def generate_source(circuit: ZkCircuit) -> Path:
    """Render EZKL's Halo2 verifier of `circuit` and the OpgZkCircuit wrapper (instance layout); returns the
    wrapper's path."""
    ezkl = _ezkl()
    sol = circuit.root / HALO2_SOURCE
    sol.unlink(missing_ok=True)
    try:
        asyncio.run(_render(ezkl, circuit, sol, circuit.root / "Halo2Verifier.abi"))
    except RuntimeError as exc:
        if not sol.is_file():  # the solc download step runs after the source is written
            raise ZkError(f"EZKL could not render the verifier: {exc}") from exc
    if "contract Halo2Verifier" not in sol.read_text():
        raise ZkError(f"{sol} is not an EZKL Halo2 verifier")
    wrapper = circuit.root / WRAPPER_SOURCE
    wrapper.write_text(
        "// SPDX-License-Identifier: MIT\n"
        "pragma solidity 0.8.28;\n\n"
        f'import {{Halo2Verifier}} from "./{HALO2_SOURCE}";\n\n'
        f"/// @notice EZKL circuit verifier of model {circuit.model_hash} (see IZkCircuit).\n"
        f"contract {CONTRACT_NAME} is Halo2Verifier {{\n"
        f"    uint256 private constant _INPUTS = {circuit.input_dim};\n"
        f"    uint256 private constant _OUTPUTS = {circuit.output_dim};\n\n"
        "    function instanceLayout() external pure returns (uint256 inputs, uint256 outputs) {\n"
        "        return (_INPUTS, _OUTPUTS);\n"
        "    }\n"
        "}\n"
    )
    return wrapper


def compile_verifier(circuit: ZkCircuit) -> dict[str, Any]:
    """Compile the wrapper + Halo2 verifier (solc 0.8.28, optimizer on, cancun); returns {"abi", "bytecode"}
    and writes it to verifier.json."""
    node = shutil.which("node")
    if node is None:
        raise ZkError("node (Node.js) is needed to run the solc-js compiler")
    sources = {name: {"content": (circuit.root / name).read_text()} for name in (HALO2_SOURCE, WRAPPER_SOURCE)}
    request = {
        "language": "Solidity",
        "sources": sources,
        "settings": {
            "optimizer": {"enabled": True, "runs": OPTIMIZER_RUNS},
            "evmVersion": "cancun",
            "outputSelection": {WRAPPER_SOURCE: {CONTRACT_NAME: ["abi", "evm.bytecode.object"]}},
        },
    }
    proc = subprocess.run(
        [node, str(_solc_js()), "--standard-json"], input=json.dumps(request), capture_output=True, text=True,
        timeout=600, check=False,
    )
    if proc.returncode != 0:
        raise ZkError(f"solc failed: {proc.stderr.strip()[:500]}")
    out = json.loads(proc.stdout)
    errors = [e for e in out.get("errors", []) if e.get("severity") == "error"]
    if errors:
        raise ZkError("solc: " + "; ".join(e.get("formattedMessage", e.get("message", "")) for e in errors)[:1000])
    contract = out["contracts"][WRAPPER_SOURCE][CONTRACT_NAME]
    artifact = {"abi": contract["abi"], "bytecode": "0x" + contract["evm"]["bytecode"]["object"]}
    (circuit.root / ARTIFACT).write_text(json.dumps(artifact))
    return artifact


def load_verifier_artifact(circuit: ZkCircuit) -> dict[str, Any]:
    path = circuit.root / ARTIFACT
    if not path.is_file():
        raise ZkError(f"no compiled verifier at {path}: run `opg zk setup`")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def deploy_verifier(w3: Web3, account: LocalAccount, circuit: ZkCircuit) -> tuple[str, int]:
    """Deploy the compiled circuit verifier from `account`; returns (address, gas used)."""
    artifact = load_verifier_artifact(circuit)
    tx: dict[str, Any] = {
        "from": account.address,
        "data": artifact["bytecode"],
        "nonce": w3.eth.get_transaction_count(account.address, "pending"),
        "chainId": w3.eth.chain_id,
    }
    tx["gas"] = int(w3.eth.estimate_gas(tx) * 1.2)  # type: ignore[arg-type]
    base_fee = int(w3.eth.get_block("latest").get("baseFeePerGas", 0))
    tx["maxPriorityFeePerGas"] = 10**9
    tx["maxFeePerGas"] = 2 * base_fee + 10**9
    signed = account.sign_transaction(tx)
    receipt = w3.eth.wait_for_transaction_receipt(w3.eth.send_raw_transaction(signed.raw_transaction), timeout=120)
    if receipt["status"] != 1:
        raise ZkError("verifier deployment reverted")
    return to_checksum_address(receipt["contractAddress"]), int(receipt["gasUsed"])


def build_verifier(circuit: ZkCircuit) -> dict[str, Any]:
    """generate_source + compile_verifier."""
    generate_source(circuit)
    return compile_verifier(circuit)
