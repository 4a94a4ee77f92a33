"""The profile language: CEL text, parsed by cel-python, checked into a restricted tree.

Why CEL (cel-python) rather than rule-engine: CEL is a published, non-Turing-complete expression
language with a specification that other systems (and other nodes, on another stack) share;
cel-python's Lark parser gives the line and column of every node, so an unknown field, a wrong
type or an unknown code is reported *at its place*, not only syntax errors (rule-engine's syntax
tree keeps no positions). We use only its parser: the parse tree is turned here into the small
tree of `ncen.targeting.ast` and nothing is ever evaluated by cel-python or by ``eval``.

The subset accepted (everything else is refused with its position):

- ``field == "code"``, ``field != "code"``, ``field in ["a", "b"]``, ``"a" in field``;
- ``number_field < 5`` (``<=``, ``>``, ``>=``, ``==``, ``!=``; ``in [1, 2]``);
- ``text_field.startsWith("MSCU")``, ``text_field.matches("^AB[0-9]+$")``,
  ``text_field in lookup("list-name")``;
- ``&&``, ``||``, ``!``, parentheses, ``true``, ``false``.

`parse_profile` checks syntax, fields, operators, literal types, digit codes, sizes and
complexity; codes of reference tables and list names need the database and are checked by
`ncen.targeting.validation`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

import lark
from celpy.celparser import CELParseError, CELParser

from ncen.errors import ValidationError
from ncen.targeting.ast import AllOf, AnyOf, Constant, Criterion, Negation, Node, criteria, depth
from ncen.targeting.fields import FIELDS, Field, FieldType, identifier_key
from ncen.targeting.patterns import PatternError, compile_pattern

MAX_LENGTH = 5000
MAX_CRITERIA = 40
MAX_DEPTH = 8
MAX_LIST = 300
MAX_NUMBER = 1e12
MAX_PATTERN = 100
# Characters that reorder or hide text: a profile read by a reviewer must say what it does.
_INVISIBLE = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_RELATIONS = {
    "relation_eq": "eq",
    "relation_ne": "ne",
    "relation_lt": "lt",
    "relation_le": "le",
    "relation_gt": "gt",
    "relation_ge": "ge",
    "relation_in": "in",
}
_PASS = frozenset(
    {"expr", "conditionalor", "conditionaland", "relation", "addition", "multiplication",
     "unary", "member", "primary"}
)  # fmt: skip
_FLIP = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}


class ExpressionError(ValidationError):
    """A profile expression refused at ``line``/``column`` (1-based) with a message to fix."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__({"expression": f"line {line}, column {column}: {message}"})
        self.message = message
        self.line = line
        self.column = column


def _parser() -> CELParser:
    # CELParser builds its Lark grammar once per class, so a new instance is cheap.
    return CELParser()


def check_text(text: str) -> None:
    """Refuse text that cannot be a readable expression: too long, NUL, controls, bidi."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the expression is longer than {MAX_LENGTH} characters")
    line, column = 1, 1
    for char in text:
        if char == "\n":
            line, column = line + 1, 1
            continue
        if char in _INVISIBLE or (unicodedata.category(char) == "Cc" and char not in "\t\r"):
            raise ExpressionError(
                f"the character U+{ord(char):04X} is not allowed (control or direction mark)",
                line,
                column,
            )
        column += 1


def parse_profile(text: str) -> Node:
    """Parse and check ``text``; return its tree. Raises `ExpressionError` with the position."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("write at least one criterion")
    check_text(text)
    try:
        tree = _parser().parse(text)
    except CELParseError as exc:
        line, column = getattr(exc, "line", None) or 1, getattr(exc, "column", None) or 1
        raise ExpressionError("syntax error", line, column) from None
    except (lark.exceptions.LarkError, RecursionError):
        raise ExpressionError("syntax error") from None
    node = _Builder(text).boolean(tree)
    found = criteria(node)
    if len(found) > MAX_CRITERIA:
        c = found[MAX_CRITERIA]
        raise ExpressionError(f"too complex: more than {MAX_CRITERIA} criteria", c.line, c.column)
    if depth(node) > MAX_DEPTH:
        raise ExpressionError(f"too complex: nested more than {MAX_DEPTH} levels deep")
    return node


def _position(tree: Any) -> tuple[int, int]:
    if isinstance(tree, lark.Token):
        return tree.line or 1, tree.column or 1
    meta = tree.meta
    return getattr(meta, "line", 1), getattr(meta, "column", 1)


def _unwrap(tree: Any) -> Any:
    while isinstance(tree, lark.Tree) and tree.data in _PASS and len(tree.children) == 1:
        tree = tree.children[0]
    return tree


def _decode_string(token: lark.Token) -> str:
    raw = str(token)
    if raw[:1] in "rR":
        body = raw[1:]
        quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
        return body[len(quote) : -len(quote)]
    quote = raw[:3] if raw[:3] in ('"""', "'''") else raw[:1]
    body = raw[len(quote) : -len(quote)]
    escapes = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t"}
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            following = body[index + 1 : index + 2]
            if following not in escapes:
                line, column = _position(token)
                raise ExpressionError("unsupported escape in a string", line, column + index)
            out.append(escapes[following])
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


class _Builder:
    """Turns one parse tree into a checked `Node`."""

    def __init__(self, text: str) -> None:
        self.text = text

    def source(self, tree: Any) -> str:
        meta = tree.meta
        start, end = getattr(meta, "start_pos", None), getattr(meta, "end_pos", None)
        return self.text[start:end] if start is not None and end is not None else ""

    def fail(self, message: str, tree: Any) -> ExpressionError:
        line, column = _position(tree)
        return ExpressionError(message, line, column)

    # --- conditions ------------------------------------------------------------------
    def boolean(self, tree: Any) -> Node:  # noqa: PLR0912 - one branch per kind of node
        tree = _unwrap(tree)
        if isinstance(tree, lark.Token):
            raise self.fail("expected a condition", tree)
        data = tree.data
        if data == "expr":
            raise self.fail("the conditional operator ?: is not supported", tree)
        if data in ("conditionalor", "conditionaland"):
            left, right = self.boolean(tree.children[0]), self.boolean(tree.children[1])
            cls = AnyOf if data == "conditionalor" else AllOf
            parts: list[Node] = []
            for part in (left, right):
                parts.extend(part.parts if isinstance(part, cls) else (part,))
            return cls(tuple(parts))
        if data == "unary" and len(tree.children) == 2:
            operator = tree.children[0]
            if isinstance(operator, lark.Tree) and operator.data == "unary_not":
                return Negation(self.boolean(tree.children[1]))
            raise self.fail("expected a condition, not a negative value", tree)
        if data == "paren_expr":
            return self.boolean(tree.children[0])
        if data == "relation" and len(tree.children) == 2:
            # relation -> [relation_eq(left), right]: the operator node holds the left operand.
            operator = tree.children[0]
            if isinstance(operator, lark.Tree) and operator.data in _RELATIONS:
                return self.relation(
                    tree, _RELATIONS[operator.data], operator.children[0], tree.children[1]
                )
        if data == "member_dot_arg":
            return self.method(tree)
        if data == "literal":
            token = tree.children[0]
            if token.type == "BOOL_LIT":
                return Constant(str(token) == "true")
        if data in ("ident", "member_dot"):
            raise self.fail("a field alone is not a condition: compare it with a value", tree)
        if data in ("addition", "multiplication"):
            raise self.fail("arithmetic is not supported", tree)
        raise self.fail("expected a condition", tree)

    def relation(self, tree: Any, op: str, left: Any, right: Any) -> Criterion:
        field = self.field_ref(left)
        if field is None:
            # "a" in route_country, 5 < quantity: the field on the right.
            field = self.field_ref(right)
            if field is None:
                raise self.fail("compare a field with a value", tree)
            if op == "in":
                value = self.literal(left)
                return self.criterion(field, "eq", value, tree, left)
            return self.criterion(field, _FLIP[op], self.literal(left), tree, left)
        if op == "in":
            call = _unwrap(right)
            if isinstance(call, lark.Tree) and call.data == "ident_arg":
                return self.lookup(field, call, tree)
            values = self.list_literal(right)
            return self.criterion(field, "in", values, tree, right)
        return self.criterion(field, op, self.literal(right), tree, right)

    def method(self, tree: Any) -> Criterion:
        target, name, *rest = tree.children
        field = self.field_ref(target)
        if field is None:
            raise self.fail("call startsWith or matches on a field", tree)
        method = str(name)
        arguments = self.arguments(rest[0] if rest else None)
        if method not in ("startsWith", "matches") or len(arguments) != 1:
            raise self.fail(
                f'unknown function “{method}”: use startsWith("…") or matches("…")', name
            )
        if field.type is not FieldType.TEXT and not field.codes.startswith("digits"):
            raise self.fail(f"{method} applies to identifiers and HS codes only", name)
        value = self.literal(arguments[0])
        return self.criterion(
            field, "starts" if method == "startsWith" else "matches", value, tree, arguments[0]
        )

    def lookup(self, field: Field, call: Any, tree: Any) -> Criterion:
        name, *rest = call.children
        if str(name) != "lookup":
            raise self.fail(f'unknown function “{name}”: use lookup("list name")', call)
        arguments = self.arguments(rest[0] if rest else None)
        if len(arguments) != 1:
            raise self.fail("lookup takes one list name", call)
        if not field.list_kind:
            raise self.fail(f"“{field.name}” cannot be looked up in a list", call)
        value = self.literal(arguments[0])
        if not isinstance(value, str):
            raise self.fail("a list name is text in quotes", arguments[0])
        return self.criterion(field, "lookup", value, tree, arguments[0])

    # --- operands --------------------------------------------------------------------
    def field_ref(self, tree: Any) -> Field | None:
        tree = _unwrap(tree)
        parts: list[str] = []
        node = tree
        while isinstance(node, lark.Tree) and node.data == "member_dot":
            parts.insert(0, str(node.children[1]))
            node = _unwrap(node.children[0])
        if isinstance(node, lark.Tree) and node.data == "ident":
            parts.insert(0, str(node.children[0]))
        else:
            return None
        name = ".".join(parts)
        field = FIELDS.get(name)
        if field is None:
            raise self.fail(f"unknown field “{name}”", tree)
        return field

    def arguments(self, exprlist: Any) -> list[Any]:
        if exprlist is None:
            return []
        return list(exprlist.children)

    def literal(self, tree: Any) -> str | float:
        node = _unwrap(tree)
        if isinstance(node, lark.Tree) and node.data == "literal":
            token = node.children[0]
            assert isinstance(token, lark.Token)
            kind = token.type
            if kind == "STRING_LIT":
                return _decode_string(token)
            if kind in ("INT_LIT", "UINT_LIT", "FLOAT_LIT"):
                return self.number(token)
        if isinstance(node, lark.Tree) and node.data == "unary" and len(node.children) == 2:
            value = self.literal(node.children[1])
            operator = node.children[0]
            negative = isinstance(operator, lark.Tree) and operator.data == "unary_neg"
            if negative and isinstance(value, float):
                return -value
        if self.field_ref(tree) is not None:
            raise self.fail("compare a field with a value, not with another field", tree)
        raise self.fail("expected a value: text in quotes or a number", tree)

    def number(self, token: lark.Token) -> float:
        raw = str(token).rstrip("uU")
        try:
            value = float(int(raw, 0)) if token.type != "FLOAT_LIT" else float(raw)
        except (ValueError, OverflowError):
            raise self.fail("not a number", token) from None
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            raise self.fail("number too large (at most 1,000,000,000,000)", token)
        return value

    def list_literal(self, tree: Any) -> tuple[Any, ...]:
        node = _unwrap(tree)
        if not (isinstance(node, lark.Tree) and node.data == "list_lit"):
            raise self.fail('expected a list: ["a", "b"] or lookup("list name")', tree)
        items = self.arguments(node.children[0] if node.children else None)
        if not items:
            raise self.fail("the list is empty", tree)
        if len(items) > MAX_LIST:
            raise self.fail(f"too many values (at most {MAX_LIST}): use a lookup list", tree)
        return tuple(self.literal(item) for item in items)

    # --- typing ----------------------------------------------------------------------
    def criterion(  # noqa: PLR0912 - one check per rule of the type system
        self, field: Field, op: str, value: Any, tree: Any, at: Any
    ) -> Criterion:
        values = value if isinstance(value, tuple) else (value,)
        numeric = field.type is FieldType.NUMBER
        if op in ("lt", "le", "gt", "ge") and not numeric:
            raise self.fail(f"“{field.name}” cannot be compared with < or >", tree)
        for item in values:
            if numeric != isinstance(item, float):
                expected = "a number" if numeric else "text in quotes"
                raise self.fail(f"“{field.name}” takes {expected}", at)
        if field.codes.startswith("digits:") and op != "matches":
            width = int(field.codes.split(":")[1])
            for item in values:
                digits = str(item)
                if not digits.isascii() or not digits.isdigit():
                    raise self.fail(f"an HS code is digits only, not “{digits}”", at)
                if op != "starts" and len(digits) != width:
                    raise self.fail(f"“{field.name}” has {width} digits, not “{digits}”", at)
        if field.codes == "enum":
            for item in values:
                if item not in field.values:
                    choices = ", ".join(field.values)
                    raise self.fail(f"unknown code “{item}” for {field.name} ({choices})", at)
        if field.type is FieldType.TEXT and op in ("eq", "ne", "in", "starts"):
            values = tuple(identifier_key(str(item)) for item in values)
            if not all(values):
                raise self.fail("an identifier needs letters or digits", at)
        if op == "matches":
            _check_pattern(self, str(values[0]), at)
        stored: Any = values if op == "in" else values[0]
        line, column = _position(tree)
        return Criterion(field.name, op, stored, line, column, self.source(tree))


def _check_pattern(builder: _Builder, pattern: str, at: Any) -> None:
    # A small subset that means the same in RE2 (evaluation), Python and PostgreSQL
    # (back-tests): no back-references or look-arounds, and a bounded length. Nested
    # quantifiers such as (A+)+ are allowed: RE2 matches them in linear time.
    if len(pattern) > MAX_PATTERN:
        raise builder.fail(f"the pattern is longer than {MAX_PATTERN} characters", at)
    if not re.fullmatch(r"[A-Za-z0-9^$.*+?()\[\]{}|\\\-,]*", pattern) or "(?" in pattern:
        raise builder.fail(
            "the pattern may use letters, digits and ^ $ . * + ? ( ) [ ] { } | -", at
        )
    if re.search(r"\\[0-9]", pattern):
        raise builder.fail("back-references are not allowed in a pattern", at)
    try:
        re.compile(pattern)  # Python's messages say where the mistake is
    except re.error as exc:
        raise builder.fail(f"invalid pattern: {exc.msg}", at) from None
    try:
        compile_pattern(pattern)  # what evaluation runs: RE2, in linear time
    except PatternError as exc:
        raise builder.fail(f"the pattern cannot be matched in linear time: {exc}", at) from None
