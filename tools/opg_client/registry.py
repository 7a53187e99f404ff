"""ModelRegistry wrapper: models, immutable versions, deprecation, two-step ownership."""

from __future__ import annotations

from eth_account.signers.local import LocalAccount
from web3.types import TxReceipt

from opg_client._base import ContractWrapper
from opg_client.errors import (
    EmptyLayerCommitments,
    InvalidModesMask,
    ModelIsDeprecated,
    NotModelOwner,
    PriceAboveMax,
    RoyaltyAboveMax,
    VersionIsDeprecated,
    ZeroLayerCommitment,
    ZeroWeightsHash,
)
from opg_client.models import (
    JobTerms,
    ModelInfo,
    ModelRef,
    VersionInfo,
    VersionParams,
    modes_from_mask,
    modes_mask,
)
from opg_client.tx import PendingTx

UINT96_MAX = 2**96 - 1
ZERO32 = b"\x00" * 32


class Registry(ContractWrapper):
    NAME = "ModelRegistry"

    # -------------------------------------------------------------------------------------- views

    def model_count(self) -> int:
        return int(self._call("modelCount"))

    def max_royalty_bps(self) -> int:
        return int(self._call("maxRoyaltyBps"))

    def get_model(self, model_id: int) -> ModelInfo:
        """Raises UnknownModel."""
        owner, pending, latest, deprecated, registered_at = self._call("getModel", model_id)
        return ModelInfo(model_id, owner, pending, int(latest), bool(deprecated), int(registered_at))

    def latest_version(self, model_id: int) -> int:
        return int(self._call("latestVersion", model_id))

    def get_version(self, model_id: int, version: int) -> VersionInfo:
        """Raises UnknownModelVersion."""
        raw = self._call("getVersion", model_id, version)
        weights_hash, verifier, price, royalty, mask, deprecated, published_at, layer_count, uri = raw
        return VersionInfo(
            model_id=model_id,
            version=version,
            weights_hash=bytes(weights_hash),
            verifier=verifier,
            price_per_job=int(price),
            royalty_bps=int(royalty),
            modes=modes_from_mask(int(mask)),
            deprecated=bool(deprecated),
            published_at=int(published_at),
            layer_count=int(layer_count),
            metadata_uri=uri,
        )

    def job_terms(self, model_id: int, version: int) -> JobTerms:
        """Raises UnknownModelVersion."""
        owner, price, royalty, mask, deprecated = self._call("jobTerms", model_id, version)
        return JobTerms(
            model_id, version, owner, int(price), int(royalty), modes_from_mask(int(mask)), deprecated
        )

    def layer_commitment(self, model_id: int, version: int, layer: int) -> bytes:
        return bytes(self._call("layerCommitment", model_id, version, layer))

    # ------------------------------------------------------------------------------------- checks

    def check_params(self, params: VersionParams) -> None:
        """The registry's validation, client-side (raises the same named errors without sending)."""
        if bytes(params.weights_hash) == ZERO32:
            raise ZeroWeightsHash()
        if not params.layer_commitments:
            raise EmptyLayerCommitments()
        for layer, commitment in enumerate(params.layer_commitments):
            if bytes(commitment) == ZERO32:
                raise ZeroLayerCommitment(layer=layer)
        max_royalty = self.max_royalty_bps()
        if params.royalty_bps > max_royalty:
            raise RoyaltyAboveMax(royaltyBps=params.royalty_bps, maxRoyaltyBps=max_royalty)
        mask = modes_mask(params.modes)
        if mask == 0:
            raise InvalidModesMask(modesMask=mask)
        if params.price_per_job > UINT96_MAX:
            raise PriceAboveMax(pricePerJob=params.price_per_job, max=UINT96_MAX)

    def require_owner(self, account: LocalAccount, model_id: int, *, live: bool = True) -> ModelInfo:
        """Raises UnknownModel, NotModelOwner, and (with `live`) ModelIsDeprecated."""
        info = self.get_model(model_id)
        if info.owner != account.address:
            raise NotModelOwner(modelId=model_id, caller=account.address)
        if live and info.deprecated:
            raise ModelIsDeprecated(modelId=model_id)
        return info

    # -------------------------------------------------------------------------------------- sends

    def register_model(self, account: LocalAccount, params: VersionParams) -> PendingTx:
        self.check_params(params)
        return self._send(account, "registerModel", params.as_tuple())

    def publish_version(self, account: LocalAccount, model_id: int, params: VersionParams) -> PendingTx:
        self.require_owner(account, model_id)
        self.check_params(params)
        return self._send(account, "publishVersion", model_id, params.as_tuple())

    def deprecate_model(self, account: LocalAccount, model_id: int) -> PendingTx:
        self.require_owner(account, model_id)
        return self._send(account, "deprecateModel", model_id)

    def deprecate_version(self, account: LocalAccount, model_id: int, version: int) -> PendingTx:
        self.require_owner(account, model_id, live=False)
        if self.get_version(model_id, version).deprecated:
            raise VersionIsDeprecated(modelId=model_id, version=version)
        return self._send(account, "deprecateVersion", model_id, version)

    def transfer_ownership(self, account: LocalAccount, model_id: int, new_owner: str) -> PendingTx:
        self.require_owner(account, model_id, live=False)
        return self._send(account, "transferOwnership", model_id, new_owner)

    def accept_ownership(self, account: LocalAccount, model_id: int) -> PendingTx:
        return self._send(account, "acceptOwnership", model_id)

    # ------------------------------------------------------------------------------------ receipts

    def published(self, receipt: TxReceipt) -> ModelRef:
        """The (modelId, version) a registerModel / publishVersion receipt published."""
        args = self.event_in(receipt, "VersionPublished")
        return ModelRef(
            int(args["modelId"]), int(args["version"]), "0x" + bytes(receipt["transactionHash"]).hex()
        )
