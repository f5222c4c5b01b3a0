"""JQL date values: absolute dates, relative periods (`-7d`, `"4w 2d"`) and the date functions
(`now()`, `startOfDay(-1)`, ...), read in the searching user's time zone as Jira does."""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, tzinfo

__all__ = ["DATE_FUNCTIONS", "date_function", "date_value", "in_zone", "invalid_date"]

_ABSOLUTE = ("%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d", "%Y-%m-%d")
_PERIOD = re.compile(r"^\s*([+-])?\s*((?:\d+\s*[wdhm]\s*)+)$")
_PART = re.compile(r"(\d+)\s*([wdhm])")
_UNIT = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1)}
_UNIT["m"] = timedelta(minutes=1)
_INCREMENT = re.compile(r"^\s*([+-])?\s*(\d+)\s*([yMwdhm])?\s*$")
DATE_FUNCTIONS = (
    "now",
    "startOfDay",
    "endOfDay",
    "startOfWeek",
    "endOfWeek",
    "startOfMonth",
    "endOfMonth",
    "startOfYear",
    "endOfYear",
)


def invalid_date(value: str, field: str) -> str:
    """Jira's sentence for a date it cannot read."""
    return (
        f"Date value '{value}' for field '{field}' is invalid. Valid formats include: "
        "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period "
        "format e.g. '-5d', '4w 2d'."
    )


def date_value(text: str, now: datetime) -> datetime | None:
    """The moment `text` names (absolute, a period relative to `now`, or epoch
    milliseconds), in `now`'s time zone; None when it is not a date."""
    for layout in _ABSOLUTE:
        try:
            return datetime.strptime(text.strip(), layout).replace(tzinfo=now.tzinfo)
        except ValueError:
            continue
    if text.strip().isdigit():
        return datetime.fromtimestamp(int(text) / 1000, now.tzinfo)
    match = _PERIOD.match(text)
    if match is None:
        return None
    span = sum(
        (int(count) * _UNIT[unit] for count, unit in _PART.findall(match.group(2))), timedelta()
    )
    return now - span if match.group(1) == "-" else now + span


def date_function(name: str, args: tuple[str, ...], now: datetime) -> datetime | None:
    """The moment a date function names; None when an argument is not an increment."""
    if name == "now":
        return now if not args else None
    base, unit = _boundary(name, now)
    if not args:
        return base
    match = _INCREMENT.match(args[0])
    if match is None or len(args) > 1:
        return None
    count = int(match.group(2)) * (-1 if match.group(1) == "-" else 1)
    return _shift(base, count, match.group(3) or unit, end=name.startswith("end"))


def _boundary(name: str, now: datetime) -> tuple[datetime, str]:
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    # Jira's weeks start on Sunday (the default locale).
    week = day - timedelta(days=(day.weekday() + 1) % 7)
    month = day.replace(day=1)
    year = month.replace(month=1)
    starts = {"Day": (day, "d"), "Week": (week, "w"), "Month": (month, "M"), "Year": (year, "y")}
    period = name.removeprefix("start").removeprefix("end").removeprefix("Of")
    start, unit = starts[period]
    if name.startswith("start"):
        return start, unit
    return _shift(start, 1, unit, end=False) - timedelta(milliseconds=1), unit


def _shift(moment: datetime, count: int, unit: str, *, end: bool) -> datetime:
    if unit in _UNIT:
        return moment + count * _UNIT[unit]
    months = count * (12 if unit == "y" else 1)
    if end:  # the last millisecond of the shifted month or year
        start = _add_months(_first_of_month(moment + timedelta(milliseconds=1)), months)
        return start - timedelta(milliseconds=1)
    return _add_months(moment, months)


def _first_of_month(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))


def in_zone(moment: datetime, zone: tzinfo | None) -> datetime:
    """`moment` seen in `zone` (naive moments are taken as UTC)."""
    return moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)
