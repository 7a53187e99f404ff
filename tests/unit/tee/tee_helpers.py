"""Constants and signing helpers of the TEE tests (importable: this directory is on sys.path)."""

from eth_account import Account
from eth_utils import keccak

from opg_client.tee import DevAttester, SoftwareEnclave, TeeResult, domain, sign_result

OPG = 10**18
PRICE = 10 * OPG
ROYALTY_BPS = 500
TEE_MODES_MASK = 0b011  # Optimistic | TEE
OPTIMISTIC, TEE, ZK = 0, 1, 2
NONE, OPEN, CLAIMED, SUBMITTED, CLOSED = 0, 1, 2, 3, 4
UNKNOWN, APPROVED, REVOKED = 0, 1, 2  # AttestationStatus
WEIGHTS_HASH = keccak(text="tee-test-weights")
MEASUREMENT = keccak(text="tee-test-enclave-build-1")
OTHER_MEASUREMENT = keccak(text="tee-test-enclave-build-2")
INPUT = bytes(range(64))
OUTPUT = b"label=7;confidence=0.9731"
MAX_SIGNATURE_AGE = 600  # suite_params default (SuiteParams.tee_max_signature_age)
MAX_CLOCK_SKEW = 30
KEY_LIFETIME = 7 * 86_400

ATTESTER = DevAttester(Account.from_key(keccak(text="tee-test-attester")))
ROGUE_ATTESTER = DevAttester(Account.from_key(keccak(text="tee-test-rogue-attester")))
ENCLAVE = SoftwareEnclave(Account.from_key(keccak(text="tee-test-enclave")), MEASUREMENT)
ENCLAVE2 = SoftwareEnclave(Account.from_key(keccak(text="tee-test-enclave-2")), MEASUREMENT)
UNREGISTERED = SoftwareEnclave(Account.from_key(keccak(text="tee-test-unregistered")), MEASUREMENT)


def result_domain(verifier, chain_id: int | None = None) -> dict:
    chain_id = verifier.provider.chain_id if chain_id is None else chain_id
    return domain("OPG TEE Verifier", chain_id, str(verifier.address))


def attestation_domain(registry) -> dict:
    return domain("OPG TEE Attestation", registry.provider.chain_id, str(registry.address))


def proof_for(
    verifier,
    enclave: SoftwareEnclave,
    job_id: int,
    timestamp: int,
    output: bytes = OUTPUT,
    input_data: bytes = INPUT,
    model_hash: bytes = WEIGHTS_HASH,
    chain_id: int | None = None,
) -> bytes:
    result = TeeResult(job_id, model_hash, keccak(input_data), keccak(output), timestamp)
    return sign_result(enclave.account.key, result_domain(verifier, chain_id), result)


def recovered_signer(verifier, proof: bytes, job_id: int, output: bytes = OUTPUT, input_data: bytes = INPUT) -> str:
    """The address the contract recovers from `proof` for this job (what a forged signature 'is')."""
    from eth_keys import keys

    timestamp = int.from_bytes(proof[:8], "big")
    digest = verifier.resultDigest(job_id, WEIGHTS_HASH, keccak(input_data), keccak(output), timestamp)
    r, s, v = proof[8:40], proof[40:72], proof[72]
    sig = keys.Signature(vrs=(v - 27, int.from_bytes(r, "big"), int.from_bytes(s, "big")))
    return sig.recover_public_key_from_msg_hash(bytes(digest)).to_checksum_address()


def call_revert(contract, fn_name: str, *args, sender=None):
    """eth_call `fn_name(*args)` through web3 and return the decoded custom error as (name, {arg: value}).
    (Ape leaves custom errors of eth_calls undecoded.) Fails the test if the call does not revert."""
    from eth_abi import decode
    from eth_utils import to_checksum_address
    from web3.exceptions import ContractCustomError

    abi = [entry.model_dump(mode="json", by_alias=True) for entry in contract.contract_type.abi]
    w3 = contract.provider.web3
    fn = w3.eth.contract(address=str(contract.address), abi=abi).get_function_by_name(fn_name)(*args)
    call = {"from": str(sender.address)} if sender is not None else {}
    try:
        fn.call(call)
    except ContractCustomError as exc:
        data = bytes.fromhex(str(exc.data)[2:])
    else:
        raise AssertionError(f"{fn_name} did not revert")
    for error in contract.contract_type.errors:
        if keccak(text=error.selector)[:4] == data[:4]:
            values = decode([i.canonical_type for i in error.inputs], data[4:])
            return error.name, {
                i.name: to_checksum_address(v) if i.canonical_type == "address" else v
                for i, v in zip(error.inputs, values, strict=True)
            }
    raise AssertionError(f"unknown error selector {data[:4].hex()}")
