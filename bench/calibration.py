"""Does the calibration model recover interviewers' severities it was not told?

    .venv/bin/python bench/calibration.py [--seed 7] [--histories 20]

Simulated histories whose generating process is NOT the fitted model:

- a latent score = ability (normal, sd 0.8) + question difficulty (normal, sd 0.5, plus a step per
  question level) - interviewer severity (normal, sd 0.4) + noise (sd 0.6);
- the score actually recorded is that latent value cut into the 1-4 scale by thresholds at 1.5,
  2.5 and 3.5 around a centre of 2.6 (ordinal rounding and clipping, which the linear model does
  not know about);
- unbalanced assignment: interviewers are picked with unequal probabilities (weights 1 to 4), each
  candidate meets 3 interviewers (2 for the larger history), each interview asks 6 of 40 questions,
  and one question in ten is left "not assessed".

What "the truth" is. The model reports each interviewer's leniency in score points against the
average of the interviewers it was given, so the truth it is checked against is the same quantity
computed from the generating process: the expected recorded score (1-4, after rounding and
clipping) that an interviewer with a given severity gives over the simulated population of
candidates (ability sd 0.8, noise sd 0.6) and the history's 40 questions, minus the mean of that
over the history's interviewers. The rounding attenuates a latent severity by about a fifth on
the score scale, and the latent severities' own mean (sd 0.4/sqrt(6) with six interviewers)
cannot be seen in any data; checked against the raw latent severities, correct 95% intervals
cover about two thirds of the time, which is what the first version of this script reported.
Those figures are still printed, labelled "latent", for comparison.

Two scenarios: 60 candidates x 6 interviewers and 600 candidates x 30 interviewers, each run
--histories times with different seeds. For each, the Spearman correlation between true and
estimated severity (the same against either truth: ranks do not change), the largest absolute
error in score points, the share of 95% intervals that hold the truth, and the wall time of a fit.
The last line is the 60 x 6 scenario's median over histories (coverage: over all its intervals):
RESULT severity_spearman=R max_abs_error=E coverage95=C
"""

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from interviews import calibration


def simulate(rng, candidates: int, interviewers: int, per_candidate: int):
    severity = rng.normal(0, 0.4, interviewers)
    ability = rng.normal(0, 0.8, candidates)
    levels = rng.integers(1, 5, 40)
    difficulty = rng.normal(0, 0.5, 40) + 0.25 * (levels - 2.5)
    weights = rng.uniform(1, 4, interviewers)
    weights /= weights.sum()
    rows = []
    for c in range(candidates):
        panel = rng.choice(interviewers, size=per_candidate, replace=False, p=weights)
        for r in panel:
            for q in rng.choice(40, size=6, replace=False):
                if rng.random() < 0.1:
                    continue
                latent = 2.6 + ability[c] - difficulty[q] - severity[r] + rng.normal(0, 0.6)
                score = int(np.clip(np.digitize(latent, [1.5, 2.5, 3.5]) + 1, 1, 4))
                rows.append((c, q, r, score))
    return rows, severity, difficulty


def expected_scores(severity, difficulty):
    """The mean recorded score each severity gives over the population of candidates (ability
    plus noise: normal, sd 1.0) and the history's questions, taken uniformly."""
    thresholds = np.array([1.5, 2.5, 3.5])
    centre = 2.6 - difficulty[:, None, None] - severity[None, :, None] - thresholds
    return 1 + stats.norm.cdf(centre / math.hypot(0.8, 0.6)).sum(axis=2).mean(axis=0)


def run(seed: int, candidates: int, interviewers: int, per_candidate: int):
    rng = np.random.default_rng(seed)
    rows, latent, difficulty = simulate(rng, candidates, interviewers, per_candidate)
    expected = expected_scores(latent, difficulty)
    data, _, _, rater_ids = calibration.Scores.from_rows(rows)
    started = time.perf_counter()
    result = calibration.fit(data)
    seconds = time.perf_counter() - started
    estimated = calibration.severities(result, rater_ids)
    guess = np.array([estimated[r] for r in rater_ids])
    truths = {
        "score": -(expected - expected.mean())[rater_ids],  # severity: scores run low
        "latent": (latent - latent.mean())[rater_ids],
        "latent_raw": latent[rater_ids],
    }
    figures = {}
    for name, truth in truths.items():
        inside = [bool(e.low <= -truth[e.index] <= e.high) for e in result.raters]
        figures[name] = (float(np.abs(truth - guess).max()), inside)
    rho = stats.spearmanr(truths["score"], guess).statistic
    return rho, figures, seconds, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--histories", type=int, default=20)
    args = parser.parse_args()
    summary = {}
    for candidates, interviewers, per in ((600, 30, 2), (60, 6, 3)):
        runs = [run(args.seed + h, candidates, interviewers, per) for h in range(args.histories)]
        rho = statistics.median(r[0] for r in runs)

        def error(truth, runs=runs):
            return statistics.median(r[1][truth][0] for r in runs)

        def coverage(truth, runs=runs):
            return statistics.mean(x for r in runs for x in r[1][truth][1])

        print(
            f"{candidates} candidates x {interviewers} interviewers, {args.histories} histories "
            f"(~{runs[0][3]} scores each): Spearman median {rho:.3f} "
            f"(min {min(r[0] for r in runs):.3f}), max |error| median {error('score'):.3f} "
            f"score points, 95% interval coverage {coverage('score'):.1%}, "
            f"fit {statistics.median(r[2] for r in runs) * 1000:.0f} ms"
        )
        print(
            f"  against the latent severities: centred max |error| {error('latent'):.3f}, "
            f"coverage {coverage('latent'):.1%}; uncentred max |error| "
            f"{error('latent_raw'):.3f}, coverage {coverage('latent_raw'):.1%}"
        )
        summary[(candidates, interviewers)] = (rho, error("score"), coverage("score"))
    rho, err, covered = summary[(60, 6)]
    print(f"RESULT severity_spearman={rho:.3f} max_abs_error={err:.3f} coverage95={covered:.3f}")
    fine = rho >= 0.9 and all(0.9 <= c <= 0.97 for _, _, c in summary.values())
    return 0 if fine else 1


if __name__ == "__main__":
    raise SystemExit(main())
