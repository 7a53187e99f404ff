"""ModelRegistry views: jobTerms (hot path), modelExists, layerCommitment, getters on unknown ids.

Reverts of views are asserted through `.transact(...)`: ape decodes custom errors of transactions but
leaves those of eth_call undecoded (anvil returns them as text), and `reverts_with` insists on the type.
"""


def test_job_terms__existing_version__returns_packed_terms(registry, model_id, researcher, params):
    p = params("m1")
    owner, price, royalty, modes, deprecated = registry.jobTerms(model_id, 1)
    assert (owner, price, royalty, modes, deprecated) == (
        researcher.address,
        p["pricePerJob"],
        p["royaltyBps"],
        p["modesMask"],
        False,
    )


def test_job_terms__version_zero__reverts(registry, model_id, reverts_with, stranger):
    with reverts_with(registry.UnknownModelVersion, modelId=model_id, version=0):
        registry.jobTerms.transact(model_id, 0, sender=stranger)


def test_job_terms__version_past_latest__reverts(registry, model_id, reverts_with, stranger):
    with reverts_with(registry.UnknownModelVersion, modelId=model_id, version=2):
        registry.jobTerms.transact(model_id, 2, sender=stranger)


def test_job_terms__unknown_model__reverts(registry, model_id, reverts_with, stranger):
    with reverts_with(registry.UnknownModelVersion, modelId=model_id + 1, version=1):
        registry.jobTerms.transact(model_id + 1, 1, sender=stranger)
    with reverts_with(registry.UnknownModelVersion, modelId=0, version=1):
        registry.jobTerms.transact(0, 1, sender=stranger)


def test_model_exists__registered__true(registry, model_id):
    assert registry.modelExists(model_id) is True


def test_model_exists__unknown__reverts(registry, model_id, reverts_with, stranger):
    with reverts_with(registry.UnknownModel, modelId=0):
        registry.modelExists.transact(0, sender=stranger)
    with reverts_with(registry.UnknownModel, modelId=model_id + 1):
        registry.modelExists.transact(model_id + 1, sender=stranger)


def test_layer_commitment__each_layer__matches_registration(registry, model_id, params):
    commitments = params("m1")["layerCommitments"]
    assert [registry.layerCommitment(model_id, 1, i) for i in range(len(commitments))] == commitments


def test_layer_commitment__out_of_range__reverts(registry, model_id, reverts_with, stranger):
    with reverts_with(registry.LayerOutOfRange, modelId=model_id, version=1, layer=3, layerCount=3):
        registry.layerCommitment.transact(model_id, 1, 3, sender=stranger)
    with reverts_with(registry.LayerOutOfRange, layer=2**256 - 1, layerCount=3):
        registry.layerCommitment.transact(model_id, 1, 2**256 - 1, sender=stranger)


def test_layer_commitment__unknown_version__reverts(registry, model_id, reverts_with, stranger):
    with reverts_with(registry.UnknownModelVersion, modelId=model_id, version=2):
        registry.layerCommitment.transact(model_id, 2, 0, sender=stranger)


def test_get_model__unknown__reverts(registry, model_id, reverts_with, stranger):
    with reverts_with(registry.UnknownModel, modelId=model_id + 1):
        registry.getModel.transact(model_id + 1, sender=stranger)


def test_get_version__unknown__reverts(registry, model_id, reverts_with, stranger):
    with reverts_with(registry.UnknownModelVersion, modelId=model_id, version=7):
        registry.getVersion.transact(model_id, 7, sender=stranger)
    with reverts_with(registry.UnknownModelVersion, modelId=model_id + 1, version=1):
        registry.getVersion.transact(model_id + 1, 1, sender=stranger)


def test_latest_version__unknown__reverts(registry, reverts_with, stranger):
    with reverts_with(registry.UnknownModel, modelId=4):
        registry.latestVersion.transact(4, sender=stranger)


def test_model_count__fresh_registry__zero(project, deployer):
    fresh = deployer.deploy(project.ModelRegistry, deployer, 0)
    assert fresh.modelCount() == 0


def test_model_count__after_registrations__counts_models_not_versions(
    registry, model_id, researcher, params, as_tuple
):
    registry.publishVersion(model_id, as_tuple(params("m1v2")), sender=researcher)
    assert registry.modelCount() == 1
    registry.registerModel(as_tuple(params("m2")), sender=researcher)
    assert registry.modelCount() == 2
