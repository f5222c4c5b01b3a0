"""The code blocks the READMEs mark as examples, found by their marker.

A fenced block right after `<!-- example: KIND -->` is an example: `script` (a Python program,
run against the mock at `SPEC_KITTY_SAAS_URL`), `pytest` (a test module, run by pytest with the
mock's plugin) or `shell` (bash against `make serve`'s mock at http://127.0.0.1:8765). A block
after `<!-- fragment -->` is a sketch inside a larger program and is not run.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

KINDS = ("script", "pytest", "shell")
_MARKED = re.compile(
    r"<!-- (?:example: (?P<kind>[a-z]+)|(?P<fragment>fragment)) -->[ \t]*\n[ \t]*```(?P<lang>\w+)\n"
    r"(?P<code>.*?)^[ \t]*```",
    re.DOTALL | re.MULTILINE,
)
_FENCE = re.compile(r"^[ \t]*```(?P<lang>python|bash)\n", re.MULTILINE)


@dataclass(frozen=True)
class Example:
    readme: str
    line: int
    kind: str
    code: str

    @property
    def name(self) -> str:
        return f"{self.readme}:{self.line}"


def readmes() -> list[Path]:
    """Every README of the repository (generated/ has none worth running)."""
    found = [ROOT / "README.md", *sorted(ROOT.glob("*/**/README.md"))]
    # Not the repository's own: virtual environments and caches (dot-directories), npm's tree.
    return [
        path
        for path in found
        if not any(
            part.startswith(".") or part == "node_modules" for part in path.relative_to(ROOT).parts
        )
    ]


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def examples(path: Path) -> list[Example]:
    text = path.read_text(encoding="utf-8")
    name = str(path.relative_to(ROOT))
    return [
        Example(
            name, _line(text, match.start("code")), match["kind"], textwrap.dedent(match["code"])
        )
        for match in _MARKED.finditer(text)
        if match["kind"] is not None
    ]


def unmarked_python_blocks(path: Path) -> list[int]:
    """Lines of ```python blocks with neither marker: an example nobody runs."""
    text = path.read_text(encoding="utf-8")
    marked = {match.start("lang") for match in _MARKED.finditer(text)}
    return [
        _line(text, match.start())
        for match in _FENCE.finditer(text)
        if match["lang"] == "python" and match.start("lang") not in marked
    ]


def all_examples() -> list[Example]:
    return [example for path in readmes() for example in examples(path)]
