"""`opg tee ...`: governance of TEE attestation (measurements, attestation verifiers), enclave key
registration and revocation, status. Registered on the root group by opg_client.cli.

Governance commands send from the given key: on a deployment handed over to the timelock, schedule the same
call through the timelock instead (`approveMeasurement` / `approveAttester` need DEFAULT_ADMIN_ROLE; the
guardian's REVOKER_ROLE revokes at once).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from eth_account import Account
from eth_utils import to_checksum_address

from opg_client.errors import OpgError
from opg_client.tee import (
    DEFAULT_KEY_LIFETIME,
    DEV_MEASUREMENT,
    DevAttester,
    SoftwareEnclave,
    TeeAttestations,
    TeeVerifier,
)

DEFAULT_ENCLAVE_FILE = Path(".opg") / "enclave.json"


class CliError(OpgError):
    """A TEE command's argument is invalid (nothing sent)."""


# opg_client.cli imports this module at its end: its helpers are looked up at call time (no import cycle,
# also under `python -m opg_client.cli`). The options mirror `opg_client.cli.common`.
def common(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--account-index", type=int, default=None, help="Anvil dev account (local chains).")(fn)
    fn = click.option("--key", default=None, help="Private key (default: $OPG_PRIVATE_KEY).")(fn)
    fn = click.option("--rpc", default=None, help="JSON-RPC URL (default: the manifest's).")(fn)
    fn = click.option("--manifest", default=None, help="Deployment manifest.")(fn)
    fn = click.option("--json", "as_json", is_flag=True, default=False, help="Machine-readable output.")(fn)
    return fn


def _merge(ctx: click.Context, params: dict[str, Any]) -> Any:
    from opg_client.cli import _merge as merge

    return merge(ctx, params)


def _client(ctx: click.Context) -> Any:
    from opg_client.cli import _client as client

    return client(ctx)


def _account(ctx: click.Context, chain_id: int) -> Any:
    from opg_client.cli import _account as account

    return account(ctx, chain_id)


def emit(ctx: click.Context, data: dict[str, Any], human: Callable[[], None] | None = None) -> None:
    from opg_client.cli import emit as cli_emit

    cli_emit(ctx, data, human)


def _hex(value: bytes) -> str:
    return "0x" + bytes(value).hex()


def _bytes32(text: str | None) -> bytes:
    """0x-hex 32 bytes; None or "dev" -> the development enclave's measurement."""
    if text is None or text == "dev":
        return DEV_MEASUREMENT
    try:
        value = bytes.fromhex(text.removeprefix("0x"))
    except ValueError:
        raise CliError(f"invalid measurement {text!r}: not hex") from None
    if len(value) != 32:
        raise CliError(f"invalid measurement {text!r}: {len(value)} bytes, expected 32")
    return value


def _address(text: str) -> str:
    try:
        return to_checksum_address(text)
    except ValueError:
        raise CliError(f"invalid address {text!r}") from None


def _attester(key: str | None) -> DevAttester:
    key = key or os.environ.get("OPG_TEE_ATTESTER_KEY")
    if not key:
        raise CliError("no attestation-verifier key: pass --attester-key or set OPG_TEE_ATTESTER_KEY")
    try:
        return DevAttester(Account.from_key(key))
    except (ValueError, TypeError) as exc:
        raise CliError(f"invalid attester key: {type(exc).__name__}") from None


def _send(ctx: click.Context, action: str, **fields: Any) -> None:
    client = _client(ctx)
    account = _account(ctx, client.chain_id)
    attestations = TeeAttestations(client)
    pending = getattr(attestations, action)(account, *fields.values())
    receipt = client.sender(account).wait(pending)
    shown = {k: _hex(v) if isinstance(v, bytes) else v for k, v in fields.items()}
    emit(ctx, {"action": action, **shown, "tx": _hex(receipt["transactionHash"])},
         lambda: click.echo(f"{action.replace('_', ' ')}: {', '.join(str(v) for v in shown.values())}"))


@click.group()
def tee() -> None:
    """TEE attestation: approve measurements / attestation verifiers, register and revoke enclave keys."""


@tee.command("approve-measurement")
@click.argument("measurement", required=False)
@click.option("--description", default="", help="Name of the enclave build (emitted only).")
@common
@click.pass_context
def tee_approve_measurement(ctx: click.Context, measurement: str | None, description: str, **params: Any) -> None:
    """Approve enclave MEASUREMENT (0x + 32 bytes; default: the dev software enclave). Governance."""
    _merge(ctx, params)
    _send(ctx, "approve_measurement", measurement=_bytes32(measurement), description=description)


@tee.command("revoke-measurement")
@click.argument("measurement")
@common
@click.pass_context
def tee_revoke_measurement(ctx: click.Context, measurement: str, **params: Any) -> None:
    """Revoke MEASUREMENT for good: every enclave key attested under it stops signing. Governance / revoker."""
    _merge(ctx, params)
    _send(ctx, "revoke_measurement", measurement=_bytes32(measurement))


@tee.command("approve-attester")
@click.argument("attester")
@common
@click.pass_context
def tee_approve_attester(ctx: click.Context, attester: str, **params: Any) -> None:
    """Approve attestation-verifier key ATTESTER (address). Governance."""
    _merge(ctx, params)
    _send(ctx, "approve_attester", attester=_address(attester))


@tee.command("revoke-attester")
@click.argument("attester")
@common
@click.pass_context
def tee_revoke_attester(ctx: click.Context, attester: str, **params: Any) -> None:
    """Revoke attestation verifier ATTESTER for good: every key it attested stops signing. Governance / revoker."""
    _merge(ctx, params)
    _send(ctx, "revoke_attester", attester=_address(attester))


@tee.command("attest")
@click.argument("enclave_key")
@click.argument("operator")
@click.option("--measurement", default=None, help="0x + 32 bytes (default: the dev software enclave's).")
@click.option("--expires-at", type=int, required=True, help="Unix seconds.")
@click.option("--attester-key", default=None, help="Attestation-verifier key (default: $OPG_TEE_ATTESTER_KEY).")
@common
@click.pass_context
def tee_attest(ctx: click.Context, enclave_key: str, operator: str, measurement: str | None, expires_at: int,
               attester_key: str | None, **params: Any) -> None:
    """Sign the attestation statement for ENCLAVE_KEY operated by OPERATOR (the attestation service's step;
    it must have checked the enclave's hardware quote first: this command checks nothing)."""
    _merge(ctx, params)
    client = _client(ctx)
    attester = _attester(attester_key)
    m = _bytes32(measurement)
    sig = attester.attest(TeeAttestations(client).domain(), _address(enclave_key), _address(operator), m, expires_at)
    emit(ctx, {"attester": attester.address, "signature": _hex(sig), "measurement": _hex(m), "expires_at": expires_at},
         lambda: click.echo(_hex(sig)))


@tee.command("register-key")
@click.option("--enclave-file", default=None, help=f"Software enclave key file (default: {DEFAULT_ENCLAVE_FILE}).")
@click.option("--measurement", default=None, help="0x + 32 bytes (default: the dev software enclave's).")
@click.option("--attestation", default=None, help="Statement signature from the attestation service (0x hex).")
@click.option("--expires-at", type=int, default=None, help="Unix seconds (with --attestation: as attested).")
@click.option("--attester-key", default=None, help="Dev: sign the statement here ($OPG_TEE_ATTESTER_KEY).")
@click.option("--lifetime", type=int, default=DEFAULT_KEY_LIFETIME, show_default=True, help="Seconds (dev signing).")
@common
@click.pass_context
def tee_register_key(ctx: click.Context, enclave_file: str | None, measurement: str | None, attestation: str | None,
                     expires_at: int | None, attester_key: str | None, lifetime: int, **params: Any) -> None:
    """Register the software enclave's key for your provider address (creates the key file if missing)."""
    _merge(ctx, params)
    client = _client(ctx)
    operator = _account(ctx, client.chain_id)
    path = Path(enclave_file) if enclave_file else DEFAULT_ENCLAVE_FILE
    enclave = SoftwareEnclave.load(path) if path.exists() else SoftwareEnclave.generate(_bytes32(measurement))
    if measurement is not None and _bytes32(measurement) != enclave.measurement:
        raise CliError(f"{path} holds a key for measurement {_hex(enclave.measurement)}, not {measurement}")
    attestations = TeeAttestations(client)
    if attestation is not None:
        if expires_at is None:
            raise CliError("--attestation needs --expires-at (the expiry the statement signs)")
        try:
            sig = bytes.fromhex(attestation.removeprefix("0x"))
        except ValueError:
            raise CliError("--attestation is not hex") from None
    else:
        expires_at = client.timestamp() + lifetime if expires_at is None else expires_at
        sig = _attester(attester_key).attest(
            attestations.domain(), enclave.address, operator.address, enclave.measurement, expires_at
        )
    if not path.exists():
        enclave.save(path)  # before sending: a mined registration never loses its key
    pending = attestations.register_enclave_key(operator, enclave.address, enclave.measurement, expires_at, sig)
    receipt = client.sender(operator).wait(pending)
    emit(
        ctx,
        {"enclave_key": enclave.address, "operator": operator.address, "measurement": _hex(enclave.measurement),
         "expires_at": expires_at, "enclave_file": str(path), "tx": _hex(receipt["transactionHash"])},
        lambda: click.echo(f"enclave key {enclave.address} registered for {operator.address} until {expires_at}"),
    )


@tee.command("revoke-key")
@click.argument("enclave_key")
@common
@click.pass_context
def tee_revoke_key(ctx: click.Context, enclave_key: str, **params: Any) -> None:
    """Revoke ENCLAVE_KEY for good (its operator, or a revoker)."""
    _merge(ctx, params)
    _send(ctx, "revoke_enclave_key", enclave_key=_address(enclave_key))


@tee.command("status")
@click.option("--enclave-key", default=None, help="Enclave key address.")
@click.option("--enclave-file", default=None, help=f"Software enclave key file (default: {DEFAULT_ENCLAVE_FILE}).")
@click.option("--measurement", default=None, help="0x + 32 bytes (default: the enclave's, else the dev one).")
@click.option("--attester", default=None, help="Attestation-verifier address.")
@common
@click.pass_context
def tee_status(ctx: click.Context, enclave_key: str | None, enclave_file: str | None, measurement: str | None,
               attester: str | None, **params: Any) -> None:
    """Status of an enclave key, a measurement and an attestation verifier; the verifier's parameters."""
    _merge(ctx, params)
    client = _client(ctx)
    attestations = TeeAttestations(client)
    path = Path(enclave_file) if enclave_file else DEFAULT_ENCLAVE_FILE
    if enclave_key is None and (enclave_file is not None or path.exists()):
        enclave_key = SoftwareEnclave.load(path).address
    data: dict[str, Any] = {
        "attestations": attestations.address,
        "verifier": client.manifest.address("TEEVerifier"),
        "max_signature_age": TeeVerifier(client).max_signature_age(),
        "max_key_lifetime": attestations.max_key_lifetime(),
    }
    m = _bytes32(measurement) if measurement is not None else None
    if enclave_key is not None:
        info = attestations.enclave_key(_address(enclave_key))
        data["enclave_key"] = {
            "address": info.enclave_key, "operator": info.operator, "measurement": _hex(info.measurement),
            "attester": info.attester, "expires_at": info.expires_at, "revoked": info.revoked, "active": info.active,
        }
        m = m if m is not None else info.measurement
        attester = attester or (info.attester if int(info.attester, 16) else None)
    m = DEV_MEASUREMENT if m is None else m
    data["measurement"] = {"id": _hex(m), "status": attestations.measurement_status(m).name.rstrip("_")}
    if attester is not None:
        data["attester"] = {"address": _address(attester),
                            "status": attestations.attester_status(_address(attester)).name.rstrip("_")}

    def human() -> None:
        for key, value in data.items():
            click.echo(f"{key}: {value}")

    emit(ctx, data, human)
