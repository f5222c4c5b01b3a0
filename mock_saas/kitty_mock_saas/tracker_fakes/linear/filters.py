"""Linear's filter arguments (`IssueFilter`, `TeamFilter`, ...) evaluated on the fake's objects.

Driven by the schema: a filter field whose input type ends in `CollectionFilter` filters a
to-many relation (`some`, `every`, `length`, `null`, or the element's own fields, meaning
"some element"), one ending in `Filter` a to-one relation (`null` where nullable), anything
else is a comparator (`eq`, `in`, `lt`, `containsIgnoreCase`, ...). `and`/`or` nest anywhere.
Entities are seen through views: mappings of field name to a plain value (str, float, bool,
datetime), another view, a list of views, or a zero-argument callable giving one of those.
A field a view leaves out has the value the schema gives an unmodelled field. As in SQL, a null
value satisfies no comparison but `null: true`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from graphql import GraphQLInputObjectType, GraphQLSchema, get_named_type

from .defaults import default_value
from .errors import LinearError

__all__ = ["Aliases", "FilterContext", "View"]

View = Mapping[str, Any]
_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<Y>\d+)Y)?(?:(?P<M>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_DAYS = {"Y": 365, "M": 30, "W": 7, "D": 1}


class Aliases(tuple[str, ...]):
    """A value known under several names (an issue's UUID and its identifier `WEB-123`)."""


class FilterContext:
    """Evaluates filters against views, with the schema and the time `-P2W` counts from."""

    def __init__(self, schema: GraphQLSchema, now: datetime) -> None:
        self.schema, self.now = schema, now
        self.read_clock = False

    def select(
        self, condition: Mapping[str, Any] | None, type_name: str, views: Sequence[View]
    ) -> list[View]:
        """The views (in order) that `condition`, a value of input type `type_name`, accepts."""
        if not condition:
            return list(views)
        filter_type = self.schema.type_map[type_name]
        assert isinstance(filter_type, GraphQLInputObjectType)
        return [view for view in views if self.matches(condition, filter_type, view)]

    def matches(
        self, condition: Mapping[str, Any], filter_type: GraphQLInputObjectType, view: View | None
    ) -> bool:
        """Whether `view` (None: a null relation) satisfies `condition`."""
        for key, operand in condition.items():
            if operand is None:
                continue
            if key == "and":
                ok = all(self.matches(part, filter_type, view) for part in operand)
            elif key == "or":
                ok = any(self.matches(part, filter_type, view) for part in operand)
            elif key == "null":
                ok = (view is None) == bool(operand)
            elif view is None:
                ok = False
            else:
                ok = self._field(key, operand, filter_type, view)
            if not ok:
                return False
        return True

    def _field(
        self, key: str, operand: Any, filter_type: GraphQLInputObjectType, view: View
    ) -> bool:
        operand_type = get_named_type(filter_type.fields[key].type)
        value = self._value(view, key)
        if operand_type.name.endswith("CollectionFilter"):
            assert isinstance(operand_type, GraphQLInputObjectType)
            return self._collection(operand, operand_type, list(value or ()))
        if operand_type.name.endswith("Filter"):
            assert isinstance(operand_type, GraphQLInputObjectType)
            return self.matches(operand, operand_type, value)
        return self.compare(operand, value)

    def _collection(
        self,
        condition: Mapping[str, Any],
        collection_type: GraphQLInputObjectType,
        items: list[View],
    ) -> bool:
        for key, operand in condition.items():
            if operand is None:
                continue
            if key == "and":
                ok = all(self._collection(part, collection_type, items) for part in operand)
            elif key == "or":
                ok = any(self._collection(part, collection_type, items) for part in operand)
            elif key == "null":
                ok = (not items) == bool(operand)
            elif key == "length":
                ok = self.compare(operand, float(len(items)))
            elif key in ("some", "every"):
                element_type = get_named_type(collection_type.fields[key].type)
                assert isinstance(element_type, GraphQLInputObjectType)
                test = any if key == "some" else all
                ok = test(self.matches(operand, element_type, item) for item in items)
            else:
                ok = any(self._field(key, operand, collection_type, item) for item in items)
            if not ok:
                return False
        return True

    def _value(self, view: View, key: str) -> Any:
        if key in view:
            value = view[key]
            return value() if callable(value) else value
        entity = self.schema.type_map.get(str(view.get("__typename")))
        field = getattr(entity, "fields", {}).get(key)
        if field is None:
            return None
        value = default_value(field.type, view, key, self.schema)
        return [] if isinstance(value, list) else value

    def compare(self, comparator: Mapping[str, Any], value: Any) -> bool:
        """Whether `value` satisfies every constraint of `comparator`."""
        for op, operand in comparator.items():
            if operand is None:
                continue
            if op == "and":
                ok = all(self.compare(part, value) for part in operand)
            elif op == "or":
                ok = any(self.compare(part, value) for part in operand)
            elif op == "null":
                ok = (value is None) == bool(operand)
            elif value is None:
                ok = False
            else:
                ok = self._constraint(op, operand, value)
            if not ok:
                return False
        return True

    def _constraint(self, op: str, operand: Any, value: Any) -> bool:
        if isinstance(value, datetime):
            operand = (
                [self.moment(o) for o in operand]
                if isinstance(operand, list)
                else self.moment(operand)
            )
        elif isinstance(value, float | int) and not isinstance(value, bool):
            value = float(value)
        test = _OPERATORS.get(op)
        if test is None:
            raise LinearError.invalid_input(f"the comparator {op} is not supported here")
        return test(value, operand)

    def moment(self, text: Any) -> datetime:
        """A `DateTimeOrDuration`: an ISO date or time, or an ISO duration from now."""
        raw = str(text).strip()
        duration = _DURATION.match(raw)
        if duration and raw not in ("P", "-P"):
            days = sum(int(duration[u] or 0) * d for u, d in _DAYS.items())
            delta = timedelta(
                days=days,
                hours=int(duration["h"] or 0),
                minutes=int(duration["m"] or 0),
                seconds=float(duration["s"] or 0),
            )
            self.read_clock = True
            return self.now - delta if duration["sign"] else self.now + delta
        if re.fullmatch(r"\d{4}(-\d{2})?", raw):
            raw = raw + ("-01-01" if len(raw) == 4 else "-01")
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise LinearError.invalid_input(
                f"{raw!r} is not a date, a time or a duration"
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _equal(value: Any, operand: Any) -> bool:
    if isinstance(value, Aliases):
        return str(operand) in value
    if isinstance(value, float) and isinstance(operand, int | float):
        return value == float(operand)
    return bool(value == operand)


def _fold(text: Any) -> str:
    return str(text).casefold()


def _unaccent(text: Any) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": _equal,
    "neq": lambda v, o: not _equal(v, o),
    "in": lambda v, o: any(_equal(v, item) for item in o),
    "nin": lambda v, o: not any(_equal(v, item) for item in o),
    "lt": lambda v, o: bool(v < o),
    "lte": lambda v, o: bool(v <= o),
    "gt": lambda v, o: bool(v > o),
    "gte": lambda v, o: bool(v >= o),
    "eqIgnoreCase": lambda v, o: _fold(v) == _fold(o),
    "neqIgnoreCase": lambda v, o: _fold(v) != _fold(o),
    "contains": lambda v, o: str(o) in str(v),
    "notContains": lambda v, o: str(o) not in str(v),
    "containsIgnoreCase": lambda v, o: _fold(o) in _fold(v),
    "notContainsIgnoreCase": lambda v, o: _fold(o) not in _fold(v),
    "containsIgnoreCaseAndAccent": lambda v, o: _unaccent(o) in _unaccent(v),
    "startsWith": lambda v, o: str(v).startswith(str(o)),
    "startsWithIgnoreCase": lambda v, o: _fold(v).startswith(_fold(o)),
    "notStartsWith": lambda v, o: not str(v).startswith(str(o)),
    "endsWith": lambda v, o: str(v).endswith(str(o)),
    "notEndsWith": lambda v, o: not str(v).endswith(str(o)),
}
