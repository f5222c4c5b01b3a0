"""Drift gate: fail when generated/ does not match contracts/.

1. generated/MANIFEST.json must record the current hash of every contract file and the installed
   generator versions (catches a contract edited without `make generate`).
2. Regenerate in-tree (the repo's ruff config shapes the output) and fail on any file that changed,
   appeared or vanished, and on any generated file git does not track; the README error tables
   are generated too and checked the same way.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

from error_tables import TABLES as ERROR_TABLES
from generate import GENERATED, ROOT, manifest

HINT = "run `make generate` and commit generated/ (and the README error tables)"


def _git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise SystemExit(f"drift gate needs a git checkout: git {' '.join(args)}: {result.stderr}")
    return result.stdout


def manifest_problems() -> list[str]:
    path = GENERATED / "MANIFEST.json"
    if not path.exists():
        return [f"{path.relative_to(ROOT)} is missing"]
    recorded = json.loads(path.read_text(encoding="utf-8"))
    expected = manifest()
    problems = []
    for name in sorted(set(recorded.get("contracts", {})) | set(expected["contracts"])):  # type: ignore[call-overload]
        if recorded.get("contracts", {}).get(name) != expected["contracts"].get(name):  # type: ignore[attr-defined]
            problems.append(f"contract changed since last generation: {name}")
    for tool, version in expected["tools"].items():  # type: ignore[attr-defined]
        if recorded.get("tools", {}).get(tool) != version:
            problems.append(
                f"{tool} {version} is installed but generated/ was made with "
                f"{recorded.get('tools', {}).get(tool)}; install the pinned version (make install)"
            )
    return problems


def snapshot() -> dict[str, str]:
    generated = (p for p in GENERATED.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return {
        p.relative_to(ROOT).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted([*generated, *ERROR_TABLES])
    }


def main() -> None:
    problems = manifest_problems()
    if problems:
        print("drift gate: generated/MANIFEST.json does not match contracts/:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        print(HINT, file=sys.stderr)
        raise SystemExit(1)
    before = snapshot()
    subprocess.run([sys.executable, str(ROOT / "tools" / "generate.py")], cwd=ROOT, check=True)
    after = snapshot()
    drift = sorted(
        f"{'changed' if name in before and name in after else 'added' if name in after else 'removed'}: {name}"
        for name in set(before) | set(after)
        if before.get(name) != after.get(name)
    )
    untracked = _git("ls-files", "--others", "--exclude-standard", "--", "generated/").split()
    if drift or untracked:
        print("drift gate: generated/ is not what contracts/ generate:", file=sys.stderr)
        for line in drift:
            print(f"  - {line}", file=sys.stderr)
        for name in untracked:
            print(f"  - untracked (not committed): {name}", file=sys.stderr)
        print(HINT, file=sys.stderr)
        raise SystemExit(1)
    print("drift gate: generated/ matches contracts/")


if __name__ == "__main__":
    main()
