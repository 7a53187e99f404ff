"""ProviderStaking.serveModel / stopServing / isServing."""

from staking_helpers import MODEL, OTHER_MODEL, UNKNOWN_MODEL


def test_serve_model__existing_model__marks_serving_and_emits(staking, provider):
    receipt = staking.serveModel(MODEL, sender=provider)
    assert staking.isServing(provider, MODEL)
    assert not staking.isServing(provider, OTHER_MODEL)
    [log] = list(receipt.decode_logs(staking.ModelServed))
    assert (log["provider"], log.modelId) == (provider.address, MODEL)


def test_serve_model__two_models__both_served(staking, provider, provider2):
    staking.serveModel(MODEL, sender=provider)
    staking.serveModel(OTHER_MODEL, sender=provider)
    assert staking.isServing(provider, MODEL) and staking.isServing(provider, OTHER_MODEL)
    assert not staking.isServing(provider2, MODEL)


def test_serve_model__unknown_model__reverts(staking, registry, provider, reverts_with):
    with reverts_with(registry.UnknownModel, modelId=UNKNOWN_MODEL):
        staking.serveModel(UNKNOWN_MODEL, sender=provider)
    assert not staking.isServing(provider, UNKNOWN_MODEL)


def test_serve_model__model_zero__reverts(staking, registry, provider, reverts_with):
    with reverts_with(registry.UnknownModel, modelId=0):
        staking.serveModel(0, sender=provider)


def test_serve_model__already_serving__reverts(staking, provider, reverts_with):
    staking.serveModel(MODEL, sender=provider)
    with reverts_with(staking.AlreadyServingModel, provider=provider.address, modelId=MODEL):
        staking.serveModel(MODEL, sender=provider)


def test_serve_model__deprecated_model__still_allowed(staking, registry, researcher, provider):
    registry.deprecateModel(OTHER_MODEL, sender=researcher)
    staking.serveModel(OTHER_MODEL, sender=provider)
    assert staking.isServing(provider, OTHER_MODEL)


def test_stop_serving__serving__clears_and_emits(staking, provider):
    staking.serveModel(MODEL, sender=provider)
    receipt = staking.stopServing(MODEL, sender=provider)
    assert not staking.isServing(provider, MODEL)
    [log] = list(receipt.decode_logs(staking.ModelServingStopped))
    assert (log["provider"], log.modelId) == (provider.address, MODEL)


def test_stop_serving__not_serving__reverts(staking, provider, reverts_with):
    with reverts_with(staking.NotServingModel, provider=provider.address, modelId=MODEL):
        staking.stopServing(MODEL, sender=provider)


def test_stop_serving__then_serve_again__serving(staking, provider):
    staking.serveModel(MODEL, sender=provider)
    staking.stopServing(MODEL, sender=provider)
    staking.serveModel(MODEL, sender=provider)
    assert staking.isServing(provider, MODEL)
