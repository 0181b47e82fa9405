"""Interviewer calibration: how lenient or severe each interviewer scores. Pure functions over arrays.

Model: an additive many-facet model (Linacre's many-facet Rasch measurement, in its linear form;
Eckes 2015, "Introduction to Many-Facet Rasch Measurement", ch. 2), each score being

    score = mean + ability[candidate] + easiness[question] + leniency[interviewer] + noise

with the three facets as crossed random effects with zero mean (a crossed-effects linear mixed
model; Searle, Casella & McCulloch 1992, "Variance Components", ch. 6-7). Each effect is its best
linear unbiased predictor, which shrinks it toward zero by the ratio noise variance / facet
variance: an interviewer with three scores is pulled close to zero; one with hundreds is not.

Fitting, in order:
1. Henderson's mixed-model equations, solved exactly with the candidates absorbed (their block is
   diagonal), which leaves one dense system for the intercept, the questions and the raters.
2. The three variance ratios by restricted maximum likelihood (REML; Patterson & Thompson 1971):
   the deviance, profiled over the noise variance, is (n - 1) log noise - sum over facets of
   levels x log ratio + log det of the equations' matrix (Harville 1977), minimised by L-BFGS-B
   over the log ratios, each between -12 and 12.
3. Leniency is reported against the average of the interviewers fitted: u_r - mean(u). That is
   what the data can show (the interviewers' common level is confounded with the mean), and what
   "more lenient than the average interviewer" means. Its interval is the estimate +- 1.96 x the
   root of the prediction error variance of that contrast: the noise variance times the rater
   block of the inverse of the equations' matrix, which carries the uncertainty of every
   candidate's ability and every question's easiness with it (Henderson 1975).

Leniency is in score points: +0.3 means this interviewer's scores run 0.3 above what the same
candidates would get, on the same questions, from the average interviewer. Severity is its
negative. The 1-4 scores are treated as numbers: a latent severity shows on this scale attenuated
by the rounding at the ends of the scale, and the intervals are calibrated on this scale
(bench/calibration.py: 94% and 96% coverage by simulation with rounded scores).
"""

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import linalg, optimize, sparse

LOG_RATIO_BOUNDS = (-12.0, 12.0)  # noise/facet variance from 6e-6 to 1.6e5
Z95 = 1.959963984540054
ROUNDING_VARIANCE = 1 / 12


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
    passes: int  # evaluations of the REML deviance


def fit(data: Scores) -> Fit | None:
    """The many-facet fit; None with fewer than two scores or no variance to explain."""
    y = data.score
    if y.size < 2 or np.var(y) == 0:
        return None
    system = _System.of(data)
    evaluations = 0

    def deviance(log_ratios):
        nonlocal evaluations
        evaluations += 1
        return system.solve(np.exp(log_ratios)).deviance

    best = optimize.minimize(
        deviance, np.zeros(3), method="L-BFGS-B", bounds=[LOG_RATIO_BOUNDS] * 3
    )
    ratios = np.exp(best.x)
    solved = system.solve(ratios, covariance=True)
    # Scores are whole points: whatever the fit, rounding to them leaves a variance of 1/12 point²
    # (Sheppard), so a tiny history that the model fits exactly cannot claim exact leniencies.
    noise = max(solved.noise, ROUNDING_VARIANCE)
    q, r = system.sizes[1], system.sizes[2]
    raw = solved.theta[1 + q :]
    leniency = raw - raw.mean()
    # Each interviewer against the average of all of them: the contrast u_r - mean(u).
    contrast = np.eye(r) - 1.0 / r
    covariance = noise * contrast @ solved.inverse[1 + q :, 1 + q :] @ contrast.T
    se = np.sqrt(np.clip(np.diag(covariance), 0, None))
    counts = np.bincount(data.rater, minlength=r)
    raters = tuple(
        RaterEffect(
            index=i,
            leniency=float(leniency[i]),
            low=float(leniency[i] - Z95 * se[i]),
            high=float(leniency[i] + Z95 * se[i]),
            scores=int(counts[i]),
        )
        for i in range(r)
    )
    variances = noise / ratios
    return Fit(
        mean=float(solved.theta[0] + raw.mean()),
        ability=solved.ability,
        easiness=solved.theta[1 : 1 + q],
        leniency=leniency,
        raters=raters,
        noise_sd=math.sqrt(noise),
        candidate_sd=math.sqrt(variances[0]),
        question_sd=math.sqrt(variances[1]),
        rater_sd=math.sqrt(variances[2]),
        passes=evaluations,
    )


@dataclass(frozen=True)
class _Solution:
    theta: np.ndarray  # the intercept, then each question's easiness, then each rater's leniency
    ability: np.ndarray
    noise: float
    deviance: float
    inverse: np.ndarray | None  # of the reduced coefficient matrix, in units of the noise variance


@dataclass(frozen=True)
class _System:
    """The mixed-model equations with the candidates absorbed: they are the biggest facet and
    their block is diagonal, so only the intercept, questions and raters stay in a dense system."""

    sizes: tuple[int, int, int]
    per_candidate: np.ndarray
    cross: sparse.csr_matrix  # candidates x (intercept, questions, raters): scores in common
    gram: np.ndarray
    candidate_y: np.ndarray
    other_y: np.ndarray
    yy: float
    n: int

    @classmethod
    def of(cls, data: Scores) -> "_System":
        y, n = data.score, data.score.size
        sizes = tuple(int(f.max()) + 1 for f in (data.candidate, data.question, data.rater))
        width = 1 + sizes[1] + sizes[2]
        rows = np.tile(np.arange(n), 3)
        columns = np.concatenate(
            [np.zeros(n, dtype=np.int64), 1 + data.question, 1 + sizes[1] + data.rater]
        )
        others = sparse.csr_matrix((np.ones(3 * n), (rows, columns)), shape=(n, width))
        candidates = sparse.csr_matrix(
            (np.ones(n), (np.arange(n), data.candidate)), shape=(n, sizes[0])
        )
        return cls(
            sizes=sizes,
            per_candidate=np.bincount(data.candidate, minlength=sizes[0]).astype(float),
            cross=(candidates.T @ others).tocsr(),
            gram=(others.T @ others).toarray(),
            candidate_y=candidates.T @ y,
            other_y=others.T @ y,
            yy=float(y @ y),
            n=n,
        )

    def solve(self, ratios: np.ndarray, covariance: bool = False) -> _Solution:
        """The estimates for noise/facet variance ratios (candidates, questions, raters), and
        the REML deviance profiled over the noise variance (Harville 1977; Meyer 1989):
        (n - 1) log noise - sum of levels x log ratio + log det of the coefficient matrix."""
        _, questions, raters = self.sizes
        d = self.per_candidate + ratios[0]
        penalty = np.concatenate([[0.0], np.full(questions, ratios[1]), np.full(raters, ratios[2])])
        scaled = sparse.diags(1 / d) @ self.cross
        reduced = self.gram + np.diag(penalty) - (self.cross.T @ scaled).toarray()
        rhs = self.other_y - scaled.T @ self.candidate_y
        try:
            factor = linalg.cho_factor(reduced)
        except linalg.LinAlgError:
            return _Solution(np.zeros(rhs.size), np.zeros(d.size), 0.0, math.inf, None)
        theta = linalg.cho_solve(factor, rhs)
        ability = (self.candidate_y - self.cross @ theta) / d
        residual = max(self.yy - theta @ self.other_y - ability @ self.candidate_y, 1e-12)
        noise = residual / (self.n - 1)
        log_det = np.log(d).sum() + 2 * np.log(np.diag(factor[0])).sum()
        levels = np.array(self.sizes, dtype=float)
        deviance = (self.n - 1) * math.log(noise) - levels @ np.log(ratios) + log_det
        inverse = linalg.cho_solve(factor, np.eye(rhs.size)) if covariance else None
        return _Solution(theta, ability, noise, float(deviance), inverse)


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
