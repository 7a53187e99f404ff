"""Constants of the security tests (importable: this directory is on sys.path; the name is unique)."""

OPG = 10**18
PRICE = 10 * OPG
ROYALTY_BPS = 500
STAKE = 10_000 * OPG
OPTIMISTIC, TEE, ZK = 0, 1, 2
INPUT = b"security-input"
OUTPUT = b"security-output"
