"""The condition kinds are declared once, and every dispatch over them is exhaustive.

``ConditionKind`` in ``_model/conditions.py`` is the one list; the key table, the parser's
error message and every ``match`` over a condition follow from it. These tests fail when a
condition class is defined but left out of the declaration, or when a dispatch over condition
kinds is written so that mypy cannot report a kind that is not handled.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from kwg_check._model import conditions
from kwg_check._model._types import Part
from kwg_check._model.conditions import TAG_OF_KIND, Condition

SRC = Path(conditions.__file__).resolve().parents[1]


def _condition_classes() -> set[type[Part]]:
    """Every model in the module that is a condition: an object with exactly one key."""
    return {
        value
        for value in vars(conditions).values()
        if inspect.isclass(value)
        and issubclass(value, Part)
        and value.__module__ == conditions.__name__
        and len(value.model_fields) == 1
    }


def test_declaration_lists_every_condition_class() -> None:
    assert set(TAG_OF_KIND) == _condition_classes()
    assert len(TAG_OF_KIND) == 11


def test_each_kind_is_tagged_with_its_one_key() -> None:
    for kind, tag in TAG_OF_KIND.items():
        (field_name, field), *_ = kind.model_fields.items()
        assert (field.alias or field_name) == tag


@pytest.mark.parametrize("kind", list(TAG_OF_KIND))
def test_each_key_parses_to_its_kind(kind: type[Part]) -> None:
    examples = {
        "all": [{"flag": "f"}],
        "any": [{"flag": "f"}],
        "not": {"flag": "f"},
        "answer_at_least": {"item": "i", "level": "l"},
        "answer_in": {"item": "i", "levels": ["l"]},
        "context": {"item": "i", "levels": ["l"]},
        "index": {"index": "x", "op": ">=", "value": 1},
        "band": {"index": "x", "band": "b"},
        "flag": "f",
        "age_months": {"from_months": 1},
        "result": {"result": "r", "at_least": "v"},
    }
    tag = TAG_OF_KIND[kind]
    parsed = TypeAdapter(Condition).validate_python({tag: examples[tag]})
    assert type(parsed) is kind


def test_unknown_key_names_every_declared_key() -> None:
    with pytest.raises(ValidationError) as caught:
        TypeAdapter(Condition).validate_python({"answer": {}})
    message = str(caught.value)
    for tag in TAG_OF_KIND.values():
        assert tag in message


def _kind_patterns(case: ast.match_case) -> set[str]:
    names = {kind.__name__ for kind in TAG_OF_KIND}
    return {
        node.cls.id
        for node in ast.walk(case.pattern)
        if isinstance(node, ast.MatchClass) and isinstance(node.cls, ast.Name)
    } & names


def _ends_in_assert_never(match: ast.Match) -> bool:
    last = match.cases[-1]
    return (
        isinstance(last.pattern, ast.MatchAs)
        and last.pattern.pattern is None
        and len(last.body) == 1
        and isinstance(last.body[0], ast.Expr)
        and isinstance(last.body[0].value, ast.Call)
        and isinstance(last.body[0].value.func, ast.Name)
        and last.body[0].value.func.id == "assert_never"
    )


def _condition_matches() -> list[tuple[str, ast.Match]]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Match) and any(_kind_patterns(c) for c in node.cases):
                found.append((f"{path.relative_to(SRC)}:{node.lineno}", node))
    return found


def test_every_match_over_condition_kinds_is_exhaustive() -> None:
    matches = _condition_matches()
    assert len(matches) >= 6  # check, references, compile, polarity, describe, FHIR
    for where, match in matches:
        assert _ends_in_assert_never(match), where
        handled = set().union(*(_kind_patterns(case) for case in match.cases))
        assert handled == {kind.__name__ for kind in TAG_OF_KIND}, where


def _isinstance_chains() -> list[str]:
    """``if isinstance(x, Kind)`` statements that dispatch over two or more kinds in a row."""
    names = {kind.__name__ for kind in TAG_OF_KIND}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef):
                continue
            tested = {
                arg.id
                for call in ast.walk(node)
                if isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "isinstance"
                for arg in ast.walk(call.args[1])
                if isinstance(arg, ast.Name) and arg.id in names
            }
            if len(tested) > 3:
                found.append(f"{path.relative_to(SRC)}:{node.name}")
    return found


def test_no_isinstance_dispatch_over_condition_kinds() -> None:
    assert _isinstance_chains() == []
