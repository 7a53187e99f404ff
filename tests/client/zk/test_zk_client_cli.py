"""`opg zk setup` (with a given SRS file) / `opg zk prove` / `opg model register --modes ... --verifier`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from opg_client.chain import OpgClient
from opg_client.cli import cli
from opg_client.models import VerificationMode
from opg_client.runtime import save_model
from opg_client.zk import load_circuit

DEV_KEY_2 = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"  # anvil dev account #2


def opg_json(net, *args: str) -> dict[str, Any]:
    runner = CliRunner(mix_stderr=False, env={"OPG_PRIVATE_KEY": DEV_KEY_2})
    result = runner.invoke(cli, ["--manifest", str(net.manifest_path), *args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_zk_setup__given_srs_file__deploys_verifier_usable_by_model_register(client, net, tmp_path: Path) -> None:
    model_file = tmp_path / "tiny.json"
    save_model(net.circuit.model, model_file)
    srs = net.circuit.circuit.srs_path  # a previously generated SRS file, loaded as given
    out = opg_json(net, "zk", "setup", "--file", str(model_file), "--out", str(tmp_path / "circuit"), "--srs", str(srs))
    assert out["srs_dev"] is False and out["srs"] == str(srs)
    assert client.w3.eth.get_code(out["verifier"]) != b""
    assert load_circuit(tmp_path / "circuit").verifier_address == out["verifier"]

    reg = opg_json(net, "model", "register", "--file", str(model_file), "--modes", "optimistic,zk",
                   "--verifier", out["verifier"], "--store", str(tmp_path / "store"))
    version = OpgClient.connect(net.manifest_path).registry.get_version(reg["model_id"], 1)
    assert version.verifier == out["verifier"]
    assert version.modes == frozenset({VerificationMode.Optimistic, VerificationMode.ZK})


def test_zk_prove__input__prints_verified_output_and_calldata(net, tmp_path: Path) -> None:
    model_file = tmp_path / "tiny.json"
    save_model(net.circuit.model, model_file)
    out = opg_json(net, "zk", "prove", "--circuit", str(net.circuit.circuit.root), "--file", str(model_file),
                   "--input", "[19, 162, -88, -25]")
    expected = net.circuit.prove([19, 162, -88, -25])
    assert out["verified"] is True
    assert out["output"] == expected.output
    assert out["output_hex"] == "0x" + expected.output_bytes.hex()
