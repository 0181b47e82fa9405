"""The ORM adapter of the analytics: read every submitted score once, run the pure models
(calibration, agreement, question_stats) and store what the pages show as one snapshot.

Who scored: the interviewer who submitted the scorecard, else the interview's first interviewer.
Which criteria an answer is evidence for: the question's criteria in the bank as it is now.
"""

import math
import statistics
from collections import defaultdict

import numpy as np
from django.conf import settings
from django.db import transaction

from interviews import agreement, calibration, question_stats
from interviews.models import AnalyticsSnapshot, Candidate, Interview, PlannedQuestion, Status
from questionbank.models import Criterion, Question

SYNTHETIC_PREFIX = "Synthetic candidate"
KEEP_SNAPSHOTS = 5
MIN_UNITS = 5  # candidates seen by two interviewers, before agreement is shown at all


def refresh() -> AnalyticsSnapshot:
    """Compute every analytic from the database as it is, store it, and write the question flags."""
    rows, raters = _read_scores()
    questions = list(Question.objects.select_related("bank").order_by("bank__title", "position"))
    stats = question_stats.analyse(
        [question_stats.QuestionInfo(q.pk, q.level, q.minutes) for q in questions],
        [
            question_stats.Asked(
                question=r["question"],
                interview=r["interview"],
                score=r["score"],
                hint=r["hint"],
                seconds=r["seconds"],
                on=r["when"].date(),  # the UTC date: months are buckets, not deadlines
                target_level=r["target_level"],
                final_level=_level(r["final_level"]),
            )
            for r in rows
        ],
    )
    payload = {
        "calibration": _calibration(rows, raters),
        "agreement": _agreement(rows, raters),
        "questions": [_question_row(q, s) for q, s in zip(questions, stats, strict=True)],
    }
    with transaction.atomic():
        _write_flags(questions, stats)
        snapshot = AnalyticsSnapshot.objects.create(
            scorecards=len({r["interview"] for r in rows}),
            scores=sum(1 for r in rows if r["score"] > 0),
            synthetic=Candidate.objects.filter(name__startswith=SYNTHETIC_PREFIX).exists(),
            payload=payload,
        )
        old = AnalyticsSnapshot.objects.order_by("-computed_at", "-pk")[KEEP_SNAPSHOTS:]
        AnalyticsSnapshot.objects.filter(pk__in=list(old.values_list("pk", flat=True))).delete()
    return snapshot


def submitted_since(snapshot: AnalyticsSnapshot | None) -> int:
    if snapshot is None:
        return Interview.objects.filter(status=Status.SUBMITTED).count()
    # submitted_at is set only while a scorecard is submitted (reopening clears it): one index range.
    return Interview.objects.filter(submitted_at__gt=snapshot.computed_at).count()


def rater_severities(snapshot: AnalyticsSnapshot | None = None) -> dict[int, float]:
    """Each interviewer's severity in score points (user id -> points; positive scores low), from
    the latest snapshot: what a level estimate subtracts to correct for a known severity."""
    snapshot = snapshot or AnalyticsSnapshot.objects.latest_one()
    if snapshot is None:
        return {}
    raters = snapshot.payload.get("calibration", {}).get("raters", [])
    return {r["user"]: -r["leniency"] for r in raters}


def severity_for(interview: Interview, *, by=None) -> float | None:
    """The severity (score points) the level estimate of this scorecard corrects for, or None when
    INTERVIEW_CORRECT_SEVERITY is off. It comes from other scorecards: the latest snapshot before
    this one is submitted (the summary freezes it then), or, for a scorecard submitted again after
    a reopen, the severity frozen at its earlier submission. Shrunk toward zero like every
    calibration effect; 0 for an interviewer the calibration has not seen."""
    if not settings.INTERVIEW_CORRECT_SEVERITY:
        return None
    reopening = interview.reopenings.filter(previous_summary__isnull=False).first()
    earlier = reopening.previous_summary.get("severity") if reopening else None
    if earlier is not None:
        return earlier
    panel = list(interview.interviewers.values_list("pk", flat=True))
    rater = scorer(by.pk if by is not None else interview.submitted_by_id, panel)
    return rater_severities().get(rater, 0.0)


def scorer(submitted_by: int | None, panel: list[int]) -> int | None:
    """Who scored an interview: who submitted it when on its panel, else its first interviewer."""
    if submitted_by in panel or not panel:
        return submitted_by
    return min(panel)


# Reading ------------------------------------------------------------------------------------------


def _read_scores() -> tuple[list[dict], dict[int, int]]:
    """Every score of a submitted scorecard (two queries), and who scored each interview."""
    items = PlannedQuestion.objects.filter(
        interview__status=Status.SUBMITTED, question__isnull=False, score__isnull=False
    ).values_list(
        "interview_id",
        "interview__candidate_id",
        "question_id",
        "score",
        "hint_given",
        "seconds_spent",
        "interview__scheduled_for",
        "interview__target_level",
        "interview__summary__estimated_level",
        "interview__submitted_by_id",
    )
    keys = ("interview", "candidate", "question", "score", "hint", "seconds", "when")
    keys += ("target_level", "final_level", "submitted_by")
    rows = [dict(zip(keys, row, strict=True)) for row in items.iterator(chunk_size=5000)]
    panel = defaultdict(list)
    through = Interview.interviewers.through.objects.filter(interview__status=Status.SUBMITTED)
    for interview, user in through.values_list("interview_id", "user_id").iterator(chunk_size=5000):
        panel[interview].append(user)
    raters = {}
    for r in rows:
        if r["interview"] not in raters:
            raters[r["interview"]] = scorer(r["submitted_by"], panel.get(r["interview"], []))
    return rows, raters


def _level(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _names(user_ids) -> dict[int, str]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=list(user_ids))
    return {u.pk: u.get_full_name() or u.get_username() for u in users}


# Calibration -------------------------------------------------------------------------------------


def _calibration(rows: list[dict], raters: dict[int, int]) -> dict:
    scored = [r for r in rows if r["score"] > 0 and raters.get(r["interview"]) is not None]
    data, _, _, rater_ids = calibration.Scores.from_rows(
        (r["candidate"], r["question"], raters[r["interview"]], r["score"]) for r in scored
    )
    result = calibration.fit(data) if scored else None
    if result is None:
        return {"raters": [], "fitted": False}
    names = _names(rater_ids)
    totals = defaultdict(lambda: [0, 0])
    for r in scored:
        total = totals[raters[r["interview"]]]
        total[0], total[1] = total[0] + r["score"], total[1] + 1
    effects = sorted(result.raters, key=lambda e: e.leniency)
    return {
        "fitted": True,
        "noise_sd": round(result.noise_sd, 3),
        "rater_sd": round(result.rater_sd, 3),
        "candidate_sd": round(result.candidate_sd, 3),
        "question_sd": round(result.question_sd, 3),
        "mean": round(result.mean, 3),
        "raters": [
            {
                "user": rater_ids[e.index],
                "name": names.get(rater_ids[e.index], "(deleted account)"),
                "leniency": round(e.leniency, 3),
                "low": round(e.low, 3),
                "high": round(e.high, 3),
                "scores": e.scores,
                "raw_mean": round(totals[rater_ids[e.index]][0] / totals[rater_ids[e.index]][1], 2),
                "words": calibration.position_words(e),
            }
            for e in effects
        ],
    }


# Agreement ---------------------------------------------------------------------------------------


def _agreement(rows: list[dict], raters: dict[int, int]) -> dict:
    """Per criterion and overall: candidates are the subjects, their interviewers the raters."""
    criteria_of = defaultdict(list)
    for question, criterion in Question.criteria.through.objects.values_list(
        "question_id", "criterion_id"
    ):
        criteria_of[question].append(criterion)
    names = {
        c.pk: (c.key, c.name, c.rubric_level.heading)
        for c in Criterion.objects.select_related("rubric_level")
    }
    cells: dict[object, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        rater = raters.get(r["interview"])
        if r["score"] <= 0 or rater is None:
            continue
        cells["overall"][(r["candidate"], rater)].append(r["score"])
        for criterion in criteria_of.get(r["question"], ()):
            cells[criterion][(r["candidate"], rater)].append(r["score"])
    overall = _agreement_of(cells.pop("overall", {}))
    per_criterion = []
    for criterion, table in cells.items():
        key, name, group = names.get(criterion, ("?", "?", ""))
        per_criterion.append({"key": key, "name": name, "group": group, **_agreement_of(table)})
    per_criterion.sort(key=lambda c: (c["group"], c["name"]))
    return {"overall": overall, "criteria": per_criterion}


def _agreement_of(table: dict[tuple[int, int], list[int]]) -> dict:
    """One criterion: each candidate's mean score from each interviewer, rounded to half points
    (Krippendorff's ordinal alpha over all panels; ICC(1) over each candidate's first two)."""
    by_candidate = defaultdict(dict)
    for (candidate, rater), scores in table.items():
        by_candidate[candidate][rater] = round(statistics.fmean(scores) * 2) / 2
    panels = [[v[r] for r in sorted(v)] for v in by_candidate.values() if len(v) >= 2]
    out = {"subjects": len(panels), "raters": len({r for (_, r) in table})}
    empty = {"alpha": None, "alpha_ci": None, "icc1": None, "icc1_ci": None, "icc1k": None}
    if len(panels) < MIN_UNITS:
        return {**out, **empty, "reading": agreement.koo_li(None), "panel_size": None}
    width = max(len(p) for p in panels)
    matrix = np.full((len(panels), width), math.nan)
    for i, p in enumerate(panels):
        matrix[i, : len(p)] = p
    alpha = agreement.alpha_with_ci(matrix, "ordinal")
    iccs = agreement.icc(matrix[:, :2])
    icc1 = iccs["icc1"] if iccs else agreement.Estimate(None)
    return {
        **out,
        "alpha": _round(alpha.value),
        "alpha_ci": [_round(v) for v in alpha.ci] if alpha.ci else None,
        "icc1": _round(icc1.value),
        "icc1_ci": [_round(v) for v in icc1.ci] if icc1.ci else None,
        "icc1k": _round(iccs["icc1k"].value) if iccs else None,
        "reading": agreement.koo_li(icc1.value),
        "panel_size": agreement.panel_size_for(icc1.value),
    }


def _round(value):
    return None if value is None else round(value, 3)


# Questions ---------------------------------------------------------------------------------------


def _question_row(question: Question, stats: question_stats.QuestionStats) -> dict:
    return {
        "id": question.pk,
        "key": question.key,
        "number": question.number,
        "bank": question.bank.title,
        "level": question.level,
        "prompt": question.prompt[:140],
        **{k: v for k, v in stats.as_dict().items() if k != "question"},
    }


def _write_flags(questions: list[Question], stats: list[question_stats.QuestionStats]) -> None:
    changed = []
    for question, s in zip(questions, stats, strict=True):
        flags = "; ".join(s.flags)[:300]
        if question.flags != flags:
            question.flags = flags
            changed.append(question)
    Question.objects.bulk_update(changed, ["flags"], batch_size=500)
