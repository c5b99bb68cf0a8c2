"""Instrument differences (``instrument-diff``) and their impact on assessments (``impact``).

Each kind of change is planted in a copy of the bundled kwg_8a instrument and must be found
at its pointer, in its class; the impact of a moved cut-off over the bundled examples is
checked against a cross-table derived by hand from the examples' index values.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import shlex
import shutil
import subprocess
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import kwg_check
from kwg_check._instrument_diff import FIELD_CLASSES, ORDER_CLASSES
from kwg_check._model import instrument as instrument_model
from kwg_check.cli import main

ROOT = Path(__file__).resolve().parent.parent
KWG8A = ROOT / "src/kwg_check/data/instruments/kwg_8a-1.1.0.yaml"
Data = dict[str, Any]


@functools.cache
def _kwg8a() -> tuple[Data, kwg_check.Instrument]:
    data = kwg_check.load_json(KWG8A)
    assert isinstance(data, dict)
    return data, kwg_check.parse_instrument(data)


def kwg8a_data() -> Data:
    """A fresh copy of the bundled kwg_8a instrument's data, to plant a change in."""
    return copy.deepcopy(_kwg8a()[0])


def member(data: Data, collection: str, ident: str) -> Data:
    found: Data = next(m for m in data[collection] if m["id"] == ident)
    return found


def diff_of(plant: Callable[[Data], object]) -> kwg_check.InstrumentDiff:
    """The differences between kwg_8a and a copy with ``plant`` applied to its data."""
    new = kwg8a_data()
    plant(new)
    return kwg_check.diff_instruments(_kwg8a()[1], kwg_check.parse_instrument(new))


def found(diff: kwg_check.InstrumentDiff) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(score-affecting, cosmetic) as sets of (pointer, change)."""
    return (
        {(c.pointer, c.change) for c in diff.score_affecting},
        {(c.pointer, c.change) for c in diff.cosmetic},
    )


# --------------------------------------------------------------------------------------------
# The classification table covers the model
# --------------------------------------------------------------------------------------------


def _walked_models() -> set[type[BaseModel]]:
    """Every model of the instrument module reachable from Instrument through its fields."""
    seen: set[type[BaseModel]] = set()
    todo: list[object] = [kwg_check.Instrument]
    module_models = {getattr(instrument_model, n) for n in instrument_model.__all__}
    module_models.add(kwg_check.Instrument)
    while todo:
        kind = todo.pop()
        if isinstance(kind, type) and issubclass(kind, BaseModel) and kind in module_models:
            if kind in seen:
                continue
            seen.add(kind)
            todo += [field.annotation for field in kind.model_fields.values()]
        else:
            todo += list(typing.get_args(kind))
    return seen


def test_every_field_of_the_instrument_model_has_a_class() -> None:
    fields = {
        f"{model.__name__}.{name}" for model in _walked_models() for name in model.model_fields
    }
    assert fields - FIELD_CLASSES.keys() == set(), "fields without a class"
    assert FIELD_CLASSES.keys() - fields == set(), "classes of fields that do not exist"
    assert set(ORDER_CLASSES) <= fields
    assert len(fields) > 100  # the walk reached the nested models (bands, requirements, …)


def test_docs_table_lists_every_field_with_its_class() -> None:
    text = (ROOT / "docs/instrument-diff.md").read_text(encoding="utf-8")
    for field, kind in FIELD_CLASSES.items():
        word = "score-affecting" if kind == "score" else "cosmetic"
        assert f"| `{field}` | {word} |" in text, field


# --------------------------------------------------------------------------------------------
# One planted change per class
# --------------------------------------------------------------------------------------------


def test_identical_instruments_have_no_differences() -> None:
    assert diff_of(lambda data: None).changes == ()


SCORE_AFFECTING: list[tuple[str, Callable[[Data], object], str, str]] = [
    (
        "level points",
        lambda d: member(d, "scales", "care")["levels"][1].update(points=5),
        "/scales/0/levels/1/points",
        "changed",
    ),
    ("item weight", lambda d: d["items"][0].update(weight="2"), "/items/0/weight", "changed"),
    (
        "index definition",
        lambda d: member(d, "indices", "interaction")["items"].remove("rejection"),
        "/indices/4/items",
        "changed",
    ),
    (
        "band cut-off",
        lambda d: member(d, "indices", "risk_total")["bands"][2].update(at_least=20),
        "/indices/7/bands/2/at_least",
        "changed",
    ),
    (
        "band added",
        lambda d: member(d, "indices", "risk_total")["bands"].append(
            {"id": "very_high", "label": {"de": "sehr hoch", "en": "very high"}, "at_least": 30}
        ),
        "/indices/7/bands/3",
        "added",
    ),
    (
        "flag condition",
        lambda d: member(d, "flags", "several_care_deficits")["when"]["index"].update(value=4),
        "/flags/6/when",
        "changed",
    ),
    (
        "flag removed",
        lambda d: d["flags"].pop(0),
        "/flags/0",
        "removed",
    ),
    (
        "rule outcome",
        lambda d: member(d, "decision_table", "strains").update(outcome="no_need"),
        "/decision_table/6/outcome",
        "changed",
    ),
    (
        "rule order",
        lambda d: d["decision_table"].insert(0, d["decision_table"].pop(1)),
        "/decision_table",
        "changed",
    ),
    (
        "applicability",
        lambda d: d["items"][0].pop("applies_when"),
        "/items/0/applies_when",
        "removed",
    ),
    (
        "policy override",
        lambda d: d["policy_overrides"][0].update(minimum_outcome="acute"),
        "/policy_overrides/0/minimum_outcome",
        "changed",
    ),
    (
        "discretionary override",
        lambda d: d["discretionary_override"].update(max_levels_down=0),
        "/discretionary_override/max_levels_down",
        "changed",
    ),
    (
        "unknown policy",
        lambda d: member(d, "scales", "care")["unknown"].update(scores_as="0"),
        "/scales/0/unknown/scores_as",
        "added",
    ),
    (
        "outcome mapping",
        lambda d: d["outcomes"][0].update(traffic_light="yellow"),
        "/outcomes/0/traffic_light",
        "changed",
    ),
    (
        "item added",
        lambda d: d["items"].append({**d["items"][0], "id": "extra_item"}),
        f"/items/{len(kwg8a_data()['items'])}",
        "added",
    ),
    (
        "minimum completeness",
        lambda d: d.update(minimum_completeness="0.8"),
        "/minimum_completeness",
        "changed",
    ),
    (
        "process check",
        lambda d: d["process_checks"][0]["requirement"].update(count=3),
        "/process_checks/0/requirement/count",
        "changed",
    ),
]


@pytest.mark.parametrize(
    ("plant", "pointer", "change"),
    [case[1:] for case in SCORE_AFFECTING],
    ids=[case[0] for case in SCORE_AFFECTING],
)
def test_score_affecting_changes_are_found_at_their_pointer(
    plant: Callable[[Data], object], pointer: str, change: str
) -> None:
    score, cosmetic = found(diff_of(plant))
    assert score == {(pointer, change)}
    assert cosmetic == set()


COSMETIC: list[tuple[str, Callable[[Data], object], str]] = [
    ("title", lambda d: d["title"].update(en="Another title"), "/title"),
    ("item label", lambda d: d["items"][2]["label"].update(de="Schlafplatz"), "/items/2/label"),
    (
        "anchor",
        lambda d: member(d, "scales", "care")["levels"][0].update(
            anchor={"de": "Alles gut.", "en": "All fine."}
        ),
        "/scales/0/levels/0/anchor",
    ),
    ("guidance", lambda d: d["items"][0].pop("guidance"), "/items/0/guidance"),
    (
        "rule rationale",
        lambda d: d["decision_table"][0]["rationale"].update(en="Because."),
        "/decision_table/0/rationale",
    ),
    ("licence", lambda d: d.update(licence="CC0-1.0"), "/licence"),
    ("sources", lambda d: d["sources"].reverse(), "/sources"),
    ("item order", lambda d: d["items"].reverse(), "/items"),
    ("flag order", lambda d: d["flags"].reverse(), "/flags"),
    (
        "index input order",
        lambda d: member(d, "indices", "interaction")["items"].reverse(),
        "/indices/4/items",
    ),
    ("version", lambda d: d.update(version="1.1.1"), "/version"),
]


@pytest.mark.parametrize(
    ("plant", "pointer"), [case[1:] for case in COSMETIC], ids=[case[0] for case in COSMETIC]
)
def test_cosmetic_changes_are_found_at_their_pointer(
    plant: Callable[[Data], object], pointer: str
) -> None:
    diff = diff_of(plant)
    score, cosmetic = found(diff)
    assert score == set()
    assert {p for p, _ in cosmetic} == {pointer}


def test_a_reordered_and_changed_member_is_reported_at_its_own_new_pointer() -> None:
    def plant(data: Data) -> None:
        data["items"].reverse()
        data["items"][-1]["weight"] = "3"  # nutrition, first in the old list

    score, cosmetic = found(diff_of(plant))
    last = len(kwg8a_data()["items"]) - 1
    assert score == {(f"/items/{last}/weight", "changed")}
    assert cosmetic == {("/items", "changed")}


def test_a_renamed_item_is_removed_and_added() -> None:
    diff = diff_of(lambda d: d["items"][1].update(id="renamed"))
    assert found(diff)[0] == {("/items/1", "removed"), ("/items/1", "added")}


@settings(max_examples=20)
@given(st.permutations(range(len(kwg8a_data()["items"]))))
def test_any_reorder_of_items_is_one_cosmetic_difference(order: list[int]) -> None:
    data = kwg8a_data()
    items = data["items"]
    diff = diff_of(lambda d: d.update(items=[items[i] for i in order]))
    expected = [] if order == sorted(order) else [("/items", "changed")]
    assert [(c.pointer, c.change) for c in diff.changes] == expected
    assert not diff.score_affecting


def moved(data: Data) -> Data:
    member(data, "indices", "risk_total")["bands"][2]["at_least"] = 20
    return data


def test_version_bump_rule() -> None:
    assert diff_of(moved).bump_missing
    assert not diff_of(lambda d: [moved(d), d.update(version="1.2.0")]).bump_missing
    assert not diff_of(lambda d: d.update(licence="CC0-1.0")).bump_missing
    assert diff_of(lambda d: [moved(d), d.update(version="1.1.0-rc.1")]).bump_missing


# --------------------------------------------------------------------------------------------
# Impact of a moved cut-off over the bundled examples
# --------------------------------------------------------------------------------------------


def high_at(cutoff: int) -> kwg_check.Instrument:
    data = kwg8a_data()
    member(data, "indices", "risk_total")["bands"][2]["at_least"] = cutoff
    data["version"] = "1.1.1"
    return kwg_check.parse_instrument(data)


def kwg8a_examples() -> list[kwg_check.Assessment]:
    return [
        kwg_check.parse_assessment(kwg_check.example_data(e.name))
        for e in kwg_check.examples()
        if e.instrument == "kwg_8a"
    ]


def test_impact_of_a_moved_cutoff_over_the_bundled_examples() -> None:
    old = kwg_check.parse_instrument(kwg8a_data())
    # The premise, from the examples' current scores: total risk (band high from 18) and the
    # primary (final) outcome of each kwg_8a example.
    premise = {}
    for assessment in kwg8a_examples():
        summary = kwg_check.score_assessment(assessment, old)
        risk = next(i for i in summary.indices if i.id == "risk_total")
        premise[assessment.id] = (str(risk.value), summary.outcome.final)
    assert premise == {
        "GE-2026-0141-01": ("3.0", "acute"),  # acute flag (serious injury) sets the floor
        "GE-2026-0130-01": ("34.5", "acute"),  # high risk and lacking cooperation
        "GE-2026-0134-02": ("29.0", "latent"),  # high risk
        "GE-2026-0134-01": ("27.0", "latent"),  # high risk (and several care deficits)
        "GE-2026-0121-01": ("10.0", "latent"),
        "GE-2026-0112-01": ("15.5", "need_for_help"),
        "GE-2026-0107-01": ("3.5", "no_need"),
        "GE-2026-0149-01": ("6.0", "latent"),  # need for help, overridden one level up
        "GE-2026-0153-01": ("17.0", "latent"),
        "GE-2026-0112-FK05": ("15.5", "need_for_help"),  # rater FK-05 of the consultation pair
        "GE-2026-0112-FK17": ("18.5", "latent"),  # rater FK-17: high risk, just over 18
        "GE-2026-0112-K": ("17.5", "need_for_help"),  # their consensus: elevated
    }
    # Moving the cut-off of "high" from 18 to 30 only touches totals in [18, 30): 29.0 and
    # 27.0 fall to "elevated" (34.5 stays high, 17.0 was elevated already).
    # - GE-2026-0134-02: cooperation adequate, protective factors "some", no flag raised:
    #   the first matching rule is now "elevated" -> need for help (was latent).
    # - GE-2026-0134-01: the flag "several care deficits" still matches rule care_deficits
    #   -> latent, unchanged.
    # - GE-2026-0112-FK17 (18.5): no flag raised either, so it too falls from latent to need
    #   for help by rule "elevated"; FK05 (15.5) was elevated already.
    # So: acute 2 -> acute; latent 6 -> 4 latent + 2 need for help; the rest unchanged.
    impact = kwg_check.instrument_impact(old, high_at(30), kwg8a_examples())
    assert impact.assessments == 12
    assert impact.changed == 2
    assert impact.table == {
        "no_need": {"no_need": 1},
        "need_for_help": {"need_for_help": 3},
        "latent": {"latent": 4, "need_for_help": 2},
        "acute": {"acute": 2},
    }
    assert [(c.assessment_id, c.old, c.new) for c in impact.changes] == [
        ("GE-2026-0112-FK17", "latent", "need_for_help"),
        ("GE-2026-0134-02", "latent", "need_for_help"),
    ]
    assert {c.causes for c in impact.changes} == {("/indices/7/bands/2/at_least",)}
    assert impact.failed == ()


def test_impact_names_only_the_differences_that_touch_the_changed_trace() -> None:
    data = kwg8a_data()
    member(data, "indices", "risk_total")["bands"][2]["at_least"] = 30
    data["items"][0]["weight"] = "2"  # nutrition: not answered above 0 where it changed
    impact = kwg_check.instrument_impact(
        kwg_check.parse_instrument(kwg8a_data()), kwg_check.parse_instrument(data), kwg8a_examples()
    )
    assert {c.causes for c in impact.changes} == {("/indices/7/bands/2/at_least",)}


def test_an_assessment_of_another_instrument_is_listed_not_counted() -> None:
    other = kwg_check.parse_assessment(kwg_check.example_data("cans-action-needed"))
    old = kwg_check.parse_instrument(kwg8a_data())
    impact = kwg_check.instrument_impact(old, high_at(30), [other])
    assert (impact.assessments, impact.failed[0][1]) == (0, "instrument.mismatch")


# --------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------


def write_instrument(tmp_path: Path, name: str, instrument: kwg_check.Instrument) -> str:
    path = tmp_path / name
    path.write_text(kwg_check.dump_json(kwg_check.dump_document(instrument)), encoding="utf-8")
    return str(path)


def test_cli_instrument_diff_json_and_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = write_instrument(tmp_path, "new.json", high_at(20))
    assert main(["instrument-diff", str(KWG8A), new, "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["score_affecting"] == [
        {
            "pointer": "/indices/7/bands/2/at_least",
            "change": "changed",
            "field": "Band.at_least",
            "old": "18",
            "new": "20",
        }
    ]
    assert [c["pointer"] for c in out["cosmetic"]] == ["/version"]
    assert main(["instrument-diff", str(KWG8A), new, "--require-bump"]) == 0
    assert main(["instrument-diff", "kwg_8a", str(KWG8A)]) == 0
    with pytest.raises(SystemExit) as usage:
        main(["instrument-diff", str(KWG8A), new, "--format", "x"])
    assert usage.value.code == 2


def test_cli_instrument_diff_exits_2_when_an_instrument_cannot_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 1 tells CI "score-affecting"; an unreadable instrument must not look like that."""
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="utf-8")
    assert main(["instrument-diff", str(KWG8A), str(broken)]) == 2
    assert f"{broken}:: schema.required:" in capsys.readouterr().err
    assert main(["instrument-diff", "kwg_8a", "no_such_instrument"]) == 2
    assert "registry.unknown-instrument" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["de", "en"])
def test_cli_instrument_diff_text_in_each_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    new = write_instrument(tmp_path, "new.json", high_at(20))
    main(["instrument-diff", str(KWG8A), new, "--lang", lang])
    out = capsys.readouterr().out
    heading = {"de": "1 bewertungsrelevanter Unterschied", "en": "1 score-affecting difference"}
    assert heading[lang] in out
    assert "/indices/7/bands/2/at_least " in out


def test_cli_impact_over_files_and_json_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = write_instrument(tmp_path, "new.json", high_at(30))
    lines = tmp_path / "assessments.jsonl"
    lines.write_text(
        "".join(
            json.dumps(kwg_check.dump_document(a), ensure_ascii=False) + "\n"
            for a in kwg8a_examples()
        ),
        encoding="utf-8",
    )
    assert main(["impact", "kwg_8a", new, str(lines), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    changed_ids = ["GE-2026-0112-FK17", "GE-2026-0134-02"]
    assert (out["assessments"], out["changed"], out["changed_ids"]) == (12, 2, changed_ids)
    assert out["table"]["latent"] == {"latent": 4, "need_for_help": 2}
    assert main(["impact", "kwg_8a", new, str(lines), "--lang", "en", "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    assert "| Latent endangerment | 0 | 2 | 4 | 0 |" in markdown.replace("  ", " ")
    assert main(["impact", "kwg_8a", new, str(tmp_path / "missing")]) == 2


def test_cli_impact_reports_unreadable_inputs_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"document_type": "assessment"}', encoding="utf-8")
    assert main(["impact", "kwg_8a", str(KWG8A), str(broken)]) == 1
    assert f"{broken}:: schema.required" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# The CI recipe: a score-affecting change without a version bump fails the commit
# --------------------------------------------------------------------------------------------


def _hook_entry() -> list[str]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = [h for h in hooks if h["id"] == "kwg-check-instrument-version"]
    return shlex.split(hook["entry"])  # as pre-commit splits it


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="no git")
def test_pre_commit_hook_refuses_a_score_affecting_change_without_a_version_bump(
    tmp_path: Path,
) -> None:
    """The hook of .pre-commit-hooks.yaml, run as pre-commit runs it on a staged file."""
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}

    def stage(instrument: kwg_check.Instrument) -> int:
        write_instrument(tmp_path, "kwg_8a.json", instrument)
        subprocess.run([*git, "add", "."], check=True)
        hook = subprocess.run([*_hook_entry(), "kwg_8a.json"], cwd=tmp_path, env=env, check=False)
        return hook.returncode

    subprocess.run([*git, "init", "-q"], check=True)
    assert stage(kwg_check.parse_instrument(kwg8a_data())) == 0  # a new file passes
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    moved = high_at(20)
    assert stage(moved.model_copy(update={"version": "1.1.0"})) == 1  # no bump: refused
    assert stage(moved.model_copy(update={"version": "1.2.0"})) == 0  # bumped: accepted
    relabelled = kwg8a_data()
    relabelled["title"]["en"] = "Another title"
    assert stage(kwg_check.parse_instrument(relabelled)) == 0  # cosmetic: no bump needed


def test_integration_docs_show_the_recipe() -> None:
    text = (ROOT / "docs/integration.md").read_text(encoding="utf-8")
    assert "kwg-check-instrument-version" in text
    assert "kwg-check instrument-diff - " in text
    assert "--require-bump" in text
