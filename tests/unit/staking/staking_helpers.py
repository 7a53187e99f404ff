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


def sign_permit(token, owner, spender, value, deadline, chain_id):
    """EIP-2612 permit signature (v, r, s) by the ape test account `owner` for `spender`."""
    from eth_account import Account

    message = {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            "Permit": [
                {"name": "owner", "type": "address"},
                {"name": "spender", "type": "address"},
                {"name": "value", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ],
        },
        "primaryType": "Permit",
        "domain": {
            "name": token.name(),
            "version": "1",
            "chainId": chain_id,
            "verifyingContract": token.address,
        },
        "message": {
            "owner": owner.address,
            "spender": str(getattr(spender, "address", spender)),
            "value": value,
            "nonce": token.nonces(owner),
            "deadline": deadline,
        },
    }
    signed = Account.sign_typed_data(owner.private_key, full_message=message)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")
