"""Rater agreement: intraclass correlations and Krippendorff's alpha. Pure functions over arrays.

Models and sources:

- ICC, the six forms of Shrout & Fleiss (1979), "Intraclass correlations: uses in assessing rater
  reliability", Psychological Bulletin 86(2): ICC(1,1) one-way random, ICC(2,1) two-way random
  absolute agreement, ICC(3,1) two-way mixed consistency, and their means of k raters ICC(1,k),
  ICC(2,k), ICC(3,k). Computed from the mean squares of a targets x raters table without missing
  cells. Their 95 % intervals are the F-based ones of McGraw & Wong (1996), "Forming inferences
  about some intraclass correlation coefficients", Psychological Methods 1(1), Table 7 (ICC(2,1)
  with Satterthwaite's degrees of freedom; ICC(2,k)'s bounds are ICC(2,1)'s stepped up by
  Spearman-Brown, as McGraw & Wong and the R package irr do).
- Krippendorff's alpha, K. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
  from the coincidence matrix of pairable values, so missing values are allowed; difference
  functions for nominal, ordinal, interval and ratio data as given there.
- Alpha's 95 % interval: a percentile bootstrap over units (resampling subjects with replacement,
  as Zapf et al. 2016, BMC Med Res Methodol 16:93, recommend), BOOTSTRAP_REPS replicates from a
  generator seeded with BOOTSTRAP_SEED, so the same table always gives the same interval.
- The reading of a reliability coefficient follows Koo & Li (2016), J Chiropr Med 15(2): poor
  below .50, moderate below .75, good below .90, excellent from .90.
- The panel size that reaches a target reliability is the Spearman-Brown prophecy formula.

Ratings come in as a 2-D float array, one row per subject (target, unit), one column per rater,
NaN for a missing rating.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

ICC_FORMS = ("icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k")
ALPHA_LEVELS = ("nominal", "ordinal", "interval", "ratio")
BOOTSTRAP_SEED = 20_111_001
BOOTSTRAP_REPS = 1000
# Work cap for the bootstrap: replicates x distinct values² stays under this, so a table with
# thousands of distinct values still answers in about a second (with fewer, but >= 200, replicates).
BOOTSTRAP_WORK = 50_000_000
TARGET_RELIABILITY = 0.80


@dataclass(frozen=True)
class Estimate:
    value: float | None
    low: float | None = None
    high: float | None = None

    @property
    def ci(self) -> list[float] | None:
        if self.low is None or self.high is None:
            return None
        return [self.low, self.high]

    def as_dict(self) -> dict:
        return asdict(self)


# ICC ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeanSquares:
    n: int  # targets
    k: int  # raters
    rows: float  # between targets (MSR; BMS in Shrout & Fleiss)
    columns: float  # between raters (MSC; JMS)
    error: float  # residual of the two-way model (MSE; EMS)
    within: float  # within targets, one-way model (MSW; WMS)


def mean_squares(ratings: np.ndarray) -> MeanSquares:
    """The ANOVA mean squares of a complete targets x raters table."""
    x = np.asarray(ratings, dtype=float)
    n, k = x.shape
    grand = x.mean()
    ss_total = ((x - grand) ** 2).sum()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_error = ss_total - ss_rows - ss_cols
    return MeanSquares(
        n=n,
        k=k,
        rows=ss_rows / (n - 1),
        columns=ss_cols / (k - 1),
        error=ss_error / ((n - 1) * (k - 1)),
        within=(ss_total - ss_rows) / (n * (k - 1)),
    )


def complete_rows(ratings: np.ndarray) -> np.ndarray:
    x = np.asarray(ratings, dtype=float)
    return x[~np.isnan(x).any(axis=1)] if x.size else x


def icc(ratings: np.ndarray, confidence: float = 0.95) -> dict[str, Estimate] | None:
    """The six Shrout & Fleiss ICCs with intervals, over the rows without a missing cell.

    None when fewer than two complete rows or two raters remain, or when the table has no
    variance at all (every ICC would be 0/0).
    """
    x = complete_rows(ratings)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        return None
    ms = mean_squares(x)
    n, k = ms.n, ms.k
    if ms.rows == 0 and ms.error == 0 and ms.within == 0:
        return None
    q = 1 - (1 - confidence) / 2

    def single(f_low: float, f_high: float) -> tuple[float, float]:
        return (f_low - 1) / (f_low + k - 1), (f_high - 1) / (f_high + k - 1)

    def average(f_low: float, f_high: float) -> tuple[float, float]:
        return 1 - 1 / f_low, 1 - 1 / f_high

    def bounds(f: float, df1: float, df2: float) -> tuple[float, float]:
        return f / stats.f.ppf(q, df1, df2), f * stats.f.ppf(q, df2, df1)

    out: dict[str, Estimate] = {}
    # ICC(1): one-way random effects.
    f1 = _ratio(ms.rows, ms.within)
    lo1, hi1 = bounds(f1, n - 1, n * (k - 1))
    out["icc1"] = Estimate(
        _ratio(ms.rows - ms.within, ms.rows + (k - 1) * ms.within), *single(lo1, hi1)
    )
    out["icc1k"] = Estimate(_ratio(ms.rows - ms.within, ms.rows), *average(lo1, hi1))
    # ICC(3): two-way mixed, consistency.
    f3 = _ratio(ms.rows, ms.error)
    lo3, hi3 = bounds(f3, n - 1, (n - 1) * (k - 1))
    out["icc3"] = Estimate(
        _ratio(ms.rows - ms.error, ms.rows + (k - 1) * ms.error), *single(lo3, hi3)
    )
    out["icc3k"] = Estimate(_ratio(ms.rows - ms.error, ms.rows), *average(lo3, hi3))
    # ICC(2): two-way random, absolute agreement; interval with Satterthwaite's df (McGraw & Wong).
    icc2 = _ratio(
        ms.rows - ms.error, ms.rows + (k - 1) * ms.error + k * (ms.columns - ms.error) / n
    )
    icc2k = _ratio(ms.rows - ms.error, ms.rows + (ms.columns - ms.error) / n)
    low2, high2 = _icc2_bounds(ms, icc2, q)
    out["icc2"] = Estimate(icc2, low2, high2)
    out["icc2k"] = Estimate(icc2k, _step_up(low2, k), _step_up(high2, k))
    return {name: _finite(out[name]) for name in ICC_FORMS}


def _icc2_bounds(ms: MeanSquares, icc2: float, q: float) -> tuple[float, float]:
    n, k = ms.n, ms.k
    if not math.isfinite(icc2) or icc2 >= 1:
        return math.nan, math.nan
    a = k * icc2 / (n * (1 - icc2))
    b = 1 + k * icc2 * (n - 1) / (n * (1 - icc2))
    numerator = (a * ms.columns + b * ms.error) ** 2
    denominator = (a * ms.columns) ** 2 / (k - 1) + (b * ms.error) ** 2 / ((n - 1) * (k - 1))
    v = numerator / denominator if denominator > 0 else math.inf
    f_low, f_high = stats.f.ppf(q, n - 1, v), stats.f.ppf(q, v, n - 1)
    base = k * ms.columns + (k * n - k - n) * ms.error
    low = n * (ms.rows - f_low * ms.error) / (f_low * base + n * ms.rows)
    high = n * (f_high * ms.rows - ms.error) / (base + n * f_high * ms.rows)
    return low, high


def _step_up(r: float, k: float) -> float:
    return k * r / (1 + (k - 1) * r)


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def _finite(estimate: Estimate) -> Estimate:
    def clean(v):
        return float(v) if v is not None and math.isfinite(v) else None

    return Estimate(clean(estimate.value), clean(estimate.low), clean(estimate.high))


# Krippendorff's alpha -----------------------------------------------------------------------------


def _coincidences(ratings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values and the per-unit value counts of the pairable units (>= 2 values)."""
    x = np.asarray(ratings, dtype=float)
    if x.ndim != 2 or x.size == 0:
        return np.array([]), np.zeros((0, 0))
    present = ~np.isnan(x)
    x = x[present.sum(axis=1) >= 2]
    values = np.unique(x[~np.isnan(x)])
    counts = np.zeros((x.shape[0], values.size))
    rows, cols = np.nonzero(~np.isnan(x))
    np.add.at(counts, (rows, np.searchsorted(values, x[rows, cols])), 1)
    return values, counts


def _unit_coincidence(counts: np.ndarray) -> np.ndarray:
    """o_ck of each unit: n_uc n_uk (minus the value with itself) over m_u - 1. Shape U x V x V."""
    m = counts.sum(axis=1)
    outer = counts[:, :, None] * counts[:, None, :]
    outer -= np.einsum("uc,cd->ucd", counts, np.eye(counts.shape[1]))
    return outer / (m - 1)[:, None, None]


def _delta(values: np.ndarray, marginals: np.ndarray, level: str) -> np.ndarray:
    """Squared difference δ²(c, k) for every pair of values (Krippendorff 2011, section E).

    `marginals` may carry leading batch dimensions (..., V); only the ordinal metric uses them,
    and then the result has the same leading dimensions (..., V, V).
    """
    c, k = values[:, None], values[None, :]
    if level == "nominal":
        return (c != k).astype(float)
    if level == "interval":
        return (c - k) ** 2
    if level == "ratio":
        total = c + k
        safe = np.where(total == 0, 1, total)
        return np.where(total == 0, 0.0, ((c - k) / safe) ** 2)
    if level == "ordinal":
        # (sum of n_g for g from c to k) - (n_c + n_k) / 2, squared, over ranks of the values.
        zeros = np.zeros((*marginals.shape[:-1], 1))
        cumulative = np.concatenate([zeros, np.cumsum(marginals, axis=-1)], axis=-1)
        i, j = np.meshgrid(np.arange(values.size), np.arange(values.size), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        between = cumulative[..., hi + 1] - cumulative[..., lo]
        return (between - (marginals[..., i] + marginals[..., j]) / 2) ** 2
    raise ValueError(f"unknown level of measurement {level!r}; expected one of {ALPHA_LEVELS}")


def _alphas(coincidences: np.ndarray, values: np.ndarray, level: str) -> np.ndarray:
    """Alpha of each coincidence matrix in a stack (B, V, V); NaN where it is undefined."""
    marginals = coincidences.sum(axis=-1)
    n = marginals.sum(axis=-1)
    delta = _delta(values, marginals, level)
    observed = (coincidences * delta).sum(axis=(-2, -1))
    expected = (marginals[..., :, None] * marginals[..., None, :] * delta).sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = expected / (n - 1)
        return np.where(expected > 0, 1 - observed / np.where(expected > 0, expected, 1), np.nan)


def _alpha_from(coincidence: np.ndarray, values: np.ndarray, level: str) -> float:
    return float(_alphas(coincidence[None], values, level)[0])


def alpha(ratings: np.ndarray, level: str = "ordinal") -> float | None:
    """Krippendorff's alpha of subjects x raters ratings (NaN = missing); None when undefined
    (no unit with two values, or a single value throughout)."""
    if level not in ALPHA_LEVELS:
        raise ValueError(f"unknown level of measurement {level!r}; expected one of {ALPHA_LEVELS}")
    values, counts = _coincidences(ratings)
    if counts.shape[0] == 0 or values.size < 2:
        return None
    result = _alpha_from(_unit_coincidence(counts).sum(axis=0), values, level)
    return result if math.isfinite(result) else None


def alpha_with_ci(
    ratings: np.ndarray,
    level: str = "ordinal",
    confidence: float = 0.95,
    reps: int = BOOTSTRAP_REPS,
    seed: int = BOOTSTRAP_SEED,
) -> Estimate:
    """Alpha and its percentile-bootstrap interval over units (see the module docstring)."""
    value = alpha(ratings, level)
    if value is None:
        return Estimate(None)
    values, counts = _coincidences(ratings)
    units = counts.shape[0]
    if units < 2:
        return Estimate(value)
    v = values.size
    reps = max(200, min(reps, BOOTSTRAP_WORK // max(1, v * v + units)))
    # Units with the same values are interchangeable: resampling units with replacement draws how
    # many times each distinct pattern comes up, multinomially. Exact, and far fewer categories.
    patterns, multiplicity = np.unique(counts, axis=0, return_counts=True)
    per_pattern = _unit_coincidence(patterns).reshape(len(patterns), v * v)
    rng = np.random.default_rng(seed)
    chunk = max(1, min(100, 4_000_000 // (v * v)))
    results = []
    for start in range(0, reps, chunk):
        size = min(chunk, reps - start)
        weights = rng.multinomial(units, multiplicity / units, size=size).astype(float)
        coincidences = (weights @ per_pattern).reshape(size, v, v)
        batch = _alphas(coincidences, values, level)
        results.extend(batch[np.isfinite(batch)].tolist())
    if len(results) < 10:
        return Estimate(value)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(results, [tail, 100 - tail])
    return Estimate(value, float(low), float(high))


# Readings ------------------------------------------------------------------------------------------


def koo_li(value: float | None) -> str:
    """Koo & Li (2016): poor < .50 ≤ moderate < .75 ≤ good < .90 ≤ excellent."""
    if value is None:
        return "not enough data"
    if value < 0.50:
        return "poor"
    if value < 0.75:
        return "moderate"
    if value < 0.90:
        return "good"
    return "excellent"


def panel_size_for(single: float | None, target: float = TARGET_RELIABILITY) -> int | None:
    """Raters whose mean reaches `target` reliability, by Spearman-Brown from one rater's ICC.

    None when a single rater's reliability is not positive (no panel size would reach it).
    """
    if single is None or single <= 0:
        return None
    if single >= target:
        return 1
    return math.ceil(target * (1 - single) / (single * (1 - target)) - 1e-9)


def report(ratings: np.ndarray) -> dict:
    """Everything the `agreement` command prints: six ICCs and four alphas, each with its interval."""
    x = np.asarray(ratings, dtype=float)
    out: dict = {}
    iccs = icc(x)
    for name in ICC_FORMS:
        estimate = iccs[name] if iccs else Estimate(None)
        out[name], out[f"{name}_ci"] = estimate.value, estimate.ci
    for level in ALPHA_LEVELS:
        estimate = alpha_with_ci(x, level)
        out[f"alpha_{level}"], out[f"alpha_{level}_ci"] = estimate.value, estimate.ci
    return out


# Reading a ratings table ---------------------------------------------------------------------------


class TableError(ValueError):
    """A ratings table that cannot be read; the message names the line."""


@dataclass(frozen=True)
class RatingsTable:
    raters: tuple[str, ...]
    subjects: tuple[str, ...]
    ratings: np.ndarray  # subjects x raters, NaN where a cell was empty


def parse_table(text: str) -> RatingsTable:
    """Read `subject,<rater>,<rater>…` CSV: one row per subject, an empty cell for a missing rating.

    Refuses, naming the line: an empty file, a first line that is not that header, fewer than two
    raters, a row with more or fewer cells than the header, a cell that is not a finite number,
    and a table without a subject.
    """
    import csv

    rows = list(csv.reader(text.splitlines()))
    numbered = [
        (number, row) for number, row in enumerate(rows, start=1) if any(c.strip() for c in row)
    ]
    if not numbered:
        raise TableError("line 1: the file is empty; expected a header 'subject,<rater>,<rater>…'")
    line, header = numbered[0]
    header = [cell.strip() for cell in header]
    if header[0].lower() != "subject":
        raise TableError(
            f"line {line}: expected a header starting with 'subject', found {header[0]!r}"
        )
    raters = header[1:]
    if len(raters) < 2:
        raise TableError(
            f"line {line}: agreement needs at least two rater columns, found {len(raters)}"
        )
    if any(not name for name in raters) or len(set(raters)) != len(raters):
        raise TableError(f"line {line}: rater names must be present and distinct")
    subjects, table = [], []
    for line, row in numbered[1:]:
        if len(row) != len(header):
            raise TableError(f"line {line}: expected {len(header)} cells, found {len(row)}")
        subjects.append(row[0].strip())
        table.append(
            [_cell(cell, line, rater) for cell, rater in zip(row[1:], raters, strict=True)]
        )
    if not table:
        raise TableError(f"line {line}: no subjects after the header")
    return RatingsTable(tuple(raters), tuple(subjects), np.array(table, dtype=float))


def _cell(cell: str, line: int, rater: str) -> float:
    cell = cell.strip()
    if not cell:
        return math.nan
    try:
        value = float(cell)
    except ValueError:
        raise TableError(f"line {line}, rater {rater!r}: {cell!r} is not a number") from None
    if not math.isfinite(value):
        raise TableError(f"line {line}, rater {rater!r}: {cell!r} is not a finite number")
    return value
