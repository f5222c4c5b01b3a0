"""Breaking-change gate of the contract: our own schema-aware check plus optic, and the version rule.

    make contract-diff BASE=<git ref>            contracts/ against contracts/ at the ref
    make contract-diff OLD=<file> NEW=<file>     two OpenAPI files (bundled or not, YAML or JSON)

With BASE, both contracts are compared: openapi.yaml (changelog entries `## <version>`) and the
mock's admin.yaml (`## Admin contract <version>`), each in contracts/CHANGELOG.md.
Both sides are bundled; `breaking` (next to this file) compares every operation's parameters,
bodies, responses and headers structurally; exit 1 when it finds a breaking change or the version
rule fails: a contract change needs a new `info.version` with its changelog entry, a breaking one a
major bump. ALLOW_BREAKING=1 lets an intentional break pass, never without that major bump.
optic 1.0.9 runs its own rules as a second opinion: its verdict is printed, and gates only with
--strict-optic (on the corpus in tests/contract/breaking_cases it misses 58 of 85 breaks and flags
9 of 49 safe changes; see tools/README.md).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from breaking import Finding, VersionProblem, compare_documents, version_problems
from bundle_contract import bundle, dumps

ROOT = Path(__file__).resolve().parent.parent
OPTIC = ROOT / "tools" / "node" / "node_modules" / ".bin" / "optic"


@dataclass(frozen=True)
class Side:
    """One side of the comparison: its bundled document and its changelog, if there is one."""

    label: str
    document: dict[str, Any]
    changelog: str | None
    # The changelog heading before a version of this document (`Admin contract ` for admin.yaml).
    heading: str = ""


ADMIN_HEADING = "Admin contract "


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


def _has_file_refs(node: Any) -> bool:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            return True
        return any(_has_file_refs(value) for value in node.values())
    return isinstance(node, list) and any(_has_file_refs(item) for item in node)


def _bundled(openapi: Path) -> dict[str, Any]:
    """The bundle without its provenance note, so a bundle and its sources compare equal."""
    doc = bundle(openapi)
    doc.pop("x-generated", None)
    return doc


def load_document(path: Path) -> dict[str, Any]:
    """The bundled document of an OpenAPI file (YAML or JSON; refs to schema files are inlined)."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SystemExit(f"cannot read {path}: {exc}") from exc
    if not isinstance(doc, dict) or "paths" not in doc:
        raise SystemExit(f"{path} is not an OpenAPI document")
    if _has_file_refs(doc):
        return _bundled(path)
    doc.pop("x-generated", None)
    return doc


def _read(path: Path | None) -> str | None:
    return path.read_text(encoding="utf-8") if path is not None and path.is_file() else None


def optic_check(old: dict[str, Any], new: dict[str, Any], optic: Path) -> int:
    """Run optic on the two bundled documents; its exit code (1 = breaking). Output to stderr."""
    with tempfile.TemporaryDirectory() as tmp:
        base_json, head_json = Path(tmp) / "base.json", Path(tmp) / "head.json"
        base_json.write_text(dumps(old), encoding="utf-8")
        head_json.write_text(dumps(new), encoding="utf-8")
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
        return subprocess.run(cmd, env=env, stdout=sys.stderr).returncode


def sides_from_git(ref: str, head: Path, into: Path) -> list[tuple[Side, Side]]:
    """The SaaS contract at `ref` and now, then the admin contract (if both sides have one)."""
    base = contracts_at(ref, into)
    old_log, new_log = _read(base.parent / "CHANGELOG.md"), _read(head.parent / "CHANGELOG.md")
    pairs = [
        (Side(ref, _bundled(base), old_log), Side("the working tree", _bundled(head), new_log))
    ]
    old_admin, new_admin = base.parent / "admin.yaml", head.parent / "admin.yaml"
    if old_admin.is_file() and new_admin.is_file():
        pairs.append(
            (
                Side(f"{ref} (admin)", _bundled(old_admin), old_log, ADMIN_HEADING),
                Side("the working tree (admin)", _bundled(new_admin), new_log, ADMIN_HEADING),
            )
        )
    return pairs


def sides_from_files(old: Path, new: Path, changelog: Path | None) -> tuple[Side, Side]:
    """Each file's changelog is the CHANGELOG.md beside it (the old one only if it is another file)."""
    new_log = changelog or new.parent / "CHANGELOG.md"
    old_log = old.parent / "CHANGELOG.md"
    old_log_text = _read(old_log) if old_log.resolve() != new_log.resolve() else None
    return (
        Side(str(old), load_document(old), old_log_text),
        Side(str(new), load_document(new), _read(new_log)),
    )


def run(
    old: Side,
    new: Side,
    *,
    optic: Path | None,
    allow_breaking: bool,
    as_json: bool,
    tolerant_readers: bool = False,
    strict_optic: bool = False,
) -> int:
    """Run both checks and the version rule; print the findings; the exit code."""
    findings: list[Finding] = compare_documents(
        old.document, new.document, tolerant_readers=tolerant_readers
    )
    optic_code = optic_check(old.document, new.document, optic) if optic is not None else None
    optic_flagged = bool(optic_code)
    breaking = bool(findings) or (strict_optic and optic_flagged)
    problems: list[VersionProblem] = version_problems(
        old.document,
        new.document,
        breaking=breaking,
        new_changelog=new.changelog,
        old_changelog=old.changelog,
        heading=new.heading,
    )
    failed = bool(problems) or (breaking and not allow_breaking)
    if as_json:
        report = {
            "old": old.label,
            "new": new.label,
            "findings": [finding.as_dict() for finding in findings],
            "optic_exit_code": optic_code,
            "version_problems": [{"rule": p.rule, "message": p.message} for p in problems],
            "breaking": breaking,
            "passed": not failed,
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for line in [f.line() for f in findings] + [p.line() for p in problems]:
            print(line)
    _explain(old, new, findings, optic_flagged, breaking, problems, failed, allow_breaking)
    return 1 if failed else 0


def _say(text: str) -> None:
    print(f"contract-diff: {text}", file=sys.stderr)


def _explain(
    old: Side,
    new: Side,
    findings: list[Finding],
    optic_flagged: bool,
    breaking: bool,
    problems: list[VersionProblem],
    failed: bool,
    allow_breaking: bool,
) -> None:
    if new.changelog is None and old.document != new.document:
        _say(
            f"no CHANGELOG.md beside {new.label}: the changelog part of the version rule is skipped"
        )
    if optic_flagged and not findings:
        _say(
            f"optic flagged a break of {new.label} that our check does not find (its output is "
            "above); it is a second opinion that gates only with --strict-optic"
        )
    if breaking:
        counts = f"{len(findings)} finding(s)" + (
            ", optic flagged a break" if optic_flagged else ""
        )
        if allow_breaking and not problems:
            _say(f"breaking changes against {old.label} allowed by ALLOW_BREAKING=1 ({counts})")
        else:
            _say(
                f"{new.label} breaks clients of {old.label} ({counts}); keep it compatible, or bump "
                "info.version's major, note it in contracts/CHANGELOG.md and rerun with "
                "ALLOW_BREAKING=1"
            )
    elif problems:
        _say(
            f"{new.label} changed: give it a new info.version and a "
            f"`## {new.heading}<version>` changelog entry"
        )
    if not failed and not breaking:
        _say(f"no breaking change against {old.label}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="git ref to compare against (default HEAD)")
    parser.add_argument("--head", type=Path, default=ROOT / "contracts" / "openapi.yaml")
    parser.add_argument("--old", type=Path, help="old OpenAPI file (with --new, instead of --base)")
    parser.add_argument("--new", type=Path, help="new OpenAPI file")
    parser.add_argument("--changelog", type=Path, help="changelog of --new (default: beside it)")
    parser.add_argument("--optic", type=Path, default=OPTIC, help="optic executable")
    parser.add_argument("--no-optic", action="store_true", help="run only our own check")
    parser.add_argument(
        "--strict-optic", action="store_true", help="a break optic flags fails the gate too"
    )
    parser.add_argument("--json", action="store_true", help="one JSON report on stdout")
    parser.add_argument(
        "--tolerant-readers",
        action="store_true",
        help="clients ignore unknown response properties: a new one under a closed object passes",
    )
    args = parser.parse_args(argv)
    if (args.old is None) != (args.new is None):
        parser.error("--old and --new go together")
    optic = None if args.no_optic else args.optic
    if optic is not None and not optic.exists():
        raise SystemExit("optic is not installed: run `make node-tools` (or pass --no-optic)")
    allow = os.environ.get("ALLOW_BREAKING") == "1"  # noqa: TID251 - explicit override switch
    with tempfile.TemporaryDirectory() as tmp:
        if args.old is not None:
            pairs = [sides_from_files(args.old, args.new, args.changelog)]
        else:
            pairs = sides_from_git(args.base, args.head, Path(tmp))
        codes = [
            run(
                old,
                new,
                optic=optic,
                allow_breaking=allow,
                as_json=args.json,
                tolerant_readers=args.tolerant_readers,
                strict_optic=args.strict_optic,
            )
            for old, new in pairs
        ]
        return max(codes)


if __name__ == "__main__":
    sys.exit(main())
