"""Reassessment comparison: what changed between two assessments of the same child.

A reassessment is read against the previous one. The comparison must first answer practice's
questions (is the outcome the same, did the range of possible outcomes narrow, are the parents
now involved, which flags and resources changed), then name every change (outcome, indices,
bands, flags, items, resources) with its direction, nothing when nothing changed, and the
same changes mirrored when the two sides are swapped.
"""

from __future__ import annotations

import copy
import unicodedata
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kwg_check
from kwg_check import Change, ComparisonError, RangeChange, compare, render_comparison
from kwg_check.cli import main
from strategies import examples

GREY = "kwg8a-grey-zone-unknowns"
FOLLOW_UP = "kwg8a-grey-zone-follow-up"
INSTRUMENT = kwg_check.InstrumentRegistry().get("kwg_8a", "1.1.0")
SCALES = {scale.id: scale for scale in INSTRUMENT.scales}
SINGLE_ITEMS = {
    item.id: [level.id for level in SCALES[item.scale].levels]
    + ([SCALES[item.scale].unknown.id] if SCALES[item.scale].unknown else [])  # type: ignore[union-attr]
    for item in INSTRUMENT.items
    if item.response == "single" and not item.per_caregiver and item.kind != "context"
}


def example_json(name: str) -> Any:
    return copy.deepcopy(kwg_check.example_data(name))


def reassessed(changes: dict[str, str], **fields: Any) -> kwg_check.Assessment:
    """The grey-zone example, reassessed with some answers changed."""
    data = example_json(GREY)
    data["id"] = "GE-2026-0134-02"
    data["assessment_date"] = "2026-06-10"
    for item, level in changes.items():
        data["answers"][item] = {"level": level}
    data.update(fields)
    return kwg_check.parse_assessment(data)


OLD = kwg_check.parse_assessment(kwg_check.example_data(GREY))


NEW = kwg_check.parse_assessment(kwg_check.example_data(FOLLOW_UP))


def test_the_bundled_follow_up_is_a_reassessment_of_the_same_child() -> None:
    """The pair works out of the box: same case, a later date, another assessment id."""
    assert NEW.subject.case_id == OLD.subject.case_id
    assert NEW.assessment_date > OLD.assessment_date
    assert NEW.id != OLD.id


def test_the_bundled_pair_answers_practices_questions_as_data() -> None:
    comparison = compare(OLD, NEW)
    assert comparison.outcome == Change("outcome", "final", "latent", "latent", "unchanged")
    assert comparison.range == RangeChange(("latent", "acute"), ("latent", "latent"), "narrowed")
    assert comparison.participation == (
        Change("participation", "parents", "not_involved", "involved", "up"),
    )
    assert comparison.flags == (
        Change("flag", "several_care_deficits", "raised", "not_raised", "down"),
    )
    assert [(c.label, c.direction) for c in comparison.resources] == [
        ("Großmutter", "up"),
        ("Sozialpädagogische Familienhilfe", "added"),
    ]


def test_the_bundled_pair_states_outcome_range_participation_flags_resources_first() -> None:
    lines = render_comparison(compare(OLD, NEW), lang="en").splitlines()
    assert lines[5:11] == [
        "Outcome unchanged: Latent endangerment.",
        "The outcomes the unknowns allow narrowed: before Latent endangerment to Acute "
        "endangerment; now Latent endangerment.",
        "Parents: now involved.",
        "Flag cleared: Several care areas insufficiently ensured.",
        "Resource gained: Großmutter (family).",
        "Resource gained: Sozialpädagogische Familienhilfe (neighbourhood and institutions).",
    ]
    assert lines[11] == ""
    assert lines[12].startswith("Index: ")  # then every change, as before


def test_the_german_comparison_uses_the_words_of_practice() -> None:
    text = render_comparison(compare(OLD, NEW), lang="de")
    assert "Vorbewertung" not in text
    assert text.startswith("Vergleich mit der vorherigen Gefährdungseinschätzung\n")
    assert "Vorherige Einschätzung: GE-2026-0134-01, 06.05.2026" in text
    headline = text.split("\n\n")[1].splitlines()
    assert headline[:3] == [
        "Ergebnis unverändert: Latente Gefährdung.",
        "Die Spanne der Ergebnisse, die das Unbekannte zulässt, hat sich verengt: vorher "
        "Latente Gefährdung bis Akute Gefährdung; jetzt Latente Gefährdung.",
        "Eltern: jetzt beteiligt.",
    ]
    html = render_comparison(compare(OLD, NEW), lang="de", format="html")
    assert html.index("Auf einen Blick") < html.index("Alle Veränderungen")
    # Index values as German write decimals; a band is an "Einstufung" as everywhere else.
    assert "(Mittelwert): — → 0,67 (verändert)" in text
    assert "Einstufung: Mangel an Kooperationsbereitschaft (Mittelwert): — → ausreichend" in text
    english = render_comparison(compare(OLD, NEW), lang="en")
    assert "(mean): — → 0.67 (changed)" in english


def test_an_outcome_that_changed_is_stated_with_its_direction() -> None:
    worse = reassessed({"serious_injury": "present"})
    comparison = compare(OLD, worse)
    assert comparison.outcome == Change("outcome", "final", "latent", "acute", "up")
    assert comparison.range == RangeChange(("latent", "acute"), ("acute", "acute"), "narrowed")
    assert Change("flag", "danger_injury", "not_raised", "raised", "up") in comparison.flags
    text = render_comparison(comparison, lang="en")
    assert "Outcome changed: before Latent endangerment, now Acute endangerment (more severe)." in (
        text
    )
    assert "Flag raised: Acute danger: serious injury." in text
    back = render_comparison(compare(worse, OLD), lang="de")
    assert "(weniger schwerwiegend)" in back
    assert "hat sich erweitert" in back


def test_participation_no_longer_given_and_summaries_without_participation() -> None:
    comparison = compare(NEW, OLD)
    assert comparison.participation == (
        Change("participation", "parents", "involved", "not_involved", "down"),
    )
    assert "Eltern: nicht mehr beteiligt." in render_comparison(comparison, lang="de")
    summaries = compare(kwg_check.score_assessment(OLD), kwg_check.score_assessment(NEW))
    assert summaries.participation == ()  # a summary does not record participation
    assert summaries.range.direction == "narrowed"


def test_an_unchanged_comparison_still_states_outcome_and_range() -> None:
    text = render_comparison(compare(NEW, NEW), lang="en")
    assert "Outcome unchanged: Latent endangerment." in text
    assert "The outcomes the unknowns allow are unchanged: Latent endangerment." in text
    assert "Nothing changed." in text


def test_an_assessment_compared_with_itself_has_no_changes() -> None:
    comparison = compare(OLD, OLD)
    assert comparison.changes == ()
    assert comparison.case_id == OLD.subject.case_id
    assert "Nothing changed." in render_comparison(comparison, lang="en")
    assert "Nichts hat sich verändert." in render_comparison(comparison)  # the instrument's


def test_items_that_moved_down_and_the_flag_they_cleared_are_named_with_their_direction() -> None:
    new = reassessed({"nutrition": "partly", "serious_injury": "absent"})
    changes = set(compare(OLD, new).changes)
    assert Change("item", "nutrition", "insufficient", "partly", "down") in changes
    assert Change("item", "serious_injury", "unknown", "absent", "changed") in changes
    assert Change("index", "care_deficits", "3", "2", "down") in changes
    assert Change("flag", "several_care_deficits", "raised", "not_raised", "down") in changes
    assert not [c for c in changes if c.kind == "outcome"]


def test_an_outcome_that_rises_is_reported_for_computed_and_final() -> None:
    new = reassessed({"serious_injury": "present"})
    changes = set(compare(OLD, new).changes)
    assert Change("outcome", "computed", "latent", "acute", "up") in changes
    assert Change("outcome", "final", "latent", "acute", "up") in changes
    assert Change("flag", "danger_injury", "not_raised", "raised", "up") in changes


def test_bands_move_in_the_order_the_instrument_gives_them() -> None:
    calmer = (
        "nutrition",
        "clothing",
        "supervision",
        "body_care",
        "emotional_care",
        "school_attendance",
    )
    new = reassessed({item: SINGLE_ITEMS[item][0] for item in calmer})
    bands = [c for c in compare(OLD, new).changes if c.kind == "band"]
    assert Change("band", "risk_total", "high", "elevated", "down") in bands


def test_resources_gained_and_lost_are_named_by_their_own_label() -> None:
    data = example_json(GREY)
    data["resources"][1]["available"] = True  # grandmother reachable again
    data["resources"][2]["available"] = False  # neighbour no longer helps
    data["resources"].append(
        {"category": "infrastructural", "label": "Familienzentrum", "available": True}
    )
    del data["resources"][3]  # the flat is no longer named
    changes = [
        c for c in compare(OLD, kwg_check.parse_assessment(data)).changes if c.kind == "resource"
    ]
    assert {(c.label, c.direction) for c in changes} == {
        ("Großmutter", "up"),
        ("Nachbarin, die gelegentlich Essen bringt", "down"),
        ("Familienzentrum", "added"),
        ("Wohnung", "removed"),
    }


def with_resource_labels(labels: dict[int, str], available: bool | None = None) -> Any:
    """The grey-zone example with some resource labels retyped (and availability set)."""
    data = example_json(GREY)
    for index, label in labels.items():
        data["resources"][index]["label"] = label
        if available is not None:
            data["resources"][index]["available"] = available
    return kwg_check.parse_assessment(data)


@pytest.mark.parametrize(
    "retyped",
    [
        unicodedata.normalize("NFD", "Großmutter"),  # the same letters, decomposed
        "Gro\u00dfmutter\u00a0",  # a trailing no-break space
        "\u2003Gro\u00dfmutter",  # an em space in front
    ],
)
def test_a_resource_retyped_in_another_unicode_form_is_the_same_resource(retyped: str) -> None:
    assert OLD.resources[1].label == "Großmutter"
    assert compare(OLD, with_resource_labels({1: retyped})).changes == ()
    label_of_old = {1: OLD.resources[1].label}
    changes = compare(with_resource_labels(label_of_old), with_resource_labels({1: retyped}, True))
    assert changes.changes == (
        Change("resource", "family", "not_available", "available", "up", retyped),
    )  # shown as written in the new assessment, not in its matching form
    changes = compare(with_resource_labels({1: retyped}), OLD)
    assert changes.changes == ()


@pytest.mark.parametrize(
    "other", ["großmutter", "Groß-mutter", "Grossmutter", "Gro\u00dfmutter\u200b"]
)
def test_labels_that_read_differently_are_different_resources(other: str) -> None:
    directions = {c.direction for c in compare(OLD, with_resource_labels({1: other})).changes}
    assert directions == {"added", "removed"}


_spaces = st.sampled_from([" ", "  ", "\u00a0", "\u202f", "\u2007", "\t", "\u3000"])
_word = st.text(st.characters(codec="utf-8", categories=["L", "M", "N"]), min_size=1, max_size=4)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    words=st.lists(_word, min_size=1, max_size=3),
    gaps=st.lists(_spaces, min_size=3, max_size=3),
    form=st.sampled_from(["NFC", "NFD"]),
)
def test_retyping_a_label_never_loses_or_gains_the_resource(
    words: list[str], gaps: list[str], form: Literal["NFC", "NFD"]
) -> None:
    """Matching is NFC with folded whitespace; the labels kept are the originals."""
    written = " ".join(words)
    retyped = gaps[0] + gaps[1].join(unicodedata.normalize(form, w) for w in words) + gaps[2]
    old = with_resource_labels({1: written}, False)
    new = with_resource_labels({1: retyped}, True)
    changes = [c for c in compare(old, new).changes if c.kind == "resource"]
    assert [(c.direction, c.label) for c in changes] == [("up", retyped)]
    assert compare(new, old).changes[-1].label == written


def test_summaries_compare_with_assessments_and_resources_by_category() -> None:
    """A stored summary has no free text: resources are compared as counts per category."""
    data = example_json(GREY)
    data["resources"][1]["available"] = True
    new = kwg_check.parse_assessment(data)
    old_summary = kwg_check.score_assessment(OLD)
    changes = compare(old_summary, new).changes
    assert changes == (Change("resource", "family", "0", "1", "up"),)


def test_different_children_cannot_be_compared() -> None:
    other = kwg_check.parse_assessment(kwg_check.example_data("kwg8a-no-need-preschool"))
    with pytest.raises(ComparisonError) as caught:
        compare(OLD, other)
    assert caught.value.code == "compare.subject-mismatch"
    assert caught.value.pointer == "/subject/case_id"


def test_different_instruments_cannot_be_compared() -> None:
    data = example_json("cans-action-needed")
    data["subject"]["case_id"] = OLD.subject.case_id
    with pytest.raises(ComparisonError) as caught:
        compare(OLD, kwg_check.parse_assessment(data))
    assert caught.value.code == "compare.instrument-mismatch"


def test_versions_of_one_instrument_compare_and_items_on_one_side_are_listed() -> None:
    """Compatible versions: same instrument id; an item only the new version has is 'added'."""
    newer: Any = kwg_check.dump_document(INSTRUMENT)
    newer["version"] = "1.2.0"
    extra = copy.deepcopy(next(i for i in newer["items"] if i["id"] == "nutrition"))
    extra["id"] = "meal_routine"
    newer["items"].append(extra)
    registry = kwg_check.InstrumentRegistry()
    registry.add(kwg_check.parse_instrument(newer))
    data = example_json(GREY)
    data["instrument"]["version"] = "1.2.0"
    data["answers"]["meal_routine"] = {"level": "partly"}
    comparison = compare(OLD, kwg_check.parse_assessment(data), registry=registry)
    assert Change("item", "meal_routine", None, "partly", "added") in comparison.changes
    assert comparison.new_instrument.version == "1.2.0"


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_comparison_renders_in_every_format_with_labels_of_the_language(
    fmt: str, lang: str
) -> None:
    new = reassessed({"nutrition": "partly"})
    text = render_comparison(compare(OLD, new), lang=lang, format=fmt)  # type: ignore[arg-type]
    assert ("Ernährung" if lang == "de" else "Nutrition") in text
    assert ("niedriger" if lang == "de" else "lower") in text
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
        assert '<section id="comparison">' in text


def test_text_comparison_keeps_free_text_on_one_line() -> None:
    """A resource label with line breaks or terminal escapes cannot forge extra lines."""
    data = example_json(GREY)
    data["resources"].append(
        {"category": "personal", "label": "a\nResource: forged\x1b[2J", "available": True}
    )
    text = render_comparison(compare(OLD, kwg_check.parse_assessment(data)), lang="en")
    assert "\x1b" not in text
    assert [line for line in text.splitlines() if "forged" in line] == [
        "Resource gained: a Resource: forged [2J (personal).",
        "Resource: a Resource: forged [2J (personal): — → available (gained)",
    ]


# --- properties -----------------------------------------------------------------------------

APPLICABLE = sorted(
    item.id
    for item in kwg_check.score_assessment(OLD).items
    if item.status != "not_applicable" and item.id in SINGLE_ITEMS
)
answers = st.dictionaries(
    st.sampled_from(APPLICABLE),
    st.integers(min_value=0, max_value=10),
    max_size=6,
).map(
    lambda picks: {
        item: SINGLE_ITEMS[item][n % len(SINGLE_ITEMS[item])] for item, n in picks.items()
    }
)
toggles = st.lists(st.booleans(), min_size=6, max_size=6)


def variant(picks: dict[str, str], available: list[bool]) -> kwg_check.Assessment:
    data = example_json(GREY)
    for item, level in picks.items():
        data["answers"][item] = {"level": level, "evidence": [{"observation": "fictional"}]}
    for resource, now in zip(data["resources"], available, strict=True):
        resource["available"] = now
    return kwg_check.parse_assessment(data)


def level_of(assessment: kwg_check.Assessment, item: str) -> str | None:
    answer = assessment.answers.get(item)
    return answer.level if answer is not None else None


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers, toggles, answers, toggles)
def test_diff_is_empty_on_itself_and_mirrors_when_swapped(
    a_picks: dict[str, str], a_res: list[bool], b_picks: dict[str, str], b_res: list[bool]
) -> None:
    a, b = variant(a_picks, a_res), variant(b_picks, b_res)
    assert compare(a, a).changes == ()
    forward = compare(a, b).changes
    backward = compare(b, a).changes
    assert set(forward) == {change.mirrored() for change in backward}
    assert len(forward) == len(backward)
    assert compare(a, b).outcome == compare(b, a).outcome.mirrored()
    assert compare(a, b).range == compare(b, a).range.mirrored()
    if a_picks != b_picks or a_res != b_res:
        differing_items = {
            item
            for item in a_picks.keys() | b_picks.keys()
            if level_of(a, item) != level_of(b, item)
        }
        assert differing_items <= {c.id for c in forward if c.kind == "item"}


# --- command line -------------------------------------------------------------------------


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(kwg_check.dump_json(data), encoding="utf-8")
    return str(path)


def test_cli_diff_prints_changes_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = kwg_check.dump_document(reassessed({"nutrition": "partly"}))
    old_path = write(tmp_path, "old.json", kwg_check.example_data(GREY))
    new_path = write(tmp_path, "new.json", new)
    assert main(["diff", old_path, new_path, "--lang", "de"]) == 0
    out = capsys.readouterr().out
    line = "Merkmal: Ernährung: nicht ausreichend gewährleistet → eingeschränkt gewährleistet"
    assert f"{line} (niedriger)" in out
    target = tmp_path / "diff.md"
    assert main(["diff", old_path, new_path, "--format", "md", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith(
        "# Vergleich mit der vorherigen Gefährdungseinschätzung"
    )
    assert (
        main(["diff", old_path, new_path, "--format", "md", "--lang", "en", "-o", str(target)]) == 0
    )
    assert target.read_text(encoding="utf-8").startswith("# Reassessment comparison")


def test_cli_diff_of_different_children_exits_1_with_a_problem_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_path = write(tmp_path, "old.json", kwg_check.example_data(GREY))
    other = write(tmp_path, "other.json", kwg_check.example_data("kwg8a-no-need-preschool"))
    assert main(["diff", old_path, other]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{other}:/subject/case_id: compare.subject-mismatch: ")


def test_cli_diff_rejects_an_instrument_document_and_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old_path = write(tmp_path, "old.json", kwg_check.example_data(GREY))
    instrument = write(tmp_path, "instrument.json", kwg_check.dump_document(INSTRUMENT))
    assert main(["diff", instrument, old_path]) == 1
    assert capsys.readouterr().err.startswith(f"{instrument}:/document_type: compare.document-type")
    with pytest.raises(SystemExit) as usage:
        main(["diff", old_path])
    assert usage.value.code == 2
