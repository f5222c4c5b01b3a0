"""How optic and our check judge the breaking-change corpus: `python -m tests.contract.optic_corpus`.

Runs optic once per case (seconds each), so it is a measurement, not a test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import ROOT
from tests.contract.test_breaking_changes import CORPUS, _pair

sys.path.insert(0, str(ROOT / "tools"))
from breaking import compare_documents

OPTIC = ROOT / "tools" / "node" / "node_modules" / ".bin" / "optic"


def optic_flags(old: dict[str, object], new: dict[str, object]) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        base, head = Path(tmp) / "base.json", Path(tmp) / "head.json"
        base.write_text(json.dumps(old), encoding="utf-8")
        head.write_text(json.dumps(new), encoding="utf-8")
        env = {**os.environ, "OPTIC_TELEMETRY_LEVEL": "off"}  # noqa: TID251 - child process env
        cmd = [str(OPTIC), "diff", str(base), str(head), "--check", "--validation", "loose"]
        return subprocess.run(cmd, env=env, capture_output=True).returncode == 1


def main() -> None:
    for kind in ("breaking", "safe"):
        optic_hits, our_hits = [], []
        for case in CORPUS[kind]:
            old, new = _pair(case)
            if optic_flags(old, new):
                optic_hits.append(case["id"])
            if compare_documents(old, new):
                our_hits.append(case["id"])
        total = len(CORPUS[kind])
        print(f"{kind}: {total} cases; flagged by optic {len(optic_hits)}, by ours {len(our_hits)}")
        if kind == "breaking":
            missed = [c["id"] for c in CORPUS[kind] if c["id"] not in optic_hits]
            print(f"  optic missed: {', '.join(missed)}")
        else:
            print(f"  optic flagged: {', '.join(optic_hits)}")


if __name__ == "__main__":
    main()
