"""Breaking-change check of contracts/ against a git ref, with optic (`make contract-diff BASE=ref`).

Both sides are bundled (optic reads one document), then `optic diff --check` runs its breaking-change
rules. An intentional break passes only with ALLOW_BREAKING=1 and a major version bump.
Known gap of optic 1.0.9: a lowered numeric `maximum` in a request is reported as "changed" only.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from bundle_contract import bundle, dumps

ROOT = Path(__file__).resolve().parent.parent
OPTIC = ROOT / "tools" / "node" / "node_modules" / ".bin" / "optic"


def contracts_at(ref: str, into: Path, repo: Path = ROOT) -> Path:
    """Extract contracts/ as of git `ref` into `into`; returns the openapi.yaml path."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref, "contracts"], cwd=repo, capture_output=True
    )
    if archive.returncode != 0:
        raise SystemExit(f"cannot read contracts/ at {ref!r}: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into / "contracts" / "openapi.yaml"


def diff(base_openapi: Path, head_openapi: Path, optic: Path = OPTIC) -> int:
    """Run optic on the two bundled documents; its exit code (1 = breaking)."""
    with tempfile.TemporaryDirectory() as tmp:
        base_json, head_json = Path(tmp) / "base.json", Path(tmp) / "head.json"
        base_json.write_text(dumps(bundle(base_openapi)), encoding="utf-8")
        head_json.write_text(dumps(bundle(head_openapi)), encoding="utf-8")
        env = {**os.environ, "OPTIC_TELEMETRY_LEVEL": "off"}  # noqa: TID251 - child process env
        cmd = [
            str(optic),
            "diff",
            str(base_json),
            str(head_json),
            "--check",
            "--validation",
            "loose",
        ]
        return subprocess.run(cmd, env=env).returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="git ref to compare against (default HEAD)")
    parser.add_argument("--head", type=Path, default=ROOT / "contracts" / "openapi.yaml")
    parser.add_argument("--optic", type=Path, default=OPTIC, help="optic executable")
    args = parser.parse_args()
    if not args.optic.exists():
        raise SystemExit("optic is not installed: run `make node-tools`")
    with tempfile.TemporaryDirectory() as tmp:
        code = diff(contracts_at(args.base, Path(tmp)), args.head, args.optic)
    if code != 0:
        if os.environ.get("ALLOW_BREAKING") == "1":  # noqa: TID251 - explicit override switch
            print("contract-diff: breaking changes allowed by ALLOW_BREAKING=1", file=sys.stderr)
            return
        print(
            f"contract-diff: contracts/ breaks clients of {args.base}; keep it compatible, "
            "or bump info.version's major, note it in contracts/CHANGELOG.md and rerun with "
            "ALLOW_BREAKING=1",
            file=sys.stderr,
        )
        raise SystemExit(code)
    print(f"contract-diff: no breaking change against {args.base}")


if __name__ == "__main__":
    main()
