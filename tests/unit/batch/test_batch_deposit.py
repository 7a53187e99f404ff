"""Requester balances: deposit (approve or permit), withdrawal with notice, and that a withdrawal cannot
pull funds from under a posted batch."""

import opg_testkit
from batch_helpers import CHALLENGE_WINDOW, NOTICE, OPG


def test_deposit__approved__credits_balance_and_emits(batch, opg, requester):
    before, _, _ = batch.accountOf(requester)
    held = opg.balanceOf(batch)
    tx = batch.deposit(5 * OPG, sender=requester)
    ev = tx.events.filter(batch.Deposited)[0]
    assert (ev.requester, ev.amount, ev.balance) == (requester.address, 5 * OPG, before + 5 * OPG)
    assert batch.accountOf(requester)[0] == before + 5 * OPG
    assert opg.balanceOf(batch) == held + 5 * OPG


def test_deposit__zero__reverts_zero_amount(batch, requester, reverts_with):
    with reverts_with(batch.ZeroAmount):
        batch.deposit(0, sender=requester)


def test_deposit_with_permit__no_allowance__credits_balance(batch, opg, provider2, chain):
    deadline = chain.pending_timestamp + 600
    v, r, s = opg_testkit.sign_permit(opg, provider2, batch, 7 * OPG, deadline)
    batch.depositWithPermit(7 * OPG, deadline, v, r, s, sender=provider2)
    assert batch.accountOf(provider2)[0] == 7 * OPG
    assert opg.allowance(provider2, batch) == 0


def test_withdraw__before_notice__reverts_withdrawal_locked(batch, requester, chain, reverts_with):
    tx = batch.requestWithdrawal(100 * OPG, sender=requester)
    unlock_at = tx.events.filter(batch.WithdrawalRequested)[0].unlockAt
    assert unlock_at == tx.timestamp + NOTICE
    chain.pending_timestamp = unlock_at - 1
    with reverts_with(batch.WithdrawalLocked, requester=requester.address, unlockAt=unlock_at):
        batch.withdraw(sender=requester)


def test_withdraw__after_notice__pays_announced_amount(batch, opg, requester, chain):
    balance, _, _ = batch.accountOf(requester)
    batch.requestWithdrawal(100 * OPG, sender=requester)
    chain.pending_timestamp += NOTICE
    before = opg.balanceOf(requester)
    tx = batch.withdraw(sender=requester)
    assert tx.events.filter(batch.Withdrawn)[0].amount == 100 * OPG
    assert opg.balanceOf(requester) == before + 100 * OPG
    assert batch.accountOf(requester) == (balance - 100 * OPG, 0, 0)


def test_withdraw__announced_more_than_balance__pays_balance(batch, opg, requester, chain):
    balance, _, _ = batch.accountOf(requester)
    batch.requestWithdrawal(balance + 50 * OPG, sender=requester)
    chain.pending_timestamp += NOTICE
    tx = batch.withdraw(sender=requester)
    assert tx.events.filter(batch.Withdrawn)[0].amount == balance
    assert batch.accountOf(requester)[0] == 0


def test_withdraw__without_request__reverts_no_withdrawal(batch, requester, reverts_with):
    with reverts_with(batch.NoWithdrawal, requester=requester.address):
        batch.withdraw(sender=requester)


def test_withdraw__twice__second_reverts_no_withdrawal(batch, requester, chain, reverts_with):
    batch.requestWithdrawal(OPG, sender=requester)
    chain.pending_timestamp += NOTICE
    batch.withdraw(sender=requester)
    with reverts_with(batch.NoWithdrawal, requester=requester.address):
        batch.withdraw(sender=requester)


def test_request_withdrawal__zero__reverts_zero_amount(batch, requester, reverts_with):
    with reverts_with(batch.ZeroAmount):
        batch.requestWithdrawal(0, sender=requester)


def test_withdraw__announced_after_post__batch_paid_before_funds_leave(batch, post, requester, stranger, chain):
    """Adversarial: a requester announces a full withdrawal right after a batch charging it is posted; the
    notice outlasts the challenge + payout windows, so the provider is paid first."""
    posted = post()
    balance, _, _ = batch.accountOf(requester)
    tx = batch.requestWithdrawal(balance, sender=requester)
    unlock_at = tx.events.filter(batch.WithdrawalRequested)[0].unlockAt
    chain.pending_timestamp += CHALLENGE_WINDOW + 1
    batch.payLeaves(*posted.pay_all_args(), sender=stranger)
    charged = sum(leaf.fee for leaf in posted.tree.leaves if leaf.requester == requester.address)
    assert chain.pending_timestamp < unlock_at
    chain.pending_timestamp = unlock_at
    assert batch.withdraw(sender=requester).events.filter(batch.Withdrawn)[0].amount == balance - charged


def test_request_withdrawal__above_uint96__reverts_amount_too_large(batch, requester, reverts_with):
    with reverts_with(batch.AmountTooLarge, amount=2**96):
        batch.requestWithdrawal(2**96, sender=requester)
