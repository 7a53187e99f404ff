"""Constants and helpers shared by the ProviderStaking unit tests (module name kept unique on purpose)."""

OPG = 10**18  # 1 OPG in wei
GENESIS = 100_000_000 * OPG
MAX_ROYALTY_BPS = 2_000
MIN_STAKE = 1_000 * OPG
UNBONDING_DELAY = 7 * 24 * 3600  # seconds
MODEL = 1
OTHER_MODEL = 2
UNKNOWN_MODEL = 99
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def split(amount, reward_bps, burn_bps, has_beneficiary=True):
    """Expected (rewarded, burned, to_treasury) of a slash of `amount` wei."""
    rewarded = amount * reward_bps // 10_000 if has_beneficiary else 0
    rest = amount - rewarded
    burned = rest * burn_bps // 10_000
    return rewarded, burned, rest - burned
