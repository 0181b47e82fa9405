"""The summary rules, table by table: pure data in, a summary out, no database.

The rubric below is small on purpose: two Junior criteria, three Mid, five Senior (so a level needs
3 of 5 assessed at the default 60%), two Principal and one unranked specialist area.
"""

import json

import pytest

from interviews.summary import (
    HIRE,
    LEVEL_MET,
    LEVEL_NOT_ENOUGH,
    LEVEL_NOT_MET,
    MEETS,
    NO_HIRE,
    NOT_ASSESSED,
    NOT_MET,
    PARTIAL,
    STRONG,
    STRONG_HIRE,
    STRONG_NO_HIRE,
    Answer,
    Criterion,
    Rules,
    Summary,
    summarise,
)

SENIOR = 3
RUBRIC = (
    Criterion("j1", "Fundamentals", "Junior Level", 1),
    Criterion("j2", "Core concepts", "Junior Level", 1),
    Criterion("m1", "Architecture", "Mid Level", 2),
    Criterion("m2", "Training", "Mid Level", 2),
    Criterion("m3", "Fine-tuning", "Mid Level", 2),
    Criterion("s1", "System design", "Senior Level", 3),
    Criterion("s2", "Production", "Senior Level", 3),
    Criterion("s3", "Security", "Senior Level", 3),
    Criterion("s4", "Evaluation", "Senior Level", 3),
    Criterion("s5", "Advanced RAG", "Senior Level", 3),
    Criterion("p1", "Strategy", "Principal Level", 4),
    Criterion("p2", "Leadership", "Principal Level", 4),
    Criterion("x1", "Multimodal", "Specialist Areas", None),
)
SENIOR_MET = {"s1": [3], "s2": [3], "s3": [3]}


def answers(scores: dict[str, list]) -> list[Answer]:
    """One question per score, each on one criterion: {"s1": [3, 4]} is two questions on s1."""
    result = []
    for key, values in scores.items():
        for value in values:
            number = f"Q{len(result) + 1}"
            result.append(
                Answer(number, "Section 1", (key,), value, notes=f"{key}: {number} notes")
            )
    return result


def summary_of(scores: dict[str, list], target: int = SENIOR, rules: Rules | None = None):
    return summarise(answers(scores), RUBRIC, target, rules)


def criterion(summary: Summary, key: str):
    return next(c for c in summary.criteria if c.key == key)


def level(summary: Summary, number: int):
    return next(lv for lv in summary.levels if lv.level == number)


# Criteria ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "status", "mean", "count"),
    [
        pytest.param([4, 3], STRONG, 3.5, 2, id="strong-from-3.5"),
        pytest.param([3, 4, 3, 4, 3], MEETS, 3.4, 5, id="meets-just-below-strong"),
        pytest.param([3], MEETS, 3.0, 1, id="meets-from-3"),
        pytest.param([2, 3, 3], PARTIAL, 2.67, 3, id="partial-just-below-meets"),
        pytest.param([2], PARTIAL, 2.0, 1, id="partial-from-2"),
        pytest.param([1, 2, 2], NOT_MET, 1.67, 3, id="not-met-below-2"),
        pytest.param([], NOT_ASSESSED, None, 0, id="not-assessed-without-a-question"),
        pytest.param([0, 0], NOT_ASSESSED, None, 0, id="not-assessed-when-scored-0"),
        pytest.param([None], NOT_ASSESSED, None, 0, id="not-assessed-when-unscored"),
        pytest.param([4, 0, 0], STRONG, 4.0, 1, id="0-does-not-drag-the-mean"),
        pytest.param([1, 0], NOT_MET, 1.0, 1, id="0-does-not-lift-the-mean"),
    ],
)
def test_it_rates_a_criterion_by_the_mean_of_its_scores(scores, status, mean, count):
    result = criterion(summary_of({"s1": scores}), "s1")

    assert (result.status, result.mean, result.count) == (status, mean, count)
    assert [e.score for e in result.evidence] == [s for s in scores if s]


def test_it_counts_not_assessed_apart_from_unscored():
    summary = summary_of({"s1": [3, 0, None, 0]})

    assert (summary.scored, summary.not_assessed, summary.unscored) == (1, 2, 1)


# Levels --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "rules", "status", "reason"),
    [
        pytest.param(
            {"s1": [3], "s2": [4], "s3": [3], "s4": [3]},
            Rules(),
            LEVEL_MET,
            "Every assessed Senior criterion is Meets or better; 4 of 5 assessed "
            "(at least 3 needed).",
            id="met",
        ),
        pytest.param(
            {**SENIOR_MET, "s4": [0], "s5": [0]},
            Rules(),
            LEVEL_MET,
            "Every assessed Senior criterion is Meets or better; 3 of 5 assessed "
            "(at least 3 needed).",
            id="met-with-questions-not-assessed",
        ),
        pytest.param(
            {"s1": [4], "s2": [4]},
            Rules(),
            LEVEL_NOT_ENOUGH,
            "Only 2 of 5 Senior criteria assessed (at least 3 needed to decide).",
            id="not-enough-evidence",
        ),
        pytest.param(
            {"s1": [3], "s2": [3], "s3": [3], "s4": [3]},
            Rules(min_assessed=1.0),
            LEVEL_NOT_ENOUGH,
            "Only 4 of 5 Senior criteria assessed (at least 5 needed to decide).",
            id="not-enough-evidence-under-a-stricter-threshold",
        ),
        pytest.param(
            {"s1": [3], "s2": [2], "s3": [3], "s4": [3]},
            Rules(),
            LEVEL_NOT_MET,
            "Below Meets on Production (Partial, 2).",
            id="not-met-on-a-partial",
        ),
        pytest.param(
            {"s1": [1]},
            Rules(),
            LEVEL_NOT_MET,
            "Below Meets on System design (Not met, 1).",
            id="not-met-even-on-thin-evidence",
        ),
    ],
)
def test_it_decides_a_level_and_says_why(scores, rules, status, reason):
    result = level(summary_of(scores, rules=rules), SENIOR)

    assert result.status == status
    assert result.reason == reason


def test_it_leaves_unranked_criteria_out_of_every_level():
    summary = summary_of({**SENIOR_MET, "x1": [1]})

    assert criterion(summary, "x1").status == NOT_MET
    assert [lv.total for lv in summary.levels] == [2, 3, 5, 2]
    assert summary.recommendation == HIRE


# Estimated level -----------------------------------------------------------------------------------

EVERY_LEVEL = {key: [3] for key in ("j1", "j2", "m1", "m2", "m3", "s1", "s2", "s3", "p1", "p2")}


@pytest.mark.parametrize(
    ("scores", "estimated", "reason"),
    [
        pytest.param(EVERY_LEVEL, 4, "Principal is the highest level met.", id="every-level-met"),
        pytest.param(
            SENIOR_MET,
            3,
            "Senior is the highest level met; Junior, Mid had too little evidence and are "
            "taken as implied.",
            id="missing-lower-levels-are-implied",
        ),
        pytest.param(
            {**SENIOR_MET, "m1": [3], "j1": [4]},
            3,
            "Senior is the highest level met; Junior, Mid had too little evidence and are "
            "taken as implied.",
            id="thin-lower-levels-are-implied",
        ),
        pytest.param(
            {**SENIOR_MET, "m1": [1]},
            None,
            "A level is met, but a level below it is not met.",
            id="lower-level-not-met-blocks",
        ),
        pytest.param(
            {**SENIOR_MET, "m1": [2], "j1": [3], "j2": [3]},
            1,
            "Junior is the highest level met.",
            id="lower-level-not-met-falls-back-below-it",
        ),
        pytest.param({"s1": [3]}, None, "No level is met yet.", id="nothing-met"),
    ],
)
def test_it_estimates_the_level(scores, estimated, reason):
    summary = summary_of(scores)

    assert summary.estimated_level == estimated
    assert summary.estimated_reason == reason


def test_it_names_an_unplaced_estimate():
    assert summary_of({}).estimated_label == "Not placed"
    assert summary_of(SENIOR_MET).estimated_label == "Senior"


# Recommendation ------------------------------------------------------------------------------------

MET_3_OF_5 = (
    "Every assessed Senior criterion is Meets or better; 3 of 5 assessed (at least 3 needed)."
)


@pytest.mark.parametrize(
    ("scores", "recommendation", "reasons"),
    [
        pytest.param(
            {**SENIOR_MET, "p1": [3], "p2": [4]},
            STRONG_HIRE,
            (
                MET_3_OF_5,
                "Also meets the level above (Principal): Every assessed Principal criterion is "
                "Meets or better; 2 of 2 assessed (at least 2 needed).",
            ),
            id="strong-hire-level-above-met",
        ),
        pytest.param(
            {"s1": [4], "s2": [4, 3], "s3": [4]},
            STRONG_HIRE,
            (MET_3_OF_5, "Every assessed Senior criterion is Strong (mean at least 3.5)."),
            id="strong-hire-every-target-criterion-strong",
        ),
        pytest.param(
            {"s1": [3], "s2": [4], "s3": [3], "s4": [3]},
            HIRE,
            (
                "Every assessed Senior criterion is Meets or better; 4 of 5 assessed "
                "(at least 3 needed).",
            ),
            id="hire",
        ),
        pytest.param(
            {**SENIOR_MET, "p1": [3]},
            HIRE,
            (MET_3_OF_5,),
            id="hire-when-the-level-above-has-too-little-evidence",
        ),
        pytest.param(
            {"s1": [3], "s2": [2], "s3": [3], "s4": [3]},
            NO_HIRE,
            ("Below Meets on Production (Partial, 2).",),
            id="no-hire-partial-gap",
        ),
        pytest.param(
            {"s1": [4], "s2": [4], "s3": [0]},
            NO_HIRE,
            (
                "Only 2 of 5 Senior criteria assessed (at least 3 needed to decide).",
                "A hire needs enough evidence at Senior; a gap in evidence is not a low score, "
                "so consider another interview covering the gaps.",
            ),
            id="no-hire-not-enough-evidence",
        ),
        pytest.param(
            {"s1": [4], "s2": [4], "m1": [1]},
            NO_HIRE,
            (
                "Only 2 of 5 Senior criteria assessed (at least 3 needed to decide).",
                "A hire needs enough evidence at Senior; a gap in evidence is not a low score, "
                "so consider another interview covering the gaps.",
            ),
            id="no-hire-not-enough-evidence-even-with-the-level-below-not-met",
        ),
        pytest.param(
            {"s1": [1, 2], "s2": [3], "s3": [3]},
            STRONG_NO_HIRE,
            (
                "Below Meets on System design (Not met, 1.5).",
                "Not met (mean below 2) on System design (1.5).",
            ),
            id="strong-no-hire-target-criterion-not-met",
        ),
        pytest.param(
            {"s1": [3], "s2": [2], "s3": [3], "m1": [2]},
            STRONG_NO_HIRE,
            (
                "Below Meets on Production (Partial, 2).",
                "The level below (Mid) is not met either.",
            ),
            id="strong-no-hire-level-below-not-met",
        ),
    ],
)
def test_it_recommends_with_reasons_in_words(scores, recommendation, reasons):
    summary = summary_of(scores)

    assert summary.recommendation == recommendation
    assert summary.reasons == reasons


@pytest.mark.parametrize(
    ("target", "scores", "recommendation"),
    [
        pytest.param(1, {"j1": [3], "j2": [3]}, HIRE, id="junior-target-has-no-level-below"),
        pytest.param(
            4, {"p1": [3], "p2": [2], "s1": [1]}, STRONG_NO_HIRE, id="principal-target-level-below"
        ),
        pytest.param(4, {"p1": [4], "p2": [4]}, STRONG_HIRE, id="principal-target-all-strong"),
    ],
)
def test_it_recommends_at_the_ends_of_the_scale(target, scores, recommendation):
    assert summary_of(scores, target=target).recommendation == recommendation


def test_it_refuses_a_target_level_the_rubric_lacks():
    rubric = [c for c in RUBRIC if c.level != 4]

    with pytest.raises(ValueError, match="no Principal level"):
        summarise([], rubric, 4)


# Coverage, strengths and concerns -------------------------------------------------------------------


def test_it_lists_target_criteria_without_evidence_as_coverage_gaps():
    summary = summary_of({**SENIOR_MET, "s4": [0], "m1": [3]})

    assert summary.coverage_gaps == ("Evaluation", "Advanced RAG")


def test_it_lists_no_gaps_when_every_target_criterion_has_evidence():
    summary = summary_of({key: [3] for key in ("s1", "s2", "s3", "s4", "s5")})

    assert summary.coverage_gaps == ()


def test_it_picks_strengths_and_concerns_with_their_notes_as_evidence():
    scores = {"m1": [4, 4], "s1": [4], "j1": [3, 3], "s2": [3], "s3": [2], "s4": [1], "s5": [0]}

    summary = summary_of(scores)

    assert [c.name for c in summary.strengths] == ["Architecture", "System design", "Fundamentals"]
    assert [c.name for c in summary.concerns] == ["Evaluation", "Security"]
    assert [e.notes for e in summary.strengths[0].evidence] == ["m1: Q1 notes", "m1: Q2 notes"]
    assert [e.notes for e in summary.concerns[0].evidence] == ["s4: Q8 notes"]


def test_it_keeps_whether_a_note_is_private_in_the_evidence():
    given = [
        Answer("Q1", "Section 1", ("s1",), 3, notes="said out loud"),
        Answer("Q2", "Section 1", ("s1",), 4, notes="kept to myself", private=True),
    ]

    evidence = criterion(summarise(given, RUBRIC, SENIOR), "s1").evidence

    assert [(e.notes, e.private) for e in evidence] == [
        ("said out loud", False),
        ("kept to myself", True),
    ]


# Storing it ----------------------------------------------------------------------------------------


def test_it_round_trips_through_json_as_stored_at_submission():
    rules = Rules(version="7", strong=3.6, meets=3.1, partial=2.1, min_assessed=0.5)
    summary = summary_of({"m1": [4, 4], "s1": [4], "s2": [3], "s3": [2], "s4": [0]}, rules=rules)

    stored = json.loads(json.dumps(summary.as_dict()))
    restored = Summary.from_dict(stored)

    assert restored == summary
    assert restored.rules.version == "7"
    assert restored.recommendation_label == summary.recommendation_label
    assert restored.criteria[0].status_label == summary.criteria[0].status_label


# Rules 2: scores read against the question's own level (issue 13) ------------------------------


def leveled(rows) -> list[Answer]:
    """(criterion key, question level, score) rows, one question each."""
    return [
        Answer(f"Q{i}", "Section 1", (key,), score, level=level)
        for i, (key, level, score) in enumerate(rows, start=1)
    ]


def test_it_keeps_a_target_criterion_at_meets_after_a_2_on_a_stretch_question():
    """The incident: 3 and 3 on Senior questions, 2 on a Principal one, all on System design."""
    rows = [("s1", 3, 3), ("s1", 3, 3), ("s1", 4, 2), ("s2", 3, 3), ("s3", 3, 3)]

    summary = summarise(leveled(rows), RUBRIC, SENIOR)

    s1 = next(c for c in summary.criteria if c.key == "s1")
    assert (s1.status, s1.mean) == (MEETS, 3.0)
    assert [e.read_as for e in s1.evidence] == [None, None, 3]
    assert summary.recommendation == HIRE
    assert summary.estimate.most_likely == SENIOR


def test_it_read_the_incident_as_partial_under_rules_1():
    """The same scores without question levels (how rules 1 read them) gave Partial 2.67."""
    rows = [("s1", None, 3), ("s1", None, 3), ("s1", None, 2), ("s2", None, 3), ("s3", None, 3)]

    s1 = next(c for c in summarise(leveled(rows), RUBRIC, SENIOR).criteria if c.key == "s1")

    assert (s1.status, s1.mean) == (PARTIAL, 2.67)


def test_it_lets_a_stretch_question_raise_a_criterion_but_never_lower_it():
    import random

    rng = random.Random(12)
    ranked = [c for c in RUBRIC if c.level is not None]
    order = [NOT_MET, PARTIAL, MEETS, STRONG]
    lowered_without_rule = 0
    for _ in range(400):
        rows = [
            (c.key, rng.randint(1, c.level), rng.randint(1, 4))
            for c in rng.sample(ranked, 5)
            for _ in range(rng.randint(1, 2))
        ]
        criterion = rng.choice([c for c in ranked if c.level < 4])
        stretch = (criterion.key, rng.randint(criterion.level + 1, 4), rng.randint(1, 4))
        before = {c.key: c for c in summarise(leveled(rows), RUBRIC, SENIOR).criteria}
        after = {c.key: c for c in summarise(leveled([*rows, stretch]), RUBRIC, SENIOR).criteria}
        was, now = before[criterion.key], after[criterion.key]
        if was.status != NOT_ASSESSED:
            assert order.index(now.status) >= order.index(was.status)
            if stretch[2] < was.mean:
                lowered_without_rule += 1
    assert lowered_without_rule > 50, "too few cases where a plain mean would have dropped"


def test_it_reads_stretch_only_evidence_at_the_criterions_level():
    summary = summarise(leveled([("m1", 4, 2), ("m1", 3, 1)]), RUBRIC, SENIOR)

    m1 = next(c for c in summary.criteria if c.key == "m1")
    assert [e.read_as for e in m1.evidence] == [4, 2]
    assert m1.mean == 3.0


def test_it_freezes_the_level_estimate_with_the_summary():
    summary = summarise(leveled([("s1", 3, 3), ("s2", 3, 4), ("p1", 4, 1)]), RUBRIC, SENIOR)

    thawed = Summary.from_dict(json.loads(json.dumps(summary.as_dict())))

    assert thawed == summary
    assert thawed.estimate.most_likely == summary.estimate.most_likely
    assert "Senior" in summary.estimate.statement
