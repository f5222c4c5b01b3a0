"""The READMEs point only at what a clone holds: every relative link and every `../` path names
a file or directory inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.docs.readme_examples import readmes

LINK = re.compile(r"\]\((?P<target>[^)#\s]+)(?:#[^)]*)?\)")
OUTSIDE = re.compile(r"`(?P<path>\.\./[^`\s]+)`")
# tests/README.md names where some tests read reference data beside a checkout (not a link).
ALLOWED_OUTSIDE = {"tests/README.md": ("../shared",)}


@pytest.mark.parametrize("readme", readmes(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_stays_inside_the_repository(readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    broken = []
    for match in LINK.finditer(text):
        target = match["target"]
        if re.match(r"[a-z]+:", target):
            continue  # http(s), mailto
        resolved = (readme.parent / target).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            broken.append(target)
    for match in OUTSIDE.finditer(text):
        resolved = (readme.parent / match["path"]).resolve()
        allowed = ALLOWED_OUTSIDE.get(str(readme.relative_to(ROOT)), ())
        if not resolved.is_relative_to(ROOT) and not match["path"].startswith(allowed):
            broken.append(match["path"])
    assert broken == [], f"{readme}: links outside the clone or to nothing: {broken}"
