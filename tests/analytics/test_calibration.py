"""Property tests for the many-facet severity model, over generated histories."""

import math

import numpy as np
import pytest
from scipy import stats

from interviews import calibration


def history(seed, candidates=80, raters=6, leniency=None, noise=0.3, per_candidate=3):
    rng = np.random.default_rng(seed)
    leniency = rng.normal(0, 0.4, raters) if leniency is None else np.asarray(leniency)
    ability = rng.normal(0, 0.7, candidates)
    easiness = rng.normal(0, 0.4, 30)
    rows = []
    for c in range(candidates):
        for r in rng.choice(raters, size=per_candidate, replace=False):
            for q in rng.choice(30, size=5, replace=False):
                y = 2.5 + ability[c] + easiness[q] + leniency[r] + rng.normal(0, noise)
                rows.append((f"c{c}", f"q{q}", f"r{r}", y))
    return rows, leniency


def fitted(rows):
    data, _, _, raters = calibration.Scores.from_rows(rows)
    result = calibration.fit(data)
    return result, {raters[e.index]: e for e in result.raters}


@pytest.mark.parametrize("seed", range(5))
def test_it_recovers_leniencies_of_an_additive_history(seed):
    rows, truth = history(seed)
    _, effects = fitted(rows)
    estimate = np.array([effects[f"r{r}"].leniency for r in range(len(truth))])
    centred = truth - truth.mean()
    assert np.abs(estimate - centred).max() < 0.15
    assert np.corrcoef(estimate, centred)[0, 1] > 0.95


@pytest.mark.parametrize("seed", range(5))
def test_it_gives_intervals_that_hold_the_truth_and_count_the_scores(seed):
    rows, truth = history(seed)
    _, effects = fitted(rows)
    centred = truth - truth.mean()
    inside = [effects[f"r{r}"].low <= centred[r] <= effects[f"r{r}"].high for r in range(6)]
    assert sum(inside) >= 5
    for name, effect in effects.items():
        assert effect.scores == sum(1 for row in rows if row[2] == name)


def rounded_history(seed, candidates=40, raters=6):
    """Scores cut into the 1-4 scale from a latent additive model, so not the fitted model's own
    process; the truth is each interviewer's effect on the expected recorded score, over the
    population of candidates and the questions, against the average of the interviewers."""
    rng = np.random.default_rng(seed)
    leniency = rng.normal(0, 0.4, raters)
    ability = rng.normal(0, 0.7, candidates)
    easiness = rng.normal(0, 0.4, 30)
    thresholds = np.array([1.5, 2.5, 3.5])
    rows = []
    for c in range(candidates):
        for r in rng.choice(raters, size=3, replace=False):
            for q in rng.choice(30, size=5, replace=False):
                latent = 2.5 + ability[c] + easiness[q] + leniency[r] + rng.normal(0, 0.5)
                rows.append((f"c{c}", f"q{q}", f"r{r}", 1 + int((latent > thresholds).sum())))
    spread = math.hypot(0.7, 0.5)
    centre = 2.5 + easiness[:, None, None] + leniency[None, :, None] - thresholds
    expected = 1 + stats.norm.cdf(centre / spread).sum(axis=2).mean(axis=0)
    return rows, {f"r{r}": expected[r] - expected.mean() for r in range(raters)}


def test_it_gives_95_percent_intervals_that_hold_the_truth_about_95_percent_of_the_time():
    """Over 72 intervals from rounded 1-4 scores: intervals too narrow (say 60% coverage) or
    uselessly wide (all of them hold the truth) both fail."""
    inside = []
    for seed in range(12):
        rows, truth = rounded_history(seed)
        _, effects = fitted(rows)
        inside += [
            effects[name].low <= value <= effects[name].high for name, value in truth.items()
        ]
    assert 0.85 <= np.mean(inside) < 1


def test_it_separates_severity_from_candidates_who_happen_to_be_weak():
    """A fair interviewer who only met weak candidates is not called severe."""
    rng = np.random.default_rng(3)
    rows = []
    for c in range(120):
        ability = -1.0 if c < 40 else rng.normal(0.3, 0.5)
        panel = ["fair", "other"] if c < 40 else list(rng.choice(["other", "b", "c"], 2, False))
        for r in panel:
            for q in range(4):
                rows.append((c, q, r, 2.5 + ability + rng.normal(0, 0.3)))
    _, effects = fitted(rows)
    assert abs(effects["fair"].leniency) < 0.1


def test_it_shrinks_an_interviewer_with_few_scores_toward_zero():
    rows, _ = history(11, leniency=[0, 0, 0, 0, 0, 0])
    rng = np.random.default_rng(5)
    # Two newcomers, both 0.8 points more lenient: one scored 5 answers, the other 200.
    for name, n in (("few", 5), ("many", 200)):
        for i in range(n):
            rows.append((f"c{i % 80}", f"q{i % 30}", name, 3.3 + rng.normal(0, 0.3)))
    _, effects = fitted(rows)
    assert 0 < effects["few"].leniency < effects["many"].leniency
    few, many = effects["few"], effects["many"]
    assert (few.high - few.low) > 2 * (many.high - many.low)


def test_it_does_not_depend_on_the_order_of_the_scores():
    rows, _ = history(2)
    shuffled = list(rows)
    np.random.default_rng(0).shuffle(shuffled)
    _, a = fitted(rows)
    _, b = fitted(shuffled)
    assert a and a.keys() == b.keys()
    for name in a:
        assert a[name].leniency == pytest.approx(b[name].leniency, abs=1e-5)


def test_it_shifts_one_interviewer_when_only_their_scores_shift():
    rows, _ = history(4, candidates=150)
    _, before = fitted(rows)
    bumped = [(c, q, r, y + 0.5 if r == "r2" else y) for c, q, r, y in rows]
    _, after = fitted(bumped)
    assert after["r2"].leniency - before["r2"].leniency == pytest.approx(0.5 * 5 / 6, abs=0.1)


def test_it_reports_severity_by_id_and_needs_some_variance():
    rows, _ = history(1)
    data, _, _, raters = calibration.Scores.from_rows(rows)
    result = calibration.fit(data)
    severity = calibration.severities(result, raters)
    assert set(severity) == set(raters)
    assert severity["r0"] == -next(e.leniency for e in result.raters if raters[e.index] == "r0")
    flat, *_ = calibration.Scores.from_rows([(1, 1, 1, 3), (2, 1, 2, 3)])
    assert calibration.fit(flat) is None
    assert calibration.severities(None, []) == {}


def test_it_claims_no_certainty_from_a_history_it_fits_exactly():
    """Four whole-point scores that two raters' leniencies explain exactly: the intervals still
    allow for the rounding to whole points."""
    rows = [(1, 1, "a", 3), (1, 2, "b", 2), (2, 1, "b", 4), (2, 2, "a", 1)]
    _, effects = fitted(rows)
    assert all(e.high - e.low > 0.5 for e in effects.values())
