"""Results of a benchmark run and their rendering as `bench/results.md`.

Every figure is a ratio against a reference measured in the same run on the same machine; a
`Section` holds the raw measurements, the ratio checks against their targets, and the settings
that produced them.
"""

from __future__ import annotations

import math
import os
import platform
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Check:
    """One ratio against its target: `figure / reference` (or its inverse, as `ratio` says)."""

    figure: str
    reference: str
    ratio: float
    target: str
    passed: bool | None
    """`None` when the reference could not be measured in this run."""


@dataclass
class Section:
    """One benchmark: its measurements, ratio checks, settings and notes."""

    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def median(values: Sequence[float]) -> float:
    """The median, `nan` for no values."""
    return statistics.median(values) if values else math.nan


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (`pct` in 0..100), `nan` for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def ratio(figure: float, reference: float) -> float:
    """`figure / reference`, `nan` when either is missing or the reference is zero."""
    if math.isnan(figure) or math.isnan(reference) or reference == 0:
        return math.nan
    return figure / reference


def at_least(value: float, bound: float) -> bool | None:
    return None if math.isnan(value) else value >= bound


def at_most(value: float, bound: float) -> bool | None:
    return None if math.isnan(value) else value <= bound


def fmt(value: float, digits: int = 2) -> str:
    """A number for a table: thousands separators, `n/a` for `nan`."""
    if math.isnan(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def _verdict(passed: bool | None) -> str:
    return {True: "**pass**", False: "**FAIL**", None: "not measured"}[passed]


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines


def render(sections: Sequence[Section], *, command: str, mode: str, machine: list[str]) -> str:
    """The whole `results.md` document."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"Written by `{command}` ({mode} run) on {stamp}. Every figure is a ratio against a "
        "reference measured in the same run on the same machine. Regenerate with `make bench`.",
        "",
        "## Machine",
        "",
        *[f"- {item}" for item in machine],
        "",
        "## Summary",
        "",
    ]
    summary = [
        (
            section.title,
            check.figure,
            check.reference,
            fmt(check.ratio),
            check.target,
            _verdict(check.passed),
        )
        for section in sections
        for check in section.checks
    ]
    lines += _table(("benchmark", "figure", "reference", "ratio", "target", "result"), summary)
    for section in sections:
        lines += ["", f"## {section.title}", ""]
        if section.checks:
            lines += _table(
                ("figure", "reference", "ratio", "target", "result"),
                [
                    (c.figure, c.reference, fmt(c.ratio), c.target, _verdict(c.passed))
                    for c in section.checks
                ],
            )
            lines.append("")
        if section.rows:
            lines += ["Measurements:", "", *_table(section.columns, section.rows), ""]
        if section.settings:
            lines += ["Settings:", "", *[f"- {item}" for item in section.settings], ""]
        if section.notes:
            lines += ["Notes:", "", *[f"- {item}" for item in section.notes], ""]
    return "\n".join(lines).rstrip() + "\n"


def machine_facts() -> list[str]:
    """What the numbers were measured on."""
    import os

    cpus = os.cpu_count() or 0
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return [
        f"{cpus} cores ({model}), {platform.system()} {platform.release()}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
    ]


def publish(
    sections: Sequence[Section],
    *,
    command: str,
    quick: bool,
    started: float,
    load_before: float,
    output: Path | None,
) -> None:
    """A single benchmark's document: `sections` with the machine, the run's length (from
    `started`, a monotonic time) and its load average; written to `output`, else printed."""
    machine = [
        *machine_facts(),
        f"run took {time.monotonic() - started:,.0f} s; 1-minute load average {load_before:.2f} "
        f"at the start, {os.getloadavg()[0]:.2f} at the end",
    ]
    text = render(sections, command=command, mode="quick" if quick else "full", machine=machine)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        print(text)
