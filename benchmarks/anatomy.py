"""Where a transaction's gas goes, from Anvil's struct-log trace (debug_traceTransaction):

    gas_used = intrinsic + sstore + logs + other - refund

- intrinsic: 21,000 + calldata (what was charged before the first opcode);
- sstore: every SSTORE, at any call depth (EIP-2929/2200 prices: 22,100 for a cold zero -> non-zero slot,
  2,900 for a warm non-zero rewrite, 100 for a no-op); `fresh_slots` counts the zero -> non-zero writes;
- logs: every LOGn (375 per topic + 8 per data byte + memory);
- other: the rest of execution (calls and cold accounts, SLOADs, hashing, memory, arithmetic);
- refund: storage refunds granted (cleared slots; capped at gas_used / 5 by EIP-3529).
"""

from __future__ import annotations

from typing import Any

from ape import chain

FRESH_SLOT_MIN = 20_000  # an SSTORE this expensive wrote a zero slot


def anatomy(receipt: Any) -> dict[str, int]:
    trace = chain.provider.make_request(
        "debug_traceTransaction",
        [str(receipt.txn_hash), {"disableStack": True, "disableStorage": True, "enableMemory": False}],
    )
    steps = trace["structLogs"]
    used = int(receipt.gas_used)
    if not steps:  # no code ran
        return {"intrinsic": used, "sstore": 0, "fresh_slots": 0, "logs": 0, "other": 0, "refund": 0}
    intrinsic = int(receipt.gas_limit) - int(steps[0]["gas"])
    execution = int(steps[0]["gas"]) - (int(steps[-1]["gas"]) - int(steps[-1]["gasCost"]))
    sstores = [int(s["gasCost"]) for s in steps if s["op"] == "SSTORE"]
    logs = sum(int(s["gasCost"]) for s in steps if s["op"].startswith("LOG"))
    return {
        "intrinsic": intrinsic,
        "sstore": sum(sstores),
        "fresh_slots": sum(1 for c in sstores if c >= FRESH_SLOT_MIN),
        "logs": logs,
        "other": execution - sum(sstores) - logs,
        "refund": intrinsic + execution - used,
    }
