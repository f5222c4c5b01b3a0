"""JQL, as Jira Cloud reads it: a tokenizer and a recursive-descent parser into an AST.

Only the syntax lives here (what any JQL query is, whatever fields a site has); which fields
exist, which operators each accepts and what values mean is `jql_fields`, and running a query
over tickets is `jql_search`. Errors carry Jira's own wording, with the 1-based line and
character Jira reports, so a client that shows or parses them sees what Jira would say.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
_VALID_OPERATORS = (
    "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', "
    "'IS' and 'IS NOT'."
)
_SYMBOLS = ("!=", "!~", "<=", ">=", "&&", "||", "=", "~", "<", ">", "(", ")", ",", "&", "|", "!")
_WORD_STOP = set(" \t\r\n\"'=!<>~(),&|")
# Characters Jira refuses outside a quoted string.
_RESERVED_CHARACTERS = set("+;?%^$#@[]{}")
_ESCAPES = {'"': '"', "'": "'", "t": "\t", "n": "\n", "r": "\r", "\\": "\\", " ": " "}
_KEYWORDS = {"and", "or", "not", "in", "is", "empty", "null", "order", "by", "asc", "desc"}
# Words JQL reserves: unquoted, they are refused as field names and values.
_RESERVED_WORDS = frozenset(
    """a an abort access add after alias all alter are as at audit avg be before begin
    between boolean break but byte catch cf char character check checkpoint collate collation
    column commit connect continue count create current date decimal declare decrement default
    defaults define delete delimiter difference distinct divide do double drop else encoding
    end equals escape exclusive exec execute exists explain false fetch file field first float
    for from function go goto grant greater group having identified if immediate increment
    index initial inner inout input insert int integer intersect intersection into isempty
    isnull join last left less like limit lock long max min minus mode modify modulo more
    multiply next noaudit notin nowait number object of on option outer output power previous
    prior privileges public raise raw remainder rename resource return returns revoke right
    row rowid rownum rows select session set share size sqrt start strict string subtract sum
    synonym table then to trans transaction trigger true uid union unique update user validate
    values view when whenever where while with""".split()  # noqa: SIM905
)


class JqlSyntaxError(ValueError):
    """A query Jira cannot parse; `str()` is Jira's message (without the envelope)."""


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


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "word", "string", "symbol", "end"
    text: str
    offset: int

    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""

    def shown(self) -> str:
        return self.text


def _position(source: str, offset: int) -> tuple[int, int]:
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def _where(source: str, offset: int) -> str:
    line, character = _position(source, offset)
    return f"(line {line}, character {character})"


def _fail(message: str) -> JqlSyntaxError:
    return JqlSyntaxError(f"Error in the JQL Query: {message}")


def tokenize(source: str) -> list[_Token]:
    """The tokens of `source`, ending with an "end" token."""
    tokens: list[_Token] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char.isspace():
            i += 1
        elif char in "\"'":
            start = i
            text, i = _read_string(source, i)
            tokens.append(_Token("string", text, start))
        else:
            symbol = next((s for s in _SYMBOLS if source.startswith(s, i)), None)
            if symbol is not None:
                tokens.append(_Token("symbol", symbol, i))
                i += len(symbol)
                continue
            start = i
            while i < n and source[i] not in _WORD_STOP:
                if source[i] in _RESERVED_CHARACTERS:
                    escape = f"\\u{ord(source[i]):04x}"
                    raise _fail(
                        f"The character '{source[i]}' is a reserved JQL character. You must "
                        f"enclose it in a string or use the escape '{escape}' instead. "
                        f"{_where(source, i)}"
                    )
                if source[i] == "\\":
                    i += 2
                    continue
                i += 1
            tokens.append(_Token("word", _unescape_word(source[start:i]), start))
    tokens.append(_Token("end", "", n))
    return tokens


def _read_string(source: str, start: int) -> tuple[str, int]:
    quote, i = source[start], start + 1
    out: list[str] = []
    while i < len(source):
        char = source[i]
        if char == quote:
            return "".join(out), i + 1
        if char == "\\":
            escaped = source[i + 1 : i + 2]
            if escaped == "u" and len(source[i + 2 : i + 6]) == 4:
                try:
                    out.append(chr(int(source[i + 2 : i + 6], 16)))
                    i += 6
                    continue
                except ValueError:
                    pass
            if escaped not in _ESCAPES:
                raise _fail(
                    f"'\\{escaped}' is an illegal JQL escape sequence. The valid escape "
                    "sequences are \\', \\\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX. "
                    f"{_where(source, i)}"
                )
            out.append(_ESCAPES[escaped])
            i += 2
            continue
        out.append(char)
        i += 1
    raise _fail(
        f"The quoted string '{source[start + 1 :]}' has not been completed. {_where(source, start)}"
    )


def _unescape_word(word: str) -> str:
    if "\\" not in word:
        return word
    out: list[str] = []
    i = 0
    while i < len(word):
        if word[i] == "\\" and i + 1 < len(word):
            out.append(_ESCAPES.get(word[i + 1], word[i + 1]))
            i += 2
        else:
            out.append(word[i])
            i += 1
    return "".join(out)


def parse_jql(source: str) -> Query:
    """Parse `source`; raises `JqlSyntaxError` with Jira's message when it is not JQL."""
    return _Parser(source).query()


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.at = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def _take(self) -> _Token:
        token = self.tokens[self.at]
        self.at = min(self.at + 1, len(self.tokens) - 1)
        return token

    def _is_word(self, *words: str) -> bool:
        return self.token.kind == "word" and self.token.upper() in words

    def _is_symbol(self, *symbols: str) -> bool:
        return self.token.kind == "symbol" and self.token.text in symbols

    def _where(self, token: _Token | None = None) -> str:
        return _where(self.source, (token or self.token).offset)

    def query(self) -> Query:
        where: Node | None = None
        if self.token.kind != "end" and not self._is_word("ORDER"):
            where = self._or()
        order_by: tuple[SortKey, ...] = ()
        if self._is_word("ORDER"):
            order_by = self._order_by()
        if self.token.kind != "end":
            raise _fail(
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
            return _fail(f"Expecting {what} before the end of the query.")
        return _fail(f"Expecting {what} but got '{self.token.shown()}'. {self._where()}")

    def _field_name(self) -> tuple[str, _Token]:
        token = self.token
        if token.kind == "string":
            self._take()
            return token.text, token
        if token.kind == "word" and token.text.lower() not in _KEYWORDS:
            if token.text.lower() in _RESERVED_WORDS:
                raise self._reserved(token)
            self._take()
            return token.text, token
        if token.kind == "end":
            raise _fail("Expecting a field name before the end of the query.")
        raise _fail(
            f"Expecting a field name but got '{token.shown()}'. You must surround "
            f"'{token.shown()}' in quotation marks to use it as a field name. {self._where()}"
        )

    def _reserved(self, token: _Token) -> JqlSyntaxError:
        return _fail(
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
        return Clause(name, operator, operand, _position(self.source, start.offset))

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
            raise _fail(f"Expecting 'IN' but got '{self.token.shown()}'. {self._where()}")
        if token.kind == "end":
            raise _fail(f"Expecting operator before the end of the query. {_VALID_OPERATORS}")
        raise _fail(
            f"Expecting operator but got '{token.shown()}'. {_VALID_OPERATORS} {self._where()}"
        )

    def _value_error(self) -> JqlSyntaxError:
        token = self.token
        if token.kind == "end":
            return _fail("Expecting either a value, list or function before the end of the query.")
        return _fail(
            f"Expecting either a value, list or function but got '{token.shown()}'. You must "
            f"surround '{token.shown()}' in quotation marks to use it as a value. {self._where()}"
        )

    def _single(self, *, allow_empty: bool) -> Value | FunctionCall | Empty:
        token = self.token
        if token.kind == "string":
            self._take()
            return Value(token.text, quoted=True)
        if token.kind != "word" or token.text.lower() in _KEYWORDS - {"empty", "null"}:
            raise self._value_error()
        if token.text.lower() in ("empty", "null"):
            if not allow_empty:
                raise self._value_error()
            self._take()
            return Empty()
        if token.text.lower() in _RESERVED_WORDS:
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
            raise _fail(
                f"Expecting either ',' or the end of the query but got '{self.token.shown()}'. "
                f"{self._where()}"
            )
        return tuple(keys)
