"""Build the sdists and wheels of both distributions and check their metadata with twine.

    python tools/dist.py --outdir dist

The SDK (`spec-kitty-origin`) is the repository root, the mock (`kitty-mock-saas`) is `mock_saas/`.
Each wheel is built from its sdist, so a file the sdist forgets is missing from the wheel too.
The build backend is the pinned hatchling of the dev environment (no isolated download), and
hatchling's fixed timestamps make the files byte-reproducible.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = {"spec-kitty-origin": ROOT, "kitty-mock-saas": ROOT / "mock_saas"}


def build(outdir: Path) -> list[Path]:
    """Build both distributions into a fresh `outdir`; returns the built files, sorted."""
    shutil.rmtree(outdir, ignore_errors=True)
    outdir.mkdir(parents=True)
    for project in PROJECTS.values():
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "build",
                "--no-isolation",
                "--outdir",
                str(outdir),
                str(project),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
            raise SystemExit(f"building {project} failed")
    built = sorted(outdir.iterdir())
    check = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, built)],
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        sys.stderr.write(check.stdout + check.stderr)
        raise SystemExit("twine check failed")
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outdir", type=Path, default=ROOT / "dist")
    args = parser.parse_args()
    for path in build(args.outdir.resolve()):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
