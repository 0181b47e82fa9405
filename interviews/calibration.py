"""Interviewer calibration: how lenient or severe each interviewer scores. Pure functions over arrays.

Model: an additive many-facet model (Linacre's many-facet Rasch measurement, in its linear form;
Eckes 2015, "Introduction to Many-Facet Rasch Measurement", ch. 2), each score being

    score = mean + ability[candidate] + easiness[question] + leniency[interviewer] + noise

with the three facets as crossed random effects with zero mean (a crossed-effects linear mixed
model). Fitted by penalised least squares: each facet's effects are shrunk toward zero by the
ratio noise variance / facet variance, which is what the mixed model's best linear unbiased
predictors do (Henderson's mixed-model equations; Searle, Casella & McCulloch 1992, ch. 7). An
interviewer with three scores is therefore pulled close to zero; one with hundreds is not.

Fitting, in order:
1. Backfitting (Gauss-Seidel over the three facets): each effect is the shrunk mean of the
   residuals of its scores, sum / (count + noise / facet variance), until no effect moves by more
   than 1e-6 score points.
2. The variance components are re-estimated between passes by an EM step (each facet's variance
   is the mean of its squared effects plus their mean conditional variance), starting from a
   quarter of the score variance each; 20 passes at most.
3. A leniency's interval integrates out the candidates exactly (their block of the mixed-model
   equations is diagonal) and holds the questions at their estimates (each question has many
   scores, so its own uncertainty adds little): the Schur complement of the candidate block gives
   the interviewers' covariance, and the interval is the estimate ± 1.96 standard errors.

Leniency is in score points: +0.3 means this interviewer's scores run 0.3 above what the same
candidates would get, on the same questions, from an average interviewer. Severity is its negative.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np

MAX_PASSES = 20
MAX_SWEEPS = 200
TOLERANCE = 1e-6
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Scores:
    """One row per score: indexes into the facets, and the score (1-4; not assessed is left out)."""

    candidate: np.ndarray
    question: np.ndarray
    rater: np.ndarray
    score: np.ndarray

    @classmethod
    def from_rows(cls, rows) -> tuple["Scores", list, list, list]:
        """From (candidate, question, rater, score) tuples with any hashable ids; returns the
        arrays and the ids in index order for each facet."""
        rows = list(rows)
        ids = [sorted({r[i] for r in rows}, key=str) for i in range(3)]
        index = [{v: n for n, v in enumerate(facet)} for facet in ids]
        arrays = [np.array([index[i][r[i]] for r in rows], dtype=np.int64) for i in range(3)]
        score = np.array([r[3] for r in rows], dtype=float)
        return cls(*arrays, score), *ids


@dataclass(frozen=True)
class RaterEffect:
    index: int
    leniency: float
    low: float
    high: float
    scores: int

    @property
    def severity(self) -> float:
        return -self.leniency

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Fit:
    mean: float
    ability: np.ndarray
    easiness: np.ndarray
    leniency: np.ndarray
    raters: tuple[RaterEffect, ...]
    noise_sd: float
    rater_sd: float
    candidate_sd: float
    question_sd: float
    passes: int


def fit(data: Scores) -> Fit | None:
    """The many-facet fit; None with fewer than two scores or no variance to explain."""
    y = data.score
    if y.size < 2 or np.var(y) == 0:
        return None
    facets = (data.candidate, data.question, data.rater)
    sizes = tuple(int(f.max()) + 1 for f in facets)
    counts = tuple(
        np.bincount(f, minlength=s).astype(float) for f, s in zip(facets, sizes, strict=True)
    )
    total = float(np.var(y))
    noise, variances = total / 4, [total / 4] * 3
    effects = [np.zeros(s) for s in sizes]
    mean = float(y.mean())
    passes = 0
    for passes in range(1, MAX_PASSES + 1):  # noqa: B007 (the count is reported in the Fit)
        shrink = [noise / max(v, 1e-9) for v in variances]
        mean = _backfit(y, facets, counts, effects, shrink, mean)
        fitted = mean + sum(e[f] for e, f in zip(effects, facets, strict=True))
        residual = y - fitted
        new = []
        for e, c, s in zip(effects, counts, shrink, strict=True):
            conditional = noise / (c + s)
            new.append(float(np.mean(e**2 + conditional)))
        # The noise variance by EM: residual sum of squares plus the fitted effects' trace term.
        trace = sum(float((c * noise / (c + s)).sum()) for c, s in zip(counts, shrink, strict=True))
        new_noise = (float((residual**2).sum()) + trace) / y.size
        moved = max(abs(a - b) for a, b in zip([noise, *variances], [new_noise, *new], strict=True))
        noise, variances = max(new_noise, 1e-9), new
        if moved < 1e-4:
            break
    shrink = [noise / max(v, 1e-9) for v in variances]
    mean = _backfit(y, facets, counts, effects, shrink, mean)
    raters = _rater_intervals(data, counts, shrink, effects[2], noise)
    return Fit(
        mean=mean,
        ability=effects[0],
        easiness=effects[1],
        leniency=effects[2],
        raters=raters,
        noise_sd=math.sqrt(noise),
        candidate_sd=math.sqrt(variances[0]),
        question_sd=math.sqrt(variances[1]),
        rater_sd=math.sqrt(variances[2]),
        passes=passes,
    )


def _backfit(y, facets, counts, effects, shrink, mean) -> float:
    for _ in range(MAX_SWEEPS):
        biggest = 0.0
        for i, (f, c, s) in enumerate(zip(facets, counts, shrink, strict=True)):
            others = mean + sum(
                e[g] for j, (e, g) in enumerate(zip(effects, facets, strict=True)) if j != i
            )
            sums = np.bincount(f, weights=y - others, minlength=c.size)
            updated = sums / (c + s)
            biggest = max(biggest, float(np.abs(updated - effects[i]).max()))
            effects[i][:] = updated
        fitted = sum(e[f] for e, f in zip(effects, facets, strict=True))
        new_mean = float((y - fitted).mean())
        biggest = max(biggest, abs(new_mean - mean))
        mean = new_mean
        if biggest < TOLERANCE:
            break
    return mean


def _rater_intervals(data, counts, shrink, leniency, noise) -> tuple[RaterEffect, ...]:
    raters = counts[2].size
    candidates = counts[0].size
    # N[r, c]: scores rater r gave candidate c.
    cross = np.zeros((raters, candidates))
    np.add.at(cross, (data.rater, data.candidate), 1)
    precision = np.diag(counts[2] + shrink[2]) - (cross / (counts[0] + shrink[0])) @ cross.T
    try:
        covariance = noise * np.linalg.inv(precision)
        se = np.sqrt(np.clip(np.diag(covariance), 0, None))
    except np.linalg.LinAlgError:
        se = np.sqrt(noise / (counts[2] + shrink[2]))
    return tuple(
        RaterEffect(
            index=r,
            leniency=float(leniency[r]),
            low=float(leniency[r] - Z95 * se[r]),
            high=float(leniency[r] + Z95 * se[r]),
            scores=int(counts[2][r]),
        )
        for r in range(raters)
    )


def severities(fit_result: Fit | None, ids: list) -> dict:
    """Each interviewer's severity in score points (positive = scores run low), by id: what a
    level estimate subtracts to correct for a known severity. Empty without a fit."""
    if fit_result is None:
        return {}
    return {ids[r.index]: r.severity for r in fit_result.raters}


def position_words(effect: RaterEffect) -> str:
    """Where an interviewer stands, in words, honest about the interval."""
    if effect.low > 0:
        return "more lenient than the average interviewer"
    if effect.high < 0:
        return "more severe than the average interviewer"
    return "not distinguishable from the average interviewer"
