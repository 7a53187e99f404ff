"""Constants and a reference model of the emission schedule for the settlement tests."""

from opg_testkit import emission_at

OPG = 10**18
EPOCH = 86_400  # seconds
INITIAL_EMISSION = 1_000 * OPG
DECAY_BPS = 9_000
TREASURY_FEE_BPS = 1_000


def emission(epoch: int, initial: int = INITIAL_EMISSION, decay_bps: int = DECAY_BPS) -> int:
    return emission_at(initial, decay_bps, epoch)
