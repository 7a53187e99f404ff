"""OPGToken minting: only MINTER_ROLE, hard cap, role management."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

OPG = 10**18
CAP = 1_000_000_000 * OPG
GENESIS = 100_000_000 * OPG  # the `token` fixture's genesis supply
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def test_mint__by_minter__credits_recipient_and_supply(token, minter, provider):
    receipt = token.mint(provider, 5 * OPG, sender=minter)
    assert token.balanceOf(provider) == 5 * OPG
    assert token.totalSupply() == GENESIS + 5 * OPG
    logs = list(receipt.decode_logs(token.Transfer))
    assert len(logs) == 1
    assert (logs[0]["from"], logs[0]["to"], logs[0]["value"]) == (ZERO_ADDRESS, provider.address, 5 * OPG)


def test_mint__by_stranger__reverts(token, stranger, reverts_with):
    with reverts_with(
        token.AccessControlUnauthorizedAccount, account=stranger.address, neededRole=token.MINTER_ROLE()
    ):
        token.mint(stranger, 1, sender=stranger)


def test_mint__by_admin_without_minter_role__reverts(token, deployer, reverts_with):
    with reverts_with(
        token.AccessControlUnauthorizedAccount, account=deployer.address, neededRole=token.MINTER_ROLE()
    ):
        token.mint(deployer, 1, sender=deployer)


def test_mint__after_minter_role_revoked__reverts(token, deployer, minter, reverts_with):
    token.revokeRole(token.MINTER_ROLE(), minter, sender=deployer)
    with reverts_with(token.AccessControlUnauthorizedAccount, account=minter.address):
        token.mint(minter, 1, sender=minter)


def test_mint__up_to_exactly_cap__succeeds(token, minter, provider):
    token.mint(provider, CAP - GENESIS, sender=minter)
    assert token.totalSupply() == CAP


def test_mint__one_wei_past_cap__reverts(token, minter, provider, reverts_with):
    token.mint(provider, CAP - GENESIS, sender=minter)
    with reverts_with(token.ERC20ExceededCap, increasedSupply=CAP + 1, cap=CAP):
        token.mint(provider, 1, sender=minter)


def test_mint__amount_above_cap_in_one_call__reverts(token, minter, provider, reverts_with):
    with reverts_with(token.ERC20ExceededCap, increasedSupply=GENESIS + CAP, cap=CAP):
        token.mint(provider, CAP, sender=minter)


def test_mint__to_zero_address__reverts(token, minter, reverts_with):
    with reverts_with(token.ERC20InvalidReceiver, receiver=ZERO_ADDRESS):
        token.mint(ZERO_ADDRESS, 1, sender=minter)


def test_grant_minter_role__by_admin__new_minter_can_mint(token, deployer, watcher):
    receipt = token.grantRole(token.MINTER_ROLE(), watcher, sender=deployer)
    assert len(list(receipt.decode_logs(token.RoleGranted))) == 1
    token.mint(watcher, 3, sender=watcher)
    assert token.balanceOf(watcher) == 3


def test_grant_minter_role__by_non_admin__reverts(token, minter, stranger, reverts_with):
    admin_role = b"\x00" * 32
    with reverts_with(token.AccessControlUnauthorizedAccount, account=minter.address, neededRole=admin_role):
        token.grantRole(token.MINTER_ROLE(), stranger, sender=minter)


def test_supports_interface__access_control__true(token):
    assert token.supportsInterface("0x7965db0b")  # IAccessControl
    assert token.supportsInterface("0x01ffc9a7")  # IERC165
    assert not token.supportsInterface("0xffffffff")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(st.integers(min_value=0, max_value=CAP), min_size=1, max_size=4))
def test_mint__random_amounts__succeeds_iff_within_cap(chain, token, minter, provider, amounts):
    with chain.isolate():
        supply = token.totalSupply()
        for amount in amounts:
            if supply + amount <= CAP:
                token.mint(provider, amount, sender=minter)
                supply += amount
            else:
                try:
                    token.mint(provider, amount, sender=minter)
                except token.ERC20ExceededCap as err:
                    assert err.inputs["increasedSupply"] == supply + amount
                else:
                    raise AssertionError("mint past the cap did not revert")
            assert token.totalSupply() == supply <= CAP
