"""Constants and the job-flow helper of the delegation tests (imported by name: no package)."""

from opg_testkit import TRACE_ROOT, job_of, sign_permit

OPG = 10**18
PRICE = 10 * OPG
MIN_STAKE = 1_000 * OPG
INPUT = bytes(range(64))
OUTPUT = b"label=7"
BPS = 10_000



class Jobs:
    """Job flows through the escrow for one provider."""

    def __init__(self, chain, suite, model_id, requester):
        self.chain, self.s, self.model_id, self.requester = chain, suite, model_id, requester

    def create(self, fee: int, duration: int = 3_600) -> int:
        deadline = self.chain.pending_timestamp + duration
        v, r, sig_s = sign_permit(self.s.token, self.requester, self.s.escrow, fee, deadline)
        self.s.escrow.createJobWithPermit(
            self.model_id, 1, 0, fee, deadline, INPUT, deadline, v, r, sig_s, sender=self.requester
        )
        return self.s.escrow.lastJobId()

    def claimed(self, provider, fee: int) -> int:
        job_id = self.create(fee)
        self.s.escrow.claimJob(job_id, job_of(self.s.escrow, job_id), sender=provider)
        return job_id

    def finalized(self, provider, fee: int):
        """A job claimed, answered and finalized by `provider`; returns the finalize receipt."""
        job_id = self.claimed(provider, fee)
        self.s.escrow.submitResult(job_id, job_of(self.s.escrow, job_id), OUTPUT, TRACE_ROOT, sender=provider)
        self.chain.pending_timestamp += self.s.escrow.challengeWindow() + 1
        return self.s.escrow.finalizeJob(job_id, job_of(self.s.escrow, job_id), sender=provider)

    def expire(self, job_id: int, caller):
        """Lets a claimed job's deadline pass and expires it: its collateral is slashed."""
        self.chain.pending_timestamp += 3_601
        return self.s.escrow.expireJob(job_id, job_of(self.s.escrow, job_id), sender=caller)

    def collateral(self, fee: int) -> int:
        ratio_bps, min_collateral = self.s.escrow.collateralTerms()
        return max(fee * ratio_bps // BPS, min_collateral)
