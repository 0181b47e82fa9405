"""How each question behaves: classical item analysis over submitted scorecards. Pure functions.

Model and sources: classical test theory's item statistics (Crocker & Algina 1986, "Introduction
to Classical and Modern Test Theory", ch. 14):

- difficulty is the mean score (1-4; "not assessed" is left out), overall and by the candidate's
  final (estimated) level;
- discrimination is the corrected item-total correlation: Pearson's r between the question's score
  and the mean of the *other* scored questions of the same interview (the question's own score is
  left out of the total so it cannot correlate with itself). Ebel's rule of thumb reads r < .20 as
  a question that does not separate candidates (Ebel & Frisbie 1991);
- exposure over time is the count per calendar month, and a trend of the mean score over time is
  an ordinary least-squares slope (points per 90 days) with its two-sided p-value
  (scipy.stats.linregress): a rising mean on a much-asked question is how a leak shows.

Flags, in words, each only with enough data behind it (MIN_* below), in this order:
1. "too easy for its level": mean score at or above EASY_MEAN among candidates whose target level
   is the question's level or above.
2. "does not separate candidates": corrected item-total r below MIN_DISCRIMINATION.
3. "runs over time": median measured minutes above OVERTIME x the estimate.
4. "overexposed — consider retiring": asked more than OVEREXPOSED x the bank's median question, or
   a mean score rising significantly (p < .01) over time.
"""

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date

import numpy as np
from scipy import stats

EASY_MEAN = 3.5
MIN_DISCRIMINATION = 0.20
OVERTIME = 1.5
OVEREXPOSED = 2.0
MIN_SCORES = 10  # for difficulty and the "too easy" flag
MIN_PAIRS = 20  # for discrimination
MIN_TIMED = 5  # for measured minutes
MIN_TREND = 30  # for the trend over time
TREND_P = 0.01

TOO_EASY = "too easy for its level"
NO_SEPARATION = "does not separate candidates"
OVER_TIME = "runs over time"
OVEREXPOSED_FLAG = "overexposed — consider retiring"


@dataclass(frozen=True)
class Asked:
    """One time a question was asked, in a submitted scorecard."""

    question: int
    interview: int
    score: int  # 0 = not assessed, 1-4
    hint: bool
    seconds: int
    on: date
    target_level: int
    final_level: int | None  # the summary's estimated level, None when not placed


@dataclass(frozen=True)
class QuestionInfo:
    id: int
    level: int
    minutes: int


@dataclass
class QuestionStats:
    question: int
    times_asked: int
    scored: int
    mean: float | None
    mean_by_level: dict[str, float] = field(default_factory=dict)
    discrimination: float | None = None
    anchors: dict[str, int] = field(default_factory=dict)
    hint_rate: float | None = None
    measured_minutes: float | None = None
    estimated_minutes: int = 0
    by_month: list[tuple[str, int, float | None]] = field(default_factory=list)
    trend_per_90_days: float | None = None
    trend_p: float | None = None
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def analyse(questions: list[QuestionInfo], asked: list[Asked]) -> list[QuestionStats]:
    """Statistics and flags for every question, asked or not, in the order given."""
    by_question: dict[int, list[Asked]] = defaultdict(list)
    by_interview: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # sum, count of scores
    for a in asked:
        by_question[a.question].append(a)
        if a.score > 0:
            total = by_interview[a.interview]
            total[0], total[1] = total[0] + a.score, total[1] + 1
    exposure = [len(by_question.get(q.id, ())) for q in questions]
    typical = statistics.median(exposure) if exposure else 0
    return [_one(q, by_question.get(q.id, []), by_interview, typical) for q in questions]


def _one(q: QuestionInfo, rows: list[Asked], by_interview, typical: float) -> QuestionStats:
    scored = [a for a in rows if a.score > 0]
    result = QuestionStats(
        question=q.id,
        times_asked=len(rows),
        scored=len(scored),
        mean=_mean(a.score for a in scored),
        estimated_minutes=q.minutes,
    )
    result.anchors = {str(s): n for s, n in sorted(Counter(a.score for a in rows).items())}
    result.hint_rate = _mean(1.0 if a.hint else 0.0 for a in rows)
    timed = [a.seconds / 60 for a in rows if a.seconds > 0]
    result.measured_minutes = (
        round(statistics.median(timed), 1) if len(timed) >= MIN_TIMED else None
    )
    levels: dict[str, list[int]] = defaultdict(list)
    for a in scored:
        levels[str(a.final_level) if a.final_level else "none"].append(a.score)
    result.mean_by_level = {k: round(statistics.fmean(v), 2) for k, v in sorted(levels.items())}
    result.discrimination = _discrimination(scored, by_interview)
    result.by_month, result.trend_per_90_days, result.trend_p = _over_time(rows, scored)
    result.flags = _flags(q, result, scored, typical)
    return result


def _mean(values) -> float | None:
    values = list(values)
    return round(statistics.fmean(values), 3) if values else None


def _discrimination(scored: list[Asked], by_interview) -> float | None:
    pairs = []
    for a in scored:
        total, count = by_interview[a.interview]
        if count > 1:  # the rest of the interview: its total without this question's own score
            pairs.append((a.score, (total - a.score) / (count - 1)))
    if len(pairs) < MIN_PAIRS:
        return None
    x, y = np.array(pairs).T
    if x.std() == 0 or y.std() == 0:
        return 0.0
    return round(float(np.corrcoef(x, y)[0, 1]), 3)


def _over_time(rows, scored):
    months: dict[str, list[Asked]] = defaultdict(list)
    for a in rows:
        months[a.on.strftime("%Y-%m")].append(a)
    by_month = [
        (month, len(items), _mean(a.score for a in items if a.score > 0))
        for month, items in sorted(months.items())
    ]
    if len(scored) < MIN_TREND:
        return by_month, None, None
    days = np.array([a.on.toordinal() for a in scored], dtype=float)
    if days.std() == 0:
        return by_month, None, None
    fit = stats.linregress(days, np.array([a.score for a in scored], dtype=float))
    slope = fit.slope * 90
    p = fit.pvalue if math.isfinite(fit.pvalue) else None
    return by_month, round(float(slope), 3), None if p is None else float(p)


def _flags(q: QuestionInfo, s: QuestionStats, scored: list[Asked], typical: float) -> list[str]:
    flags = []
    at_level = [a.score for a in scored if a.target_level >= q.level]
    if len(at_level) >= MIN_SCORES and statistics.fmean(at_level) >= EASY_MEAN:
        flags.append(TOO_EASY)
    if s.discrimination is not None and s.discrimination < MIN_DISCRIMINATION:
        flags.append(NO_SEPARATION)
    if s.measured_minutes is not None and s.measured_minutes > OVERTIME * q.minutes:
        flags.append(OVER_TIME)
    rising = s.trend_p is not None and s.trend_p < TREND_P and (s.trend_per_90_days or 0) > 0
    if (typical and s.times_asked > OVEREXPOSED * typical and s.times_asked >= MIN_TREND) or rising:
        flags.append(OVEREXPOSED_FLAG)
    return flags
