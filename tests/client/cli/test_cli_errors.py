"""Bad input: one line on stderr (or one JSON object with --json), non-zero exit, nothing sent, no funds moved."""

from __future__ import annotations

import json

import pytest
from eth_utils import keccak
from helpers_opg_cli import chain_state, run_cli

from opg_client.localchain import dev_account
from opg_client.manifest import load_manifest, write_manifest
from opg_client.models import VerificationMode
from opg_client.roles import Researcher

REQUESTER, PROVIDER, BROKE = dev_account(5), dev_account(3), dev_account(9)  # #9 holds ETH but no OPG


def _fails(net, client, args: list[str], error: str, *, watch=(REQUESTER, PROVIDER, BROKE)) -> str:
    before = chain_state(client, *(a.address for a in watch))
    result = run_cli(net, *args)
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and error in lines[0], lines[0]
    assert chain_state(client, *(a.address for a in watch)) == before
    return lines[0]


SUBMIT = ["job", "submit"]


@pytest.mark.parametrize(
    ("extra", "error"),
    [
        (["--input", "[1, 2"], "malformed input vector: not JSON"),
        (["--input", '["a", 2]'], "entry 0 is 'a', not an integer"),
        (["--input", "[]"], "non-empty JSON array"),
        (["--input", "[1, 2, 3]"], "takes 64 values, got 3"),
        (["--input", json.dumps([2**30] * 64)], "ValueOutOfRange"),
        (["--pixels", json.dumps([17] * 64)], "ValueOutOfRange"),
        (["--sample", "100000"], "out of range"),
        (["--sample", "1", "--input", "[1]"], "exactly one of"),
    ],
)
def test_job_submit__malformed_input__one_line_error_nothing_sent(net, client, extra, error):
    _fails(net, client, [*SUBMIT, str(net.model_id), *extra, "--account-index", "5"], error)


def test_job_submit__unknown_model__one_line_error_nothing_sent(net, client):
    _fails(net, client, [*SUBMIT, "99", "--sample", "0", "--account-index", "5"], "UnknownModel")


def test_job_submit__unknown_version__one_line_error_nothing_sent(net, client):
    _fails(
        net,
        client,
        [*SUBMIT, str(net.model_id), "--version", "7", "--sample", "0", "--account-index", "5"],
        "UnknownModelVersion",
    )


def test_job_submit__insufficient_balance__one_line_error_nothing_sent(net, client):
    _fails(
        net, client, [*SUBMIT, str(net.model_id), "--sample", "0", "--account-index", "9"], "ERC20InsufficientBalance"
    )


def test_job_submit__insufficient_allowance__one_line_error_nothing_sent(net, client):
    _fails(
        net,
        client,
        [*SUBMIT, str(net.model_id), "--sample", "0", "--pay", "allowance", "--account-index", "5"],
        "ERC20InsufficientAllowance",
    )


def test_job_submit__fee_below_price__one_line_error_nothing_sent(net, client):
    _fails(
        net,
        client,
        [*SUBMIT, str(net.model_id), "--sample", "0", "--fee", "0.5", "--account-index", "5"],
        "FeeBelowPrice",
    )


def test_any_command__wrong_network__one_line_error_nothing_sent(net, client, tmp_path):
    manifest = load_manifest(net.manifest_path)
    other = write_manifest(type(manifest)(**{**manifest.__dict__, "chain_id": 1}), tmp_path / "mainnet.json")
    before = chain_state(client, REQUESTER.address)
    result = run_cli(
        net, *SUBMIT, str(net.model_id), "--sample", "0", "--key", "0x" + bytes(REQUESTER.key).hex(), manifest=other
    )
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: WrongNetwork")
    assert chain_state(client, REQUESTER.address) == before


def test_any_command__no_key__one_line_error(net, client):
    _fails(net, client, [*SUBMIT, str(net.model_id), "--sample", "0"], "no key")


def test_any_command__invalid_key__one_line_error(net, client):
    _fails(net, client, [*SUBMIT, str(net.model_id), "--sample", "0", "--key", "0x1234"], "invalid private key")


def test_provider_stake__more_than_balance__one_line_error_nothing_sent(net, client):
    _fails(net, client, ["provider", "stake", "1000000", "--account-index", "5"], "ERC20InsufficientBalance")


def test_provider_stake__below_minimum__one_line_error_nothing_sent(net, client):
    _fails(net, client, ["provider", "stake", "1", "--account-index", "6"], "StakeTooLow", watch=(dev_account(6),))


def test_provider_stake__malformed_amount__one_line_error(net, client):
    _fails(
        net, client, ["provider", "stake", "lots", "--account-index", "6"], "invalid amount", watch=(dev_account(6),)
    )


def test_provider_unbond__more_than_free__one_line_error_nothing_sent(net, client):
    _fails(net, client, ["provider", "unbond", "100000", "--account-index", "3"], "InsufficientFreeStake")


def test_provider_withdraw__nothing_unbonding__one_line_error_nothing_sent(net, client):
    _fails(net, client, ["provider", "withdraw", "--account-index", "3"], "NothingToWithdraw")


def test_provider_serve__unknown_model__one_line_error_nothing_sent(net, client):
    _fails(net, client, ["provider", "serve", "42", "--account-index", "3"], "UnknownModel")


def test_job_cancel__not_the_requester__one_line_error_nothing_sent(net, client):
    assert run_cli(net, *SUBMIT, str(net.model_id), "--sample", "0", "--account-index", "5").exit_code == 0
    _fails(net, client, ["job", "cancel", "1", "--account-index", "6"], "NotRequester", watch=(REQUESTER,))


def test_job_expire__before_deadline__one_line_error_nothing_sent(net, client):
    assert run_cli(net, *SUBMIT, str(net.model_id), "--sample", "0", "--account-index", "5").exit_code == 0
    _fails(net, client, ["job", "expire", "1", "--account-index", "6"], "DeadlineNotPassed", watch=(REQUESTER,))


def test_job_status__unknown_job__one_line_error(net, client):
    _fails(net, client, ["job", "status", "77"], "unknown job 77")


def test_rewards_claim__nothing_claimable__one_line_error_nothing_sent(net, client):
    _fails(net, client, ["rewards", "claim", "--account-index", "6"], "NothingToClaim", watch=(dev_account(6),))


def test_model_register__royalty_above_max__one_line_error_nothing_sent(net, client):
    _fails(
        net,
        client,
        ["model", "register", "--royalty-bps", "9000", "--account-index", "6"],
        "RoyaltyAboveMax",
        watch=(dev_account(6),),
    )


def test_job_submit__json_mode__error_is_one_json_object(net, client):
    before = chain_state(client, BROKE.address)
    result = run_cli(net, *SUBMIT, str(net.model_id), "--sample", "0", "--account-index", "9", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["error"] == "ERC20InsufficientBalance"
    assert result.stdout.count("\n") == 1
    assert chain_state(client, BROKE.address) == before


def test_cli__unknown_option__usage_error_exit_2(net, client):
    result = run_cli(net, "job", "submit", str(net.model_id), "--bogus")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "no such option" in result.stderr.lower()


def test_model_install__weights_hash_mismatch__one_line_error_nothing_stored(net, client, tmp_path):
    other = Researcher.params(
        keccak(text="other weights"), [keccak(text="layer")], "opg://other", 1, 0, [VerificationMode.Optimistic]
    )
    model_id = Researcher(client, dev_account(6)).register_model(other).model_id
    store = tmp_path / "store"
    _fails(
        net,
        client,
        ["model", "install", str(model_id), "--store", str(store)],
        "has weights hash",
        watch=(dev_account(6),),
    )
    assert not list(store.glob("*.json"))
