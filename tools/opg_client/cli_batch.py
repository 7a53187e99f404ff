"""`opg batch ...`: batch Merkle settlement from the command line (requester balances, signing job requests,
post / pay / dispute / close a batch file). Registered on `opg` by opg_client.cli."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from opg_client.batch import BatchFile
from opg_client.batchtree import Leaf
from opg_client.cli import OpgGroup, _account, _amount, _client, common, emit


@click.group("batch", cls=OpgGroup)
def batch_group() -> None:
    """Batch Merkle settlement: prepaid balances, signed job requests, one root for many jobs."""


def _tx(pending: Any) -> dict[str, Any]:
    receipt = pending.wait()
    return {"tx": "0x" + bytes(receipt["transactionHash"]).hex(), "gasUsed": int(receipt["gasUsed"])}


@batch_group.command("deposit")
@click.argument("amount")
@click.option("--permit", is_flag=True, help="Pay by EIP-2612 permit instead of an existing allowance.")
@common
@click.pass_context
def batch_deposit(ctx: click.Context, amount: str, permit: bool, **params: Any) -> None:
    """Prepay AMOUNT (OPG, or '123wei') into your batch balance."""
    from opg_client.cli import _merge

    _merge(ctx, params)
    client = _client(ctx)
    acct = _account(ctx, client.chain_id)
    wei = _amount(amount)
    if permit:
        pending = client.batches.deposit_with_permit(acct, wei, client.timestamp() + 3_600)
    else:
        pending = client.batches.deposit(acct, wei)
    out = _tx(pending)
    emit(ctx, {**out, "balance": client.batches.account_of(acct.address).balance})


@batch_group.command("balance")
@click.argument("address", required=False)
@common
@click.pass_context
def batch_balance(ctx: click.Context, address: str | None, **params: Any) -> None:
    """Prepaid balance, announced withdrawal and its unlock time (default: your account)."""
    from opg_client.cli import _merge

    _merge(ctx, params)
    client = _client(ctx)
    who = address or _account(ctx, client.chain_id).address
    acc = client.batches.account_of(who)
    emit(ctx, {"requester": who, "balance": acc.balance, "withdrawal": acc.withdrawal, "unlockAt": acc.unlock_at})


@batch_group.command("withdraw-request")
@click.argument("amount")
@common
@click.pass_context
def batch_withdraw_request(ctx: click.Context, amount: str, **params: Any) -> None:
    """Announce a withdrawal of AMOUNT (executable after the withdrawal notice)."""
    from opg_client.cli import _merge

    _merge(ctx, params)
    client = _client(ctx)
    acct = _account(ctx, client.chain_id)
    out = _tx(client.batches.request_withdrawal(acct, _amount(amount)))
    emit(ctx, {**out, "unlockAt": client.batches.account_of(acct.address).unlock_at})


@batch_group.command("withdraw")
@common
@click.pass_context
def batch_withdraw(ctx: click.Context, **params: Any) -> None:
    """Execute your announced withdrawal (after its notice)."""
    from opg_client.cli import _merge

    _merge(ctx, params)
    client = _client(ctx)
    acct = _account(ctx, client.chain_id)
    emit(ctx, _tx(client.batches.withdraw(acct)))


@batch_group.command("sign")
@click.option("--provider", required=True, help="Provider address the request is for.")
@click.option("--model", "model_id", type=int, required=True)
@click.option("--version", type=int, required=True)
@click.option("--job-id", type=int, required=True, help="Your job id (a nonce of yours, never reused).")
@click.option("--fee", required=True, help="OPG (or '123wei').")
@click.option("--input-hash", required=True, help="0x keccak256 of the input (its chain commitment).")
@click.option("--deadline", type=int, required=True, help="Unix s: the batch must be posted by then.")
@common
@click.pass_context
def batch_sign(ctx: click.Context, provider: str, model_id: int, version: int, job_id: int, fee: str,
               input_hash: str, deadline: int, **params: Any) -> None:
    """Sign a JobRequest (no transaction): hand the output to the provider."""
    from opg_client.cli import _merge

    _merge(ctx, params)
    client = _client(ctx)
    acct = _account(ctx, client.chain_id)
    leaf = Leaf(0, job_id, acct.address, _amount(fee), bytes.fromhex(input_hash.removeprefix("0x")), b"\x00" * 32)
    sig = client.batches.sign_request(acct, provider, model_id, version, leaf, deadline)
    emit(ctx, {"requester": acct.address, "jobId": job_id, "fee": str(leaf.fee), "inputHash": input_hash,
               "deadline": deadline, "r": "0x" + sig.r.hex(), "vs": "0x" + sig.vs.hex()})


@batch_group.command("build")
@click.argument("answered", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", "model_id", type=int, required=True)
@click.option("--version", type=int, required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@common
@click.pass_context
def batch_build(ctx: click.Context, answered: Path, model_id: int, version: int, out: Path, **params: Any) -> None:
    """Build a batch file from ANSWERED (JSON list of the `opg batch sign` outputs, each with the provider's
    "outputHash" and "traceRoot" added); leaves ordered by requester, then job id (cheapest payout)."""
    from opg_client.batch import build_batch
    from opg_client.batchtree import RequestSignature
    from opg_client.cli import _merge

    _merge(ctx, params)
    client = _client(ctx)
    provider = _account(ctx, client.chain_id).address
    rows = sorted(json.loads(answered.read_text()), key=lambda e: (e["requester"].lower(), int(e["jobId"])))

    def b32(text: str) -> bytes:
        return bytes.fromhex(text.removeprefix("0x"))

    pairs = [
        (Leaf(0, int(e["jobId"]), e["requester"], int(e["fee"]), b32(e["inputHash"]), b32(e["outputHash"]),
              b32(e.get("traceRoot", "0x" + "00" * 32))),
         RequestSignature(int(e["deadline"]), b32(e["r"]), b32(e["vs"])))
        for e in rows
    ]
    batch = build_batch(provider, model_id, version, pairs)
    batch.save(out)
    emit(ctx, {"file": str(out), "root": "0x" + batch.tree.root.hex(), "leaves": len(batch.leaves),
               "totalFee": str(batch.tree.total_fee)})


@batch_group.command("post")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@common
@click.pass_context
def batch_post(ctx: click.Context, file: Path, **params: Any) -> None:
    """Post the batch FILE (leaves + signatures): its root, leaf count and total fee; writes the batch id back."""
    from opg_client.cli import _merge

    _merge(ctx, params)
    client = _client(ctx)
    acct = _account(ctx, client.chain_id)
    batch = BatchFile.load(file)
    pending = client.batches.post(acct, batch)
    receipt = pending.wait()
    batch_id = client.batches.posted_id(receipt)
    BatchFile(batch.model_id, batch.version, batch.provider, batch.leaves, batch.signatures, batch_id).save(file)
    emit(ctx, {"batchId": batch_id, "root": "0x" + batch.tree.root.hex(), "leaves": len(batch.leaves),
               "tx": "0x" + bytes(receipt["transactionHash"]).hex(), "gasUsed": int(receipt["gasUsed"])})


@batch_group.command("pay")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--chunk", type=int, default=256, show_default=True, help="Leaves per transaction.")
@common
@click.pass_context
def batch_pay(ctx: click.Context, file: Path, chunk: int, **params: Any) -> None:
    """Pay every unsettled leaf of the posted batch FILE (after its challenge window)."""
    from opg_client.cli import _merge

    _merge(ctx, params)
    client = _client(ctx)
    acct = _account(ctx, client.chain_id)
    batch = BatchFile.load(file)
    txs = [_tx(p) for p in client.batches.pay(acct, batch, chunk=chunk)]
    emit(ctx, {"batchId": batch.batch_id, "transactions": txs})


@batch_group.command("dispute")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("index", type=int)
@click.option("--evidence", default="0x", show_default=True, help="0x fraud-proof bytes for the verifier.")
@common
@click.pass_context
def batch_dispute(ctx: click.Context, file: Path, index: int, evidence: str, **params: Any) -> None:
    """Dispute leaf INDEX of the posted batch FILE (posts the escrow's challenge bond)."""
    from opg_client.cli import _merge

    _merge(ctx, params)
    client = _client(ctx)
    acct = _account(ctx, client.chain_id)
    batch = BatchFile.load(file)
    emit(ctx, _tx(client.batches.dispute(acct, batch, index, bytes.fromhex(evidence.removeprefix("0x")))))


@batch_group.command("close")
@click.argument("batch_id", type=int)
@common
@click.pass_context
def batch_close(ctx: click.Context, batch_id: int, **params: Any) -> None:
    """Close BATCH_ID after its payout window (releases the remaining collateral)."""
    from opg_client.cli import _merge

    _merge(ctx, params)
    client = _client(ctx)
    emit(ctx, _tx(client.batches.close(_account(ctx, client.chain_id), batch_id)))


@batch_group.command("show")
@click.argument("batch_id", type=int)
@common
@click.pass_context
def batch_show(ctx: click.Context, batch_id: int, **params: Any) -> None:
    """A posted batch: provider, model, root, fees, leaves settled, collateral, windows."""
    from opg_client.cli import _merge

    _merge(ctx, params)
    info = _client(ctx).batches.get_batch(batch_id)
    emit(ctx, json.loads(json.dumps(info.__dict__, default=lambda v: "0x" + v.hex() if isinstance(v, bytes) else v)))
