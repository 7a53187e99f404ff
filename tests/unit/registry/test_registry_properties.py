"""Hypothesis properties of ModelRegistry over random operation sequences (each example on Anvil,
inside `chain.isolate()`): published versions never change except their deprecation flag, version
numbers are sequential per model, and a version's royalty never exceeds the maximum at publication."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HARD_CAP_BPS = 5_000
MAX_ROYALTY_BPS = 2_000  # the `registry` fixture's protocol maximum

royalties = st.integers(min_value=0, max_value=HARD_CAP_BPS)
masks = st.integers(min_value=1, max_value=7)
prices = st.integers(min_value=0, max_value=2**96 - 1)

ops = st.one_of(
    st.tuples(st.just("register"), st.integers(0, 1), royalties, masks, prices, st.integers(1, 4)),
    st.tuples(st.just("publish"), st.integers(0, 3), st.integers(0, 1), royalties, masks, prices),
    st.tuples(st.just("deprecate"), st.integers(0, 3), st.integers(1, 4)),
    st.tuples(st.just("set_max"), royalties),
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(ops, min_size=1, max_size=6))
def test_random_sequences__published_versions_stay_immutable_and_royalty_bounded(
    chain, registry, deployer, researcher, stranger, params, as_tuple, sequence
):
    actors = (researcher, stranger)
    with chain.isolate():
        max_royalty = registry.maxRoyaltyBps()
        assert max_royalty == MAX_ROYALTY_BPS
        owners: dict[int, object] = {}  # modelId -> owner account
        published: dict[tuple[int, int], tuple] = {}  # (modelId, version) -> getVersion at publication
        max_at_publication: dict[tuple[int, int], int] = {}
        deprecated: set[tuple[int, int]] = set()
        for counter, op in enumerate(sequence):
            kind = op[0]
            if kind == "register":
                _, who, royalty, mask, price, layers = op
                p = params(f"h{counter}", layers=layers, royaltyBps=royalty, modesMask=mask)
                p["pricePerJob"] = price
                if royalty > max_royalty:
                    register = registry.registerModel
                    _assert_reverts(registry.RoyaltyAboveMax, register, (as_tuple(p),), actors[who])
                else:
                    model_id = registry.registerModel(as_tuple(p), sender=actors[who]).return_value
                    assert model_id == len(owners) + 1
                    owners[model_id] = actors[who]
                    published[(model_id, 1)] = registry.getVersion(model_id, 1)
                    max_at_publication[(model_id, 1)] = max_royalty
            elif kind == "publish" and owners:
                _, pick, who, royalty, mask, price = op
                model_id = pick % len(owners) + 1
                p = params(f"h{counter}", royaltyBps=royalty, modesMask=mask, pricePerJob=price)
                not_owner = actors[who] != owners[model_id]
                if not_owner or royalty > max_royalty:
                    expected = registry.NotModelOwner if not_owner else registry.RoyaltyAboveMax
                    _assert_reverts(expected, registry.publishVersion, (model_id, as_tuple(p)), actors[who])
                else:
                    latest = registry.latestVersion(model_id)
                    version = registry.publishVersion(model_id, as_tuple(p), sender=actors[who]).return_value
                    assert version == latest + 1
                    published[(model_id, version)] = registry.getVersion(model_id, version)
                    max_at_publication[(model_id, version)] = max_royalty
            elif kind == "deprecate" and owners:
                _, pick, version = op
                model_id = pick % len(owners) + 1
                if (model_id, version) in published and (model_id, version) not in deprecated:
                    registry.deprecateVersion(model_id, version, sender=owners[model_id])
                    deprecated.add((model_id, version))
            elif kind == "set_max":
                max_royalty = op[1]
                registry.setMaxRoyaltyBps(max_royalty, sender=deployer)

            # Invariants after every step.
            assert registry.modelCount() == len(owners)
            for (model_id, version), snapshot in published.items():
                current = registry.getVersion(model_id, version)
                assert current.deprecated == ((model_id, version) in deprecated)
                assert current[:5] + current[6:] == snapshot[:5] + snapshot[6:]
                owner, price, royalty, mask, is_deprecated = registry.jobTerms(model_id, version)
                assert (owner, price, royalty, mask) == (
                    owners[model_id].address,
                    snapshot.pricePerJob,
                    snapshot.royaltyBps,
                    snapshot.modesMask,
                )
                assert is_deprecated == ((model_id, version) in deprecated)
                assert royalty <= max_at_publication[(model_id, version)] <= HARD_CAP_BPS


def _assert_reverts(error_cls, method, args, sender):
    """Calls `method(*args, sender=sender)` and asserts it reverts with exactly `error_cls`."""
    try:
        method(*args, sender=sender)
    except error_cls:
        return
    raise AssertionError(f"expected {error_cls.__name__}, call succeeded")
