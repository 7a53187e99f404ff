"""OPGToken constructor: metadata, roles, cap, genesis mint and its validation."""

from eth_utils import keccak

OPG = 10**18
CAP = 1_000_000_000 * OPG
GENESIS = 100_000_000 * OPG  # the `token` fixture's genesis supply

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
DEFAULT_ADMIN_ROLE = b"\x00" * 32


def test_constructor__valid_args__sets_metadata_cap_and_genesis(token, deployer, treasury):
    assert token.name() == "OPG Token"
    assert token.symbol() == "OPG"
    assert token.decimals() == 18
    assert token.cap() == CAP == 10**27
    assert token.MAX_SUPPLY() == CAP
    assert token.totalSupply() == GENESIS
    assert token.balanceOf(treasury) == GENESIS
    assert token.balanceOf(deployer) == 0


def test_constructor__valid_args__admin_gets_only_admin_role(token, deployer, minter, stranger):
    minter_role = token.MINTER_ROLE()
    assert minter_role == keccak(text="MINTER_ROLE")
    assert token.hasRole(DEFAULT_ADMIN_ROLE, deployer)
    assert not token.hasRole(minter_role, deployer)
    assert token.hasRole(minter_role, minter)  # granted by the fixture, as at deployment
    assert not token.hasRole(minter_role, stranger)


def test_constructor__genesis_mint__emits_transfer_from_zero(project, chain, deployer, treasury):
    opg = deployer.deploy(project.OPGToken, deployer, treasury, 7 * OPG)
    receipt = chain.provider.get_receipt(opg.txn_hash)
    logs = list(receipt.decode_logs(opg.Transfer))
    assert len(logs) == 1
    assert logs[0]["from"] == ZERO_ADDRESS
    assert logs[0]["to"] == treasury.address
    assert logs[0]["value"] == 7 * OPG


def test_constructor__genesis_equal_to_cap__mints_whole_cap(project, deployer, treasury):
    opg = deployer.deploy(project.OPGToken, deployer, treasury, CAP)
    assert opg.totalSupply() == CAP
    assert opg.balanceOf(treasury) == CAP


def test_constructor__zero_genesis__mints_nothing(project, deployer, treasury):
    opg = deployer.deploy(project.OPGToken, deployer, treasury, 0)
    assert opg.totalSupply() == 0
    assert opg.balanceOf(treasury) == 0


def test_constructor__genesis_above_cap__reverts(project, deployer, treasury, deploy_reverts_with):
    with deploy_reverts_with(project.OPGToken, "GenesisSupplyAboveCap", genesisSupply=CAP + 1, cap=CAP):
        deployer.deploy(project.OPGToken, deployer, treasury, CAP + 1)


def test_constructor__zero_admin__reverts(project, deployer, treasury, deploy_reverts_with):
    with deploy_reverts_with(project.OPGToken, "ZeroAdmin"):
        deployer.deploy(project.OPGToken, ZERO_ADDRESS, treasury, GENESIS)


def test_constructor__genesis_to_zero_treasury__reverts(project, deployer, deploy_reverts_with):
    with deploy_reverts_with(project.OPGToken, "ERC20InvalidReceiver", receiver=ZERO_ADDRESS):
        deployer.deploy(project.OPGToken, deployer, ZERO_ADDRESS, GENESIS)
