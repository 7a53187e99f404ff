"""Constants and a reference model of the emission schedule for the settlement tests."""

OPG = 10**18
EPOCH = 86_400  # seconds
INITIAL_EMISSION = 1_000 * OPG
DECAY_BPS = 9_000
TREASURY_FEE_BPS = 1_000
RAY = 10**27


def rpow(x: int, n: int) -> int:
    """Ray power, rounding down at each step exactly like EmissionMath.rpow."""
    z = RAY
    while n:
        if n & 1:
            z = z * x // RAY
        n >>= 1
        if n:
            x = x * x // RAY
            if x == 0:
                return 0
    return z


def emission(epoch: int, initial: int = INITIAL_EMISSION, decay_bps: int = DECAY_BPS) -> int:
    if epoch == 0 or decay_bps == 10_000:
        return initial
    return initial * rpow(decay_bps * 10**23, epoch) // RAY
