"""The analytics pages: calibration and agreement for hiring managers, "my calibration" for
interviewers, question analytics for bank editors. Each reads the latest snapshot (see
interviews.analytics) in one query; every table has a CSV download."""

import csv
import io

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET, require_POST

from accounts import roles
from interviews import analytics
from interviews.analytics_charts import Interval, Point, forest, scatter, sparkline
from interviews.forms import QuestionStatusForm
from interviews.models import AnalyticsSnapshot
from interviews.views.files import download
from questionbank.models import Level, Question


def _context(**extra) -> dict:
    snapshot = AnalyticsSnapshot.objects.latest_one()
    return {
        "snapshot": snapshot,
        "data": snapshot.payload if snapshot else {},
        "submitted_since": analytics.submitted_since(snapshot),
        "corrects_severity": settings.INTERVIEW_CORRECT_SEVERITY,
        **extra,
    }


def _csv(name: str, header: list[str], rows) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return download(buffer.getvalue(), "text/csv; charset=utf-8", name)


# Calibration ---------------------------------------------------------------------------------------

CALIBRATION_COLUMNS = [
    "interviewer",
    "leniency",
    "ci_low",
    "ci_high",
    "scores",
    "raw_mean",
    "reading",
]


def _leniency_chart(rows, *, title: str, chart_id: str):
    intervals = [
        Interval(r["label"], r["leniency"], r["low"], r["high"], r.get("you", False)) for r in rows
    ]
    return forest(
        intervals,
        title=title,
        low=-1.0,
        high=1.0,
        ticks=[-1, -0.5, 0, 0.5, 1],
        reference=0,
        chart_id=chart_id,
    )


@require_GET
def calibration(request: HttpRequest) -> HttpResponse:
    roles.require_role(request, roles.HIRING_MANAGERS)
    context = _context(page="calibration")
    raters = [
        {**r, "label": r["name"]} for r in context["data"].get("calibration", {}).get("raters", [])
    ]
    context["raters"] = raters
    context["chart"] = _leniency_chart(
        raters,
        title="Each interviewer's leniency in score points, with its 95% interval",
        chart_id="calibration",
    )
    return render(request, "interviews/analytics/calibration.html", context)


@require_GET
def calibration_csv(request: HttpRequest) -> HttpResponse:
    roles.require_role(request, roles.HIRING_MANAGERS)
    raters = _context()["data"].get("calibration", {}).get("raters", [])
    rows = [
        [r["name"], r["leniency"], r["low"], r["high"], r["scores"], r["raw_mean"], r["words"]]
        for r in raters
    ]
    return _csv("interviewer-calibration.csv", CALIBRATION_COLUMNS, rows)


def _mine(request: HttpRequest, context: dict) -> list[dict]:
    """Everyone's position, anonymised: the user's own row named "You", the others "Peer n"."""
    raters = context["data"].get("calibration", {}).get("raters", [])
    rows, peer = [], 0
    for r in raters:
        you = r["user"] == request.user.pk
        peer += 0 if you else 1
        label = "You" if you else f"Peer {peer}"
        rows.append({key: r[key] for key in ("leniency", "low", "high", "scores", "words")})
        rows[-1].update(label=label, you=you)
    return rows


@require_GET
def my_calibration(request: HttpRequest) -> HttpResponse:
    roles.require_role(request, roles.INTERVIEWERS)
    context = _context(page="mine")
    rows = _mine(request, context)
    context["rows"] = rows
    context["me"] = next((r for r in rows if r["you"]), None)
    context["chart"] = _leniency_chart(
        rows,
        title="Your leniency against your anonymised peers, in score points, with 95% intervals",
        chart_id="mine",
    )
    return render(request, "interviews/analytics/mine.html", context)


@require_GET
def my_calibration_csv(request: HttpRequest) -> HttpResponse:
    roles.require_role(request, roles.INTERVIEWERS)
    rows = _mine(request, _context())
    return _csv(
        "my-calibration.csv",
        ["interviewer", "leniency", "ci_low", "ci_high", "scores", "reading"],
        [[r["label"], r["leniency"], r["low"], r["high"], r["scores"], r["words"]] for r in rows],
    )


# Agreement -----------------------------------------------------------------------------------------

AGREEMENT_COLUMNS = [
    "criterion",
    "group",
    "candidates",
    "alpha_ordinal",
    "alpha_ci_low",
    "alpha_ci_high",
    "icc1",
    "icc1_ci_low",
    "icc1_ci_high",
    "icc1k",
    "reading",
    "panel_for_0.80",
]


def _agreement_rows(data: dict) -> list[dict]:
    agreement = data.get("agreement", {})
    overall = agreement.get("overall")
    rows = [{**overall, "name": "All criteria", "group": "Overall"}] if overall else []
    return rows + agreement.get("criteria", [])


@require_GET
def agreement(request: HttpRequest) -> HttpResponse:
    roles.require_role(request, roles.HIRING_MANAGERS)
    context = _context(page="agreement")
    rows = _agreement_rows(context["data"])
    charted = [
        Interval(
            r["name"], r["alpha"], *(r["alpha_ci"] or (None, None)), r["group"] == "Overall",
            note=f"{r['alpha']:.2f}",
        )
        for r in rows
        if r["alpha"] is not None
    ]  # fmt: skip
    context["rows"] = rows
    context["chart"] = forest(
        charted,
        title="Krippendorff's ordinal alpha per criterion, with 95% bootstrap intervals",
        low=-0.25,
        high=1.0,
        ticks=[0, 0.5, 0.75, 0.9, 1],
        reference=0.8,
        chart_id="agreement",
    )
    return render(request, "interviews/analytics/agreement.html", context)


@require_GET
def agreement_csv(request: HttpRequest) -> HttpResponse:
    roles.require_role(request, roles.HIRING_MANAGERS)
    rows = _agreement_rows(_context()["data"])
    return _csv(
        "rater-agreement.csv",
        AGREEMENT_COLUMNS,
        [
            [
                r["name"],
                r["group"],
                r["subjects"],
                r["alpha"],
                *(r["alpha_ci"] or ("", "")),
                r["icc1"],
                *(r["icc1_ci"] or ("", "")),
                r["icc1k"],
                r["reading"],
                r["panel_size"],
            ]
            for r in rows
        ],
    )


# Questions -----------------------------------------------------------------------------------------

QUESTION_COLUMNS = [
    "bank",
    "question",
    "key",
    "level",
    "status",
    "times_asked",
    "mean_score",
    "mean_by_final_level",
    "discrimination",
    "anchors_0_to_4",
    "hint_rate",
    "measured_minutes",
    "estimated_minutes",
    "trend_per_90_days",
    "trend_p",
    "flags",
]


def _question_rows(context: dict) -> list[dict]:
    """The live questions, with the snapshot's statistics where it has them."""
    stats = {q["id"]: q for q in context["data"].get("questions", [])}
    questions = Question.objects.select_related("bank").only(
        "bank__title",
        "key",
        "number",
        "level",
        "prompt",
        "minutes",
        "retired_at",
        "leaked_at",
        "flags",
    )
    rows = []
    for question in questions:
        s = stats.get(question.pk, {})
        months = s.get("by_month", [])
        rows.append(
            {
                "question": question,
                "stats": s,
                "anchors": [s.get("anchors", {}).get(str(n), 0) for n in range(5)],
                "by_level": [
                    (Level(int(k)).label if k != "none" else "Not placed", v)
                    for k, v in s.get("mean_by_level", {}).items()
                ],
                "months": months,
                "spark": sparkline(
                    [m[1] for m in months], label=f"Times asked per month, {question.number}"
                ),
            }
        )
    return rows


def _questions_chart(rows: list[dict]) -> SafeString:
    points = [
        Point(
            r["question"].number,
            r["stats"]["mean"],
            r["stats"]["discrimination"],
            bool(r["stats"]["flags"]),
        )
        for r in rows
        if r["stats"].get("mean") is not None and r["stats"].get("discrimination") is not None
    ]
    return scatter(
        points,
        title="Each question's mean score against how well it separates candidates",
        x_range=(1, 4),
        y_range=(-0.2, 1),
        x_label="Mean score (1 to 4): harder to the left, easier to the right",
        y_label="Separates (item-total r)",
        x_line=3.5,
        y_line=0.2,
        chart_id="questions",
    )


@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    roles.require_role(request, roles.BANK_EDITORS, roles.HIRING_MANAGERS)
    context = _context(page="questions")
    rows = _question_rows(context)
    flagged_only = request.GET.get("flagged") == "1"
    if flagged_only:
        rows = [r for r in rows if r["stats"].get("flags")]
    context.update(
        rows=rows,
        chart=_questions_chart(rows),
        flagged_only=flagged_only,
        can_change=roles.has_role(request.user, roles.BANK_EDITORS),
    )
    return render(request, "interviews/analytics/questions.html", context)


@require_GET
def questions_csv(request: HttpRequest) -> HttpResponse:
    roles.require_role(request, roles.BANK_EDITORS, roles.HIRING_MANAGERS)
    out = []
    for r in _question_rows(_context()):
        q, s = r["question"], r["stats"]
        by_level = "; ".join(f"{label} {mean}" for label, mean in r["by_level"])
        out.append(
            [
                q.bank.title,
                q.number,
                q.key,
                q.get_level_display(),
                q.status_label,
                s.get("times_asked", 0),
                s.get("mean"),
                by_level,
                s.get("discrimination"),
                " ".join(map(str, r["anchors"])),
                s.get("hint_rate"),
                s.get("measured_minutes"),
                q.minutes,
                s.get("trend_per_90_days"),
                s.get("trend_p"),
                "; ".join(s.get("flags", [])),
            ]
        )
    return _csv("question-analytics.csv", QUESTION_COLUMNS, out)


@require_POST
def question_status(request: HttpRequest) -> HttpResponse:
    """Retire a question, mark it leaked, or put it back in use; the planner reads the result."""
    roles.require_role(request, roles.BANK_EDITORS)
    form = QuestionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a question and what to do with it.")
        return redirect("interviews:analytics_questions")
    question = get_object_or_404(Question, pk=form.cleaned_data["question"])
    question.set_status(form.cleaned_data["status"])
    messages.success(request, f"{question.number} ({question.key}): {question.status_label}.")
    return redirect(f"{reverse('interviews:analytics_questions')}#q-{question.key}")
