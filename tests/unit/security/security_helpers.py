"""Constants of the security tests (importable: this directory is on sys.path; the name is unique)."""

OPG = 10**18
PRICE = 10 * OPG
ROYALTY_BPS = 500
STAKE = 10_000 * OPG
OPTIMISTIC, TEE, ZK = 0, 1, 2
INPUT = b"security-input"
OUTPUT = b"security-output"


def sign_permit(token, owner, spender, value: int, deadline: int):
    """EIP-2612 permit signature (v, r, s) by test account `owner` for `spender`."""
    from eth_account import Account

    domain = {
        "name": token.name(),
        "version": "1",
        "chainId": token.provider.chain_id,
        "verifyingContract": token.address,
    }
    types = {
        "Permit": [
            {"name": "owner", "type": "address"},
            {"name": "spender", "type": "address"},
            {"name": "value", "type": "uint256"},
            {"name": "nonce", "type": "uint256"},
            {"name": "deadline", "type": "uint256"},
        ]
    }
    message = {
        "owner": owner.address,
        "spender": getattr(spender, "address", spender),
        "value": value,
        "nonce": token.nonces(owner),
        "deadline": deadline,
    }
    signed = Account.sign_typed_data(owner.private_key, domain, types, message)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
