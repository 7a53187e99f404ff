"""ModelRegistry constructor and governance of the maximum royalty."""

MAX_ROYALTY_BPS = 2_000  # the `registry` fixture's protocol maximum
HARD_CAP_BPS = 5_000
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"
DEFAULT_ADMIN_ROLE = b"\x00" * 32


def test_constructor__valid__sets_admin_and_max_royalty(registry, deployer, stranger):
    assert registry.maxRoyaltyBps() == MAX_ROYALTY_BPS
    assert registry.ROYALTY_HARD_CAP_BPS() == HARD_CAP_BPS
    assert registry.hasRole(DEFAULT_ADMIN_ROLE, deployer)
    assert not registry.hasRole(DEFAULT_ADMIN_ROLE, stranger)
    assert registry.modelCount() == 0


def test_constructor__valid__emits_max_royalty_updated(project, chain, deployer):
    reg = deployer.deploy(project.ModelRegistry, deployer, 750)
    logs = list(chain.provider.get_receipt(reg.txn_hash).decode_logs(reg.MaxRoyaltyUpdated))
    assert [(log.previousBps, log.newBps) for log in logs] == [(0, 750)]


def test_constructor__max_royalty_at_hard_cap__accepted(project, deployer):
    reg = deployer.deploy(project.ModelRegistry, deployer, HARD_CAP_BPS)
    assert reg.maxRoyaltyBps() == HARD_CAP_BPS


def test_constructor__max_royalty_above_hard_cap__reverts(project, deployer, deploy_reverts_with):
    with deploy_reverts_with(
        project.ModelRegistry,
        "MaxRoyaltyAboveHardCap",
        maxRoyaltyBps=HARD_CAP_BPS + 1,
        hardCapBps=HARD_CAP_BPS,
    ):
        deployer.deploy(project.ModelRegistry, deployer, HARD_CAP_BPS + 1)


def test_constructor__zero_admin__reverts(project, deployer, deploy_reverts_with):
    with deploy_reverts_with(project.ModelRegistry, "ZeroAddress"):
        deployer.deploy(project.ModelRegistry, ZERO_ADDRESS, MAX_ROYALTY_BPS)


def test_set_max_royalty__by_admin__updates_and_emits(registry, deployer):
    receipt = registry.setMaxRoyaltyBps(3_000, sender=deployer)
    assert registry.maxRoyaltyBps() == 3_000
    assert [log.event_name for log in receipt.events] == ["MaxRoyaltyUpdated"]
    assert (receipt.events[0].previousBps, receipt.events[0].newBps) == (MAX_ROYALTY_BPS, 3_000)


def test_set_max_royalty__raised__allows_higher_royalty(registry, deployer, researcher, params, as_tuple):
    registry.setMaxRoyaltyBps(HARD_CAP_BPS, sender=deployer)
    registry.registerModel(as_tuple(params("rich", royaltyBps=HARD_CAP_BPS)), sender=researcher)
    assert registry.jobTerms(1, 1).royaltyBps == HARD_CAP_BPS


def test_set_max_royalty__above_hard_cap__reverts(registry, deployer, reverts_with):
    over = HARD_CAP_BPS + 1
    with reverts_with(registry.MaxRoyaltyAboveHardCap, maxRoyaltyBps=over, hardCapBps=HARD_CAP_BPS):
        registry.setMaxRoyaltyBps(HARD_CAP_BPS + 1, sender=deployer)
    assert registry.maxRoyaltyBps() == MAX_ROYALTY_BPS


def test_set_max_royalty__by_stranger__reverts(registry, stranger, reverts_with):
    with reverts_with(
        registry.AccessControlUnauthorizedAccount, account=stranger.address, neededRole=DEFAULT_ADMIN_ROLE
    ):
        registry.setMaxRoyaltyBps(100, sender=stranger)


def test_set_max_royalty__by_model_owner__reverts(registry, model_id, researcher, reverts_with):
    with reverts_with(registry.AccessControlUnauthorizedAccount, account=researcher.address):
        registry.setMaxRoyaltyBps(100, sender=researcher)


def test_set_max_royalty__lowered__existing_versions_keep_royalty_new_ones_capped(
    registry, model_id, deployer, researcher, params, as_tuple, reverts_with
):
    royalty = params("m1")["royaltyBps"]  # 500
    registry.setMaxRoyaltyBps(100, sender=deployer)
    assert registry.jobTerms(model_id, 1).royaltyBps == royalty
    with reverts_with(registry.RoyaltyAboveMax, royaltyBps=royalty, maxRoyaltyBps=100):
        registry.publishVersion(model_id, as_tuple(params("v2", royaltyBps=royalty)), sender=researcher)
    registry.publishVersion(model_id, as_tuple(params("v2", royaltyBps=100)), sender=researcher)
    assert registry.jobTerms(model_id, 2).royaltyBps == 100


def test_set_max_royalty__zero__forbids_any_royalty(
    registry, deployer, researcher, params, as_tuple, reverts_with
):
    registry.setMaxRoyaltyBps(0, sender=deployer)
    with reverts_with(registry.RoyaltyAboveMax, royaltyBps=1, maxRoyaltyBps=0):
        registry.registerModel(as_tuple(params("a", royaltyBps=1)), sender=researcher)
    registry.registerModel(as_tuple(params("a", royaltyBps=0)), sender=researcher)
