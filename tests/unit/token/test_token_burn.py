"""OPGToken burning (ERC20Burnable): holders burn their own, spenders burn with allowance."""

OPG = 10**18
CAP = 1_000_000_000 * OPG
GENESIS = 100_000_000 * OPG  # the `token` fixture's genesis supply
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def test_burn__own_balance__reduces_balance_and_supply(token, treasury):
    receipt = token.burn(10 * OPG, sender=treasury)
    assert token.balanceOf(treasury) == GENESIS - 10 * OPG
    assert token.totalSupply() == GENESIS - 10 * OPG
    logs = list(receipt.decode_logs(token.Transfer))
    assert (logs[0]["from"], logs[0]["to"], logs[0]["value"]) == (treasury.address, ZERO_ADDRESS, 10 * OPG)


def test_burn__more_than_balance__reverts(token, stranger, reverts_with):
    with reverts_with(token.ERC20InsufficientBalance, sender=stranger.address, balance=0, needed=1):
        token.burn(1, sender=stranger)


def test_burn_from__with_allowance__burns_and_spends_allowance(token, treasury, provider):
    token.approve(provider, 7 * OPG, sender=treasury)
    token.burnFrom(treasury, 5 * OPG, sender=provider)
    assert token.balanceOf(treasury) == GENESIS - 5 * OPG
    assert token.totalSupply() == GENESIS - 5 * OPG
    assert token.allowance(treasury, provider) == 2 * OPG


def test_burn_from__without_allowance__reverts(token, treasury, stranger, reverts_with):
    with reverts_with(token.ERC20InsufficientAllowance, spender=stranger.address, allowance=0, needed=1):
        token.burnFrom(treasury, 1, sender=stranger)


def test_burn__at_cap__frees_room_for_minting(token, minter, treasury, provider, reverts_with):
    token.mint(provider, CAP - GENESIS, sender=minter)
    with reverts_with(token.ERC20ExceededCap):
        token.mint(provider, 1, sender=minter)
    token.burn(3 * OPG, sender=treasury)
    token.mint(provider, 3 * OPG, sender=minter)
    assert token.totalSupply() == CAP
