"""`opg delegate`, `opg undelegate`, `opg delegation withdraw|claim|status`, `opg provider set-cut`, with --json,
checked against the chain; a refused command exits 1 with the named error and sends nothing."""

from __future__ import annotations

import json

from helpers_opg_cli import OPG, UNBONDING, WINDOW, chain_state, ok_json, run_cli

from opg_client.localchain import advance_time, dev_account

PROVIDER = "3"
DELEGATOR = "7"
REQUESTER = "5"


def test_delegate_status_claim_undelegate_withdraw__lifecycle(net, client):
    provider, delegator = dev_account(3).address, dev_account(7).address
    terms = ok_json(net, "provider", "set-cut", "--reward-cut-bps", "0", "--fee-share-bps", "10000",
                    "--account-index", PROVIDER)
    assert (terms["reward_cut_bps"], terms["fee_share_bps"], terms["effective_at"]) == (0, 10_000, 0)

    delegated = ok_json(net, "delegate", provider, "40", "--account-index", DELEGATOR)
    assert delegated["amount"] == str(40 * OPG) and delegated["shares"] == str(40 * OPG)
    assert client.staking.capacity_of(provider) == 540 * OPG

    job_id = ok_json(net, "job", "submit", str(net.model_id), "--sample", "1", "--account-index", REQUESTER)["job_id"]
    p3 = dev_account(3)
    sender = client.sender(p3)
    sender.wait(client.escrow.claim_job(p3, job_id))
    sender.wait(client.escrow.submit_result(p3, job_id, b"out", b"\x11" * 32))  # 32-byte trace root
    advance_time(net.url, WINDOW + 1)
    sender.wait(client.escrow.finalize_job(p3, job_id))

    status = ok_json(net, "delegation", "status", provider, "--account-index", DELEGATOR)
    assert int(status["rewards"]) > 0 and status["pool"]["assets"] == str(40 * OPG)
    assert status["capacity"] == str(540 * OPG) and status["terms"]["fee_share_bps"] == 10_000
    before = client.token.balance_of(delegator)
    claimed = ok_json(net, "delegation", "claim", provider, "--account-index", DELEGATOR)
    assert claimed["claimed"] == status["rewards"]
    assert client.token.balance_of(delegator) == before + int(claimed["claimed"])

    undelegated = ok_json(net, "undelegate", provider, "--account-index", DELEGATOR)
    assert undelegated["undelegated"] == str(40 * OPG) and undelegated["shares"] == "0"
    advance_time(net.url, UNBONDING + 1)
    withdrawn = ok_json(net, "delegation", "withdraw", provider, "--account-index", DELEGATOR)
    assert withdrawn["withdrawn"] == str(40 * OPG)


def test_delegate__unstaked_provider__exit_1_named_error_nothing_sent(net, client):
    target, delegator = dev_account(8).address, dev_account(7).address
    before = chain_state(client, delegator)
    result = run_cli(net, "delegate", target, "5", "--account-index", DELEGATOR, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["ok"], data["error"]) == (False, "StakeTooLow")
    assert chain_state(client, delegator) == before


def test_delegation_withdraw__still_locked__exit_1_named_error(net, client):
    provider = dev_account(3).address
    ok_json(net, "delegate", provider, "10", "--account-index", DELEGATOR)
    ok_json(net, "undelegate", provider, "4", "--account-index", DELEGATOR)
    result = run_cli(net, "delegation", "withdraw", provider, "--account-index", DELEGATOR, "--json")
    assert result.exit_code == 1 and json.loads(result.stdout)["error"] == "DelegationLocked"
