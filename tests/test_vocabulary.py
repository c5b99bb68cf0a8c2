"""The one vocabulary: every phrase exists in German and English with the same placeholders,
every library id the views label has a label, and numbers and dates read as each language
writes them."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kwg_check._model._types import EndangermentForm
from kwg_check._model.assessment import Initiator, ResourceCategory
from kwg_check._model.instrument import Flag, Index, StatisticCategory
from kwg_check._model.summary import (
    CheckResult,
    Message,
    OutcomeRange,
    Warning,
)
from kwg_check._vocabulary import (
    VOCABULARY,
    format_date,
    format_number,
    label,
    plural,
    render_message,
    render_warning,
    word,
)

_FORMATTER = string.Formatter()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in _FORMATTER.parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(VOCABULARY))
def test_every_phrase_exists_in_both_languages_with_the_same_placeholders(key: str) -> None:
    phrase = VOCABULARY[key]
    assert phrase.en.strip()
    assert phrase.de.strip()
    assert _fields(phrase.en) == _fields(phrase.de), key
    assert (phrase.en_plural is None) == (phrase.de_plural is None), key
    if phrase.en_plural is not None and phrase.de_plural is not None:
        assert _fields(phrase.en_plural) == _fields(phrase.de_plural) == _fields(phrase.en)
        assert "n" in _fields(phrase.en), f"{key}: a counting phrase shows its count as {{n}}"


def _literal(annotation: object) -> tuple[str, ...]:
    return tuple(get_args(annotation))


CONCEPTS: dict[str, tuple[str, ...]] = {
    "form": get_args(EndangermentForm),
    "category": get_args(StatisticCategory),
    "resource": get_args(ResourceCategory),
    "initiator": get_args(Initiator),
    "severity": _literal(Flag.model_fields["severity"].annotation),
    "side": _literal(Index.model_fields["side"].annotation),
    "check_result": _literal(CheckResult.model_fields["result"].annotation),
    "range_method": _literal(OutcomeRange.model_fields["method"].annotation),
    "traffic": ("green", "yellow", "red"),
    "item_status": ("unknown", "missing", "not_applicable"),
}


@pytest.mark.parametrize("concept", sorted(CONCEPTS))
def test_every_library_id_has_a_label(concept: str) -> None:
    """A closed set of ids the library defines is shown by label, never raw."""
    assert CONCEPTS[concept], concept
    for ident in CONCEPTS[concept]:
        assert f"{concept}.{ident}" in VOCABULARY, f"{concept}.{ident}"
        assert label(concept, ident, "de") != ident


def test_one_wording_per_concept() -> None:
    """The drift that had four tables name the social space two ways cannot come back."""
    assert label("resource", "infrastructural", "de") == "Sozialraum und Einrichtungen"
    assert not any(
        key.endswith(".infrastructural") for key in VOCABULARY if key != "resource.infrastructural"
    )


def test_an_unknown_role_is_shown_as_its_id() -> None:
    assert label("role", "social_worker", "de") == "sozialpädagogische Fachkraft"
    assert label("role", "agency_own_role", "de") == "agency_own_role"


@pytest.mark.parametrize(
    ("count", "de", "en"),
    [(1, "1 Stufe", "1 level"), (2, "2 Stufen", "2 levels"), (0, "0 Stufen", "0 levels")],
)
def test_counting_phrases_have_plural_forms(count: int, de: str, en: str) -> None:
    assert plural("levels", count, "de") == de
    assert plural("levels", count, "en") == en


def test_dates_and_numbers_as_each_language_writes_them() -> None:
    assert format_date(date(2026, 5, 6), "de") == "06.05.2026"
    assert format_date(date(2026, 5, 6), "en") == "2026-05-06"
    assert format_number(Decimal("0.70"), "de") == "0,7"
    assert format_number(Decimal("0.70"), "en") == "0.7"
    assert word("sheet.days", "de", n="90") == "90 Tagen"


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**6), max_value=10**6
    )
)
def test_a_german_number_reads_back_as_the_same_exact_value(value: Decimal) -> None:
    german = format_number(value, "de")
    assert "." not in german
    assert Decimal(german.replace(",", ".")) == value


def test_messages_render_with_plurals_and_labels() -> None:
    """A message is data: the same code and parameters read correctly in both languages,
    singular for exactly one and plural otherwise, with ids named as the view names them."""
    one = Message(code="assessors_counted", params={"n": 1, "required": 2})
    two = Message(code="assessors_counted", params={"n": 2, "required": 2})
    assert render_message(one, "en") == "1 distinct assessor; at least 2 required"
    assert render_message(two, "en") == "2 distinct assessors; at least 2 required"
    assert render_message(one, "de") == "1 unterschiedliche Fachkraft; mindestens 2 erforderlich"
    assert render_message(two, "de") == "2 unterschiedliche Fachkräfte; mindestens 2 erforderlich"
    scored = Message(code="level_scored", params={"item": "x", "level": "high", "points": "1.5"})
    assert render_message(scored, "de") == "Stufe 'high' ergibt 1,5 Punkte"
    named = render_message(scored, "en", lambda kind, ident, _: f"<{kind}:{ident}>")
    assert named == "level <level:high> scores 1.5 points"
    role = Message(code="role_consulted", params={"role": "child_protection_specialist"})
    assert "insoweit erfahrene Fachkraft" in render_message(role, "de")
    stale = Warning(code="evidence.stale", pointer="/answers/x/evidence/0/date", params={"n": 1})
    assert render_warning(stale, "en").endswith("older than 1 day on the assessment date")
    stale = stale.model_copy(update={"params": {"n": 90}})
    assert "älter als 90 Tage" in render_warning(stale, "de")
