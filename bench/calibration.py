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

Two scenarios: 60 candidates x 6 interviewers and 600 candidates x 30 interviewers, each run
--histories times with different seeds. For each, the Spearman correlation between true and
estimated severity and the largest absolute error in score points, with the wall time of a fit.
The interval coverage is printed too; it is measured against the latent severities, which the 1-4
rounding attenuates (and the model's intervals hold the questions fixed), so it runs below 95%.
The last line is the 60 x 6 scenario's median over histories:
RESULT severity_spearman=R max_abs_error=E
"""

import argparse
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
    return rows, severity


def run(seed: int, candidates: int, interviewers: int, per_candidate: int):
    rng = np.random.default_rng(seed)
    rows, true_severity = simulate(rng, candidates, interviewers, per_candidate)
    data, _, _, rater_ids = calibration.Scores.from_rows(rows)
    started = time.perf_counter()
    result = calibration.fit(data)
    seconds = time.perf_counter() - started
    estimated = calibration.severities(result, rater_ids)
    truth = np.array([true_severity[r] for r in rater_ids])
    guess = np.array([estimated[r] for r in rater_ids])
    covered = np.mean(
        [r.low <= -true_severity[rater_ids[r.index]] <= r.high for r in result.raters]
    )
    rho = stats.spearmanr(truth, guess).statistic
    return rho, float(np.abs(truth - guess).max()), seconds, covered, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--histories", type=int, default=20)
    args = parser.parse_args()
    summary = {}
    for candidates, interviewers, per in ((600, 30, 2), (60, 6, 3)):
        runs = [run(args.seed + h, candidates, interviewers, per) for h in range(args.histories)]
        rho = statistics.median(r[0] for r in runs)
        err = statistics.median(r[1] for r in runs)
        print(
            f"{candidates} candidates x {interviewers} interviewers, {args.histories} histories "
            f"(~{runs[0][4]} scores each): Spearman median {rho:.3f} (min {min(r[0] for r in runs):.3f}), "
            f"max |error| median {err:.3f} score points, 95% interval coverage of the latent truth "
            f"{statistics.mean(r[3] for r in runs):.0%}, fit {statistics.median(r[2] for r in runs) * 1000:.0f} ms"
        )
        summary[(candidates, interviewers)] = (rho, err)
    rho, err = summary[(60, 6)]
    print(f"RESULT severity_spearman={rho:.3f} max_abs_error={err:.3f}")
    return 0 if rho >= 0.9 else 1


if __name__ == "__main__":
    raise SystemExit(main())
