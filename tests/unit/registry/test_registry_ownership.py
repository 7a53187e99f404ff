"""ModelRegistry two-step ownership transfer."""

ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def test_transfer_ownership__by_owner__sets_pending_and_keeps_owner(registry, model_id, researcher, provider):
    receipt = registry.transferOwnership(model_id, provider, sender=researcher)
    assert [log.event_name for log in receipt.events] == ["OwnershipTransferStarted"]
    log = receipt.events[0]
    assert (log.modelId, log.owner, log.pendingOwner) == (model_id, researcher.address, provider.address)
    model = registry.getModel(model_id)
    assert model.owner == researcher.address
    assert model.pendingOwner == provider.address
    assert registry.jobTerms(model_id, 1).owner == researcher.address


def test_accept_ownership__by_pending_owner__transfers_and_clears_pending(
    registry, model_id, researcher, provider
):
    registry.transferOwnership(model_id, provider, sender=researcher)
    receipt = registry.acceptOwnership(model_id, sender=provider)
    assert [log.event_name for log in receipt.events] == ["OwnershipTransferred"]
    log = receipt.events[0]
    assert (log.modelId, log.previousOwner, log.newOwner) == (model_id, researcher.address, provider.address)
    model = registry.getModel(model_id)
    assert (model.owner, model.pendingOwner) == (provider.address, ZERO_ADDRESS)
    assert registry.jobTerms(model_id, 1).owner == provider.address


def test_accept_ownership__completed__new_owner_manages_old_owner_cannot(
    registry, model_id, researcher, provider, params, as_tuple, reverts_with
):
    registry.transferOwnership(model_id, provider, sender=researcher)
    registry.acceptOwnership(model_id, sender=provider)
    registry.publishVersion(model_id, as_tuple(params("by-new-owner")), sender=provider)
    assert registry.latestVersion(model_id) == 2
    with reverts_with(registry.NotModelOwner, modelId=model_id, caller=researcher.address):
        registry.deprecateVersion(model_id, 2, sender=researcher)
    with reverts_with(registry.NotModelOwner, modelId=model_id, caller=researcher.address):
        registry.transferOwnership(model_id, researcher, sender=researcher)


def test_accept_ownership__twice__reverts(registry, model_id, researcher, provider, reverts_with):
    registry.transferOwnership(model_id, provider, sender=researcher)
    registry.acceptOwnership(model_id, sender=provider)
    with reverts_with(registry.NotPendingOwner, modelId=model_id, caller=provider.address):
        registry.acceptOwnership(model_id, sender=provider)


def test_transfer_ownership__to_zero__cancels_pending(registry, model_id, researcher, provider, reverts_with):
    registry.transferOwnership(model_id, provider, sender=researcher)
    receipt = registry.transferOwnership(model_id, ZERO_ADDRESS, sender=researcher)
    assert receipt.events[0].pendingOwner == ZERO_ADDRESS
    assert registry.getModel(model_id).pendingOwner == ZERO_ADDRESS
    with reverts_with(registry.NotPendingOwner, modelId=model_id, caller=provider.address):
        registry.acceptOwnership(model_id, sender=provider)
    assert registry.getModel(model_id).owner == researcher.address


def test_transfer_ownership__new_proposal__replaces_previous(
    registry, model_id, researcher, provider, provider2, reverts_with
):
    registry.transferOwnership(model_id, provider, sender=researcher)
    registry.transferOwnership(model_id, provider2, sender=researcher)
    with reverts_with(registry.NotPendingOwner, modelId=model_id, caller=provider.address):
        registry.acceptOwnership(model_id, sender=provider)
    registry.acceptOwnership(model_id, sender=provider2)
    assert registry.getModel(model_id).owner == provider2.address


def test_transfer_ownership__pending_owner_before_accepting__cannot_manage(
    registry, model_id, researcher, provider, reverts_with
):
    registry.transferOwnership(model_id, provider, sender=researcher)
    with reverts_with(registry.NotModelOwner, modelId=model_id, caller=provider.address):
        registry.deprecateModel(model_id, sender=provider)


def test_transfer_ownership__by_stranger__reverts(registry, model_id, stranger, reverts_with):
    with reverts_with(registry.NotModelOwner, modelId=model_id, caller=stranger.address):
        registry.transferOwnership(model_id, stranger, sender=stranger)


def test_transfer_ownership__unknown_model__reverts(registry, researcher, provider, reverts_with):
    with reverts_with(registry.UnknownModel, modelId=5):
        registry.transferOwnership(5, provider, sender=researcher)


def test_accept_ownership__by_stranger__reverts(
    registry, model_id, researcher, provider, stranger, reverts_with
):
    registry.transferOwnership(model_id, provider, sender=researcher)
    with reverts_with(registry.NotPendingOwner, modelId=model_id, caller=stranger.address):
        registry.acceptOwnership(model_id, sender=stranger)


def test_accept_ownership__no_transfer_started__reverts(registry, model_id, researcher, reverts_with):
    with reverts_with(registry.NotPendingOwner, modelId=model_id, caller=researcher.address):
        registry.acceptOwnership(model_id, sender=researcher)


def test_accept_ownership__unknown_model__reverts(registry, stranger, reverts_with):
    with reverts_with(registry.UnknownModel, modelId=3):
        registry.acceptOwnership(3, sender=stranger)


def test_accept_ownership__deprecated_model__still_transfers(registry, model_id, researcher, provider):
    registry.deprecateModel(model_id, sender=researcher)
    registry.transferOwnership(model_id, provider, sender=researcher)
    registry.acceptOwnership(model_id, sender=provider)
    assert registry.getModel(model_id).owner == provider.address
    assert registry.getModel(model_id).deprecated is True
