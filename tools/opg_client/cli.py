"""`opg`: the OPG Protocol command line (click). `--json` on every command for scripts; rich tables for people.

Bad input (unknown model, malformed vector, insufficient balance / allowance, wrong network, ...) is checked
before anything is sent: one line on stderr (or a JSON object with --json), exit code 1, no funds moved.

Connection: --manifest (default $OPG_MANIFEST or deployments/local.json), --rpc (default: the manifest's).
Keys: --key or $OPG_PRIVATE_KEY; on a local chain (id 31337) anvil's dev accounts by --account-index.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from eth_account import Account
from eth_account.signers.local import LocalAccount

from opg_client.errors import OpgError
from opg_client.localchain import DEV_CHAIN_ID, dev_account
from opg_client.units import format_opg, parse_opg

DEFAULT_MANIFEST = "deployments/local.json"
DEFAULT_HOME = Path(os.environ.get("OPG_HOME", ".opg"))


class CliError(OpgError):
    """Bad command-line input detected by the CLI itself."""


# ------------------------------------------------------------------------------------------ plumbing


@dataclass
class Settings:
    json: bool = False
    manifest: str | None = None
    rpc: str | None = None
    key: str | None = None
    account_index: int | None = None


def _settings(ctx: click.Context) -> Settings:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = Settings()
    return root.obj  # type: ignore[no-any-return]


def _merge(ctx: click.Context, params: dict[str, Any]) -> Settings:
    s = _settings(ctx)
    for name in ("manifest", "rpc", "key", "account_index"):
        value = params.pop(name, None)
        if value is not None:
            setattr(s, name, value)
    if params.pop("as_json", False):
        s.json = True
    return s


def common(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--json / --manifest / --rpc / --key / --account-index on a leaf command (also accepted on `opg`)."""
    fn = click.option("--account-index", type=int, default=None, help="Anvil dev account (local chains).")(fn)
    fn = click.option("--key", default=None, help="Private key (default: $OPG_PRIVATE_KEY).")(fn)
    fn = click.option("--rpc", default=None, help="JSON-RPC URL (default: the manifest's).")(fn)
    fn = click.option("--manifest", default=None, help=f"Deployment manifest (default: {DEFAULT_MANIFEST}).")(fn)
    fn = click.option("--json", "as_json", is_flag=True, default=False, help="Machine-readable output.")(fn)
    return fn


def _wants_json(ctx: click.Context) -> bool:
    s = _settings(ctx)
    rest = [*getattr(ctx, "protected_args", []), *ctx.args]
    return s.json or "--json" in rest


def _fail(ctx: click.Context, exc: BaseException, code: int = 1) -> None:
    name = type(exc).__name__
    if isinstance(exc, click.ClickException):
        message = exc.format_message()
        code = exc.exit_code
    else:
        message = str(exc) or name
    line = " ".join(message.split())
    if not line.startswith(name) and not isinstance(exc, click.ClickException):
        line = f"{name}: {line}"
    if _wants_json(ctx):
        click.echo(json.dumps({"ok": False, "error": name, "message": line}))
    else:
        click.echo(f"error: {line}", err=True)
    ctx.exit(code)


class OpgGroup(click.Group):
    """Turns expected failures into one line + non-zero exit (no traceback, nothing sent)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort):
            raise
        except click.UsageError as exc:
            _fail(ctx, exc, 2)
        except click.ClickException as exc:
            _fail(ctx, exc, exc.exit_code)
        except (OpgError, ValueError, FileNotFoundError) as exc:
            _fail(ctx, exc)
        return None


def emit(ctx: click.Context, data: dict[str, Any], human: Callable[[], None] | None = None) -> None:
    if _settings(ctx).json:
        click.echo(json.dumps({"ok": True, **data}, default=_json_default))
    elif human is not None:
        human()
    else:
        for key, value in data.items():
            click.echo(f"{key}: {value}")


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "name"):
        return value.name
    return str(value)


def _console() -> Any:
    from rich.console import Console

    return Console()


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*[str(c) for c in row])
    _console().print(table)


def _client(ctx: click.Context) -> Any:
    from opg_client.chain import OpgClient

    s = _settings(ctx)
    manifest = s.manifest or os.environ.get("OPG_MANIFEST") or DEFAULT_MANIFEST
    return OpgClient.connect(manifest, s.rpc or os.environ.get("OPG_RPC_URL") or None, timeout=5.0)


def _account(ctx: click.Context, chain_id: int) -> LocalAccount:
    s = _settings(ctx)
    key = s.key or os.environ.get("OPG_PRIVATE_KEY")
    if key:
        try:
            return Account.from_key(key)
        except (ValueError, TypeError) as exc:
            raise CliError(f"invalid private key: {type(exc).__name__}") from None
    if s.account_index is not None:
        if chain_id != DEV_CHAIN_ID:
            raise CliError(f"--account-index is for local chains (id {DEV_CHAIN_ID}); this is chain {chain_id}")
        return dev_account(s.account_index)
    raise CliError("no key: pass --key, set OPG_PRIVATE_KEY, or (local chain) --account-index N")


def _amount(text: str) -> int:
    """ "1.5" / "1.5 OPG" -> wei; "123wei" -> 123."""
    cleaned = text.strip()
    if cleaned.endswith("wei"):
        value = int(cleaned[:-3].strip())
    else:
        try:
            value = parse_opg(cleaned)
        except (ArithmeticError, ValueError) as exc:
            raise CliError(f"invalid amount {text!r}: {exc}") from None
    if value < 0:
        raise CliError(f"invalid amount {text!r}: negative")
    return value


def _hex(value: bytes) -> str:
    return "0x" + bytes(value).hex()


# ------------------------------------------------------------------------------------------- root


@click.group(cls=OpgGroup)
@click.option("--json", "as_json", is_flag=True, default=False, help="Machine-readable output.")
@click.option("--manifest", default=None, help=f"Deployment manifest (default: {DEFAULT_MANIFEST}).")
@click.option("--rpc", default=None, help="JSON-RPC URL (default: the manifest's).")
@click.option("--key", default=None, help="Private key (default: $OPG_PRIVATE_KEY).")
@click.option("--account-index", type=int, default=None, help="Anvil dev account (local chains).")
@click.pass_context
def cli(ctx: click.Context, **params: Any) -> None:
    """OPG Protocol: models, providers, jobs and rewards on chain."""
    ctx.obj = Settings()
    _merge(ctx, params)


# ------------------------------------------------------------------------------------------ chain


@cli.group(cls=OpgGroup)
def chain() -> None:
    """Local development chain."""


@chain.command("up")
@click.option("--port", type=int, default=None, help="Port (default: a free one).")
@click.option("--detach", is_flag=True, help="Leave anvil running in the background and return.")
@common
@click.pass_context
def chain_up(ctx: click.Context, port: int | None, detach: bool, **params: Any) -> None:
    """Start a local Anvil (node_modules/.bin/anvil); Ctrl-C stops it (unless --detach)."""
    from opg_client.localchain import LocalChain

    _merge(ctx, params)
    local = LocalChain.start(port=port)
    try:  # from here on, Ctrl-C at any point stops anvil (unless detached)
        info = {"rpc_url": local.url, "chain_id": local.chain_id, "pid": local.proc.pid, "detached": detach}
        emit(
            ctx, info, lambda: click.echo(f"anvil listening on {local.url} (chain {local.chain_id}, pid {info['pid']})")
        )
        if not detach:
            local.proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if not detach:
            local.stop()


# ----------------------------------------------------------------------------------------- deploy


@cli.command("deploy")
@click.option("--out", default=None, help="Manifest path to write (default: deployments/<network>.json).")
@click.option("--network", default="local", show_default=True)
@click.option("--treasury", default=None, help="Treasury address (default: dev account 1 on local chains).")
@click.option("--no-handover", is_flag=True, help="Deployer keeps the admin role (no timelock handover).")
@click.option("--artifacts", default=None, help="Build output (default: .build/__local__.json).")
@click.option("--fund", default=None, help="Local chains: treasury (dev #1) sends this many OPG to dev #2..#9.")
@click.option("--min-stake", default="1000", show_default=True, help="OPG.")
@click.option("--challenge-window", type=int, default=3_600, show_default=True, help="Seconds.")
@click.option("--epoch-length", type=int, default=86_400, show_default=True, help="Seconds.")
@common
@click.pass_context
def deploy_cmd(
    ctx: click.Context,
    out: str | None,
    network: str,
    treasury: str | None,
    no_handover: bool,
    artifacts: str | None,
    fund: str | None,
    min_stake: str,
    challenge_window: int,
    epoch_length: int,
    **params: Any,
) -> None:
    """Deploy and wire the suite with web3 (artifacts from `ape compile`); write the manifest."""
    from web3 import Web3

    from opg_client.demo import find_artifacts
    from opg_client.deploy import SuiteParams, load_artifacts
    from opg_client.manifest import manifest_path, write_manifest
    from opg_client.transport import RetryingHTTPProvider

    s = _merge(ctx, params)
    rpc_url = s.rpc or os.environ.get("OPG_RPC_URL") or "http://127.0.0.1:8545"
    w3 = Web3(RetryingHTTPProvider(rpc_url, timeout=10.0))
    chain_id = int(w3.eth.chain_id)
    deployer = _account(ctx, chain_id)
    local = chain_id == DEV_CHAIN_ID
    if treasury is None:
        treasury = dev_account(1).address if local else deployer.address
    if fund is not None and not (local and treasury == dev_account(1).address):
        raise CliError("--fund needs a local chain whose treasury is dev account 1")
    arts = load_artifacts(artifacts) if artifacts else find_artifacts()
    suite = SuiteParams(
        treasury=treasury,
        guardian=deployer.address,
        proposers=(deployer.address,),
        min_stake=_amount(min_stake),
        challenge_window=challenge_window,
        epoch_length=epoch_length,
    )
    result = deploy_with_web3(w3, deployer, arts, suite, network=network, rpc_url=rpc_url, handover=not no_handover)
    manifest, gas = result
    path = write_manifest(manifest, out or manifest_path(network))
    funded: list[str] = []
    if fund is not None:
        funded = fund_dev_accounts(manifest, rpc_url, _amount(fund))
    data = {
        "manifest": str(path),
        "chain_id": chain_id,
        "block": manifest.block,
        "contracts": {n: e.address for n, e in manifest.contracts.items()},
        "gas": gas,
        "funded": funded,
    }

    def human() -> None:
        _table(
            f"deployed to chain {chain_id} -> {path}",
            ["contract", "address"],
            [(n, e.address) for n, e in manifest.contracts.items()],
        )
        click.echo(f"total deployment gas: {sum(gas.values()):,}")
        if funded:
            click.echo(f"funded {len(funded)} dev accounts with {fund} OPG each")

    emit(ctx, data, human)


def deploy_with_web3(
    w3: Any, deployer: LocalAccount, arts: Any, suite: Any, *, network: str, rpc_url: str, handover: bool = True
) -> tuple[Any, dict[str, int]]:
    """Deploy + wire; returns (manifest, gas used per step)."""
    from opg_client.deploy import build_manifest, deploy_suite

    block = int(w3.eth.block_number) + 1
    backend = _fee_backend(w3, deployer, arts)
    addresses = deploy_suite(backend, suite, governance_handover=handover)
    abis = {name: arts[name].abi for name in addresses}
    manifest = build_manifest(network, int(w3.eth.chain_id), rpc_url, block, addresses, abis, suite)
    return manifest, dict(backend.gas_used)


def _fee_backend(w3: Any, deployer: LocalAccount, arts: Any) -> Any:
    """`Web3Backend` that raises a constructor / wiring revert as its named error (one-line CLI message)."""
    from web3.exceptions import ContractLogicError

    from opg_client.deploy import Web3Backend
    from opg_client.errors import ErrorDecoder
    from opg_client.models import ENUMS

    decoder = ErrorDecoder({name: art.abi for name, art in arts.items()}, ENUMS)

    class _DecodingBackend(Web3Backend):
        def _send(self, tx: dict[str, Any], label: str) -> Any:
            try:
                return super()._send(tx, label)
            except ContractLogicError as exc:
                raise (decoder.from_exception(exc) or exc) from None

    return _DecodingBackend(w3, deployer, arts)


def fund_dev_accounts(manifest: Any, rpc_url: str, amount: int, indices: Sequence[int] = range(2, 10)) -> list[str]:
    from opg_client.chain import OpgClient

    client = OpgClient.connect(manifest, rpc_url)
    treasury = dev_account(1)
    sender = client.sender(treasury)
    token = client.contract("OPGToken")
    recipients = [dev_account(i).address for i in indices]
    gas = sender.estimate_gas(token.functions.transfer(recipients[0], amount))
    sender.wait_all([sender.send(token.functions.transfer(r, amount), gas=gas) for r in recipients])
    return recipients


# ------------------------------------------------------------------------------------------ model


@cli.group(cls=OpgGroup)
def model() -> None:
    """Register models and versions; list and show them."""


def _model_store(path: str | None) -> Any:
    from opg_client.runtime import ModelStore

    return ModelStore(path or os.environ.get("OPG_MODEL_STORE") or DEFAULT_HOME / "models")


def _model_bytes(file: str | None, shipped: str | None) -> bytes:
    from opg_client.runtime import digits_model_bytes

    if file and shipped:
        raise CliError("give --file or --shipped, not both")
    if file:
        return Path(file).read_bytes()
    if shipped in (None, "digits"):
        return digits_model_bytes()
    raise CliError(f"unknown shipped model {shipped!r} (have: digits)")


def _parse_modes(text: str) -> list[Any]:
    from opg_client.models import VerificationMode

    names = {m.name.lower(): m for m in VerificationMode}
    try:
        return [names[part.strip().lower()] for part in text.split(",") if part.strip()]
    except KeyError as exc:
        raise CliError(f"unknown verification mode {exc.args[0]!r} (have: {', '.join(names)})") from None


def _version_params(
    data: bytes, uri: str | None, price: str, royalty_bps: int, modes: str = "optimistic", verifier: str | None = None
) -> Any:
    from opg_client.deploy import ZERO_ADDRESS
    from opg_client.roles import Researcher
    from opg_client.runtime import layer_commitments, load_model, model_hash

    loaded = load_model(data)
    weights_hash = model_hash(loaded)
    return Researcher.params(
        weights_hash,
        layer_commitments(loaded),
        uri or f"opg://model/{weights_hash.hex()}",
        _amount(price),
        royalty_bps,
        _parse_modes(modes),
        verifier or ZERO_ADDRESS,
    )


def _model_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--verifier", default=None,
                      help="Circuit verifier address (required with the zk mode: from `opg zk setup`).")(fn)
    fn = click.option("--modes", default="optimistic", show_default=True,
                      help="Verification modes, comma-separated: optimistic, tee, zk.")(fn)
    fn = click.option("--store", default=None, help="Local model store to copy the file into.")(fn)
    fn = click.option("--uri", default=None, help="Metadata URI.")(fn)
    fn = click.option("--royalty-bps", type=int, default=1_000, show_default=True)(fn)
    fn = click.option("--price", default="1", show_default=True, help="Price per job, OPG.")(fn)
    fn = click.option("--shipped", default=None, help="A model shipped with the package (digits).")(fn)
    fn = click.option("--file", "file", default=None, help="Canonical model file (opg-ffn-v1 JSON).")(fn)
    return fn


def _publish(ctx: click.Context, model_id: int | None, file: str | None, shipped: str | None, price: str,
             royalty_bps: int, uri: str | None, store: str | None, params: dict[str, Any]) -> None:
    modes, verifier = params.pop("modes", "optimistic"), params.pop("verifier", None)
    """Register a new model (`model_id` None) or publish a new version of `model_id`, then keep the file in
    the local store (the address is its weights hash)."""
    from opg_client.roles import Researcher

    _merge(ctx, params)
    data = _model_bytes(file, shipped)
    version_params = _version_params(data, uri, price, royalty_bps, modes, verifier)
    client = _client(ctx)
    researcher = Researcher(client, _account(ctx, client.chain_id))
    if model_id is None:
        ref = researcher.register_model(version_params)
    else:
        ref = researcher.publish_version(model_id, version_params)
    _model_store(store).put(data)
    out = {
        "model_id": ref.model_id,
        "version": ref.version,
        "weights_hash": _hex(version_params.weights_hash),
        "layers": len(version_params.layer_commitments),
        "price": str(version_params.price_per_job),
        "tx": ref.tx_hash,
    }
    verb = "registered" if model_id is None else "published"
    emit(
        ctx,
        out,
        lambda: click.echo(
            f"{verb} model {ref.model_id} v{ref.version} (weights {_hex(version_params.weights_hash)[:18]}…, "
            f"price {format_opg(version_params.price_per_job)}) tx {ref.tx_hash}"
        ),
    )


@model.command("register")
@_model_options
@common
@click.pass_context
def model_register(
    ctx: click.Context,
    file: str | None,
    shipped: str | None,
    price: str,
    royalty_bps: int,
    uri: str | None,
    store: str | None,
    **params: Any,
) -> None:
    """Register a new model (version 1) from a runtime model file (default: the shipped digits model)."""
    _publish(ctx, None, file, shipped, price, royalty_bps, uri, store, params)


@model.command("version")
@click.argument("model_id", type=int)
@_model_options
@common
@click.pass_context
def model_version(
    ctx: click.Context,
    model_id: int,
    file: str | None,
    shipped: str | None,
    price: str,
    royalty_bps: int,
    uri: str | None,
    store: str | None,
    **params: Any,
) -> None:
    """Publish a new (immutable) version of MODEL_ID."""
    _publish(ctx, model_id, file, shipped, price, royalty_bps, uri, store, params)


def _version_dict(v: Any) -> dict[str, Any]:
    return {
        "version": v.version,
        "weights_hash": _hex(v.weights_hash),
        "price": str(v.price_per_job),
        "royalty_bps": v.royalty_bps,
        "modes": sorted(m.name for m in v.modes),
        "deprecated": v.deprecated,
        "layers": v.layer_count,
        "uri": v.metadata_uri,
        "published_at": v.published_at,
    }


@model.command("list")
@common
@click.pass_context
def model_list(ctx: click.Context, **params: Any) -> None:
    """All registered models with their latest version."""
    _merge(ctx, params)
    client = _client(ctx)
    rows = []
    for model_id in range(1, client.registry.model_count() + 1):
        info = client.registry.get_model(model_id)
        latest = client.registry.get_version(model_id, info.latest_version)
        rows.append(
            {
                "model_id": model_id,
                "owner": info.owner,
                "latest_version": info.latest_version,
                "deprecated": info.deprecated,
                **{f"latest_{k}": v for k, v in _version_dict(latest).items() if k != "version"},
            }
        )
    emit(
        ctx,
        {"models": rows},
        lambda: _table(
            "models",
            ["id", "owner", "latest", "price", "royalty", "weights", "deprecated"],
            [
                (
                    r["model_id"],
                    r["owner"],
                    r["latest_version"],
                    format_opg(int(r["latest_price"])),
                    f"{r['latest_royalty_bps']} bps",
                    r["latest_weights_hash"][:18] + "…",
                    r["deprecated"],
                )
                for r in rows
            ],
        ),
    )


@model.command("install")
@click.argument("model_id", type=int)
@click.option("--version", type=int, default=None, help="Version (default: latest).")
@click.option("--file", "file", default=None, help="Model file (default: the shipped model, if it matches).")
@click.option("--store", default=None, help="Local model store (default: $OPG_MODEL_STORE or .opg/models).")
@common
@click.pass_context
def model_install(
    ctx: click.Context, model_id: int, version: int | None, file: str | None, store: str | None, **params: Any
) -> None:
    """Put the weights of MODEL_ID's version into the local store (what `provider run` loads), after checking
    their hash against the registry's weightsHash."""
    from opg_client.runtime import digits_model_bytes, load_model, model_hash

    _merge(ctx, params)
    client = _client(ctx)
    version = client.registry.latest_version(model_id) if version is None else version
    expected = client.registry.get_version(model_id, version).weights_hash
    data = Path(file).read_bytes() if file else digits_model_bytes()
    actual = model_hash(load_model(data))
    if actual != expected:
        source = file or "the shipped digits model"
        raise CliError(f"{source} has weights hash {_hex(actual)}, but model {model_id} v{version} is {_hex(expected)}")
    target = _model_store(store)
    target.put(data)
    out = {
        "model_id": model_id,
        "version": version,
        "weights_hash": _hex(expected),
        "path": str(target.path_for(expected)),
    }
    emit(ctx, out, lambda: click.echo(f"installed model {model_id} v{version} at {out['path']}"))


@model.command("show")
@click.argument("model_id", type=int)
@common
@click.pass_context
def model_show(ctx: click.Context, model_id: int, **params: Any) -> None:
    """One model and all its versions."""
    _merge(ctx, params)
    client = _client(ctx)
    info = client.registry.get_model(model_id)
    versions = [_version_dict(client.registry.get_version(model_id, v)) for v in range(1, info.latest_version + 1)]
    data = {
        "model_id": model_id,
        "owner": info.owner,
        "pending_owner": info.pending_owner,
        "latest_version": info.latest_version,
        "deprecated": info.deprecated,
        "registered_at": info.registered_at,
        "versions": versions,
    }

    def human() -> None:
        click.echo(f"model {model_id}: owner {info.owner}, latest v{info.latest_version}, deprecated {info.deprecated}")
        _table(
            "versions",
            ["v", "price", "royalty", "modes", "layers", "weights", "deprecated"],
            [
                (
                    v["version"],
                    format_opg(int(v["price"])),
                    f"{v['royalty_bps']} bps",
                    ",".join(v["modes"]),
                    v["layers"],
                    v["weights_hash"],
                    v["deprecated"],
                )
                for v in versions
            ],
        )

    emit(ctx, data, human)


# ---------------------------------------------------------------------------------------------- zk


@cli.group(cls=OpgGroup)
def zk() -> None:
    """ZK mode (EZKL): circuit + verifier of a model version, proofs of jobs."""


def _zk_model(file: str | None, shipped: str | None) -> Any:
    from opg_client.runtime import load_model

    return load_model(_model_bytes(file, shipped))


@zk.command("setup")
@click.option("--file", "file", default=None, help="Canonical model file (opg-ffn-v1 JSON).")
@click.option("--shipped", default=None, help="A model shipped with the package (digits).")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Circuit directory to write.")
@click.option("--srs", default=None, type=click.Path(dir_okay=False, exists=True),
              help="KZG SRS file (at least 2^logrows points). Without it a local SRS is generated: development only.")
@click.option("--no-deploy", is_flag=True, help="Only generate and compile; do not deploy the verifier.")
@common
@click.pass_context
def zk_setup(ctx: click.Context, file: str | None, shipped: str | None, out: str, srs: str | None, no_deploy: bool,
             **params: Any) -> None:
    """Generate the EZKL circuit, keys and Solidity verifier of a model; deploy the verifier and print its address
    (pass it to `opg model register/version --modes optimistic,zk --verifier ADDRESS`)."""
    from opg_client.zk import setup_circuit
    from opg_client.zk.verifier import build_verifier, deploy_verifier

    _merge(ctx, params)
    model = _zk_model(file, shipped)
    circuit = setup_circuit(model, out, srs=srs)
    artifact = build_verifier(circuit)
    address, gas_used = None, None
    if not no_deploy:
        client = _client(ctx)
        address, gas_used = deploy_verifier(client.w3, _account(ctx, client.chain_id), circuit)
        circuit = circuit.with_verifier(address)
    info = {
        "circuit": str(circuit.root),
        "model_hash": circuit.model_hash,
        "logrows": circuit.logrows,
        "srs": str(circuit.srs_path),
        "srs_dev": circuit.srs_dev,
        "verifier": address,
        "deploy_gas": gas_used,
        "bytecode_bytes": (len(artifact["bytecode"]) - 2) // 2,
        "timings": {k: round(v, 3) for k, v in circuit.timings.items()},
    }

    def human() -> None:
        click.echo(f"circuit of {circuit.model_hash[:18]}… in {circuit.root} (2^{circuit.logrows} rows)")
        if circuit.srs_dev:
            click.echo("WARNING: locally generated SRS (ezkl gen_srs): development only; pass --srs for production")
        if address:
            click.echo(f"verifier deployed at {address} ({gas_used} gas)")

    emit(ctx, info, human)


@zk.command("prove")
@click.option("--circuit", "circuit_dir", required=True, type=click.Path(file_okay=False, exists=True))
@click.option("--file", "file", default=None, help="Canonical model file (default: the shipped digits model).")
@click.option("--shipped", default=None, help="A model shipped with the package (digits).")
@click.option("--input", "input_text", required=True, help="JSON array of fixed-point input integers.")
@common
@click.pass_context
def zk_prove(ctx: click.Context, circuit_dir: str, file: str | None, shipped: str | None, input_text: str,
             **params: Any) -> None:
    """Prove the model on an input: prints the circuit's output, its chain encoding and the proof calldata."""
    from opg_client.zk import load_circuit, prove, verify_offchain

    _merge(ctx, params)
    circuit = load_circuit(circuit_dir)
    proof = prove(circuit, _zk_model(file, shipped), parse_input_vector(input_text))
    info = {
        "output": proof.output,
        "output_hex": _hex(proof.output_bytes),
        "proof_hex": _hex(proof.calldata()),
        "verified": verify_offchain(circuit, proof),
        "timings": {k: round(v, 3) for k, v in proof.timings.items()},
    }
    emit(ctx, info, lambda: click.echo(f"output {proof.output} (verified off-chain: {info['verified']})"))


# --------------------------------------------------------------------------------------- provider


@cli.group(cls=OpgGroup)
def provider() -> None:
    """Stake, serve models, run the provider node, unbond and withdraw."""


def _stake_dict(info: Any) -> dict[str, Any]:
    return {
        "active": str(info.active),
        "locked": str(info.locked),
        "free": str(info.free),
        "unbonding": str(info.unbonding),
        "unlock_at": info.unlock_at,
        "min_stake": str(info.min_stake),
    }


@provider.command("stake")
@click.argument("amount")
@click.option("--no-permit", is_flag=True, help="Use approve + stake instead of an EIP-2612 permit.")
@common
@click.pass_context
def provider_stake(ctx: click.Context, amount: str, no_permit: bool, **params: Any) -> None:
    """Stake AMOUNT OPG."""
    from opg_client.roles import Provider

    _merge(ctx, params)
    wei = _amount(amount)
    client = _client(ctx)
    info = Provider(client, _account(ctx, client.chain_id)).stake(wei, permit=not no_permit)
    emit(
        ctx,
        {"provider": info.provider, "staked": str(wei), **_stake_dict(info)},
        lambda: click.echo(f"staked {format_opg(wei)}; active {format_opg(info.active)}"),
    )


@provider.command("serve")
@click.argument("model_id", type=int)
@common
@click.pass_context
def provider_serve(ctx: click.Context, model_id: int, **params: Any) -> None:
    """Declare that you serve MODEL_ID (jobs on it become claimable by you)."""
    from opg_client.roles import Provider

    _merge(ctx, params)
    client = _client(ctx)
    p = Provider(client, _account(ctx, client.chain_id))
    receipt = p.serve(model_id)
    emit(
        ctx,
        {"provider": p.address, "model_id": model_id, "tx": _hex(receipt["transactionHash"])},
        lambda: click.echo(f"{p.address} now serves model {model_id}"),
    )


@provider.command("unbond")
@click.argument("amount")
@common
@click.pass_context
def provider_unbond(ctx: click.Context, amount: str, **params: Any) -> None:
    """Start unbonding AMOUNT OPG of free stake."""
    from opg_client.roles import Provider

    _merge(ctx, params)
    client = _client(ctx)
    info = Provider(client, _account(ctx, client.chain_id)).unbond(_amount(amount))
    emit(
        ctx,
        {"provider": info.provider, **_stake_dict(info)},
        lambda: click.echo(f"unbonding {format_opg(info.unbonding)} until {info.unlock_at}"),
    )


@provider.command("withdraw")
@common
@click.pass_context
def provider_withdraw(ctx: click.Context, **params: Any) -> None:
    """Withdraw unbonded stake whose lock has passed."""
    from opg_client.roles import Provider

    _merge(ctx, params)
    client = _client(ctx)
    p = Provider(client, _account(ctx, client.chain_id))
    amount = p.withdraw()
    emit(ctx, {"provider": p.address, "withdrawn": str(amount)}, lambda: click.echo(f"withdrew {format_opg(amount)}"))


@provider.command("status")
@click.option("--address", default=None, help="Any provider (default: your account).")
@click.option("--model", "models", type=int, multiple=True, help="Model ids to report serving status for.")
@click.option("--db", default=None, help="Node database, to include its job counts.")
@common
@click.pass_context
def provider_status(
    ctx: click.Context, address: str | None, models: tuple[int, ...], db: str | None, **params: Any
) -> None:
    """Stake, serving, balances, claimable rewards (and node job counts with --db)."""
    from opg_client.roles import Provider

    _merge(ctx, params)
    client = _client(ctx)
    if address is None:
        address = _account(ctx, client.chain_id).address
    if not models:
        models = tuple(range(1, client.registry.model_count() + 1))

    class _Addr:
        def __init__(self, a: str) -> None:
            self.address = a

    status = Provider(client, _Addr(address)).status(models)  # type: ignore[arg-type]
    data: dict[str, Any] = {
        "provider": address,
        **_stake_dict(status.stake),
        "serving": sorted(status.serving),
        "token_balance": str(status.token_balance),
        "claimable_fees": str(status.claimable_fees),
        "claimable_emissions": str(status.claimable_emissions),
    }
    if db:
        from opg_client.node.store import NodeStore

        node_store = NodeStore(db)
        data["node_jobs"] = node_store.state_counts()
        node_store.close()

    def human() -> None:
        st = status.stake
        _table(
            f"provider {address}",
            ["", "value"],
            [
                ("active stake", format_opg(st.active)),
                ("locked collateral", format_opg(st.locked)),
                ("free stake", format_opg(st.free)),
                ("unbonding", f"{format_opg(st.unbonding)} (unlock {st.unlock_at})"),
                ("serving", ", ".join(map(str, sorted(status.serving))) or "-"),
                ("wallet", format_opg(status.token_balance)),
                ("claimable fees", format_opg(status.claimable_fees)),
                ("claimable emissions", format_opg(status.claimable_emissions)),
                *([("node jobs", data["node_jobs"])] if db else []),
            ],
        )

    emit(ctx, data, human)


@provider.command("run")
@click.option("--model", "models", type=int, multiple=True, required=True, help="Model id to serve (repeat).")
@click.option("--min-fee", default="0", show_default=True, help="Minimum fee to claim a job, OPG.")
@click.option("--max-inflight", type=int, default=4, show_default=True, help="Claimed-but-unsubmitted jobs.")
@click.option(
    "--keeper",
    type=click.Choice(["all", "own", "off"]),
    default="all",
    show_default=True,
    help="all: finalize any matured job, expire any overdue one; own: finalize our own; off.",
)
@click.option(
    "--keeper-grace",
    type=int,
    default=30,
    show_default=True,
    help="Seconds other providers get to finalize their own jobs before we do.",
)
@click.option("--db", default=None, help="Node SQLite database (default: .opg/node-<address>.sqlite).")
@click.option("--store", default=None, help="Model store directory (default: .opg/models).")
@click.option("--poll-interval", type=float, default=0.2, show_default=True)
@click.option(
    "--deadline-margin",
    type=click.IntRange(min=0),
    default=30,
    show_default=True,
    help="Seconds: skip jobs whose deadline is closer than this (must cover inference + getting the result mined; "
    "a missed deadline costs collateral).",
)
@click.option("--name", default=None, help="Node name in logs.")
@click.option("--zk-circuit", "zk_circuits", multiple=True, type=click.Path(file_okay=False),
              help="`opg zk setup` directory of a served model version: ZK jobs on it are proved (repeatable).")
@click.option(
    "--cheat-rate",
    type=click.FloatRange(0.0, 1.0),
    default=0.0,
    show_default=True,
    help="TEST MODE: corrupt one layer's output on this fraction of jobs (deterministic by --cheat-seed and job id).",
)
@click.option("--cheat-seed", type=int, default=0, show_default=True, help="Seed of --cheat-rate's choices.")
@click.option("--trace-board", default=None, help="Directory to publish each result's layer commitments in.")
@click.option("--enclave-file", default=None, help="Enclave key file: also serve TEE jobs (opg tee register-key).")
@common
@click.pass_context
def provider_run(
    ctx: click.Context,
    models: tuple[int, ...],
    min_fee: str,
    max_inflight: int,
    keeper: str,
    keeper_grace: int,
    db: str | None,
    store: str | None,
    poll_interval: float,
    deadline_margin: int,
    name: str | None,
    zk_circuits: tuple[str, ...],
    cheat_rate: float,
    cheat_seed: int,
    trace_board: str | None,
    enclave_file: str | None,
    **params: Any,
) -> None:
    """Run the provider node (JSON-lines logs on stderr; SIGTERM / Ctrl-C stop it gracefully)."""
    from opg_client.fraud import CheatPolicy, TraceBoard
    from opg_client.node import NodeConfig, ProviderNode, install_signal_handlers
    from opg_client.node.jsonlog import setup_json_logging

    _merge(ctx, params)
    client = _client(ctx)
    account = _account(ctx, client.chain_id)
    setup_json_logging(static={"node": name or account.address[:10]})
    config = NodeConfig(
        db_path=Path(db) if db else DEFAULT_HOME / f"node-{account.address.lower()}.sqlite",
        model_store=Path(store or os.environ.get("OPG_MODEL_STORE") or DEFAULT_HOME / "models"),
        models=tuple(models),
        min_fee=_amount(min_fee),
        max_inflight=max_inflight,
        keeper=keeper,
        keeper_grace=keeper_grace,
        poll_interval=poll_interval,
        deadline_margin=deadline_margin,
        name=name or "provider",
        zk_circuits=tuple(Path(p) for p in zk_circuits),
        cheat=CheatPolicy(cheat_rate, cheat_seed) if cheat_rate > 0 else None,
        trace_board=TraceBoard(trace_board) if trace_board else None,
        enclave=_enclave(enclave_file),
    )
    node = ProviderNode(client, account, config)
    node.preflight()
    install_signal_handlers(node)
    try:
        node.run()
    finally:
        node.close()


def _enclave(path: str | None) -> Any:
    if path is None:
        return None
    from opg_client.tee import SoftwareEnclave

    return SoftwareEnclave.load(path)


# -------------------------------------------------------------------------------------------- job


@cli.group(cls=OpgGroup)
def job() -> None:
    """Submit jobs, follow them, cancel or expire them."""


def parse_input_vector(text: str) -> list[int]:
    """A JSON array of integers (fixed-point model input)."""
    try:
        values = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"malformed input vector: not JSON ({exc.msg})") from None
    if not isinstance(values, list) or not values:
        raise CliError("malformed input vector: expected a non-empty JSON array of integers")
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, int):
            raise CliError(f"malformed input vector: entry {i} is {v!r}, not an integer")
    return values


def digits_sample(index: int) -> tuple[list[int], int]:
    """(model input, true label) of test-split sample `index` of the shipped digits model."""
    from opg_client.runtime import encode_digit_pixels, load_digits_meta

    meta = load_digits_meta()
    if not 0 <= index < len(meta.test_indices):
        raise CliError(f"--sample {index} out of range: the test split has {len(meta.test_indices)} samples")
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise CliError("--sample needs scikit-learn (pip install 'opg-client[train]')") from None
    digits = load_digits()
    row = meta.test_indices[index]
    pixels = [int(p) for p in digits.data[row]]
    return encode_digit_pixels(pixels, meta.frac_bits, meta.input_scale_bits), int(meta.test_labels[index])


def _check_dims(client: Any, model_id: int, version: int, vector: list[int], store: str | None) -> None:
    """If the version's weights are available locally (store or shipped), check the input length."""
    from opg_client.runtime import digits_model_bytes, load_model, model_hash

    weights = client.registry.get_version(model_id, version).weights_hash
    local = _model_store(store)
    model_obj = None
    if weights in local:
        model_obj = local.get(weights)
    else:
        shipped = load_model(digits_model_bytes())
        if model_hash(shipped) == weights:
            model_obj = shipped
    if model_obj is not None and len(vector) != model_obj.input_dim:
        raise CliError(
            f"malformed input vector: model {model_id} v{version} takes {model_obj.input_dim} values, got {len(vector)}"
        )


@job.command("submit")
@click.argument("model_id", type=int)
@click.option("--input", "input_text", default=None, help="Model input: JSON array of fixed-point integers.")
@click.option("--pixels", default=None, help="Digits model: JSON array of 64 pixels 0..16.")
@click.option("--sample", type=int, default=None, help="Digits model: index into the shipped test split.")
@click.option("--version", type=int, default=None, help="Model version (default: latest).")
@click.option("--fee", default=None, help="Fee, OPG (default: the version's price).")
@click.option("--ttl", type=int, default=600, show_default=True, help="Seconds until the deadline.")
@click.option(
    "--pay",
    type=click.Choice(["permit", "allowance"]),
    default="permit",
    show_default=True,
    help="permit: sign an EIP-2612 permit; allowance: use the existing allowance (no approve).",
)
@click.option("--wait", "wait_", is_flag=True, help="Wait for the result.")
@click.option("--timeout", type=float, default=120.0, show_default=True)
@click.option("--store", default=None, help="Model store (to check the input length).")
@click.option("--mode", type=click.Choice(["optimistic", "tee", "zk"]), default="optimistic", show_default=True,
              help="Verification mode (the version must support it; tee / zk settle at submit).")
@common
@click.pass_context
def job_submit(
    ctx: click.Context,
    model_id: int,
    input_text: str | None,
    pixels: str | None,
    sample: int | None,
    version: int | None,
    fee: str | None,
    ttl: int,
    pay: str,
    wait_: bool,
    timeout: float,
    store: str | None,
    mode: str,
    **params: Any,
) -> None:
    """Create a job on MODEL_ID (fee escrowed). Exactly one of --input / --pixels / --sample."""
    from opg_client.models import VerificationMode
    from opg_client.runtime import encode_digit_pixels, encode_vector, load_digits_meta

    _merge(ctx, params)
    if sum(x is not None for x in (input_text, pixels, sample)) != 1:
        raise CliError("give exactly one of --input, --pixels, --sample")
    label = None
    if input_text is not None:
        vector = parse_input_vector(input_text)
    elif pixels is not None:
        meta = load_digits_meta()
        vector = encode_digit_pixels(parse_input_vector(pixels), meta.frac_bits, meta.input_scale_bits)
    else:
        vector, label = digits_sample(int(sample))  # type: ignore[arg-type]
    input_bytes = encode_vector(vector, "input")  # range check (|v| < 2**24)
    client = _client(ctx)
    account = _account(ctx, client.chain_id)
    version = client.registry.latest_version(model_id) if version is None else version
    _check_dims(client, model_id, version, vector, store)
    terms = client.registry.job_terms(model_id, version)
    max_fee = terms.price_per_job if fee is None else _amount(fee)
    deadline = client.timestamp() + min(ttl, client.escrow.max_job_duration())
    escrow = client.escrow
    sender = client.sender(account)
    job_mode = {"optimistic": VerificationMode.Optimistic, "tee": VerificationMode.TEE, "zk": VerificationMode.ZK}[mode]
    if pay == "permit":
        pending = escrow.create_job_with_permit(
            account, model_id, version, job_mode, max_fee, deadline, input_bytes
        )
    else:
        pending = escrow.create_job(
            account, model_id, version, job_mode, max_fee, deadline, input_bytes
        )
    receipt = sender.wait(pending)
    request = escrow.created(receipt)
    data: dict[str, Any] = {
        "job_id": request.job_id,
        "model_id": model_id,
        "version": version,
        "fee": str(request.fee),
        "deadline": request.deadline,
        "tx": request.tx_hash,
        "gas_used": int(receipt["gasUsed"]),
    }
    if label is not None:
        data["label"] = label
    if wait_:
        data.update(_wait_result(client, request.job_id, timeout, False, not _settings(ctx).json))
    emit(
        ctx,
        data,
        lambda: click.echo(
            f"job {request.job_id} created (fee {format_opg(request.fee)}, deadline {request.deadline}) "
            f"tx {request.tx_hash}"
            + (f"; prediction {data['prediction']} by {data['provider']}" if wait_ else "")
            + (f" (true label {label})" if label is not None else "")
        ),
    )


def _result_dict(found: Any) -> dict[str, Any]:
    from opg_client.runtime import argmax, decode_vector

    out: dict[str, Any] = {
        "provider": found.provider,
        "finalized": found.finalized,
        "challenge_end": found.challenge_end,
        "output": _hex(found.output),
        "trace_root": _hex(found.trace_root),
    }
    try:
        vector = decode_vector(found.output, "output")
        out["output_vector"] = [int(v) for v in vector]
        out["prediction"] = argmax(vector)
    except OpgError:
        out["prediction"] = None
    return out


def _wait_result(client: Any, job_id: int, timeout: float, finalized: bool, human: bool = False) -> dict[str, Any]:
    """Poll until the job has a result (or, with `finalized`, is finalized); JobTimeout otherwise.
    For people (`human`), a spinner shows the job's status meanwhile."""
    if not human:
        return _poll_result(client, job_id, timeout, finalized, lambda _status: None)
    with _console().status(f"job {job_id}: waiting", spinner="dots") as spinner:
        return _poll_result(
            client,
            job_id,
            timeout,
            finalized,
            lambda status: spinner.update(
                f"job {job_id}: {status.name} - waiting for the {'finalization' if finalized else 'result'}"
            ),
        )


def _poll_result(
    client: Any, job_id: int, timeout: float, finalized: bool, show: Callable[[Any], None]
) -> dict[str, Any]:
    from opg_client.errors import InvalidJobStatus, JobTimeout
    from opg_client.models import JobStatus

    deadline = time.monotonic() + timeout
    while True:
        status = client.escrow.job_status(job_id)  # read first: the result read is then no older
        found = client.escrow.find_result(job_id)
        if found is not None and (found.finalized or not finalized):
            return _result_dict(found)
        if status in (JobStatus.Closed, JobStatus.None_):
            raise InvalidJobStatus(jobId=job_id, status=status)
        if time.monotonic() >= deadline:
            raise JobTimeout(job_id, timeout, status)
        show(status)
        time.sleep(0.2)


def _require_known_job(client: Any, job_id: int) -> None:
    """CliError unless the escrow issued JOB_ID (ids are not dense: see IInferenceEscrow's job ids)."""
    from opg_client.models import JobStatus

    if client.escrow.job_status(job_id) == JobStatus.None_:
        raise CliError(f"unknown job {job_id} (latest job: {client.escrow.last_job_id()})")


@job.command("status")
@click.argument("job_id", type=int)
@common
@click.pass_context
def job_status(ctx: click.Context, job_id: int, **params: Any) -> None:
    """Status of JOB_ID and its result, if any."""
    from opg_client.models import JobStatus

    _merge(ctx, params)
    client = _client(ctx)
    _require_known_job(client, job_id)
    j = client.escrow.get_job(job_id)
    data: dict[str, Any] = {"job_id": job_id, "status": j.status.name.rstrip("_")}
    if j.status != JobStatus.Closed:
        data.update(
            {
                "requester": j.requester,
                "provider": j.provider,
                "fee": str(j.fee),
                "model_id": j.model_id,
                "version": j.version,
                "deadline": j.deadline,
            }
        )
    found = client.escrow.find_result(job_id)
    if found is not None:
        data["result"] = _result_dict(found)
    emit(
        ctx,
        data,
        lambda: click.echo(
            f"job {job_id}: {data['status']}"
            + (
                f", prediction {data['result']['prediction']} by {data['result']['provider']}"
                f"{' (finalized)' if data['result']['finalized'] else ''}"
                if found
                else ""
            )
        ),
    )


@job.command("wait")
@click.argument("job_id", type=int)
@click.option("--finalized", is_flag=True, help="Wait until the job is finalized, not just answered.")
@click.option("--timeout", type=float, default=120.0, show_default=True)
@common
@click.pass_context
def job_wait(ctx: click.Context, job_id: int, finalized: bool, timeout: float, **params: Any) -> None:
    """Block until JOB_ID has a result (or is finalized)."""
    _merge(ctx, params)
    client = _client(ctx)
    _require_known_job(client, job_id)
    data = {"job_id": job_id, **_wait_result(client, job_id, timeout, finalized, not _settings(ctx).json)}
    emit(ctx, data, lambda: click.echo(f"job {job_id}: prediction {data['prediction']} by {data['provider']}"))


@job.command("cancel")
@click.argument("job_id", type=int)
@common
@click.pass_context
def job_cancel(ctx: click.Context, job_id: int, **params: Any) -> None:
    """Cancel your unclaimed job JOB_ID (full refund)."""
    _merge(ctx, params)
    client = _client(ctx)
    account = _account(ctx, client.chain_id)
    receipt = client.sender(account).wait(client.escrow.cancel_job(account, job_id))
    refund = int(client.escrow.event_in(receipt, "JobCancelled")["refund"])
    emit(
        ctx,
        {"job_id": job_id, "refund": str(refund), "tx": _hex(receipt["transactionHash"])},
        lambda: click.echo(f"job {job_id} cancelled, refunded {format_opg(refund)}"),
    )


@job.command("expire")
@click.argument("job_id", type=int)
@common
@click.pass_context
def job_expire(ctx: click.Context, job_id: int, **params: Any) -> None:
    """Expire overdue job JOB_ID (refund to the requester; bounty to you if it was claimed)."""
    _merge(ctx, params)
    client = _client(ctx)
    account = _account(ctx, client.chain_id)
    receipt = client.sender(account).wait(client.escrow.expire_job(account, job_id))
    ev = client.escrow.event_in(receipt, "JobExpired")
    data = {
        "job_id": job_id,
        "refund": str(ev["refund"]),
        "slashed": str(ev["slashed"]),
        "bounty": str(ev["bounty"]),
        "tx": _hex(receipt["transactionHash"]),
    }
    emit(
        ctx,
        data,
        lambda: click.echo(
            f"job {job_id} expired: refund {format_opg(int(ev['refund']))}, bounty {format_opg(int(ev['bounty']))}"
        ),
    )


# ---------------------------------------------------------------------------------------- rewards


@cli.group(cls=OpgGroup)
def rewards() -> None:
    """Claimable fees and emissions."""


@rewards.command("show")
@click.option("--address", default=None, help="Any account (default: yours).")
@common
@click.pass_context
def rewards_show(ctx: click.Context, address: str | None, **params: Any) -> None:
    """Claimable fee balance and emissions of an account."""
    _merge(ctx, params)
    client = _client(ctx)
    address = address or _account(ctx, client.chain_id).address
    c = client.rewards.claimable(address)
    data = {
        "account": address,
        "claimable_fees": str(c.fees),
        "claimable_emissions": str(c.emissions),
        "epoch": client.rewards.current_epoch(),
        "treasury_accrued": str(client.rewards.treasury_accrued()),
    }
    emit(
        ctx,
        data,
        lambda: click.echo(
            f"{address}: fees {format_opg(c.fees)}, emissions {format_opg(c.emissions)} (epoch {data['epoch']})"
        ),
    )


@rewards.command("claim")
@click.option("--treasury", "treasury_", is_flag=True, help="Pay the accrued treasury share to the treasury.")
@common
@click.pass_context
def rewards_claim(ctx: click.Context, treasury_: bool, **params: Any) -> None:
    """Claim your fee balance and emissions (or, with --treasury, trigger the treasury payout)."""
    from opg_client.roles import RewardsClaimant

    _merge(ctx, params)
    client = _client(ctx)
    account = _account(ctx, client.chain_id)
    if treasury_:
        receipt = client.sender(account).wait(client.rewards.claim_treasury(account))
        amount = int(client.rewards.event_in(receipt, "TreasuryClaimed")["amount"])
        emit(
            ctx,
            {"treasury_paid": str(amount), "tx": _hex(receipt["transactionHash"])},
            lambda: click.echo(f"treasury paid {format_opg(amount)}"),
        )
        return
    claimed = RewardsClaimant(client, account).claim()
    emit(
        ctx,
        {
            "account": account.address,
            "fees": str(claimed.fees),
            "emissions": str(claimed.emissions),
            "tx": claimed.tx_hash,
        },
        lambda: click.echo(f"claimed {format_opg(claimed.fees)} fees + {format_opg(claimed.emissions)} emissions"),
    )


# ------------------------------------------------------------------------------------------- demo


@cli.command("demo")
@click.option("--jobs", "n_jobs", type=int, default=24, show_default=True, help="Jobs to submit.")
@click.option("--providers", "n_providers", type=int, default=2, show_default=True)
@click.option("--logs", default=None, help="Directory for node logs / databases (default: a temp dir).")
@click.option("--json", "as_json", is_flag=True, default=False, help="Machine-readable output.")
@click.pass_context
def demo_cmd(ctx: click.Context, n_jobs: int, n_providers: int, logs: str | None, as_json: bool) -> None:
    """Full lifecycle on a fresh local Anvil: deploy, register, stake, run nodes, jobs, settle, balance sheet."""
    from opg_client.demo import run_demo

    s = _settings(ctx)
    s.json = s.json or as_json
    report = run_demo(n_jobs=n_jobs, n_providers=n_providers, log_dir=logs, human=not s.json)
    if s.json:
        click.echo(json.dumps({"ok": True, **report}, default=_json_default))


# `python -m opg_client.cli` runs this file as `__main__`: the sub-command modules below import
# `opg_client.cli`, which must be this module (not a second copy, whose `cli` they would register on).
if __name__ == "__main__":
    sys.modules.setdefault("opg_client.cli", sys.modules[__name__])

# ------------------------------------------------------------------------------------------- simulate

from opg_client.sim.cli import simulate_cmd  # noqa: E402  (defined in the sim package, registered here)

cli.add_command(simulate_cmd)

# ------------------------------------------------------------------------------------------- watch

from opg_client.fraud.cli import watch_cmd  # noqa: E402  (defined in the fraud package, registered here)

cli.add_command(watch_cmd)

from opg_client.tee_cli import tee  # noqa: E402  (the `opg tee` group, registered here)

cli.add_command(tee)

from opg_client.cli_batch import batch_group  # noqa: E402  (`opg batch ...`, defined beside the wrapper)

cli.add_command(batch_group)

# Delegation commands live in their own module; importing it registers them on `cli` and `provider`.
from opg_client import cli_delegation as _cli_delegation  # noqa: E402, F401


def main(argv: Sequence[str] | None = None) -> None:
    cli.main(args=list(argv) if argv is not None else None, prog_name="opg")


if __name__ == "__main__":
    main()
