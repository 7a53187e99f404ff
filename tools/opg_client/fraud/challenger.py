"""`Challenger`: re-executes an optimistic result, builds the cheapest fraud proof that wins, previews the
verifier's ruling, and challenges (posting the bond). Usable in-process (simulation agents) and by `opg watch`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eth_account.signers.local import LocalAccount

from opg_client.errors import OpgError
from opg_client.models import VerificationMode
from opg_client.runtime import Model, ModelRuntimeError, decode_vector, encode_vector, trace

from .cheat import TraceBoard
from .evidence import (
    EvidenceKind,
    Ruling,
    encode_full_evidence,
    encode_layer_evidence,
    first_disputed_layer,
    layer_outputs,
    trace_root_of,
)
from .verifier import LayerVerifier

if TYPE_CHECKING:
    from opg_client.chain import OpgClient
    from opg_client.tx import PendingTx


@dataclass(frozen=True)
class Observation:
    """An optimistic result as the chain shows it (JobCreated + JobClaimed + ResultSubmitted)."""

    job_id: int
    requester: str
    provider: str
    model_id: int
    version: int
    mode: VerificationMode
    fee: int  # wei
    input: bytes
    input_hash: bytes
    output_hash: bytes
    trace_root: bytes
    challenge_end: int  # unix s

    def context(self) -> tuple[object, ...]:
        """IJobVerifier.JobContext as the escrow builds it."""
        return (
            self.job_id, self.requester, self.provider, self.model_id, self.version, int(self.mode), self.fee,
            self.input_hash, self.output_hash, self.trace_root,
        )


@dataclass(frozen=True)
class Verdict:
    """What a re-execution found: `evidence` is None for a correct result."""

    job_id: int
    correct: bool
    reason: str
    kind: EvidenceKind | None = None
    layer: int | None = None
    evidence: bytes | None = field(default=None, repr=False)


class Challenger:
    """Checks optimistic results against the runtime and disputes wrong ones.

    `models(model_id, version) -> Model` resolves a job's model (e.g. registry weightsHash -> ModelStore).
    `board` (optional) is where providers publish their traces: with one that opens the root, the proof is a
    one-layer re-execution; otherwise (and for a root no published trace opens) a full re-execution.
    """

    def __init__(
        self,
        client: OpgClient,
        account: LocalAccount | None,
        models: Callable[[int, int], Model],
        board: TraceBoard | None = None,
    ) -> None:
        self.client = client
        self.account = account
        self.models = models
        self.board = board
        self.verifier = LayerVerifier(client)

    # ------------------------------------------------------------------------------------------- check

    def inspect(self, obs: Observation) -> Verdict:
        """Re-execute `obs` and, if it is wrong, build the evidence (not sent)."""
        if obs.mode != VerificationMode.Optimistic:
            return Verdict(obs.job_id, True, "not an optimistic job")
        model = self.models(obs.model_id, obs.version)
        try:
            honest = trace(model, decode_vector(obs.input, "input"))
        except ModelRuntimeError as exc:  # no valid answer exists, yet the provider answered
            return self._full(obs, model, f"input has no valid answer: {exc}")
        h = layer_outputs(honest)
        if trace_root_of(h) == obs.trace_root and h[-1] == obs.output_hash:
            return Verdict(obs.job_id, True, "result and trace root match the re-execution")
        for candidate in self._candidates(obs, h):
            if trace_root_of(candidate) != obs.trace_root:
                continue
            k = first_disputed_layer(h, candidate)
            if len(candidate) != len(h) or candidate[-1] != obs.output_hash or k is None:
                k = 0  # the trace itself is inconsistent: any layer's proof shows it
                reason = "provider trace inconsistent (length or last commitment != outputHash)"
            else:
                reason = f"layer {k} output differs from its re-execution"
            evidence = encode_layer_evidence(model, k, candidate, encode_vector(honest.vectors[k]))
            return Verdict(obs.job_id, False, reason, EvidenceKind.Layer, k, evidence)
        return self._full(obs, model, "trace root opens to no known trace: full re-execution")

    def _candidates(self, obs: Observation, honest: tuple[bytes, ...]) -> list[tuple[bytes, ...]]:
        out = []
        if self.board is not None:
            published = self.board.get(obs.job_id)
            if published is not None:
                out.append(published)
        out.append((*honest[:-1], obs.output_hash))  # only the last layer (the output) was changed
        return out

    @staticmethod
    def _full(obs: Observation, model: Model, reason: str) -> Verdict:
        return Verdict(obs.job_id, False, reason, EvidenceKind.Full, None, encode_full_evidence(model, obs.input))

    def preview(self, obs: Observation, verdict: Verdict) -> Ruling:
        """The verifier's ruling on `verdict.evidence` (an eth_call: nothing is sent)."""
        if verdict.evidence is None:
            raise ValueError(f"job {obs.job_id}: nothing to dispute")
        return self.verifier.rule(obs.context(), verdict.evidence)

    # --------------------------------------------------------------------------------------- challenge

    def challenge(self, obs: Observation, verdict: Verdict) -> PendingTx:
        """Post the bond (approving it if needed) and send challengeResult with the evidence."""
        if self.account is None:
            raise OpgError("a read-only challenger cannot send challenges")
        if verdict.evidence is None:
            raise ValueError(f"job {obs.job_id}: nothing to dispute")
        escrow = self.client.escrow
        approval = self.client.token.ensure_allowance(self.account, escrow.address, escrow.challenge_bond())
        if approval is not None:
            approval.wait()
        return escrow.challenge_result(
            self.account, obs.job_id, obs.input_hash, obs.output_hash, obs.trace_root, verdict.evidence
        )

    def check_and_challenge(self, obs: Observation) -> tuple[Verdict, Ruling | None, PendingTx | None]:
        """inspect -> preview -> challenge when the preview finds the provider at fault."""
        verdict = self.inspect(obs)
        if verdict.correct:
            return verdict, None, None
        ruling = self.preview(obs, verdict)
        if not ruling.provider_at_fault:
            return verdict, ruling, None
        return verdict, ruling, self.challenge(obs, verdict)


class LayerCommitmentsMismatch(OpgError):
    """The weights file of a model version does not match the registry's layer commitments: results computed
    with it could be proven wrong (by anyone holding weights that match), so it must not be served."""

    def __init__(self, model_id: int, version: int, layer: int) -> None:
        self.model_id, self.version, self.layer = model_id, version, layer
        super().__init__(f"model {model_id} v{version}: layer {layer} of the weights file does not match the "
                         "registry's layer commitment")


def check_layer_commitments(client: OpgClient, model_id: int, version: int, model: Model) -> None:
    """Raise LayerCommitmentsMismatch unless every layer of `model` matches the registry's commitment (and the
    version has exactly that many layers)."""
    from opg_client.runtime import layer_commitments

    ours = layer_commitments(model)
    count = client.registry.get_version(model_id, version).layer_count
    if count != len(ours):
        raise LayerCommitmentsMismatch(model_id, version, min(count, len(ours)))
    for k, commitment in enumerate(ours):
        if client.registry.layer_commitment(model_id, version, k) != commitment:
            raise LayerCommitmentsMismatch(model_id, version, k)


def registry_models(client: OpgClient, store: Any) -> Callable[[int, int], Model]:
    """`models` resolver: the registry's weightsHash of the version, read from a ModelStore and checked
    against the registry's layer commitments (cached)."""
    cache: dict[tuple[int, int], Model] = {}

    def resolve(model_id: int, version: int) -> Model:
        key = (model_id, version)
        if key not in cache:
            model = store.get(client.registry.get_version(model_id, version).weights_hash)
            check_layer_commitments(client, model_id, version, model)
            cache[key] = model
        return cache[key]

    return resolve
