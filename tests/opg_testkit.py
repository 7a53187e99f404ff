"""Assertion helpers shared by every test directory (fixtures of the same names in tests/conftest.py)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ape
from eth_abi import decode
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes

from opg_client import jobstate

#: A provider's trace root as the escrow sees it (opaque 32 bytes; the runtime's `trace_root` computes real ones):
#: the `proof` of an optimistic submitResult and an argument of challengeResult.
TRACE_ROOT = keccak(b"opg test trace root")


@contextmanager
def reverts_with(error_cls: Any, **inputs: Any) -> Iterator[Any]:
    """`ape.reverts` that also fails if a *different* error (or a plain revert) was raised, and if an
    expected input name does not exist on the error (ape silently skips unknown names)."""
    with ape.reverts(error_cls, **inputs) as info:
        yield info
    assert isinstance(info.value, error_cls), f"expected {error_cls.__name__}, got {info.value!r}"
    for name, expected in inputs.items():
        assert name in info.value.inputs, f"{error_cls.__name__} has no input {name!r}"
        assert info.value.inputs[name] == expected


def _error_abi(error: Any, args: tuple[Any, ...]) -> tuple[Any, tuple[Any, ...]]:
    if isinstance(error, type):  # an ape custom-error class, e.g. `escrow.InvalidWiring`
        return error.abi, args
    name, *rest = args  # a contract container and an error name: `project.OPGToken, "ZeroAdmin"`
    return next(e for e in error.contract_type.errors if e.name == name), tuple(rest)


@contextmanager
def deploy_reverts_with(error: Any, *args: Any, **inputs: Any) -> Iterator[Any]:
    """For a reverting deployment, whose custom error ape leaves undecoded: matches the raw revert data
    against the error's selector and decodes its arguments. `error` is an ape error class, or a contract
    container followed by the error's name. Expected values: all of them positionally (`*args`), or any of
    them by name (`**inputs`)."""
    abi, expected_args = _error_abi(error, args)
    with ape.reverts() as info:
        yield info
    data = HexBytes(info.value.revert_message)
    assert data[:4] == keccak(text=abi.selector)[:4], f"expected {abi.selector}, got {data.hex()}"
    names = [ipt.name for ipt in abi.inputs]
    decoded = decode([ipt.canonical_type for ipt in abi.inputs], data[4:])
    values = {
        n: to_checksum_address(v) if isinstance(v, str) and len(v) == 42 and v.startswith("0x") else v
        for n, v in zip(names, decoded, strict=True)
    }
    if expected_args:
        assert tuple(values.values()) == tuple(expected_args), f"{abi.selector}: got {tuple(values.values())}"
    for name, expected in inputs.items():
        assert name in values, f"{abi.selector} has no input {name!r}"
        assert values[name] == expected, f"{name}: expected {expected!r}, got {values[name]!r}"


def sign_permit(token: Any, owner: Any, spender: Any, value: int, deadline: int, nonce: int | None = None):
    """EIP-2612 permit signature `(v, r, s)` by the ape test account `owner` for `spender`."""
    from opg_client.token import sign_permit_typed

    domain = {
        "name": token.name(),
        "version": "1",
        "chainId": token.provider.chain_id,
        "verifyingContract": str(token.address),
    }
    nonce = token.nonces(owner) if nonce is None else nonce
    spender = str(getattr(spender, "address", spender))
    return sign_permit_typed(owner.private_key, domain, str(owner.address), spender, value, nonce, deadline)


# Reference model of the emission schedule (EmissionMath): RAY fixed point, rounding down at every step.
RAY = 10**27
BPS = 10_000


def rpow(x: int, n: int) -> int:
    """Ray power by squaring, rounding down at each step exactly like EmissionMath.rpow."""
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


def emission_at(initial: int, decay_bps: int, epoch: int) -> int:
    """initial * (decay_bps / 10_000)^epoch as the contract computes it."""
    if epoch == 0 or decay_bps == BPS:
        return initial
    return initial * rpow(decay_bps * (RAY // BPS), epoch) // RAY


def _rebuilt(escrow: Any, job_id: int) -> Any:
    return jobstate.rebuild(job_id, ape.chain.provider.web3.eth.get_logs(jobstate.log_filter(escrow.address, job_id)))


def job_of(escrow: Any, job_id: int) -> jobstate.JobStruct:
    """The current struct of job `job_id`, rebuilt from `escrow`'s events (eth_getLogs on the jobId topic); all
    zero once the job closed (the escrow then reports InvalidJobStatus(Closed)), like the former getJob view."""
    return jobstate.named_struct(_rebuilt(escrow, job_id))


def collateral_of(escrow: Any, job_id: int) -> int:
    """The collateral job `job_id` pinned at creation (from its JobCreated event; also once it closed)."""
    job = _rebuilt(escrow, job_id)
    assert job is not None, f"no job {job_id}"
    return job.collateral
