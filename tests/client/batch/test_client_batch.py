"""The client's batch settlement: batch files, signing, post, chunked payouts, errors raised before
sending and decoded from reverts, and the `opg batch` CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from eth_utils import keccak
from helpers_client_batch import OPG, PRICE, BatchNet, rpc

from opg_client.batch import BatchFile, build_batch
from opg_client.batch_errors import BatchChallengeWindowOpen, UnauthorizedLeaf, WithdrawalLocked
from opg_client.batchtree import Leaf
from opg_client.chain import OpgClient
from opg_client.cli import cli


def _answered(client: OpgClient, net: BatchNet, per_requester: int, signer_swap: bool = False):
    deadline = client.timestamp() + 86_400
    out = []
    for n, r in enumerate(net.requesters):
        for k in range(per_requester):
            leaf = Leaf(0, k + 1, r.address, PRICE, keccak(text=f"in {n} {k}"), keccak(text=f"out {n} {k}"),
                        keccak(text=f"trace {n} {k}"))
            signer = net.requesters[1 - n] if signer_swap else r
            out.append((leaf, client.batches.sign_request(signer, net.provider.address, net.model_id, 1, leaf,
                                                          deadline)))
    return build_batch(net.provider.address, net.model_id, 1, out)


def _post(client: OpgClient, net: BatchNet, batch: BatchFile) -> BatchFile:
    receipt = client.sender(net.provider).wait(client.batches.post(net.provider, batch))
    return BatchFile(batch.model_id, batch.version, batch.provider, batch.leaves, batch.signatures,
                     client.batches.posted_id(receipt))


def _past_window(client: OpgClient, net: BatchNet, batch_id: int) -> None:
    info = client.batches.get_batch(batch_id)
    rpc(net.url, "evm_setNextBlockTimestamp", [info.challenge_end + 1])
    rpc(net.url, "evm_mine")


def test_pay__chunked__settles_every_leaf_and_debits_requesters(client: OpgClient, batch_net: BatchNet) -> None:
    batch = _post(client, batch_net, _answered(client, batch_net, 3))
    before = [client.batches.account_of(r.address).balance for r in batch_net.requesters]
    _past_window(client, batch_net, batch.batch_id)
    pendings = client.batches.pay(batch_net.watcher, batch, chunk=4)
    assert len(pendings) == 2
    for p in pendings:
        client.sender(batch_net.watcher).wait(p)
    info = client.batches.get_batch(batch.batch_id)
    assert (info.settled_leaves, info.closed, info.settled_fee) == (6, True, 6 * PRICE)
    after = [client.batches.account_of(r.address).balance for r in batch_net.requesters]
    assert [b - a for b, a in zip(before, after, strict=True)] == [3 * PRICE, 3 * PRICE]
    assert client.batches.is_job_paid(batch_net.requesters[0].address, 3)


def test_pay__inside_challenge_window__raises_before_sending(client: OpgClient, batch_net: BatchNet) -> None:
    batch = _post(client, batch_net, _answered(client, batch_net, 1))
    with pytest.raises(BatchChallengeWindowOpen) as info:
        client.batches.pay(batch_net.watcher, batch)
    assert info.value.batch_id == batch.batch_id


def test_pay__requests_signed_by_someone_else__decodes_unauthorized_leaf(
    client: OpgClient, batch_net: BatchNet
) -> None:
    batch = _post(client, batch_net, _answered(client, batch_net, 1, signer_swap=True))
    _past_window(client, batch_net, batch.batch_id)
    with pytest.raises(UnauthorizedLeaf) as info:
        client.batches.pay(batch_net.watcher, batch)
    assert (info.value.batch_id, info.value.index) == (batch.batch_id, 0)
    assert info.value.requester == batch_net.requesters[0].address


def test_withdraw__before_notice__raises_withdrawal_locked(client: OpgClient, batch_net: BatchNet) -> None:
    r = batch_net.requesters[0]
    client.sender(r).wait(client.batches.request_withdrawal(r, 5 * OPG))
    with pytest.raises(WithdrawalLocked) as info:
        client.batches.withdraw(r)
    assert info.value.unlock_at == client.batches.account_of(r.address).unlock_at
    assert str(info.value).startswith("WithdrawalLocked: the withdrawal of")


def test_batch_file__json_roundtrip__same_root_and_signatures(
    client: OpgClient, batch_net: BatchNet, tmp_path: Path
) -> None:
    batch = _answered(client, batch_net, 2)
    path = tmp_path / "batch.json"
    batch.save(path)
    again = BatchFile.load(path)
    assert again == batch and again.tree.root == batch.tree.root


def test_cli__post_show_balance__json(client: OpgClient, batch_net: BatchNet, tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    _answered(client, batch_net, 2).save(path)
    runner = CliRunner()
    base = ["--manifest", str(batch_net.manifest_path)]
    posted = runner.invoke(cli, [*base, "--account-index", "3", "batch", "post", str(path), "--json"])
    assert posted.exit_code == 0, posted.output
    batch_id = json.loads(posted.output)["batchId"]
    assert BatchFile.load(path).batch_id == batch_id
    shown = json.loads(runner.invoke(cli, [*base, "batch", "show", str(batch_id), "--json"]).output)
    assert (shown["leaf_count"], shown["total_fee"], shown["closed"]) == (4, 4 * PRICE, False)
    balance = json.loads(
        runner.invoke(cli, [*base, "batch", "balance", batch_net.requesters[0].address, "--json"]).output
    )
    assert balance["balance"] == client.batches.account_of(batch_net.requesters[0].address).balance
    early = runner.invoke(cli, [*base, "--account-index", "7", "batch", "pay", str(path), "--json"])
    assert early.exit_code == 1 and json.loads(early.output)["error"] == "BatchChallengeWindowOpen"


def test_cli__sign_then_build__file_matches_signed_requests(
    client: OpgClient, batch_net: BatchNet, tmp_path: Path
) -> None:
    runner = CliRunner()
    base = ["--manifest", str(batch_net.manifest_path)]
    deadline = client.timestamp() + 3_600
    answered = []
    for idx, job_id in ((6, 2), (5, 1), (6, 1)):
        signed = runner.invoke(cli, [*base, "--account-index", str(idx), "batch", "sign", "--provider",
                                     batch_net.provider.address, "--model", str(batch_net.model_id), "--version",
                                     "1", "--job-id", str(job_id), "--fee", "1", "--input-hash",
                                     "0x" + keccak(text=f"in {job_id}").hex(), "--deadline", str(deadline), "--json"])
        assert signed.exit_code == 0, signed.output
        answered.append({**json.loads(signed.output), "outputHash": "0x" + keccak(text="out").hex()})
    src, out = tmp_path / "answered.json", tmp_path / "batch.json"
    src.write_text(json.dumps(answered))
    built = runner.invoke(cli, [*base, "--account-index", "3", "batch", "build", str(src), "--model",
                                str(batch_net.model_id), "--version", "1", "--out", str(out), "--json"])
    assert built.exit_code == 0, built.output
    batch = BatchFile.load(out)
    keys = [(leaf.requester, leaf.job_id) for leaf in batch.leaves]
    assert keys == sorted(keys, key=lambda k: (k[0].lower(), k[1])) and len(keys) == 3
    assert json.loads(built.output)["root"] == "0x" + batch.tree.root.hex()
    receipt = client.sender(batch_net.provider).wait(client.batches.post(batch_net.provider, batch))
    posted = BatchFile(batch.model_id, 1, batch.provider, batch.leaves, batch.signatures,
                       client.batches.posted_id(receipt))
    _past_window(client, batch_net, posted.batch_id)
    for p in client.batches.pay(batch_net.watcher, posted):
        client.sender(batch_net.watcher).wait(p)
    assert client.batches.get_batch(posted.batch_id).closed


def test_decoder__every_batch_settlement_error__has_a_declared_class(client: OpgClient) -> None:
    from opg_client.errors import ErrorDecoder, declared_errors

    names = ErrorDecoder({"BatchSettlement": client.contract("BatchSettlement").abi}).error_names
    assert "UnauthorizedLeaf" in names and len(names) > 20
    assert sorted(n for n in names if declared_errors()[n].template is None) == []


def test_leaf_in_batch__posted_leaf_and_tampered_output__true_then_false(
    client: OpgClient, batch_net: BatchNet
) -> None:
    import dataclasses

    batch = _post(client, batch_net, _answered(client, batch_net, 2))
    leaf, proof = batch.leaves[3], batch.tree.proof(3)
    assert client.batches.leaf_in_batch(batch.batch_id, leaf, proof)
    tampered = dataclasses.replace(leaf, output_hash=keccak(text="another output"))
    assert not client.batches.leaf_in_batch(batch.batch_id, tampered, proof)
    assert not client.batches.leaf_in_batch(batch.batch_id, dataclasses.replace(leaf, index=9), proof)
