"""An instrument's lifecycle: local variants resolved against their base, migrations between
versions (declared forward, inverted backward), and kwg_8a 1.1.0 beside the frozen 1.0.0."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kwg_check
from kwg_check import InstrumentRegistry, Problem
from kwg_check._lifecycle import base_mismatch, declared_changes, migrate, resolve_variant
from strategies import examples

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = InstrumentRegistry()
OLD = REGISTRY.get("kwg_8a", "1.0.0")
NEW = REGISTRY.get("kwg_8a", "1.1.0")
COUNTY = REGISTRY.variant("kwg_8a_musterstadt", "1.0.0")
KWG8A = [e.name for e in kwg_check.examples() if e.instrument == "kwg_8a"]


def _example(name: str) -> kwg_check.Assessment:
    return kwg_check.parse_assessment(kwg_check.example_data(name))


def _without_record(assessment: kwg_check.Assessment) -> dict[str, Any]:
    data = kwg_check.dump_document(assessment)
    data.pop("migrated_from", None)
    return data


def _outcome(assessment: kwg_check.Assessment) -> tuple[Any, ...]:
    summary = kwg_check.score_assessment(assessment, registry=REGISTRY)
    indices = [(i.id, i.value, i.band) for i in summary.indices]
    return summary.outcome.computed, summary.outcome.final, indices


# --- kwg_8a 1.1.0 beside the frozen 1.0.0 -------------------------------------------------------


def test_the_frozen_version_stays_bundled_unchanged() -> None:
    text = (ROOT / "src/kwg_check/data/instruments/kwg_8a.yaml").read_text(encoding="utf-8")
    assert "\nversion: 1.0.0\n" in text
    assert OLD.migrations == []
    assert OLD.derives_from is None
    assert {item.id for item in OLD.items} - {item.id for item in NEW.items} == {"organisation"}


@pytest.mark.parametrize("name", KWG8A)
def test_every_example_scores_alike_under_both_versions_and_comes_back_whole(name: str) -> None:
    """The examples are written for 1.1.0; carried to 1.0.0 they reach the same outcome and
    index values, and carried forward again they are the same assessment."""
    assessment = _example(name)
    assert assessment.instrument.version == "1.1.0"
    old, losses = migrate(assessment, NEW, OLD)
    assert losses == ()
    assert (old.instrument.version, old.migrated_from) == ("1.0.0", old.migrated_from)
    assert old.migrated_from is not None
    assert (old.migrated_from.id, old.migrated_from.version) == ("kwg_8a", "1.1.0")
    assert "assessing_organisation" not in old.answers
    assert "organisation" in old.answers
    assert _outcome(old) == _outcome(assessment)
    again, losses = migrate(old, OLD, NEW)
    assert losses == ()
    assert _without_record(again) == _without_record(assessment)


def test_supervision_items_have_their_own_anchors_and_the_domain_reads_as_a_risk() -> None:
    care = next(scale for scale in NEW.scales if scale.id == "care")
    shared = {level.id: level.anchor for level in care.levels}
    for ident in ("supervision", "infant_supervision"):
        item = next(item for item in NEW.items if item.id == ident)
        assert item.anchors is not None
        assert set(item.anchors) == set(shared)
        assert all(item.anchors[level] != shared[level] for level in shared)
        assert "hungrig" not in json.dumps(item.model_dump(mode="json"), ensure_ascii=False)
    domain = next(domain for domain in NEW.domains if domain.id == "cooperation")
    assert (domain.label.de or "").startswith("Mangelnde")
    assert "lack" in (domain.label.en or "")


def test_the_report_shows_an_items_own_anchor_not_the_shared_one() -> None:
    data: Any = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    data["answers"]["supervision"] = {
        "level": "insufficient",
        "evidence": [{"observation": "Mehrfach abends unterwegs."}],
    }
    data["subject"] = {"case_id": data["subject"]["case_id"], "age_months": 100}
    report = kwg_check.render_report(kwg_check.parse_assessment(data), format="md", lang="de")
    item = next(item for item in NEW.items if item.id == "supervision")
    assert item.anchors is not None
    assert " ".join((item.anchors["insufficient"].de or "").split()) in " ".join(report.split())


# --- migration: declared forward, inverted backward ------------------------------------------


def _later() -> kwg_check.Instrument:
    """kwg_8a 1.2.0 (a test instrument written as a variant of 1.1.0 with the same id): one
    item renamed with two levels merged, one dropped, one split in two."""
    variant = kwg_check.parse_instrument_variant(
        {
            "document_type": "instrument_variant",
            "id": "kwg_8a",
            "version": "1.2.0",
            "title": {"de": "Test", "en": "Test"},
            "derives_from": {
                "id": "kwg_8a",
                "version": "1.1.0",
                "fingerprint": kwg_check.document_fingerprint(NEW),
            },
            "changes": {
                "add_items": [
                    {**_item("nutrition"), "id": "meals"},
                    {**_item("clothing"), "id": "clothing_fit"},
                    {**_item("clothing"), "id": "clothing_clean"},
                ],
                "remove_items": ["nutrition", "sleep", "clothing"],
                "update": [
                    {"target": f"indices/{index}", "set": {"items": _care_items()}}
                    for index in ("basic_care", "care_deficits")
                ],
            },
            "migrations": [
                {
                    "from_version": "1.1.0",
                    "items": {
                        "nutrition": {"to": "meals", "levels": {"partly": "ensured"}},
                        "sleep": {"drop": True},
                        "clothing": {"split": [{"to": "clothing_fit"}, {"to": "clothing_clean"}]},
                    },
                }
            ],
        }
    )
    return resolve_variant(variant, NEW)


def _item(ident: str) -> dict[str, Any]:
    items = kwg_check.dump_document(NEW)["items"]
    assert isinstance(items, list)
    found = next(item for item in items if isinstance(item, dict) and item["id"] == ident)
    return dict(found)


def _care_items() -> list[Any]:
    index = next(index for index in NEW.indices if index.id == "basic_care")
    renamed = {"nutrition": ["meals"], "sleep": [], "clothing": ["clothing_fit", "clothing_clean"]}
    return [new for old in index.items for new in renamed.get(old, [old])]


def _answers(**levels: str) -> kwg_check.Assessment:
    data: Any = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    data["answers"] = {item: {"level": level} for item, level in levels.items()}
    return kwg_check.parse_assessment(data)


def test_forward_renames_maps_levels_splits_and_reports_a_dropped_item() -> None:
    later = _later()
    assessment = _answers(nutrition="partly", sleep="insufficient", clothing="partly")
    migrated, losses = migrate(assessment, NEW, later)
    assert {k: v.level for k, v in migrated.answers.items()} == {
        "meals": "ensured",
        "clothing_fit": "partly",
        "clothing_clean": "partly",
    }
    assert losses == (
        Problem(
            "/answers/sleep",
            "migrate.item-dropped",
            "the item was dropped; its answer cannot be carried over",
        ),
    )
    assert migrated.migrated_from is not None
    assert [(n.pointer, n.code) for n in migrated.migrated_from.not_carried] == [
        ("/answers/sleep", "migrate.item-dropped")
    ]
    assert (migrated.instrument.id, migrated.instrument.version) == ("kwg_8a", "1.2.0")


def test_backward_inverts_the_mapping_and_never_guesses() -> None:
    """``ensured`` on ``meals`` came from ``ensured`` or ``partly``: it becomes unknown; two
    split parts that disagree cannot be joined; parts that agree can."""
    later = _later()
    data: Any = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    data["instrument"]["version"] = "1.2.0"
    data["answers"] = {
        "meals": {"level": "ensured", "note": "kept"},
        "clothing_fit": {"level": "partly"},
        "clothing_clean": {"level": "insufficient"},
        "body_care": {"level": "not_ensured"},
    }
    assessment = kwg_check.parse_assessment(data)
    back, losses = migrate(assessment, later, NEW)
    assert back.answers["nutrition"].level == "unknown"
    assert back.answers["nutrition"].note == "kept"
    assert back.answers["clothing"].level == "unknown"
    assert back.answers["body_care"].level == "not_ensured"
    assert [(p.pointer, p.code) for p in losses] == [
        ("/answers/meals", "migrate.level-unmapped"),
        ("/answers/clothing_clean", "migrate.level-unmapped"),
    ]
    data["answers"]["clothing_clean"] = {"level": "partly"}
    data["answers"]["meals"] = {"level": "insufficient"}
    back, losses = migrate(kwg_check.parse_assessment(data), later, NEW)
    assert (back.answers["clothing"].level, back.answers["nutrition"].level) == (
        "partly",
        "insufficient",
    )
    assert losses == ()


def test_an_item_the_target_lacks_is_reported_not_guessed() -> None:
    county = REGISTRY.get("kwg_8a_musterstadt")
    data: Any = kwg_check.example_data("kwg8a-grey-zone-unknowns")
    data["instrument"] = {"id": "kwg_8a_musterstadt", "version": "1.0.0"}
    data["answers"]["after_school_care"] = {"level": "partly"}
    assessment = kwg_check.parse_assessment(data)
    back, losses = kwg_check.migrate_assessment(assessment, NEW)
    assert "after_school_care" not in back.answers
    assert [(p.pointer, p.code) for p in losses] == [
        ("/answers/after_school_care", "migrate.item-unknown")
    ]
    forward, none = kwg_check.migrate_assessment(back, county)
    assert none == ()
    assert forward.instrument.id == "kwg_8a_musterstadt"


@settings(max_examples=examples(30), deadline=None)
@given(data=st.data())
def test_a_rename_only_mapping_round_trips_any_answers(data: st.DataObject) -> None:
    """Property: 1.0.0 → 1.1.0 only renames, so any answers come back unchanged."""
    scales = {scale.id: scale for scale in NEW.scales}
    items = data.draw(st.lists(st.sampled_from(NEW.items), unique_by=lambda i: i.id, max_size=8))
    answers = {}
    for item in items:
        scale = scales[item.scale]
        levels = [level.id for level in scale.levels] + (
            [scale.unknown.id] if scale.unknown else []
        )
        answers[item.id] = {"level": data.draw(st.sampled_from(levels))}
    value: Any = kwg_check.example_data("kwg8a-no-need-preschool")
    value["answers"] = answers
    assessment = kwg_check.parse_assessment(value)
    old, lost = migrate(assessment, NEW, OLD)
    again, lost_again = migrate(old, OLD, NEW)
    assert lost == lost_again == ()
    assert _without_record(again) == _without_record(assessment)


# --- local variants -----------------------------------------------------------------------------


def test_the_county_variant_adds_one_item_rewords_two_and_moves_one_cut_off() -> None:
    county = REGISTRY.get("kwg_8a_musterstadt")
    assert county.derives_from is not None
    assert (county.derives_from.id, county.derives_from.version) == ("kwg_8a", "1.1.0")
    assert {i.id for i in county.items} - {i.id for i in NEW.items} == {"after_school_care"}
    reworded = {
        i.id for i in county.items for j in NEW.items if i.id == j.id and i.label != j.label
    }
    assert reworded == {"sleep", "clothing"}
    total = {index.id: index for index in county.indices}["risk_total"]
    base_total = {index.id: index for index in NEW.indices}["risk_total"]
    assert [b.at_least for b in total.bands or []] != [b.at_least for b in base_total.bands or []]
    assert str((total.bands or [])[1].at_least) == "7"
    assert COUNTY is not None
    assert base_mismatch(COUNTY, NEW) == []
    assert ("added", "items/after_school_care") in declared_changes(COUNTY)


def test_describe_lists_what_a_variant_changes() -> None:
    assert COUNTY is not None
    sheet = kwg_check.describe_instrument(
        REGISTRY.get("kwg_8a_musterstadt"), lang="en", variant=COUNTY
    )
    assert "## Changes to the base `kwg_8a` 1.1.0" in sheet
    assert "- changed: `indices/risk_total/bands/elevated: at_least`" in sheet


def _variant(**changes: Any) -> dict[str, Any]:
    assert COUNTY is not None
    data = kwg_check.dump_document(COUNTY)
    if changes:
        data["changes"] = changes
    return data


@pytest.mark.parametrize(
    ("changes", "pointer", "code"),
    [
        ({"remove_items": ["no_such_item"]}, "/changes/remove_items/0", "variant.unknown-target"),
        (
            {"update": [{"target": "scales/care/levels/nope", "set": {"points": 1}}]},
            "/changes/update/0/target",
            "variant.unknown-target",
        ),
        ({"add_items": [_item("sleep")]}, "/changes/add_items/0/id", "variant.duplicate-id"),
    ],
)
def test_a_change_the_base_cannot_take_is_an_error_with_its_pointer(
    changes: dict[str, Any], pointer: str, code: str
) -> None:
    variant = kwg_check.parse_instrument_variant(_variant(**changes))
    with pytest.raises(kwg_check.DocumentError) as caught:
        resolve_variant(variant, NEW)
    assert [(p.pointer, p.code) for p in caught.value.problems] == [(pointer, code)]


def test_a_resolved_variant_is_validated_as_a_whole() -> None:
    """Removing an item an index still counts: the index's pointer in the resolved instrument."""
    variant = kwg_check.parse_instrument_variant(_variant(remove_items=["sleep"]))
    problems = kwg_check.validate_document(kwg_check.dump_document(variant))
    assert problems
    assert all(p.pointer.startswith("/indices/") for p in problems)


def test_an_unknown_base_is_named_and_another_base_is_a_warning(tmp_path: Path) -> None:
    data = _variant()
    data["derives_from"] = {**data["derives_from"], "version": "9.9.9"}
    variant = kwg_check.parse_instrument_variant(data)
    with pytest.raises(kwg_check.NotFoundError) as caught:
        REGISTRY.resolve(variant)
    assert caught.value.problems[0].code == "variant.unknown-base"
    assert REGISTRY.variant_problems(variant) == []
    data = _variant()
    data["derives_from"] = {**data["derives_from"], "fingerprint": "sha256:" + "0" * 64}
    other = kwg_check.parse_instrument_variant(data)
    assert [p.code for p in REGISTRY.variant_problems(other)] == ["variant.base-mismatch"]
    assert kwg_check.dump_document(REGISTRY.resolve(other)) == kwg_check.dump_document(
        REGISTRY.get("kwg_8a_musterstadt")
    )


def test_a_directory_with_a_variant_before_its_base_resolves(tmp_path: Path) -> None:
    base = kwg_check.dump_document(NEW)
    base["id"] = "office"
    data = _variant()
    data["id"] = "office_local"
    data["derives_from"] = {
        "id": "office",
        "version": "1.1.0",
        "fingerprint": kwg_check.document_fingerprint(kwg_check.parse_instrument(base)),
    }
    (tmp_path / "a_variant.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "z_base.json").write_text(json.dumps(base), encoding="utf-8")
    registry = InstrumentRegistry([tmp_path])
    assert registry.get("office_local").derives_from is not None
    assert registry.variant("office_local", "1.0.0") is not None


# --- the command line ---------------------------------------------------------------------------


def test_cli_migrate_writes_the_assessment_and_lists_what_was_not_carried(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kwg_check.cli import main

    data: Any = copy.deepcopy(kwg_check.example_data("kwg8a-grey-zone-unknowns"))
    data["instrument"] = {"id": "kwg_8a_musterstadt", "version": "1.0.0"}
    data["answers"]["after_school_care"] = {"level": "partly"}
    source = tmp_path / "a.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "b.json"
    code = main(["migrate", str(source), "--to", "kwg_8a@1.1.0", "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 0
    assert f"{source}:/answers/after_school_care: migrate.item-unknown: " in err
    migrated = kwg_check.load_assessment(target)
    assert (migrated.instrument.id, migrated.instrument.version) == ("kwg_8a", "1.1.0")
    assert migrated.migrated_from is not None
    assert migrated.migrated_from.id == "kwg_8a_musterstadt"
    assert main(["migrate", str(source), "--to", "kwg_8a@7.0.0"]) == 1


def test_the_impact_of_the_county_variant_over_the_bundled_examples() -> None:
    """The county moves the cut-off of "elevated" risk from 8 to 7 and adds an item no
    example answers. By hand from the examples' risk totals under 1.1.0 (3.0, 3.5, 6.0, 10.0,
    15.5, 15.5, 17.0, 17.5, 18.5, 27.0, 29.0, 34.5): none lies in [7, 8), so no band moves,
    and the unanswered new item counts nothing; every outcome stays as it was."""
    examples = [
        kwg_check.parse_assessment(kwg_check.example_data(e.name))
        for e in kwg_check.examples()
        if e.name.startswith("kwg8a-")
    ]
    totals = sorted(
        next(i.value for i in kwg_check.score_assessment(a, NEW).indices if i.id == "risk_total")
        or 0
        for a in examples
    )
    assert not [t for t in totals if 7 <= t < 8]
    impact = kwg_check.instrument_impact(NEW, REGISTRY.get("kwg_8a_musterstadt"), examples)
    assert (impact.assessments, impact.changed, impact.failed) == (12, 0, ())
    assert impact.table == {
        "no_need": {"no_need": 1},
        "need_for_help": {"need_for_help": 3},
        "latent": {"latent": 6},
        "acute": {"acute": 2},
    }
