"""OPGToken EIP-2612 permit: valid, expired, replayed and forged signatures."""

from eth_account import Account
from eth_utils import keccak

OPG = 10**18
PERMIT_TYPES = {
    "Permit": [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
}


def _domain(token, chain):
    return {
        "name": "OPG Token",
        "version": "1",
        "chainId": chain.chain_id,
        "verifyingContract": token.address,
    }


def _sign_permit(token, chain, signer, owner, spender, value, nonce, deadline):
    """Signs an EIP-712 Permit with `signer`'s key (an ape test account) on behalf of `owner`."""
    message = {
        "owner": owner.address,
        "spender": spender.address,
        "value": value,
        "nonce": nonce,
        "deadline": deadline,
    }
    signed = Account.sign_typed_data(signer.private_key, _domain(token, chain), PERMIT_TYPES, message)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def test_domain_separator__matches_eip712_domain(token, chain):
    type_hash = keccak(
        text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    )
    expected = keccak(
        type_hash
        + keccak(text="OPG Token")
        + keccak(text="1")
        + chain.chain_id.to_bytes(32, "big")
        + bytes(12)
        + bytes.fromhex(token.address[2:])
    )
    assert token.DOMAIN_SEPARATOR() == expected


def test_permit__valid_signature__sets_allowance_and_bumps_nonce(token, chain, treasury, provider, stranger):
    deadline = chain.pending_timestamp + 3600
    v, r, s = _sign_permit(token, chain, treasury, treasury, provider, 9 * OPG, 0, deadline)
    receipt = token.permit(treasury, provider, 9 * OPG, deadline, v, r, s, sender=stranger)  # anyone relays
    assert token.allowance(treasury, provider) == 9 * OPG
    assert token.nonces(treasury) == 1
    logs = list(receipt.decode_logs(token.Approval))
    assert (logs[0]["owner"], logs[0]["spender"], logs[0]["value"]) == (
        treasury.address,
        provider.address,
        9 * OPG,
    )
    token.transferFrom(treasury, provider, 9 * OPG, sender=provider)
    assert token.balanceOf(provider) == 9 * OPG


def test_permit__deadline_equal_to_block_time__succeeds(token, chain, treasury, provider):
    deadline = chain.pending_timestamp + 100
    v, r, s = _sign_permit(token, chain, treasury, treasury, provider, OPG, 0, deadline)
    chain.pending_timestamp = deadline
    token.permit(treasury, provider, OPG, deadline, v, r, s, sender=provider)
    assert token.allowance(treasury, provider) == OPG


def test_permit__expired_deadline__reverts(token, chain, treasury, provider, reverts_with):
    deadline = chain.pending_timestamp + 100
    v, r, s = _sign_permit(token, chain, treasury, treasury, provider, OPG, 0, deadline)
    chain.pending_timestamp = deadline + 1
    with reverts_with(token.ERC2612ExpiredSignature, deadline=deadline):
        token.permit(treasury, provider, OPG, deadline, v, r, s, sender=provider)


def test_permit__replayed_signature__reverts(token, chain, treasury, provider, reverts_with):
    deadline = chain.pending_timestamp + 3600
    v, r, s = _sign_permit(token, chain, treasury, treasury, provider, OPG, 0, deadline)
    token.permit(treasury, provider, OPG, deadline, v, r, s, sender=provider)
    token.approve(provider, 0, sender=treasury)
    # Nonce is now 1, so the same signature recovers to some other address.
    with reverts_with(token.ERC2612InvalidSigner, owner=treasury.address):
        token.permit(treasury, provider, OPG, deadline, v, r, s, sender=provider)
    assert token.allowance(treasury, provider) == 0


def test_permit__signed_by_someone_else__reverts(token, chain, treasury, provider, stranger, reverts_with):
    deadline = chain.pending_timestamp + 3600
    v, r, s = _sign_permit(token, chain, stranger, treasury, provider, OPG, 0, deadline)
    with reverts_with(token.ERC2612InvalidSigner, signer=stranger.address, owner=treasury.address):
        token.permit(treasury, provider, OPG, deadline, v, r, s, sender=provider)


def test_permit__value_differs_from_signed__reverts(token, chain, treasury, provider, reverts_with):
    deadline = chain.pending_timestamp + 3600
    v, r, s = _sign_permit(token, chain, treasury, treasury, provider, OPG, 0, deadline)
    with reverts_with(token.ERC2612InvalidSigner, owner=treasury.address):
        token.permit(treasury, provider, 2 * OPG, deadline, v, r, s, sender=provider)
