"""The § 99 SGB VIII statistic: every summary counted once, every skipped input reported.

An office compares these numbers with the official statistic, so the tables must add up:
each section's rows sum to the number of summaries counted, and Markdown, CSV and JSON carry
the same numbers.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import kwg_check
from kwg_check._model.summary import OverrideResult
from kwg_check._views._stats import AGE_GROUPS, CATEGORIES, FORMS, INITIATORS, read_statistic
from kwg_check.cli import main
from strategies import examples


@functools.cache
def bundled_summaries() -> tuple[kwg_check.Summary, ...]:
    """The summaries of every bundled example: real documents of every instrument family."""
    return tuple(
        kwg_check.score_assessment(kwg_check.parse_assessment(kwg_check.example_data(e.name)))
        for e in kwg_check.examples()
    )


def varied(
    base: kwg_check.Summary,
    age_months: int,
    initiated_by: str | None,
    category: str | None,
    forms: list[str],
    levels: int | None,
) -> kwg_check.Summary:
    """A bundled summary with the fields the statistic reads replaced."""
    override = None
    if levels is not None:
        override = OverrideResult(
            kind="discretionary_override", outcome="x", author="a-1", levels=levels
        )
    assessment = base.assessment.model_copy(
        update={"age_months": age_months, "initiated_by": initiated_by}
    )
    final = None if category == "no_outcome" else "final"
    outcome = base.outcome.model_copy(
        update={
            "final": final,
            "statistic_category": None if category in (None, "no_outcome") else category,
            "forms_of_endangerment": forms,
            "override": override,
        }
    )
    return base.model_copy(update={"assessment": assessment, "outcome": outcome})


summary_strategy = st.builds(
    varied,
    st.sampled_from(bundled_summaries()),
    st.integers(0, 300),
    st.sampled_from([*INITIATORS[:-1], None]),
    st.sampled_from([*CATEGORIES[:-2], None, "no_outcome"]),
    st.lists(st.sampled_from(FORMS), unique=True),
    st.none() | st.integers(-3, 3),
)


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(summary_strategy, max_size=30))
def test_every_section_adds_up_to_the_number_of_summaries(
    summaries: list[kwg_check.Summary],
) -> None:
    """Each summary lands in exactly one row of each single-choice section."""
    statistic = kwg_check.tabulate_statistic(summaries)
    sections = statistic.sections
    assert statistic.summaries == len(summaries)
    assert statistic.skipped == 0
    for section in ("category", "age_group", "initiated_by"):
        assert sum(sections[section].values()) == len(summaries), section
    overrides = sections["overrides"]
    assert overrides["overridden"] + overrides["not_overridden"] == len(summaries)
    assert overrides["up"] + overrides["down"] + overrides["unchanged"] == overrides["overridden"]
    assert overrides["overridden"] == sum(s.outcome.override is not None for s in summaries)
    forms = sections["forms"]
    endangered = sections["category"]["acute_endangerment"]
    endangered += sections["category"]["latent_endangerment"]
    assert forms["cases_with_forms"] + forms["cases_without_forms"] == endangered
    assert sum(forms[form] for form in FORMS) >= forms["cases_with_forms"]


@settings(max_examples=examples(30), deadline=None)
@given(st.lists(summary_strategy, max_size=20))
def test_markdown_csv_and_json_carry_the_same_numbers(
    summaries: list[kwg_check.Summary],
) -> None:
    """Three formats, one set of numbers, in the same order."""
    statistic = kwg_check.tabulate_statistic(summaries)
    as_json = json.loads(kwg_check.render_statistic(statistic, format="json"))
    json_counts = [count for rows in as_json.values() for count in rows.values()]
    rows = list(
        csv.DictReader(io.StringIO(kwg_check.render_statistic(statistic, format="csv", lang="de")))
    )
    csv_counts = [int(row["count"]) for row in rows]
    markdown = kwg_check.render_statistic(statistic, format="md", lang="en")
    cells = [line.strip("|").split("|") for line in markdown.splitlines() if line[:1] == "|"]
    md_counts = [int(row[-1]) for row in cells if row[-1].strip().isdigit()]
    assert json_counts == csv_counts == md_counts
    assert [(row["section"], row["row"]) for row in rows] == [
        (section, row) for section, values in as_json.items() for row in values
    ]
    assert as_json["totals"]["summaries"] == len(summaries)


@pytest.mark.parametrize(
    ("months", "group"),
    [
        *[(0, "under_3"), (35, "under_3"), (36, "3_to_6"), (71, "3_to_6"), (72, "6_to_9")],
        *[(143, "9_to_12"), (144, "12_to_14"), (167, "12_to_14"), (168, "14_to_16")],
        *[(191, "14_to_16"), (192, "16_to_18"), (215, "16_to_18"), (216, "18_and_over")],
    ],
)
def test_age_groups_follow_the_official_bands_in_completed_years(months: int, group: str) -> None:
    summary = varied(bundled_summaries()[0], months, None, None, [], None)
    statistic = kwg_check.tabulate_statistic([summary])
    assert statistic.sections["age_group"][group] == 1
    assert set(AGE_GROUPS) == set(statistic.sections["age_group"])


def test_forms_are_counted_for_acute_and_latent_endangerment_only() -> None:
    """Indicated forms without an endangerment outcome are not endangerment in § 99."""
    base = bundled_summaries()[0]
    latent = varied(base, 40, None, "latent_endangerment", ["neglect", "physical_abuse"], None)
    helped = varied(base, 40, None, "need_for_help", ["neglect"], None)
    forms = kwg_check.tabulate_statistic([latent, helped]).sections["forms"]
    assert (forms["neglect"], forms["physical_abuse"], forms["cases_with_forms"]) == (1, 1, 1)


def test_override_direction_follows_the_sign_of_the_levels() -> None:
    base = bundled_summaries()[0]
    summaries = [varied(base, 40, None, None, [], levels) for levels in (2, 1, -1, None)]
    overrides = kwg_check.tabulate_statistic(summaries).sections["overrides"]
    assert (overrides["up"], overrides["down"], overrides["not_overridden"]) == (2, 1, 1)


def test_bundled_examples_of_instruments_without_a_category_count_as_not_applicable() -> None:
    """The SDM, CANS and SPJ examples have no § 99 mapping: shown, not dropped."""
    statistic = kwg_check.tabulate_statistic(bundled_summaries())
    unmapped = [s for s in bundled_summaries() if s.outcome.statistic_category is None]
    assert unmapped
    assert statistic.sections["category"]["not_applicable"] == len(unmapped)
    assert statistic.sections["category"]["acute_endangerment"] >= 1


def batch_output(tmp_path: Path) -> Path:
    """score-batch output of three bundled examples and one bad line."""
    lines = [json.dumps(kwg_check.example_data(e.name)).encode() for e in kwg_check.examples()]
    lines = [*lines[:3], b"{"]
    output = tmp_path / "batch.jsonl"
    output.write_bytes(b"".join(r.record() + b"\n" for r in kwg_check.score_lines(lines)))
    return output


def test_inputs_may_be_files_directories_and_json_lines_of_both_kinds(tmp_path: Path) -> None:
    """Plain summaries, YAML, directories and score-batch records count alike; error records
    are skipped and reported with their place."""
    summaries = bundled_summaries()
    folder = tmp_path / "folder" / "nested"
    folder.mkdir(parents=True)
    (folder / "a.json").write_text(kwg_check.dump_json(kwg_check.dump_document(summaries[3])))
    (folder / "b.yaml").write_text(yaml.safe_dump(kwg_check.dump_document(summaries[4])))
    (folder / "ignored.txt").write_text("not a summary")
    plain = tmp_path / "plain.jsonl"
    plain.write_text("".join(json.dumps(kwg_check.dump_document(s)) + "\n" for s in summaries[5:8]))
    reported: list[tuple[str, list[str]]] = []
    statistic = read_statistic(
        [str(tmp_path / "folder"), str(plain), str(batch_output(tmp_path))],
        lambda name, problems: reported.append((name, [p.code for p in problems])),
    )
    assert (statistic.summaries, statistic.skipped) == (2 + 3 + 3, 1)
    assert reported == [(f"{tmp_path / 'batch.jsonl'}:4", ["stats.unscored-line"])]


def test_an_invalid_summary_is_skipped_and_reported_with_its_pointer(tmp_path: Path) -> None:
    document = kwg_check.dump_document(bundled_summaries()[0])
    document["outcome"] = "red"
    lines = tmp_path / "s.jsonl"
    lines.write_text(json.dumps({"line": 9, "summary": document}) + "\n\n")
    reported: list[tuple[str, str]] = []
    statistic = read_statistic(
        [str(lines)], lambda name, problems: reported.extend((name, p.pointer) for p in problems)
    )
    assert (statistic.summaries, statistic.skipped) == (0, 2)
    assert (f"{lines}:1", "/summary/outcome") in reported
    assert reported[-1] == (f"{lines}:2", "")


def test_cli_writes_csv_with_german_labels_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "s.json"
    summary.write_text(kwg_check.dump_json(kwg_check.dump_document(bundled_summaries()[2])))
    output = tmp_path / "stat.csv"
    assert main(["stats", str(summary), "--format", "csv", "--lang", "de", "-o", str(output)]) == 0
    text = output.read_text(encoding="utf-8")
    assert text.startswith("section,row,label,count\n")
    assert "totals,summaries,gezählte Gefährdungseinschätzungen,1\n" in text
    assert capsys.readouterr().out == ""


def test_cli_exits_1_when_inputs_were_skipped_and_2_for_a_missing_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats", str(batch_output(tmp_path)), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["totals"] == {"summaries": 3, "skipped_invalid": 1}
    assert "stats.unscored-line" in err
    assert main(["stats", str(tmp_path / "absent")]) == 2
