"""`opg demo`: the whole protocol on a fresh local chain, end to end, with real inference.

Anvil (free port) -> deploy the suite (web3, `ape compile` artifacts) -> register the shipped digits model
(real weights hash + layer commitments) -> stake providers and start their nodes (subprocesses running
`opg provider run`) -> submit jobs whose inputs are samples of the shipped test split -> predictions vs
labels -> advance past the challenge window -> the nodes' keepers finalize -> advance past the epoch ->
claims -> a balance sheet per party that must balance (checked; DemoError otherwise) -> everything stopped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3

from opg_client.chain import OpgClient
from opg_client.errors import OpgError
from opg_client.localchain import LocalChain, deferred_signals, dev_account, unblock_signals
from opg_client.units import OPG, format_opg

ROOT = Path(__file__).resolve().parents[2]
ZERO = "0x0000000000000000000000000000000000000000"
PRICE = 2 * OPG
ROYALTY_BPS = 1_000


class DemoError(OpgError):
    """The demo failed a check (e.g. the balance sheet does not balance)."""


@dataclass
class Gas:
    steps: dict[str, list[int]] = field(default_factory=dict)

    def add(self, step: str, receipt: Any) -> None:
        self.steps.setdefault(step, []).append(int(receipt["gasUsed"]))

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"step": k, "txs": len(v), "total": sum(v), "avg": sum(v) // len(v), "max": max(v)}
            for k, v in self.steps.items()
        ]


class _Out:
    def __init__(self, human: bool) -> None:
        self.human = human
        if human:
            from rich.console import Console

            self.console = Console(width=None if sys.stdout.isatty() else 110)

    def step(self, text: str) -> None:
        if self.human:
            self.console.print(f"[bold cyan]▶[/] {text}")

    def print(self, obj: Any) -> None:
        if self.human:
            self.console.print(obj)

    def table(
        self, title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], justify: Sequence[str] | None = None
    ) -> None:
        if not self.human:
            return
        from rich.table import Table

        table = Table(title=title, title_justify="left")
        for i, column in enumerate(columns):
            table.add_column(column, justify=(justify[i] if justify else "left"))  # type: ignore[arg-type]
        for row in rows:
            table.add_row(*[str(c) for c in row])
        self.console.print(table)

    @contextmanager
    def progress(self, what: str, total: int) -> Iterator[Callable[[int], None]]:
        if not self.human:
            yield lambda _done: None
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("  {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        ) as progress:
            task = progress.add_task(what, total=total)
            yield lambda done: progress.update(task, completed=done)


def find_artifacts() -> Any:
    """Build artifacts: $OPG_ARTIFACTS, ./.build, the checkout's .build; compiles with ape if none exist."""
    from opg_client.deploy import DeployError, load_artifacts

    candidates = [
        os.environ.get("OPG_ARTIFACTS"),
        Path.cwd() / ".build" / "__local__.json",
        ROOT / ".build" / "__local__.json",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return _load_settled(load_artifacts, candidate)
    ape = Path(sys.executable).with_name("ape")
    if not ape.exists() or not (ROOT / "contracts").is_dir():
        raise DeployError("no build artifacts and no `ape` to compile them: run `ape compile` first")
    env = {**os.environ, "SOLCX_BINARY_PATH": str(ROOT / ".solc")}
    env["PATH"] = f"{ROOT / 'node_modules' / '.bin'}:{ape.parent}:{env.get('PATH', '')}"
    done = subprocess.run([str(ape), "compile"], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["(no output)"]
        raise DeployError(f"`ape compile` failed (exit {done.returncode}): {tail[0]}")
    return _load_settled(load_artifacts, ROOT / ".build" / "__local__.json")


def _load_settled(load: Callable[[Any], Any], path: Any, tries: int = 20) -> Any:
    """Load build artifacts, riding out a concurrent `ape compile` rewriting the file (half-written JSON)."""
    from opg_client.deploy import DeployError

    for attempt in range(tries):
        try:
            return load(path)
        except (ValueError, DeployError):  # json.JSONDecodeError is a ValueError
            if attempt == tries - 1:
                raise
            time.sleep(0.5)
    raise AssertionError("unreachable")


def digits_samples(n: int) -> list[tuple[int, list[int], int]]:
    """(dataset row, model input, true label) of the first `n` samples of the shipped test split."""
    from sklearn.datasets import load_digits

    from opg_client.runtime import encode_digit_pixels, load_digits_meta

    meta = load_digits_meta()
    if n > len(meta.test_indices):
        raise DemoError(f"the test split has {len(meta.test_indices)} samples, asked for {n}")
    data = load_digits().data
    out = []
    for row, label in list(zip(meta.test_indices, meta.test_labels, strict=True))[:n]:
        pixels = [int(p) for p in data[row]]
        out.append((row, encode_digit_pixels(pixels, meta.frac_bits, meta.input_scale_bits), int(label)))
    return out


def _start_node(
    manifest_path: Path,
    account: LocalAccount,
    model_id: int,
    workdir: Path,
    name: str,
    nodes: list[subprocess.Popen[bytes]],
) -> Path:
    """Spawn a node process and record it in `nodes` (atomically with respect to Ctrl-C)."""
    log_path = workdir / f"{name}.log.jsonl"
    env = {**os.environ, "OPG_PRIVATE_KEY": "0x" + bytes(account.key).hex(), "PYTHONUNBUFFERED": "1"}
    args = [
        sys.executable,
        "-m",
        "opg_client.cli",
        "--manifest",
        str(manifest_path),
        "provider",
        "run",
        "--model",
        str(model_id),
        "--db",
        str(workdir / f"{name}.sqlite"),
        "--store",
        str(workdir / name / "models"),
        "--keeper",
        "own",
        "--poll-interval",
        "0.1",
        "--max-inflight",
        "4",
        "--name",
        name,
    ]
    with open(log_path, "wb") as log, deferred_signals():
        nodes.append(subprocess.Popen(args, stdout=log, stderr=log, env=env, preexec_fn=unblock_signals))
    return log_path


def _stop_process(proc: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def _await_events(
    out: Any, client: Any, from_block: int, event: str, label: str, count: int, nodes: Any, workdir: Any,
    timeout: float = 60.0,
) -> dict[int, Any]:
    """Poll the escrow's `event` logs until `count` distinct jobs have one (progress bar; the nodes are checked
    to be alive on every round); DemoError after `timeout` seconds."""
    seen: dict[int, Any] = {}
    with out.progress(label, count) as update:
        give_up = time.monotonic() + timeout
        while len(seen) < count:
            for log in _logs(client, "InferenceEscrow", event, from_block):
                seen[int(log["args"]["jobId"])] = log
            update(len(seen))
            _check_nodes(nodes, workdir)
            if time.monotonic() > give_up:
                raise DemoError(f"only {len(seen)}/{count} {label} after {timeout:.0f} s (node logs in {workdir})")
            if len(seen) < count:
                time.sleep(0.2)
    return seen


def _logs(client: OpgClient, contract: str, event: str, from_block: int, **filters: Any) -> list[Any]:
    ev = client.contract(contract).events[event]()
    return list(ev.get_logs(from_block=from_block, argument_filters=filters or None))


def _transfers(client: OpgClient, from_block: int, to_block: int) -> list[Any]:
    ev = client.contract("OPGToken").events.Transfer()
    return list(ev.get_logs(from_block=from_block, to_block=to_block))


def run_demo(
    *, n_jobs: int = 24, n_providers: int = 2, log_dir: str | None = None, human: bool = True
) -> dict[str, Any]:
    if n_providers < 2:
        raise DemoError("the demo runs at least two providers")
    if n_providers + 4 > 10:
        raise DemoError("at most 6 providers (anvil funds 10 dev accounts)")
    out = _Out(human)
    started = time.monotonic()
    timings: dict[str, float] = {}
    workdir = Path(log_dir) if log_dir else Path(tempfile.mkdtemp(prefix="opg-demo-"))
    workdir.mkdir(parents=True, exist_ok=True)
    nodes: list[subprocess.Popen[bytes]] = []
    chain: LocalChain | None = None
    previous_term = signal.getsignal(signal.SIGTERM)

    def _on_term(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    previous_int = signal.getsignal(signal.SIGINT)
    with contextlib.suppress(ValueError):  # ValueError: not the main thread
        signal.signal(signal.SIGTERM, _on_term)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C even if started with SIGINT ignored
    try:

        def mark(name: str, since: float) -> float:
            now = time.monotonic()
            timings[name] = round(now - since, 2)
            return now

        t = time.monotonic()
        samples = digits_samples(n_jobs)
        artifacts = find_artifacts()
        out.step("starting a local Anvil")
        with deferred_signals():  # Ctrl-C lands once `chain` is set, so the finally below stops it
            chain = LocalChain.start()
        out.print(f"  anvil on {chain.url} (pid {chain.proc.pid}); work dir {workdir}")
        t = mark("start_chain", t)
        report = _run(chain, artifacts, samples, n_providers, workdir, nodes, out, mark, t)
        report["timings"] = timings
        report["anvil_pid"] = chain.proc.pid
        report["node_pids"] = [proc.pid for proc in nodes]
        report["elapsed_s"] = round(time.monotonic() - started, 2)
        report["work_dir"] = str(workdir)
        out.print(f"\n[bold green]demo finished in {report['elapsed_s']} s[/] (timings: {timings})")
        return report
    finally:
        for proc in nodes:
            _stop_process(proc)
        if chain is not None:
            chain.stop()
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGTERM, previous_term)
            signal.signal(signal.SIGINT, previous_int)


def _run(
    chain: LocalChain,
    artifacts: Any,
    samples: list[tuple[int, list[int], int]],
    n_providers: int,
    workdir: Path,
    nodes: list[subprocess.Popen[bytes]],
    out: _Out,
    mark: Callable[[str, float], float],
    t: float,
) -> dict[str, Any]:
    from opg_client.cli import deploy_with_web3
    from opg_client.deploy import SuiteParams
    from opg_client.manifest import write_manifest
    from opg_client.models import VerificationMode
    from opg_client.roles import Researcher
    from opg_client.runtime import (
        argmax,
        decode_vector,
        digits_model_bytes,
        encode_vector,
        layer_commitments,
        load_digits_model,
        model_hash,
        trace,
        trace_root,
    )
    from opg_client.transport import RetryingHTTPProvider

    gas = Gas()
    deployer, treasury, researcher = dev_account(0), dev_account(1), dev_account(2)
    providers = [dev_account(3 + i) for i in range(n_providers)]
    requester = dev_account(3 + n_providers)
    keeper = deployer  # triggers the treasury payout

    # ------------------------------------------------------------------------------------------ deploy
    out.step("deploying the suite (web3, artifacts from `ape compile`)")
    w3 = Web3(RetryingHTTPProvider(chain.url))
    suite = SuiteParams(treasury=treasury.address, guardian=deployer.address, proposers=(deployer.address,))
    manifest, deploy_gas = deploy_with_web3(w3, deployer, artifacts, suite, network="local", rpc_url=chain.url)
    manifest_path = write_manifest(manifest, workdir / "local.json")
    for label, used in deploy_gas.items():
        gas.steps.setdefault("deploy + wiring" if not label.startswith("deploy ") else label, []).append(used)
    client = OpgClient.connect(manifest_path)
    token, escrow_c, rewards_c = (client.contract(n) for n in ("OPGToken", "InferenceEscrow", "RewardSettlement"))
    out.print(f"  {len(manifest.contracts)} contracts, {sum(deploy_gas.values()):,} gas; manifest {manifest_path}")
    t = mark("deploy", t)

    # ------------------------------------------------------------------------------------------ funding
    stake_amount = suite.min_stake + 500 * OPG
    budget = PRICE * len(samples)
    funding = [(p.address, stake_amount) for p in providers] + [(requester.address, budget + 100 * OPG)]
    tsender = client.sender(treasury)
    tgas = tsender.estimate_gas(token.functions.transfer(requester.address, 1))
    tsender.wait_all([tsender.send(token.functions.transfer(a, v), gas=tgas) for a, v in funding])

    # The balance sheet window starts here: every OPG movement from now on is accounted for.
    parties: dict[str, str] = {"requester": requester.address}
    for i, p in enumerate(providers):
        parties[f"provider {i + 1}"] = p.address
    parties.update(
        {
            "model owner": researcher.address,
            "treasury": treasury.address,
            "ProviderStaking": manifest.address("ProviderStaking"),
            "InferenceEscrow": manifest.address("InferenceEscrow"),
            "RewardSettlement": manifest.address("RewardSettlement"),
        }
    )
    sheet_from_block = client.block_number() + 1
    before = {name: client.token.balance_of(a) for name, a in parties.items()}
    supply_before = client.token.total_supply()

    # ------------------------------------------------------------------------------------------ model
    out.step("registering the shipped digits model")
    model_obj = load_digits_model()
    weights_hash = model_hash(model_obj)
    commitments = layer_commitments(model_obj)
    params = Researcher.params(
        weights_hash, commitments, "opg://digits-mlp", PRICE, ROYALTY_BPS, [VerificationMode.Optimistic]
    )
    rsender = client.sender(researcher)
    receipt = rsender.wait(client.registry.register_model(researcher, params))
    gas.add("registerModel", receipt)
    model_id = client.registry.published(receipt).model_id
    out.print(
        f"  model {model_id}: weights {'0x' + weights_hash.hex()}, {len(commitments)} layer commitments, "
        f"price {format_opg(PRICE)}, royalty {ROYALTY_BPS} bps"
    )

    # ------------------------------------------------------------------------------------------ providers
    out.step(f"staking {n_providers} providers and starting their nodes")
    for i, p in enumerate(providers):
        psender = client.sender(p)
        gas.add("stakeWithPermit", psender.wait(client.staking.stake_with_permit(p, stake_amount)))
        gas.add("serveModel", psender.wait(client.staking.serve_model(p, model_id)))
        from opg_client.runtime import ModelStore

        ModelStore(workdir / f"node{i + 1}" / "models").put(digits_model_bytes())
    for i, p in enumerate(providers):
        log_path = _start_node(manifest_path, p, model_id, workdir, f"node{i + 1}", nodes)
        proc = nodes[-1]
        out.print(f"  node{i + 1}: {p.address} staked {format_opg(stake_amount)} (pid {proc.pid}, log {log_path})")
    t = mark("setup", t)

    # ------------------------------------------------------------------------------------------ jobs
    out.step(f"submitting {len(samples)} jobs (inputs: shipped digits test split)")
    qsender = client.sender(requester)
    qsender.wait(client.token.approve(requester, escrow_c.address, budget))
    deadline = client.timestamp() + 1_800
    pendings = [
        client.escrow.create_job(
            requester, model_id, 1, VerificationMode.Optimistic, PRICE, deadline, encode_vector(x, "input")
        )
        for _, x, _ in samples
    ]
    receipts = qsender.wait_all(pendings)
    job_ids = []
    for r in receipts:
        gas.add("createJob", r)
        job_ids.append(client.escrow.created(r).job_id)
    t = mark("submit_jobs", t)

    results = _await_events(out, client, manifest.block, "ResultSubmitted", "results", len(job_ids), nodes, workdir)
    t = mark("inference", t)

    names = {p.address: f"provider {i + 1}" for i, p in enumerate(providers)}
    rows, correct, verified = [], 0, 0
    per_provider: dict[str, int] = {}
    for job_id, (row, x, label) in zip(job_ids, samples, strict=True):
        log = results[job_id]
        output = decode_vector(bytes(log["args"]["output"]), "output")
        prediction = argmax(output)
        tr = trace(model_obj, x)
        expected = encode_vector(tr.output, "output")
        same = expected == bytes(log["args"]["output"]) and trace_root(tr) == bytes(log["args"]["traceRoot"])
        verified += same
        correct += prediction == label
        who = names.get(str(log["args"]["provider"]), str(log["args"]["provider"]))
        per_provider[who] = per_provider.get(who, 0) + 1
        rows.append((job_id, row, label, prediction, "✓" if prediction == label else "✗", who, "yes" if same else "NO"))
    accuracy = correct / len(job_ids)
    out.table("predictions", ["job", "sample", "label", "prediction", "", "provider", "output re-checked"], rows)
    out.print(f"  accuracy {correct}/{len(job_ids)} = {accuracy:.1%}; jobs per provider {per_provider}")
    if verified != len(job_ids):
        raise DemoError(
            f"{len(job_ids) - verified} outputs / trace roots differ from a local re-execution of the model"
        )
    for log in _logs(client, "InferenceEscrow", "JobClaimed", manifest.block):
        gas.add("claimJob", client.w3.eth.get_transaction_receipt(log["transactionHash"]))
    for log in results.values():
        gas.add("submitResult", client.w3.eth.get_transaction_receipt(log["transactionHash"]))

    # ------------------------------------------------------------------------------------------ finalize
    window = int(escrow_c.functions.challengeWindow().call())
    out.step(f"advancing time past the challenge window ({window} s); the nodes' keepers finalize")
    chain.advance_time(window + 1)
    finalized = _await_events(out, client, manifest.block, "JobFinalized", "finalized", len(job_ids), nodes, workdir)
    for log in finalized.values():
        gas.add("finalizeJob (keeper)", client.w3.eth.get_transaction_receipt(log["transactionHash"]))
    t = mark("finalize", t)

    # ------------------------------------------------------------------------------------------ epoch + claims
    epoch = client.rewards.current_epoch()
    genesis = int(rewards_c.functions.GENESIS_TIME().call())
    length = int(rewards_c.functions.EPOCH_LENGTH().call())
    jump = genesis + (epoch + 1) * length - client.timestamp() + 1
    out.step(f"advancing {jump} s past the end of epoch {epoch}; claiming rewards")
    chain.advance_time(jump)
    for proc in nodes:  # the nodes have nothing left to do: stop them (SIGTERM, graceful)
        _stop_process(proc)
    claims = []
    for who, account in [*((f"provider {i + 1}", p) for i, p in enumerate(providers)), ("model owner", researcher)]:
        owed = client.rewards.claimable(account.address)
        if owed.fees + owed.emissions == 0:  # a provider that lost every claim race: nothing to claim
            claims.append({"party": who, "fees": 0, "emissions": 0})
            continue
        receipt = client.sender(account).wait(client.rewards.claim(account))
        gas.add("claim", receipt)
        c = client.rewards.claimed(receipt)
        claims.append({"party": who, "fees": c.fees, "emissions": c.emissions})
    receipt = client.sender(keeper).wait(client.rewards.claim_treasury(keeper))
    gas.add("claimTreasury", receipt)
    treasury_paid = int(client.rewards.event_in(receipt, "TreasuryClaimed")["amount"])
    claims.append({"party": "treasury", "fees": treasury_paid, "emissions": 0})
    out.table(
        "claims",
        ["party", "fees", "emissions"],
        [(c["party"], format_opg(c["fees"]), format_opg(c["emissions"])) for c in claims],
        ["left", "right", "right"],
    )
    t = mark("settle", t)

    # ------------------------------------------------------------------------------------------ balance sheet
    sheet = balance_sheet(client, parties, before, supply_before, sheet_from_block)
    out.table(
        "balance sheet (OPG, from funding to the end)",
        ["party", "before", "after", "delta"],
        [
            *(
                (r["party"], format_opg(r["before"]), format_opg(r["after"]), format_opg(r["delta"]))
                for r in sheet["rows"]
            ),
            ("minted (emissions, a source)", "", "", format_opg(-sheet["minted"])),
            ("burned (a sink)", "", "", format_opg(sheet["burned"])),
            ("Σ deltas - minted + burned", "", "", format_opg(sheet["check"])),
        ],
        ["left", "right", "right", "right"],
    )
    out.print(
        f"  [green]balanced[/]: Σ deltas {format_opg(sheet['sum_deltas'])} = minted {format_opg(sheet['minted'])}"
        f" - burned {format_opg(sheet['burned'])}; totalSupply change {format_opg(sheet['supply_change'])}"
    )
    gas_rows = gas.rows()
    out.table(
        "gas per step",
        ["step", "txs", "total", "avg", "max"],
        [(g["step"], g["txs"], f"{g['total']:,}", f"{g['avg']:,}", f"{g['max']:,}") for g in gas_rows],
        ["left", "right", "right", "right", "right"],
    )
    lifecycle = sum(
        next(g["avg"] for g in gas_rows if g["step"] == s)
        for s in ("createJob", "claimJob", "submitResult", "finalizeJob (keeper)")
    )
    out.print(f"  one optimistic job lifecycle (create + claim + submit + finalize, averages): {lifecycle:,} gas")
    mark("report", t)
    return {
        "rpc_url": chain.url,
        "model_id": model_id,
        "weights_hash": "0x" + weights_hash.hex(),
        "jobs": [{"job_id": r[0], "sample": r[1], "label": r[2], "prediction": r[3], "provider": r[5]} for r in rows],
        "accuracy": accuracy,
        "jobs_per_provider": per_provider,
        "claims": [{k: str(v) if isinstance(v, int) else v for k, v in c.items()} for c in claims],
        "balance_sheet": {
            **{k: v for k, v in sheet.items() if k != "rows"},
            "rows": [{k: str(v) if isinstance(v, int) else v for k, v in r.items()} for r in sheet["rows"]],
        },
        "gas": gas_rows,
        "lifecycle_gas": lifecycle,
    }


def _check_nodes(nodes: list[subprocess.Popen[bytes]], workdir: Path) -> None:
    for i, proc in enumerate(nodes):
        if proc.poll() is not None:
            log = workdir / f"node{i + 1}.log.jsonl"
            lines = log.read_text(errors="replace").strip().splitlines() if log.exists() else []
            last = lines[-1][:300] if lines else "(no output)"
            raise DemoError(f"provider node{i + 1} exited with code {proc.returncode}: {last} (logs in {workdir})")


def balance_sheet(
    client: OpgClient, parties: dict[str, str], before: dict[str, int], supply_before: int, from_block: int
) -> dict[str, Any]:
    """Per-party OPG deltas since `from_block`, minted and burned (from Transfer logs), and the checks:
    every address that moved OPG is a party (else it gets its own row), Σ deltas - minted + burned == 0,
    and totalSupply moved by minted - burned. Raises DemoError when any check fails."""
    to_block = client.block_number()
    minted = burned = 0
    touched: set[str] = set()
    for log in _transfers(client, from_block, to_block):
        src, dst, value = str(log["args"]["from"]), str(log["args"]["to"]), int(log["args"]["value"])
        if src == ZERO:
            minted += value
        else:
            touched.add(src)
        if dst == ZERO:
            burned += value
        else:
            touched.add(dst)
    by_address = {a: n for n, a in parties.items()}
    rows = []
    for name, address in parties.items():
        after = client.token.balance_of(address)
        rows.append(
            {"party": name, "address": address, "before": before[name], "after": after, "delta": after - before[name]}
        )
    for address in sorted(touched - set(by_address)):
        raise DemoError(f"OPG moved through {address}, which is not on the balance sheet")
    sum_deltas = sum(r["delta"] for r in rows)
    supply_change = client.token.total_supply() - supply_before
    check = sum_deltas - minted + burned
    if check != 0:
        raise DemoError(f"balance sheet does not balance: Σ deltas - minted + burned = {check} wei")
    if supply_change != minted - burned:
        raise DemoError(f"totalSupply moved {supply_change} wei but minted - burned = {minted - burned} wei")
    return {
        "rows": rows,
        "minted": minted,
        "burned": burned,
        "sum_deltas": sum_deltas,
        "check": check,
        "supply_change": supply_change,
        "from_block": from_block,
        "to_block": to_block,
    }
