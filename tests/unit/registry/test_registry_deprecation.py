"""ModelRegistry deprecation: version-level and model-level, one-way, owner only."""


def _publish_v2(registry, model_id, researcher, params, as_tuple):
    registry.publishVersion(model_id, as_tuple(params("m1v2")), sender=researcher)


def test_deprecate_version__by_owner__only_that_version_refuses_jobs(
    registry, model_id, researcher, params, as_tuple
):
    _publish_v2(registry, model_id, researcher, params, as_tuple)
    receipt = registry.deprecateVersion(model_id, 1, sender=researcher)
    assert [log.event_name for log in receipt.events] == ["VersionDeprecated"]
    assert (receipt.events[0].modelId, receipt.events[0].version) == (model_id, 1)
    assert registry.jobTerms(model_id, 1).deprecated is True
    assert registry.getVersion(model_id, 1).deprecated is True
    assert registry.jobTerms(model_id, 2).deprecated is False
    assert registry.getModel(model_id).deprecated is False


def test_deprecate_version__keeps_other_fields(registry, model_id, researcher):
    before = registry.getVersion(model_id, 1)
    terms_before = registry.jobTerms(model_id, 1)
    registry.deprecateVersion(model_id, 1, sender=researcher)
    after = registry.getVersion(model_id, 1)
    assert after.deprecated is True
    assert len(after) == len(before) == 9
    assert after[:5] + after[6:] == before[:5] + before[6:]  # everything but `deprecated` (index 5)
    assert registry.jobTerms(model_id, 1)[:4] == terms_before[:4]


def test_deprecate_version__twice__reverts(registry, model_id, researcher, reverts_with):
    registry.deprecateVersion(model_id, 1, sender=researcher)
    with reverts_with(registry.VersionIsDeprecated, modelId=model_id, version=1):
        registry.deprecateVersion(model_id, 1, sender=researcher)


def test_deprecate_version__by_stranger__reverts(registry, model_id, stranger, reverts_with):
    with reverts_with(registry.NotModelOwner, modelId=model_id, caller=stranger.address):
        registry.deprecateVersion(model_id, 1, sender=stranger)


def test_deprecate_version__unknown_version__reverts(registry, model_id, researcher, reverts_with):
    with reverts_with(registry.UnknownModelVersion, modelId=model_id, version=2):
        registry.deprecateVersion(model_id, 2, sender=researcher)
    with reverts_with(registry.UnknownModelVersion, modelId=model_id, version=0):
        registry.deprecateVersion(model_id, 0, sender=researcher)


def test_deprecate_version__unknown_model__reverts(registry, researcher, reverts_with):
    with reverts_with(registry.UnknownModelVersion, modelId=9, version=1):
        registry.deprecateVersion(9, 1, sender=researcher)


def test_deprecate_version__of_deprecated_model__still_allowed(registry, model_id, researcher):
    registry.deprecateModel(model_id, sender=researcher)
    registry.deprecateVersion(model_id, 1, sender=researcher)
    assert registry.getVersion(model_id, 1).deprecated is True


def test_deprecate_model__by_owner__every_version_refuses_jobs(
    registry, model_id, researcher, params, as_tuple
):
    _publish_v2(registry, model_id, researcher, params, as_tuple)
    receipt = registry.deprecateModel(model_id, sender=researcher)
    assert [log.event_name for log in receipt.events] == ["ModelDeprecated"]
    assert receipt.events[0].modelId == model_id
    assert registry.getModel(model_id).deprecated is True
    assert registry.jobTerms(model_id, 1).deprecated is True
    assert registry.jobTerms(model_id, 2).deprecated is True
    # Version-level flags are untouched; the model still exists and stays readable.
    assert registry.getVersion(model_id, 2).deprecated is False
    assert registry.modelExists(model_id)
    assert registry.jobTerms(model_id, 2).owner == researcher.address


def test_deprecate_model__twice__reverts(registry, model_id, researcher, reverts_with):
    registry.deprecateModel(model_id, sender=researcher)
    with reverts_with(registry.ModelIsDeprecated, modelId=model_id):
        registry.deprecateModel(model_id, sender=researcher)


def test_deprecate_model__by_stranger__reverts(registry, model_id, stranger, reverts_with):
    with reverts_with(registry.NotModelOwner, modelId=model_id, caller=stranger.address):
        registry.deprecateModel(model_id, sender=stranger)


def test_deprecate_model__unknown_model__reverts(registry, researcher, reverts_with):
    with reverts_with(registry.UnknownModel, modelId=0):
        registry.deprecateModel(0, sender=researcher)
