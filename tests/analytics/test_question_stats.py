import random
from datetime import date, timedelta

import pytest

from interviews import question_stats as qs

START = date(2026, 1, 1)


def asked(question, interview, score, *, hint=False, seconds=300, day=0, target=2, final=None):
    return qs.Asked(
        question, interview, score, hint, seconds, START + timedelta(days=day), target, final
    )


def history(n=60, seed=0, easy=None, noisy=None, slow=None, rising=None):
    """n interviews of four questions; ability drives questions 1-3, the others as told."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        ability = rng.choice([1, 2, 3, 4])
        for q in (1, 2, 3):
            rows.append(asked(q, i, max(1, min(4, ability + rng.choice([-1, 0, 0, 1]))), day=i))
        if easy:
            rows.append(asked(4, i, 4, day=i))
        if noisy:
            rows.append(asked(4, i, rng.choice([1, 2, 3, 4]), day=i))
        if slow:
            rows.append(asked(4, i, ability, seconds=15 * 60, day=i))
        if rising:
            rows.append(asked(4, i, 1 + min(3, i * 4 // n), day=i * 3))
    return rows


QUESTIONS = [qs.QuestionInfo(q, 2, 5) for q in (1, 2, 3, 4)]


def stats_for(rows, question=4):
    return next(s for s in qs.analyse(QUESTIONS, rows) if s.question == question)


def test_it_counts_scores_anchors_hints_and_minutes():
    rows = [
        asked(1, 1, 3, hint=True, seconds=240),
        asked(1, 2, 0, seconds=0),
        asked(1, 3, 4, seconds=360),
        asked(2, 1, 2),
    ]
    s = qs.analyse([qs.QuestionInfo(1, 2, 5), qs.QuestionInfo(2, 2, 5)], rows)[0]
    assert (s.times_asked, s.scored, s.mean) == (3, 2, 3.5)
    assert s.anchors == {"0": 1, "3": 1, "4": 1}
    assert s.hint_rate == pytest.approx(1 / 3, abs=1e-3)
    assert s.measured_minutes is None  # fewer than MIN_TIMED timed answers


def test_it_flags_a_question_everyone_aces_as_too_easy():
    s = stats_for(history(easy=True))
    assert qs.TOO_EASY in s.flags and s.mean == 4


def test_it_flags_a_question_that_does_not_follow_the_other_scores():
    noisy, good = stats_for(history(noisy=True)), stats_for(history(noisy=True), question=1)
    assert noisy.discrimination < 0.2 < good.discrimination
    assert qs.NO_SEPARATION in noisy.flags and qs.NO_SEPARATION not in good.flags


def test_it_flags_a_question_that_runs_over_time():
    s = stats_for(history(slow=True))
    assert s.measured_minutes == 15 and qs.OVER_TIME in s.flags
    assert qs.OVER_TIME not in stats_for(history(slow=True), question=1).flags


def test_it_flags_a_rising_mean_as_overexposed():
    s = stats_for(history(n=90, rising=True))
    assert s.trend_per_90_days > 0 and s.trend_p < 0.01
    assert qs.OVEREXPOSED_FLAG in s.flags
    assert [m for m, _, _ in s.by_month] == sorted(m for m, _, _ in s.by_month)


def test_it_flags_a_question_asked_far_more_than_the_others():
    rows = history(n=40)
    rows += [asked(4, 1000 + i, 2 + i % 2, day=i) for i in range(100)]
    assert qs.OVEREXPOSED_FLAG in stats_for(rows).flags


def test_it_does_not_flag_with_too_little_data():
    rows = [asked(4, i, 4, seconds=3000) for i in range(4)]
    assert stats_for(rows).flags == []


def test_it_groups_difficulty_by_final_level():
    rows = [
        asked(1, 1, 2, final=2),
        asked(1, 2, 4, final=3),
        asked(1, 3, 3, final=3),
        asked(1, 4, 1),
    ]
    s = qs.analyse([qs.QuestionInfo(1, 2, 5)], rows)[0]
    assert s.mean_by_level == {"2": 2.0, "3": 3.5, "none": 1.0}
