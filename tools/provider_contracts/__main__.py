"""`python -m tools.provider_contracts extract|check [--shared DIR] [--provider NAME ...]`.

`extract` rewrites the committed subsets from the full descriptions; `check` compares them and
exits 1 on drift (a stale, missing or extra file), naming each difference.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from .sdl_subset import extract_linear
from .sources import ROOT, SUBSETS, OpenApiSource, extract_openapi

# Each provider's extractor: the shared folder → {file name: bytes} of its committed subset.
Extractor = Callable[[Path], dict[str, bytes]]

OPENAPI_SOURCES = {
    "github": OpenApiSource(
        provider="github",
        file="github/api.github.com.json",
        licence="MIT",
        licence_file="github/LICENSE",
        origin="npm package @octokit/openapi (generated/api.github.com.json), "
        "GitHub's official REST description with Octokit extensions",
    ),
    "jira": OpenApiSource(
        provider="jira",
        file="jira/swagger-v3.v3.json",
        licence="Apache-2.0 (the description's own info.license)",
        licence_file=None,
        origin="Atlassian's published Jira Cloud platform REST description swagger-v3.v3.json",
    ),
}

EXTRACTORS: dict[str, Extractor] = {
    name: partial(extract_openapi, source) for name, source in OPENAPI_SOURCES.items()
}
EXTRACTORS["linear"] = extract_linear


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.provider_contracts")
    parser.add_argument("command", choices=("extract", "check"))
    parser.add_argument(
        "--shared",
        type=Path,
        default=ROOT.parent / "shared" / "provider-apis",
        help="the folder with the full descriptions (default: ../shared/provider-apis)",
    )
    parser.add_argument("--provider", action="append", choices=sorted(EXTRACTORS))
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        print(f"{args.shared} is missing: the full descriptions cannot be read", file=sys.stderr)
        return 2
    problems: list[str] = []
    for name in args.provider or sorted(EXTRACTORS):
        files = EXTRACTORS[name](args.shared)
        target = SUBSETS / name
        if args.command == "extract":
            write(target, files)
            print(f"{name}: wrote {len(files)} files to {target.relative_to(ROOT)}")
        else:
            problems += [f"{name}: {p}" for p in drift(target, files)]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("run `python -m tools.provider_contracts extract` and commit", file=sys.stderr)
    return 1 if problems else 0


def write(target: Path, files: dict[str, bytes]) -> None:
    """Makes `target` hold exactly `files` (stale files of an earlier extract are removed)."""
    target.mkdir(parents=True, exist_ok=True)
    for old in target.iterdir():
        if old.is_file() and old.name not in files:
            old.unlink()
    for name, content in files.items():
        (target / name).write_bytes(content)


def drift(target: Path, files: dict[str, bytes]) -> list[str]:
    """What differs between the committed `target` folder and a fresh extract."""
    present = {p.name for p in target.iterdir() if p.is_file()} if target.is_dir() else set()
    problems = [f"{name} is missing" for name in sorted(set(files) - present)]
    problems += [f"{name} is not produced by the extract" for name in sorted(present - set(files))]
    problems += [
        f"{name} differs from a fresh extract"
        for name in sorted(set(files) & present)
        if (target / name).read_bytes() != files[name]
    ]
    return problems


if __name__ == "__main__":
    sys.exit(main())
