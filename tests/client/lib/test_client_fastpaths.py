"""The sender's fast paths give exactly what web3 / eth_account's generic paths give: calldata, signed bytes and
hash, receipts, decoded events (and take the generic path outside their narrow case)."""

from __future__ import annotations

from typing import Any

import pytest
from eth_account import Account
from helpers_client_lib import register_model, staked_provider
from opg_testkit import TRACE_ROOT
from web3._utils.events import get_event_data
from web3._utils.method_formatters import receipt_formatter
from web3.datastructures import AttributeDict
from web3.exceptions import MismatchedABI

from opg_client import jobstate
from opg_client.chain import OpgClient
from opg_client.events import EventDecoder
from opg_client.roles import Requester
from opg_client.tx import encode_calldata, format_receipt, sign_type2


def test_sign_type2__varied_fields__same_bytes_and_hash_as_eth_account(actors: Any) -> None:
    from coincurve import PrivateKey

    key = PrivateKey(bytes(actors.requester.key))
    cases = [
        {"to": actors.provider.address, "data": "0x", "value": 0, "gas": 21_000, "chainId": 31337, "nonce": 0,
         "maxFeePerGas": 2 * 10**9, "maxPriorityFeePerGas": 10**9},
        {"to": actors.watcher.address, "data": "0x" + "ab" * 300, "value": 10**18, "gas": 1_234_567,
         "chainId": 1, "nonce": 2**40, "maxFeePerGas": 127, "maxPriorityFeePerGas": 0},
        {"to": actors.stranger.address, "data": bytes(range(55)), "value": 1, "gas": 56, "chainId": 8453,
         "nonce": 55, "maxFeePerGas": 10**12, "maxPriorityFeePerGas": 10**12},
    ]
    for tx in cases:
        fast = sign_type2(key, tx)
        signed = Account.sign_transaction(tx, actors.requester.key)
        assert fast == (bytes(signed.raw_transaction), "0x" + bytes(signed.hash).hex()), tx


def test_sign_type2__legacy_or_extra_fields__declines() -> None:
    from coincurve import PrivateKey

    key = PrivateKey(b"\x01" * 32)
    base = {"to": "0x" + "11" * 20, "data": "0x", "value": 0, "gas": 21_000, "chainId": 1, "nonce": 0,
            "maxFeePerGas": 2, "maxPriorityFeePerGas": 1}
    assert sign_type2(key, {**base, "accessList": []}) is None
    assert sign_type2(key, {k: v for k, v in base.items() if k != "to"}) is None
    assert sign_type2(key, {**base, "value": 1.5}) is None
    assert sign_type2(key, {**base, "to": "0x" + "ab" * 20}) is None  # not checksummed: eth_account refuses it
    assert sign_type2(key, base) is not None


def test_fast_paths__job_lifecycle__match_web3_calldata_receipts_and_events(client: OpgClient, deployment: Any,
                                                                           actors: Any) -> None:
    ref = register_model(client, deployment)
    provider = staked_provider(client, deployment, ref.model_id)
    requester = Requester(client, actors.requester)
    client.sender(actors.treasury).transact(client.token.contract.functions.transfer(actors.requester.address,
                                                                                      10**21))
    start = client.block_number() + 1
    created = requester.submit_jobs(ref.model_id, [b"\x01\x02", b"\x03" * 100])
    job_id = created[0].job_id
    escrow = client.escrow.contract.functions
    job = client.escrow.get_job(job_id)
    opened, claimed = jobstate.struct(job), jobstate.struct(jobstate.claimed(job, provider.account.address))
    for fn in (escrow.claimJob(job_id, opened), escrow.submitResult(job_id, claimed, b"\x07" * 33, TRACE_ROOT),
               escrow.createJob(ref.model_id, 1, 0, 5, 6, b"\x00")):
        assert encode_calldata(fn) == fn._encode_transaction_data()
        name = fn.abi["name"]
        assert client.escrow.calldata(name, *fn.args)["data"] == fn._encode_transaction_data()
    with pytest.raises(MismatchedABI):  # not an eth_abi uint256: web3's path, and its error
        client.escrow.calldata("claimJob", "not a number", opened)

    psender = client.sender(provider.account)
    receipts = psender.wait_all([psender.send(escrow.claimJob(job_id, opened)),
                                 psender.send(escrow.submitResult(job_id, claimed, b"\x07" * 33, TRACE_ROOT))])
    tx_hash = "0x" + bytes(receipts[1]["transactionHash"]).hex()
    raw = client.w3.provider.make_request("eth_getTransactionReceipt", [tx_hash])
    assert format_receipt(raw["result"]) == AttributeDict.recursive(receipt_formatter(raw["result"]))
    assert receipts[1] == format_receipt(raw["result"])

    decoder = EventDecoder(client, ["InferenceEscrow"])
    logs = client.w3.eth.get_logs({"fromBlock": start, "toBlock": "latest", "address": client.escrow.address})
    seen = set()
    for log in logs:
        event = decoder.decode(log)
        assert event is not None
        abi = client.escrow.contract.events[event.name].abi
        assert event.args == dict(get_event_data(client.w3.codec, abi, log)["args"])
        seen.add(event.name)
    assert {"JobCreated", "JobClaimed", "ResultSubmitted"} <= seen
    assert client.escrow.events_in(receipts[1], "ResultSubmitted") == [
        dict(e["args"]) for e in client.escrow.contract.events.ResultSubmitted().process_receipt(receipts[1])
    ]
