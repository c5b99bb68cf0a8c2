"""``lint``: each warning code is planted in a small fictional instrument and found there;
the clean base, the bundled instruments and the English-only instrument give no warning."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest

import kwg_check
from kwg_check import DocumentError, Instrument, lint_instrument
from kwg_check._engine import _lint
from kwg_check._io import load_path
from kwg_check._model.instrument import DecisionRule
from kwg_check._registry import bundled_registry
from kwg_check.cli import main

ENGLISH_ONLY = Path(__file__).parent / "fixtures" / "languages" / "english_only.yaml"


def _text(words: str) -> dict[str, str]:
    return {"de": f"{words} (de)", "en": words}


def base() -> dict[str, Any]:
    """A lint-clean instrument: two risk items summed into a banded index, a flag and a
    table from the most to the least severe outcome."""
    return {
        "document_type": "instrument",
        "id": "lint-demo",
        "version": "1.0.0",
        "title": _text("Lint demo"),
        "licence": "CC0-1.0",
        "scales": [
            {
                "id": "s",
                "label": _text("Scale"),
                "levels": [
                    {"id": str(n), "label": _text(f"Level {n}"), "points": n} for n in range(3)
                ],
            }
        ],
        "domains": [{"id": "d", "label": _text("Domain")}],
        "items": [
            {"id": i, "domain": "d", "kind": "risk", "label": _text(i), "scale": "s"}
            for i in ("a", "b")
        ],
        "indices": [
            {
                "id": "total",
                "label": _text("Total"),
                "aggregation": "sum",
                "items": ["a", "b"],
                "bands": [
                    {"id": "low", "label": _text("Low")},
                    {"id": "mid", "label": _text("Mid"), "at_least": 2},
                    {"id": "high", "label": _text("High"), "at_least": 3},
                ],
            }
        ],
        "flags": [
            {
                "id": "acute",
                "label": _text("Acute"),
                "severity": "acute",
                "when": {"answer_at_least": {"item": "a", "level": "2"}},
            }
        ],
        "outcomes": [{"id": o, "label": _text(o)} for o in ("green", "yellow", "red")],
        "decision_table": [
            _rule("r_red", {"flag": "acute"}, "red"),
            _rule("r_high", {"band": {"index": "total", "band": "high"}}, "red"),
            _rule("r_mid", {"band": {"index": "total", "band": "mid"}}, "yellow"),
            _rule("r_default", None, "green"),
        ],
    }


def _rule(ident: str, when: dict[str, Any] | None, outcome: str) -> dict[str, Any]:
    rule: dict[str, Any] = {"id": ident, "outcome": outcome, "rationale": _text("Why")}
    if when is not None:
        rule["when"] = when
    return rule


def codes(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(w.pointer, w.code) for w in lint_instrument(Instrument.model_validate(data))]


def test_the_base_instrument_is_clean() -> None:
    assert codes(base()) == []


def test_a_weight_no_aggregation_applies_is_found() -> None:
    data = base()
    data["items"][1]["weight"] = 2
    assert codes(data) == [("/items/1/weight", "lint.weight-ignored")]
    data["indices"][0]["aggregation"] = "weighted_sum"
    assert codes(data) == []


def test_a_band_above_every_value_is_found() -> None:
    data = base()
    data["indices"][0]["bands"].append({"id": "top", "label": _text("Top"), "at_least": 5})
    assert codes(data) == [("/indices/0/bands/3", "lint.band-unreachable")]


def test_a_band_shadowed_by_the_next_cutoff_is_found() -> None:
    data = base()
    bands = data["indices"][0]["bands"]
    bands[1]["at_least"], bands[2]["at_least"] = "2.2", "2.8"  # no integer sum in between
    found = codes(data)
    assert ("/indices/0/bands/1", "lint.band-unreachable") in found
    assert ("/indices/0/bands/2", "lint.band-unreachable") not in found


def test_a_band_condition_on_the_first_band_holds_for_every_value() -> None:
    """``band`` means at or above: the first band is every value the index has."""
    data = base()
    always = {"band": {"index": "total", "band": "low"}}
    data["flags"].append(
        {
            "id": "any_total",
            "label": _text("Any total"),
            "severity": "notice",
            "when": {"all": [{"answer_at_least": {"item": "b", "level": "1"}}, always]},
        }
    )
    assert codes(data) == [("/flags/1/when/all/1", "lint.band-always")]
    data["flags"][1]["when"]["all"][1] = {"band": {"index": "total", "band": "mid"}}
    assert codes(data) == []


def test_a_row_covered_by_earlier_rows_is_unreachable() -> None:
    data = base()
    # 'high' is a higher band than 'mid': every input of the new row matched r_mid already.
    data["decision_table"].insert(
        3, _rule("r_late", {"band": {"index": "total", "band": "high"}}, "yellow")
    )
    assert codes(data) == [("/decision_table/3", "lint.rule-unreachable")]


def test_a_contradictory_row_is_unreachable() -> None:
    data = base()
    never = {"all": [{"flag": "acute"}, {"not": {"flag": "acute"}}]}
    data["decision_table"].insert(0, _rule("r_never", never, "red"))
    assert codes(data) == [("/decision_table/0", "lint.rule-unreachable")]


def test_a_milder_row_before_an_overlapping_severe_row_is_an_overlap() -> None:
    data = base()
    table = data["decision_table"]
    table[0], table[2] = table[2], table[0]  # r_mid (yellow) now comes before r_red
    assert ("/decision_table/2", "lint.rule-overlap") in codes(data)


def test_an_item_that_feeds_nothing_is_unused() -> None:
    data = base()
    extra = {"id": "c", "domain": "d", "kind": "risk", "label": _text("c"), "scale": "s"}
    data["items"].append(extra)
    assert codes(data) == [("/items/2", "lint.item-unused")]
    extra["indicates"] = ["neglect"]  # it feeds the forms of endangerment
    assert codes(data) == []


def test_a_missing_translation_is_a_warning_not_an_error() -> None:
    data = base()
    del data["items"][0]["label"]["en"]
    assert codes(data) == [("/items/0/label", "lint.translation-missing")]


def test_a_missing_default_language_is_an_error() -> None:
    data = base()
    data["languages"] = ["en", "de"]
    del data["title"]["en"]
    with pytest.raises(DocumentError) as caught:
        lint_instrument(Instrument.model_validate(data))
    assert [(p.pointer, p.code) for p in caught.value.problems] == [
        ("/title", "text.default-language")
    ]


def test_a_table_without_default_row_is_found() -> None:
    rules = [DecisionRule.model_validate(_rule("r", {"flag": "acute"}, "red"))]
    found = list(_lint.table_without_default("/results/0/table", rules))
    assert [(w.pointer, w.code) for w in found] == [("/results/0/table", "lint.no-default")]
    # Where the default row is required, the decision table, it stays an error.
    data = base()
    data["decision_table"].pop()
    with pytest.raises(DocumentError) as caught:
        lint_instrument(Instrument.model_validate(data))
    assert {p.code for p in caught.value.problems} == {"table.default-rule"}


def test_a_check_beyond_its_bound_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_lint, "COMBINATIONS_CAP", 3)
    monkeypatch.setattr(_lint, "VALUES_CAP", 3)
    data = base()
    data["decision_table"].insert(
        3, _rule("r_late", {"band": {"index": "total", "band": "high"}}, "yellow")
    )
    assert codes(data) == [
        ("/decision_table", "lint.incomplete"),
        ("/indices/0/bands", "lint.incomplete"),
    ]


@pytest.mark.parametrize("entry", bundled_registry().entries(), ids=lambda e: e.id)
def test_bundled_instruments_are_clean(entry: Any) -> None:
    assert lint_instrument(bundled_registry().compiled(entry.id, entry.version)) == []


def test_the_english_only_instrument_is_clean() -> None:
    assert lint_instrument(Instrument.model_validate(load_path(ENGLISH_ONLY))) == []


# --- CLI ------------------------------------------------------------------------------------


@attrs.frozen
class _Run:
    returncode: int
    stdout: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., _Run]:
    def run(*args: str) -> _Run:
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse's usage error
            code = int(exit.code or 0)
        return _Run(code, capsys.readouterr().out)

    return run


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    data = copy.deepcopy(base())
    data["items"][1]["weight"] = 2
    path = tmp_path / "warned.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_cli_lint_prints_warnings_and_exits_0_or_1_with_strict(
    warned: Path, cli: Callable[..., _Run]
) -> None:
    run = cli("lint", str(warned))
    assert run.returncode == 0
    assert run.stdout == (
        f"{warned}:/items/1/weight: lint.weight-ignored: item 'b' has a weight other than 1, "
        "but no weighted_sum index reads it; sum, mean, max, min and count_at_least ignore "
        "weights\n"
    )
    assert cli("lint", "--strict", str(warned)).returncode == 1
    assert cli("lint", "--strict", str(ENGLISH_ONLY)).returncode == 0
    assert cli("lint").returncode == 2
    report = json.loads(cli("lint", "--format", "json", str(warned)).stdout)
    assert [w["code"] for w in report[0]["warnings"]] == ["lint.weight-ignored"]


def test_cli_validate_prints_the_same_warnings(warned: Path, cli: Callable[..., _Run]) -> None:
    run = cli("validate", str(warned))
    assert run.returncode == 0
    assert run.stdout == cli("lint", str(warned)).stdout
    assert cli("validate", "--strict", str(warned)).returncode == 1
    report = json.loads(cli("validate", "--format", "json", str(warned)).stdout)
    assert report[0]["valid"] is True
    assert [w["code"] for w in report[0]["warnings"]] == ["lint.weight-ignored"]


# --- languages --------------------------------------------------------------------------------


def _english_assessment() -> dict[str, Any]:
    return {
        "document_type": "assessment",
        "id": "as-0001",
        "instrument": {"id": "english-only-demo", "version": "1.0.0"},
        "subject": {"case_id": "case-0001", "age_months": 60},
        "assessment_date": "2024-03-10",
        "assessors": [{"id": "sw-1", "role": "social_worker"}],
        "answers": {"meals": {"level": "present"}, "hygiene": {"level": "present"}},
    }


def test_an_english_only_instrument_writes_english_without_lang() -> None:
    import kwg_check

    instrument = Instrument.model_validate(load_path(ENGLISH_ONLY))
    assessment = kwg_check.Assessment.model_validate(_english_assessment())
    summary = kwg_check.score_assessment(assessment, instrument)
    assert summary.outcome.final == "high"
    text = kwg_check.summary_text(summary, instrument)
    sheet = kwg_check.describe_instrument(instrument)
    report = kwg_check.render_report(assessment, instrument, format="md")
    for output in (text, sheet, report):
        assert "High concern" in output or "Fictional home-visit checklist" in output
        assert "Einschätzung" not in output  # no German library words
    with pytest.raises(kwg_check.ArgumentError) as caught:
        kwg_check.summary_text(summary, instrument, lang="de")
    assert caught.value.problems[0].code == "argument.language"


BUNDLED_FILES = sorted((Path(kwg_check.__file__).parent / "data" / "instruments").glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED_FILES, ids=lambda p: p.name)
def test_every_bundled_file_lints_clean_including_the_variant(path: Path) -> None:
    """A variant is linted as the instrument it resolves to, after its pinned base: the
    county variant must name the fingerprint of the kwg_8a it derives from."""
    assert main(["lint", "--strict", str(path)]) == 0


def test_a_variant_written_against_another_base_is_a_lint_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (county,) = (p for p in BUNDLED_FILES if p.stem == "kwg_8a_musterstadt")
    text = county.read_text(encoding="utf-8")
    stale = re.sub(r"sha256:[0-9a-f]{64}", "sha256:" + "0" * 64, text, count=1)
    assert stale != text
    (tmp_path / "county.yaml").write_text(stale, encoding="utf-8")
    assert main(["lint", "--strict", str(tmp_path / "county.yaml")]) == 1
    assert "/derives_from/fingerprint: variant.base-mismatch" in capsys.readouterr().out
    assert main(["validate", str(tmp_path / "county.yaml")]) == 0
    assert "variant.base-mismatch" in capsys.readouterr().out
