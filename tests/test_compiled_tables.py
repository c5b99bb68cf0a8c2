"""What the compile step prepares so that scoring looks it up instead of working it out again
for every summary: each table equals the definition it replaces.

* ``CScale.answers``: a single-level answer (a level or the unknown marker) reduced to its
  counting level and points, per scale;
* ``CompiledInstrument.floors``: the flags that set a floor, which ``decide`` reads;
* ``band_of`` by bisection over the cut-offs, which strictly increase;
* per summary, the stale-evidence cut-off date (evidence dated before it is stale).
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal, localcontext
from types import MappingProxyType

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

import kwg_check
from engine_support import INSTRUMENTS, compiled
from kwg_check._engine._assessment import raw_answer
from kwg_check._engine._evaluate import CONTEXT, band_of, decide
from kwg_check._engine._runtime import CompiledInstrument, CScale, Raw
from kwg_check._engine._score import _days_before, _Scoring
from kwg_check._model.assessment import Answer
from strategies import examples


def _every_compiled() -> list[CompiledInstrument]:
    registry = kwg_check.InstrumentRegistry()
    bundled = [registry.compiled(entry.id, entry.version) for entry in registry.entries()]
    return bundled + [compiled(path.stem) for path in sorted(INSTRUMENTS.glob("*.yaml"))]


def _by_definition(scale: CScale, level: str) -> Raw:
    """The module docstring of ``_assessment``: the level's rank and points (none on a
    scale without points); the unknown marker has no rank and scores ``scores_as``."""
    if level == scale.unknown_id:
        return Raw(None, level, scale.unknown_points)
    rank = scale.levels.index(level)
    return Raw(rank, level, scale.points[rank] if scale.scored else None)


def test_every_single_level_answer_reads_as_its_definition() -> None:
    tried = 0
    for c in _every_compiled():
        for item in c.items:
            if item.response != "single" or item.per_caregiver:
                continue
            scale = item.scale
            accepted = [*scale.levels, *([scale.unknown_id] if scale.unknown_id else [])]
            assert set(scale.answers) == set(accepted), (c.id, scale.id)
            for level in accepted:
                expected = _by_definition(scale, level)
                assert raw_answer(item, Answer(level=level)) == expected, (c.id, item.id)
                tried += 1
    assert tried > 100


def test_a_scale_without_points_counts_no_points_for_any_level() -> None:
    scale = CScale(
        id="seen",
        levels=("no", "yes"),
        points=(Decimal(0), Decimal(0)),
        rank=MappingProxyType({"no": 0, "yes": 1}),
        unknown_id="unclear",
        unknown_points=None,
        scored=False,
    )
    assert dict(scale.answers) == {
        "no": Raw(0, "no", None),
        "yes": Raw(1, "yes", None),
        "unclear": Raw(None, "unclear", None),
    }
    assert scale.unknown == Raw(None, "unclear", None)


def test_the_floor_is_the_highest_minimum_of_the_raised_flags() -> None:
    """kwg_8a with other minimum outcomes for its 7 flags (two set none), in every
    combination of raised flags (128 states)."""
    bundled = kwg_check.InstrumentRegistry().compiled("kwg_8a", "1.0.0")
    minima = (1, 3, None, 0, 2, None, 2)
    flags = tuple(
        attrs.evolve(flag, minimum=m) for flag, m in zip(bundled.flags, minima, strict=True)
    )
    c = attrs.evolve(bundled, flags=flags)
    assert c.floors == ((0, 1), (1, 3), (3, 0), (4, 2), (6, 2))
    data = kwg_check.example_data("kwg8a-latent-infant-feeding")
    assessment = kwg_check.parse_assessment(data)
    with localcontext(CONTEXT):
        state = _Scoring(c, assessment).s
        for raised in itertools.product((False, True), repeat=len(c.flags)):
            state.raised = list(raised)
            expected = max(
                (m for m, up in zip(minima, raised, strict=True) if m is not None and up),
                default=None,
            )
            assert decide(c, state, apply_table=False).floor == expected, raised
            decision = decide(c, state, apply_table=True)
            assert decision.floor == expected, raised
            assert decision.computed is not None
            assert expected is None or decision.computed >= expected


_cutoffs = st.lists(
    st.decimals(min_value=-50, max_value=50, places=2, allow_nan=False, allow_infinity=False),
    unique=True,
    max_size=5,
).map(sorted)


@settings(max_examples=examples(200), deadline=None)
@given(
    cutoffs=_cutoffs,
    value=st.decimals(min_value=-60, max_value=60, places=3, allow_nan=False),
)
def test_the_band_is_the_number_of_cutoffs_the_value_reaches(
    cutoffs: list[Decimal], value: Decimal
) -> None:
    """The last band whose cut-off the value reaches, a value equal to a cut-off included."""
    base = kwg_check.InstrumentRegistry().compiled("kwg_8a", "1.0.0").indices[0]
    index = attrs.evolve(
        base, band_ids=tuple(f"b{n}" for n in range(len(cutoffs) + 1)), cutoffs=tuple(cutoffs)
    )
    assert band_of(index, value) == sum(1 for cutoff in cutoffs if cutoff <= value)
    for cutoff in cutoffs:
        assert band_of(index, cutoff) == cutoffs.index(cutoff) + 1


@settings(max_examples=examples(300), deadline=None)
@given(
    day=st.dates(),
    stale=st.one_of(st.integers(min_value=0, max_value=1_000), st.integers(min_value=0)),
    offset=st.one_of(st.integers(min_value=-2, max_value=2), st.integers(-800_000, 800_000)),
)
def test_evidence_is_stale_exactly_when_more_than_stale_days_old(
    day: datetime.date, stale: int, offset: int
) -> None:
    """The cut-off equals the definition (``(date - evidence date).days > stale_after_days``),
    around the boundary, at the calendar's first days and for stale periods beyond it."""
    back = max(0, min(stale + offset, (day - datetime.date.min).days))
    on = day - datetime.timedelta(days=back)
    oldest = _days_before(day, stale)
    assert (oldest is not None and on < oldest) == ((day - on).days > stale)
