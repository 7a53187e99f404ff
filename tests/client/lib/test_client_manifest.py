"""Manifest round trip and network check."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from opg_client.chain import OpgClient
from opg_client.errors import ManifestError, WrongNetwork
from opg_client.manifest import load_manifest, manifest_path, write_manifest


def test_manifest__written_then_loaded__round_trips(deployment: Any, tmp_path: Path) -> None:
    path = write_manifest(deployment.manifest, manifest_path("local", tmp_path))
    loaded = load_manifest("local", tmp_path)
    assert loaded == deployment.manifest
    assert json.loads(path.read_text())["chain_id"] == 31337


def test_connect__manifest_of_other_chain__raises_wrong_network(deployment: Any, tmp_path: Path) -> None:
    other = dataclasses.replace(deployment.manifest, chain_id=1)
    path = write_manifest(other, tmp_path / "mainnet.json")
    with pytest.raises(WrongNetwork) as info:
        OpgClient.connect(path)
    assert (info.value.expected_chain_id, info.value.actual_chain_id) == (1, 31337)


def test_manifest__missing_contract__raises_manifest_error(deployment: Any, tmp_path: Path) -> None:
    raw = deployment.manifest.to_dict()
    del raw["contracts"]["InferenceEscrow"]
    (tmp_path / "partial.json").write_text(json.dumps(raw))
    client = OpgClient.connect(tmp_path / "partial.json")
    with pytest.raises(ManifestError, match="InferenceEscrow"):
        client.contract("InferenceEscrow")


def test_manifest__bad_address__raises_manifest_error(deployment: Any, tmp_path: Path) -> None:
    raw = deployment.manifest.to_dict()
    raw["contracts"]["OPGToken"]["address"] = "0x1234"
    (tmp_path / "bad.json").write_text(json.dumps(raw))
    with pytest.raises(ManifestError, match="OPGToken"):
        load_manifest(tmp_path / "bad.json")
