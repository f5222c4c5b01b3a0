"""JQL, as Jira Cloud reads it: a recursive-descent parser over `jql_tokens` into an AST.

Only the syntax lives here (what any JQL query is, whatever fields a site has); which fields
exist, which operators each accepts and what values mean is `jql_fields`, and running a query
over tickets is `jql_search`. Errors carry Jira's own wording, with the 1-based line and
character Jira reports, so a client that shows or parses them sees what Jira would say.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .jql_tokens import (
    KEYWORDS,
    RESERVED_WORDS,
    VALID_OPERATORS,
    JqlSyntaxError,
    Token,
    fail,
    position,
    tokenize,
    where,
)

__all__ = [
    "And",
    "Clause",
    "FunctionCall",
    "JqlSyntaxError",
    "Node",
    "Not",
    "Operand",
    "Or",
    "Query",
    "SortKey",
    "Value",
    "ValueList",
    "parse_jql",
]

OPERATORS = ("=", "!=", "~", "!~", "<", "<=", ">", ">=", "IN", "NOT IN", "IS", "IS NOT")


@dataclass(frozen=True, slots=True)
class Value:
    """A literal: `text` as written (unquoted) or decoded (quoted)."""

    text: str
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class FunctionCall:
    """`name(arg, ...)`, e.g. `currentUser()` or `startOfDay(-1)`."""

    name: str
    args: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ValueList:
    """`(a, b, fn())` after IN / NOT IN."""

    items: tuple[Value | FunctionCall, ...]


@dataclass(frozen=True, slots=True)
class Empty:
    """EMPTY or NULL."""


Operand = Value | FunctionCall | ValueList | Empty


@dataclass(frozen=True, slots=True)
class Clause:
    """`field operator operand`; `field` as written, `operator` upper-cased (`NOT IN`)."""

    field: str
    operator: str
    operand: Operand
    position: tuple[int, int] = (1, 1)


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node = Clause | And | Or | Not


@dataclass(frozen=True, slots=True)
class SortKey:
    field: str
    descending: bool | None = None  # None: the field's default direction


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: its restriction (None when it has none) and its ORDER BY."""

    where: Node | None
    order_by: tuple[SortKey, ...] = field(default=())

    def clauses(self) -> list[Clause]:
        """Every clause of the restriction, left to right."""
        found: list[Clause] = []
        stack: list[Node] = [self.where] if self.where is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, Clause):
                found.append(node)
            elif isinstance(node, Not):
                stack.append(node.item)
            else:
                stack.extend(reversed(node.items))
        return found


def parse_jql(source: str) -> Query:
    """Parse `source`; raises `JqlSyntaxError` with Jira's message when it is not JQL."""
    return _Parser(source).query()


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.at = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def _take(self) -> Token:
        token = self.tokens[self.at]
        self.at = min(self.at + 1, len(self.tokens) - 1)
        return token

    def _is_word(self, *words: str) -> bool:
        return self.token.kind == "word" and self.token.upper() in words

    def _is_symbol(self, *symbols: str) -> bool:
        return self.token.kind == "symbol" and self.token.text in symbols

    def _where(self, token: Token | None = None) -> str:
        return where(self.source, (token or self.token).offset)

    def query(self) -> Query:
        where: Node | None = None
        if self.token.kind != "end" and not self._is_word("ORDER"):
            where = self._or()
        order_by: tuple[SortKey, ...] = ()
        if self._is_word("ORDER"):
            order_by = self._order_by()
        if self.token.kind != "end":
            raise fail(
                f"Expecting either 'OR' or 'AND' but got '{self.token.shown()}'. {self._where()}"
            )
        return Query(where, order_by)

    def _or(self) -> Node:
        items = [self._and()]
        while self._is_word("OR") or self._is_symbol("||", "|"):
            self._take()
            items.append(self._and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def _and(self) -> Node:
        items = [self._not()]
        while self._is_word("AND") or self._is_symbol("&&", "&"):
            self._take()
            items.append(self._not())
        return items[0] if len(items) == 1 else And(tuple(items))

    def _not(self) -> Node:
        if self._is_word("NOT") or self._is_symbol("!"):
            self._take()
            return Not(self._not())
        if self._is_symbol("("):
            self._take()
            inner = self._or()
            if not self._is_symbol(")"):
                raise self._expecting("')'")
            self._take()
            return inner
        return self._clause()

    def _expecting(self, what: str) -> JqlSyntaxError:
        if self.token.kind == "end":
            return fail(f"Expecting {what} before the end of the query.")
        return fail(f"Expecting {what} but got '{self.token.shown()}'. {self._where()}")

    def _field_name(self) -> tuple[str, Token]:
        token = self.token
        if token.kind == "string":
            self._take()
            return token.text, token
        if token.kind == "word" and token.text.lower() not in KEYWORDS:
            if token.text.lower() in RESERVED_WORDS:
                raise self._reserved(token)
            self._take()
            return token.text, token
        if token.kind == "end":
            raise fail("Expecting a field name before the end of the query.")
        raise fail(
            f"Expecting a field name but got '{token.shown()}'. You must surround "
            f"'{token.shown()}' in quotation marks to use it as a field name. {self._where()}"
        )

    def _reserved(self, token: Token) -> JqlSyntaxError:
        return fail(
            f"'{token.text}' is a reserved JQL word. You must surround it in quotation marks "
            f"to use it in a query. {self._where(token)}"
        )

    def _clause(self) -> Clause:
        name, start = self._field_name()
        operator = self._operator()
        if operator in ("IS", "IS NOT"):
            if not self._is_word("EMPTY", "NULL"):
                raise self._expecting("'EMPTY'")
            self._take()
            operand: Operand = Empty()
        elif operator in ("IN", "NOT IN"):
            operand = self._list()
        else:
            operand = self._single(allow_empty=True)
        return Clause(name, operator, operand, position(self.source, start.offset))

    def _operator(self) -> str:
        token = self.token
        if token.kind == "symbol" and token.text in ("=", "!=", "~", "!~", "<", "<=", ">", ">="):
            self._take()
            return token.text
        if self._is_word("IN"):
            self._take()
            return "IN"
        if self._is_word("IS"):
            self._take()
            if self._is_word("NOT"):
                self._take()
                return "IS NOT"
            return "IS"
        if self._is_word("NOT"):
            self._take()
            if self._is_word("IN"):
                self._take()
                return "NOT IN"
            raise fail(f"Expecting 'IN' but got '{self.token.shown()}'. {self._where()}")
        if token.kind == "end":
            raise fail(f"Expecting operator before the end of the query. {VALID_OPERATORS}")
        raise fail(
            f"Expecting operator but got '{token.shown()}'. {VALID_OPERATORS} {self._where()}"
        )

    def _value_error(self) -> JqlSyntaxError:
        token = self.token
        if token.kind == "end":
            return fail("Expecting either a value, list or function before the end of the query.")
        return fail(
            f"Expecting either a value, list or function but got '{token.shown()}'. You must "
            f"surround '{token.shown()}' in quotation marks to use it as a value. {self._where()}"
        )

    def _single(self, *, allow_empty: bool) -> Value | FunctionCall | Empty:
        token = self.token
        if token.kind == "string":
            self._take()
            return Value(token.text, quoted=True)
        if token.kind != "word" or token.text.lower() in KEYWORDS - {"empty", "null"}:
            raise self._value_error()
        if token.text.lower() in ("empty", "null"):
            if not allow_empty:
                raise self._value_error()
            self._take()
            return Empty()
        if token.text.lower() in RESERVED_WORDS:
            raise self._reserved(token)
        self._take()
        if self._is_symbol("("):
            return FunctionCall(token.text, self._arguments())
        return Value(token.text)

    def _arguments(self) -> tuple[str, ...]:
        self._take()  # "("
        args: list[str] = []
        while not self._is_symbol(")"):
            if self.token.kind not in ("word", "string"):
                raise self._expecting("')'")
            args.append(self._take().text)
            if self._is_symbol(","):
                self._take()
            elif not self._is_symbol(")"):
                raise self._expecting("')'")
        self._take()
        return tuple(args)

    def _list(self) -> ValueList | FunctionCall:
        if self.token.kind == "word" and not self._is_symbol("("):
            single = self._single(allow_empty=False)
            if isinstance(single, FunctionCall):
                return single
            return ValueList((single,)) if isinstance(single, Value) else ValueList(())
        if not self._is_symbol("("):
            raise self._value_error()
        self._take()
        items: list[Value | FunctionCall] = []
        while True:
            item = self._single(allow_empty=True)
            if not isinstance(item, Empty):
                items.append(item)
            if self._is_symbol(","):
                self._take()
                continue
            if self._is_symbol(")"):
                self._take()
                return ValueList(tuple(items))
            raise self._expecting("')'")

    def _order_by(self) -> tuple[SortKey, ...]:
        self._take()  # ORDER
        if not self._is_word("BY"):
            raise self._expecting("'by'")
        self._take()
        keys: list[SortKey] = []
        while True:
            name, _ = self._field_name()
            descending: bool | None = None
            if self._is_word("ASC", "DESC"):
                descending = self._take().upper() == "DESC"
            keys.append(SortKey(name, descending))
            if not self._is_symbol(","):
                break
            self._take()
        if self.token.kind != "end":
            raise fail(
                f"Expecting either ',' or the end of the query but got '{self.token.shown()}'. "
                f"{self._where()}"
            )
        return tuple(keys)
