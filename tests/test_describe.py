"""Instrument sheets: what a reviewer must find in them, and that nothing can break them."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kwg_check import describe_instrument
from kwg_check._errors import KwgCheckError
from kwg_check._model import Instrument
from strategies import examples
from tool_support import load_tool

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "de")


def _text(en: str, de: str | None = None) -> dict[str, str]:
    return {"de": de if de is not None else f"{en} (de)", "en": en}


def _tool() -> ModuleType:
    return load_tool("generate_sheets")


# A small instrument that uses every part of the format the sheet renders.
SMALL: dict[str, Any] = {
    "document_type": "instrument",
    "id": "sheet_test",
    "version": "0.3.1",
    "title": _text("Sheet test instrument", "Testbogen für Blätter"),
    "description": _text("Only for tests.", "Nur für Tests."),
    "disclaimer": _text("Not validated.", "Nicht validiert."),
    "sources": [{"citation": "Invented source, 2026.", "url": "https://example.org/source"}],
    "licence": "CC0-1.0",
    "monotone": True,
    "minimum_completeness": "0.75",
    "stale_after_days": 180,
    "scales": [
        {
            "id": "yn",
            "label": _text("Yes or no", "Ja oder nein"),
            "levels": [
                {"id": "no", "label": _text("Not | at all", "Gar | nicht"), "points": 0},
                {
                    "id": "yes",
                    "label": _text("Clearly so", "Eindeutig"),
                    "points": "1.5",
                    "anchor": _text("Seen twice\nin one week", "Zweimal\nin einer Woche"),
                },
            ],
            "unknown": {"id": "unknown", "label": _text("Unclear", "Unklar"), "scores_as": 1},
        },
        {
            "id": "grade",
            "label": _text("Grade", "Grad"),
            "levels": [
                {"id": "g0", "label": _text("Grade zero", "Grad null"), "points": 0},
                {"id": "g1", "label": _text("Grade one", "Grad eins"), "points": 1},
                {"id": "g2", "label": _text("Grade two", "Grad zwei"), "points": 2},
            ],
        },
        {
            "id": "place",
            "label": _text("Setting", "Ort"),
            "levels": [
                {"id": "home", "label": _text("At home", "Zu Hause"), "points": 0},
                {"id": "school", "label": _text("At school", "In der Schule"), "points": 0},
            ],
        },
    ],
    "domains": [
        {"id": "care", "label": _text("Care", "Versorgung"), "description": _text("Basic care")},
        {"id": "strengths", "label": _text("Strengths", "Stärken")},
    ],
    "items": [
        {
            "id": "where",
            "domain": "care",
            "kind": "context",
            "label": _text("Where it happened", "Wo es geschah"),
            "scale": "place",
        },
        {
            "id": "food",
            "domain": "care",
            "kind": "risk",
            "label": _text("Meals missing", "Mahlzeiten fehlen"),
            "scale": "grade",
            "weight": "2.5",
            "applies_when": {"age_months": {"from_months": 36, "below_months": 72}},
            "guidance": _text("Ask about\nbreakfast", "Nach dem\nFrühstück fragen"),
            "evidence_required_from": "g1",
            "concerning_from": "g2",
            "indicates": ["neglect"],
        },
        {
            "id": "hits",
            "domain": "care",
            "kind": "safety",
            "label": _text("Child is hit", "Kind wird geschlagen"),
            "scale": "yn",
            "per_caregiver": True,
            "indicates": ["physical_abuse", "psychological_abuse"],
        },
        {
            "id": "worries",
            "domain": "care",
            "kind": "risk",
            "label": _text("Worries named", "Genannte Sorgen"),
            "scale": "grade",
            "response": "multiple",
            "combine": "sum",
        },
        {
            "id": "granny",
            "domain": "strengths",
            "kind": "protective",
            "label": _text("Grandmother helps", "Großmutter hilft"),
            "scale": "yn",
            "per_caregiver": True,
        },
    ],
    "indices": [
        {
            "id": "care_sum",
            "label": _text("Care sum", "Summe Versorgung"),
            "aggregation": "weighted_sum",
            "items": ["food", "worries"],
            "bands": [
                {"id": "calm", "label": _text("Calm", "Ruhig")},
                {"id": "watch", "label": _text("Watch", "Beobachten"), "at_least": "2.5"},
                {"id": "act", "label": _text("Act", "Handeln"), "at_least": 6},
            ],
        },
        {
            "id": "grade_count",
            "label": _text("Items at grade one", "Merkmale ab Grad eins"),
            "side": "needs",
            "aggregation": "count_at_least",
            "at_least": "g1",
            "items": ["food", "worries"],
            "bands": [
                {"id": "none", "label": _text("No item", "Kein Merkmal")},
                {"id": "some", "label": _text("Some items", "Einige Merkmale"), "at_least": 1},
                {"id": "both", "label": _text("Both items", "Beide Merkmale"), "at_least": 2},
            ],
        },
        {
            "id": "care_mean",
            "label": _text("Care mean", "Mittel Versorgung"),
            "aggregation": "mean",
            "items": ["food", "worries"],
            "rounding": {"places": 1, "mode": "half_even"},
        },
        {
            "id": "strength",
            "label": _text("Strength", "Stärke"),
            "side": "protective",
            "aggregation": "max",
            "items": ["granny"],
        },
    ],
    "flags": [
        {
            "id": "acute",
            "label": _text("Acute danger", "Akute Gefahr"),
            "severity": "acute",
            "when": {
                "all": [
                    {"answer_at_least": {"item": "hits", "level": "yes"}},
                    {"not": {"answer_in": {"item": "food", "levels": ["g0"]}}},
                ]
            },
            "minimum_outcome": "red",
            "indicates": ["physical_abuse"],
        },
        {
            "id": "note",
            "label": _text("Many worries", "Viele Sorgen"),
            "severity": "notice",
            "when": {
                "any": [
                    {"index": {"index": "care_sum", "op": ">=", "value": "4.5"}},
                    {"context": {"item": "where", "levels": ["home", "school"]}},
                ]
            },
        },
    ],
    "outcomes": [
        {
            "id": "green",
            "label": _text("No endangerment", "Keine Gefährdung"),
            "traffic_light": "green",
            "statistic_category": "no_need_for_help",
        },
        {
            "id": "yellow",
            "label": _text("Grey zone", "Graubereich"),
            "traffic_light": "yellow",
            "statistic_category": "need_for_help",
            "description": _text("Clarify and support", "Klären und unterstützen"),
        },
        {
            "id": "red",
            "label": _text("Endangerment", "Gefährdung"),
            "traffic_light": "red",
            "statistic_category": "acute_endangerment",
        },
    ],
    "decision_table": [
        {
            "id": "rule-act",
            "when": {"band": {"index": "care_sum", "band": "act"}},
            "outcome": "red",
            "rationale": _text("Care sum in the top band", "Summe im obersten Band"),
        },
        {
            "id": "rule-flag",
            "when": {"flag": "acute"},
            "outcome": "red",
            "rationale": _text("Acute danger", "Akute Gefahr"),
        },
        {
            "id": "rule-young",
            "when": {"age_months": {"below_months": 36}},
            "outcome": "yellow",
            "rationale": _text("Young children", "Kleine Kinder"),
        },
        {
            "id": "rule-default",
            "outcome": "green",
            "rationale": _text("Nothing else matched", "Sonst nichts"),
        },
    ],
    "policy_overrides": [
        {
            "id": "po-hits",
            "when": {"answer_at_least": {"item": "hits", "level": "yes"}},
            "minimum_outcome": "yellow",
            "rationale": _text("Agency policy", "Regel des Trägers"),
        }
    ],
    "discretionary_override": {"max_levels_up": 2, "max_levels_down": 1},
    "process_checks": [
        {
            "id": "pc-two",
            "label": _text("Two professionals", "Zwei Fachkräfte"),
            "legal_reference": "§ 8a Abs. 1 Satz 1 SGB VIII",
            "requirement": {"check": "min_assessors", "count": 2},
        },
        {
            "id": "pc-parents",
            "label": _text("Parents", "Eltern"),
            "legal_reference": "§ 8a Abs. 1 Satz 2 SGB VIII",
            "requirement": {"check": "participation", "party": "parents"},
        },
        {
            "id": "pc-isef",
            "label": _text("Specialist", "Insoweit erfahrene Fachkraft"),
            "legal_reference": "§ 8a Abs. 4 Satz 1 Nr. 2 SGB VIII",
            "applies_when": {"context": {"item": "where", "levels": ["school"]}},
            "requirement": {"check": "consultation", "role": "child_protection_specialist"},
        },
        {
            "id": "pc-lead",
            "label": _text("Team lead", "Leitung"),
            "legal_reference": "Dienstanweisung 4.2",
            "requirement": {"check": "assessor_role", "role": "team_lead"},
        },
        {
            "id": "pc-evidence",
            "label": _text("Evidence", "Belege"),
            "legal_reference": "§ 8a Abs. 1 SGB VIII",
            "requirement": {"check": "evidence"},
        },
    ],
}


def _instrument(data: dict[str, Any] | None = None) -> Instrument:
    return Instrument.model_validate(copy.deepcopy(data if data is not None else SMALL))


def _table_blocks(sheet: str) -> list[list[str]]:
    """Consecutive lines starting with a pipe: the sheet's tables."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in sheet.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _cells(row: str) -> int:
    """Number of cells in a table row: pipes not escaped by a backslash, minus one."""
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def _assert_tables_intact(sheet: str) -> None:
    blocks = _table_blocks(sheet)
    assert blocks, "the sheet has tables"
    for block in blocks:
        assert re.fullmatch(r"\|( --- \|)+", block[1]), block[:2]
        width = _cells(block[0])
        assert all(_cells(row) == width for row in block), block


# --- what the sheet contains ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_sheet_names_every_item_level_cutoff_rule_and_check(lang: str) -> None:
    sheet = describe_instrument(_instrument(), lang=lang)  # type: ignore[arg-type]
    ins = _instrument()
    for item in ins.items:
        assert f"`{item.id}`" in sheet
        assert getattr(item.label, lang) in sheet
    for scale in ins.scales:
        for level in scale.levels:
            label = getattr(level.label, lang).replace("|", "\\|")
            assert label in sheet
            assert f"| `{level.id}` |" in sheet
    for cutoff in ("2.5", "6", "1", "2"):
        written = cutoff.replace(".", ",") if lang == "de" else cutoff  # German decimal comma
        assert f"| {written} |" in sheet
    for rule in ("rule-act", "rule-flag", "rule-young", "rule-default"):
        assert f"`{rule}`" in sheet
    for other in ("po-hits", "pc-two", "pc-parents", "pc-isef", "pc-lead", "pc-evidence"):
        assert f"`{other}`" in sheet
    for reference in ("§ 8a Abs. 1 Satz 1 SGB VIII", "§ 8a Abs. 4 Satz 1 Nr. 2 SGB VIII"):
        assert reference in sheet
    assert "`sheet_test`" in sheet
    assert "0.3.1" in sheet
    assert "CC0-1.0" in sheet
    assert "Invented source, 2026." in sheet
    assert "https://example.org/source" in sheet
    assert getattr(ins.disclaimer, lang) in sheet


def test_header_states_method_monotonicity_and_completeness() -> None:
    sheet = describe_instrument(_instrument(), lang="en")
    assert sheet.startswith("# Sheet test instrument\n")
    assert "| Method | decision table |" in sheet
    assert "| Monotone | declared; verified when the instrument is compiled |" in sheet
    assert "| Minimum completeness | 0.75 |" in sheet
    assert "| Evidence counts as stale after | 180 days |" in sheet
    assert "> **Disclaimer:** Not validated." in sheet


def test_header_lists_the_subject_kinds_the_instrument_accepts() -> None:
    """An assessment of another kind is refused, so the sheet says whom it assesses."""
    assert "| Assesses | child |" in describe_instrument(_instrument(), lang="en")
    both = _instrument({**copy.deepcopy(SMALL), "subject_kinds": ["caregiver", "family"]})
    assert "| Assesses | caregiver, family or household |" in describe_instrument(both, lang="en")
    assert "| Eingeschätzt werden | Bezugsperson, Familie oder Haushalt |" in describe_instrument(
        both, lang="de"
    )


def test_scales_show_points_anchors_and_what_unknown_scores() -> None:
    sheet = describe_instrument(_instrument(), lang="en")
    assert "| `yes` | 1.5 | Clearly so | Seen twice<br>in one week |" in sheet
    assert "Unknown marker `unknown` (Unclear): scores 1 points" in sheet
    assert "This scale has no unknown marker" in sheet


def test_items_show_kind_weight_response_applicability_and_forms() -> None:
    sheet = describe_instrument(_instrument(), lang="en")
    food = sheet.split("#### `food`")[1].split("####")[0]
    assert "- Kind: risk factor" in food
    assert "- Weight: 2.5" in food
    assert "- Applies: when age 36–<72 months" in food
    assert "- Concerning from: `g2`" in food
    assert "- Evidence required from: `g1`" in food
    assert "- Forms of endangerment (§ 99 SGB VIII): neglect" in food
    assert "- Guidance: Ask about breakfast" in food
    hits = sheet.split("#### `hits`")[1].split("####")[0]
    assert "rated per caregiver; the highest rating counts" in hits
    assert "- Concerning from: any level above the first" in hits
    granny = sheet.split("#### `granny`")[1].split("##")[0]
    assert "rated per caregiver; the lowest rating counts" in granny
    worries = sheet.split("#### `worries`")[1].split("####")[0]
    assert "all that apply; the points of the chosen levels are added" in worries


def test_bands_are_written_as_inclusive_ranges() -> None:
    sheet = describe_instrument(_instrument(), lang="en")
    # A weighted sum with weight 2.5 is not whole-valued: ranges keep the decimal cut-offs.
    assert "| `calm` | Calm |   | below 2.5 |" in sheet
    assert "| `watch` | Watch | 2.5 | 2.5 to below 6 |" in sheet
    assert "| `act` | Act | 6 | 6 or more |" in sheet
    # A count is whole-valued: ranges read as whole numbers.
    assert "| `none` | No item |   | up to 0 |" in sheet
    assert "| `some` | Some items | 1 | 1 |" in sheet
    assert "| `both` | Both items | 2 | 2 or more |" in sheet
    assert "- Rounding: 1 decimal places, half to even" in sheet


def test_conditions_are_written_in_words() -> None:
    sheet = describe_instrument(_instrument(), lang="en")
    assert (
        "- Raised when: all of: (answer to `hits` at least `yes`; not (answer to `food` is `g0`))"
    ) in sheet
    assert (
        "- Raised when: any of: (index `care_sum` ≥ 4.5; context `where` is `home` or `school`)"
    ) in sheet
    assert "| band of `care_sum` at least `act` | `red` |" in sheet
    assert "| flag `acute` raised | `red` |" in sheet
    assert "| age below 36 months | `yellow` |" in sheet
    assert "| otherwise (default rule) | `green` |" in sheet
    german = describe_instrument(_instrument(), lang="de")
    assert "Alter 36–<72 Monate" in german
    assert (
        "mindestens eine: (Index `care_sum` ≥ 4,5; Kontext `where` ist `home` oder `school`)"
        in (german)
    )


def test_outcomes_policy_and_discretionary_override() -> None:
    sheet = describe_instrument(_instrument(), lang="en")
    assert "| 3 | `red` | Endangerment | red | acute endangerment |" in sheet
    assert "| 2 | `yellow` | Grey zone | yellow | no endangerment, but need for help |" in sheet
    assert "| `po-hits` | answer to `hits` at least `yes` | `yellow` | Agency policy |" in sheet
    assert "at most 2 levels up and 1 level down" in sheet
    german = describe_instrument(_instrument(), lang="de")
    assert "keine Kindeswohlgefährdung und kein Hilfebedarf" in german


def test_process_checks_say_what_must_hold_and_when() -> None:
    sheet = describe_instrument(_instrument(), lang="en")
    assert "at least 2 different professionals assessed together" in sheet
    assert "the parents were involved, or the reason why not is documented" in sheet
    assert (
        "a professional with the role `child_protection_specialist` was consulted | "
        "when context `where` is `school` |"
    ) in sheet
    assert "at least one assessor has the role `team_lead`" in sheet
    assert "| Dienstanweisung 4.2 |" in sheet


def test_judgement_instrument_has_no_formula_sections() -> None:
    data = copy.deepcopy(SMALL)
    data["method"] = "professional_judgement"
    data["monotone"] = False
    for key in ("decision_table", "policy_overrides", "discretionary_override"):
        del data[key]
    sheet = describe_instrument(_instrument(data), lang="en")
    assert "## Professional judgement" in sheet
    assert "There is no formula." in sheet
    assert "## Decision table" not in sheet
    assert "## Policy overrides" not in sheet
    assert "## Discretionary override" not in sheet


@pytest.mark.parametrize("lang", LANGS)
def test_sheet_is_deterministic(lang: str) -> None:
    first = describe_instrument(_instrument(), lang=lang)  # type: ignore[arg-type]
    second = describe_instrument(_instrument(), lang=lang)  # type: ignore[arg-type]
    assert first == second
    assert first.endswith("\n")
    assert not first.endswith("\n\n")
    assert "\n\n\n" not in first


def test_languages_differ_in_the_sheets_own_words() -> None:
    english = describe_instrument(_instrument(), lang="en")
    german = describe_instrument(_instrument(), lang="de")
    assert "## Decision table" in english
    assert "## Entscheidungstabelle" in german
    assert "Testbogen für Blätter" in german
    assert "Testbogen für Blätter" not in english


def test_unknown_language_is_rejected_with_a_library_error() -> None:
    with pytest.raises(KwgCheckError) as caught:
        describe_instrument(_instrument(), lang="fr")  # type: ignore[arg-type]
    assert caught.value.code == "argument.language"
    assert isinstance(caught.value, ValueError)


def test_without_a_language_the_sheet_is_in_the_instruments_language() -> None:
    assert describe_instrument(_instrument()) == describe_instrument(_instrument(), lang="de")


# --- escaping ----------------------------------------------------------------------------


def test_pipe_in_a_label_is_escaped_and_keeps_the_table_intact() -> None:
    sheet = describe_instrument(_instrument(), lang="en")
    assert "| `no` | 0 | Not \\| at all |" in sheet
    _assert_tables_intact(sheet)


def test_html_backticks_and_line_breaks_from_the_instrument_are_made_inert() -> None:
    data = copy.deepcopy(SMALL)
    data["outcomes"][0]["label"] = _text("<b>bold</b> `x`\r\nnext")
    data["domains"][0]["label"] = _text("Care\nand more")
    sheet = describe_instrument(_instrument(data), lang="en")
    assert "<b>" not in sheet
    assert "&lt;b&gt;bold&lt;/b&gt; \\`x\\`<br>next" in sheet
    assert "### `care` — Care and more" in sheet
    _assert_tables_intact(sheet)


@settings(max_examples=examples(60), deadline=None)
@given(text=st.text(min_size=1, max_size=40))
def test_no_label_text_breaks_a_table(text: str) -> None:
    data = copy.deepcopy(SMALL)
    data["scales"][0]["levels"][0]["label"] = {"de": text, "en": text}
    data["decision_table"][0]["rationale"] = {"de": text, "en": text}
    data["process_checks"][0]["legal_reference"] = text
    for lang in LANGS:
        _assert_tables_intact(describe_instrument(_instrument(data), lang=lang))  # type: ignore[arg-type]


# --- the bundled sheets --------------------------------------------------------------------


def test_docs_sheets_are_current() -> None:
    tool = _tool()
    assert tool.stale_sheets(ROOT) == [], "run: python tools/generate_sheets.py"
    expected = tool.expected_sheets(ROOT)
    bundled = sorted((ROOT / "src" / "kwg_check" / "data" / "instruments").glob("*.yaml"))
    ids = {path.name.split(".")[0].split("-")[0] for path in bundled}
    assert len(expected) == 2 * len(ids)


def test_check_mode_reports_a_stale_sheet(tmp_path: Path) -> None:
    tool = _tool()
    source = ROOT / "src" / "kwg_check" / "data" / "instruments" / "sdm_risk.yaml"
    instruments = tmp_path / "src" / "kwg_check" / "data" / "instruments"
    instruments.mkdir(parents=True)
    (instruments / "sdm_risk.yaml").write_bytes(source.read_bytes())
    assert tool.write_sheets(tmp_path) == [
        Path("docs/instruments/sdm_risk.en.md"),
        Path("docs/instruments/sdm_risk.de.md"),
    ]
    assert tool.stale_sheets(tmp_path) == []
    sheet = tmp_path / "docs" / "instruments" / "sdm_risk.de.md"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    leftover = tmp_path / "docs" / "instruments" / "gone.en.md"
    leftover.write_text("# old\n", encoding="utf-8")
    assert tool.stale_sheets(tmp_path) == [
        Path("docs/instruments/sdm_risk.de.md"),
        Path("docs/instruments/gone.en.md"),
    ]
    tool.write_sheets(tmp_path)
    assert tool.stale_sheets(tmp_path) == []
    assert not leftover.exists()
