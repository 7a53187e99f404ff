"""Static-analysis gate: run Slither over contracts/ and fail on any High or Medium finding that is not
justified in the committed triage file (slither.triage.json).

Triage entries: {"check": "<detector>", "where": "<text found in the finding's description>",
"why": "<the justification>"}. An entry matches a finding when the detector is the same and `where`
occurs in its description (e.g. a function signature such as "InferenceEscrow.finalize(uint256)").
Entries that match nothing are reported as stale so the file stays honest.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRIAGE_FILE = ROOT / "slither.triage.json"
GATED_IMPACTS = {"High", "Medium"}
# contracts/test holds deliberately hostile helpers (attackers) used only by tests.
FILTER_PATHS = "node_modules|contracts/test|contracts/.cache"


@dataclass(frozen=True)
class Finding:
    check: str
    impact: str
    confidence: str
    description: str


@dataclass(frozen=True)
class TriageEntry:
    check: str
    where: str
    why: str

    def matches(self, finding: Finding) -> bool:
        return finding.check == self.check and self.where in finding.description


def run_slither(out: Path) -> list[Finding]:
    cmd = [
        str(ROOT / ".venv" / "bin" / "slither"),
        "contracts",
        "--solc", str(ROOT / "tools" / "solcjs" / "solc.js"),
        "--solc-standard-json",
        "--solc-remaps", "@openzeppelin/=node_modules/@openzeppelin/",
        "--filter-paths", FILTER_PATHS,
        "--exclude-informational",
        "--exclude-low",
        "--exclude-optimization",
        "--json", str(out),
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if not out.exists():
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit("slither produced no JSON output (compilation failed?)")
    report = json.loads(out.read_text())
    if not report.get("success"):
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"slither failed: {report.get('error')}")
    return [
        Finding(d["check"], d["impact"], d["confidence"], d["description"])
        for d in report.get("results", {}).get("detectors", [])
    ]


def load_triage() -> list[TriageEntry]:
    if not TRIAGE_FILE.exists():
        return []
    data = json.loads(TRIAGE_FILE.read_text())
    entries = [TriageEntry(e["check"], e["where"], e["why"]) for e in data.get("triage", [])]
    for e in entries:
        if len(e.why.strip()) < 20:
            raise SystemExit(f"triage entry {e.check} @ {e.where}: justification too short")
    return entries


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        findings = run_slither(Path(tmp) / "slither.json")
    triage = load_triage()
    gated = [f for f in findings if f.impact in GATED_IMPACTS]
    unjustified = [f for f in gated if not any(t.matches(f) for t in triage)]
    stale = [t for t in triage if not any(t.matches(f) for f in gated)]

    print(f"slither: {len(findings)} finding(s) at Medium or above; {len(gated) - len(unjustified)} triaged")
    for t in stale:
        print(f"  note: stale triage entry (matches nothing now): {t.check} @ {t.where}")
    for f in unjustified:
        print(f"\n[{f.impact}/{f.confidence}] {f.check}\n{f.description.strip()}")
    if unjustified:
        print(f"\nslither gate FAILED: {len(unjustified)} High/Medium finding(s) not justified in "
              f"{TRIAGE_FILE.name}")
        return 1
    print("slither gate passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
