"""The level estimate's properties, over generated scorecards: pure data, no database.

Each property test counts the cases that actually exercised it, so a generator that drifts into
trivial inputs fails instead of passing vacuously.
"""

import random

import numpy as np
import pytest

from interviews.estimate import (
    HINT_WEIGHT,
    LEVELS,
    SETTLED,
    TEMPER,
    Estimate,
    Observation,
    Option,
    combine,
    entropy,
    estimate,
    expected_information,
    next_question,
    observations,
    posterior,
    score_probabilities,
)

CASES = 300


def random_evidence(rng: random.Random, size: int | None = None, prefix="Q") -> list[Observation]:
    size = rng.randint(0, 8) if size is None else size
    return [
        Observation(
            number=f"{prefix}{i}",
            level=rng.choice(LEVELS),
            score=rng.randint(1, 4),
            hint=rng.random() < 0.2,
        )
        for i in range(size)
    ]


def at_or_above(p, level: int) -> float:
    return float(p[level - 1 :].sum())


@pytest.fixture
def cases():
    rng = random.Random(13)
    return [(rng, random_evidence(rng)) for _ in range(CASES)]


def test_it_gives_every_level_the_same_chance_before_any_score():
    result = estimate([])

    assert result.probabilities == (0.25, 0.25, 0.25, 0.25)
    assert result.most_likely is None
    assert "equally likely" in result.statement


def test_it_reads_not_assessed_and_unscored_as_no_evidence():
    rows = [("Q1", 3, 0, False), ("Q2", 3, None, True), ("Q3", 3, 3, False)]

    assert observations(rows) == [Observation("Q3", 3, 3, False)]
    assert (
        estimate(observations(rows)).probabilities
        == estimate([Observation("Q3", 3, 3)]).probabilities
    )


def test_it_expects_a_solid_answer_from_a_candidate_at_the_questions_level():
    for level in LEVELS:
        row = score_probabilities(level)[level - 1]
        assert int(np.argmax(row)) + 1 == 3
        assert row.sum() == pytest.approx(1)


def test_it_is_monotone_in_every_score(cases):
    checked = 0
    for rng, evidence in cases:
        if not evidence:
            continue
        index = rng.randrange(len(evidence))
        low = evidence[index]
        if low.score == 4:
            continue
        higher = [*evidence]
        higher[index] = Observation(low.number, low.level, low.score + 1, low.hint)
        before, after = posterior(evidence), posterior(higher)
        for level in LEVELS:
            assert at_or_above(after, level) >= at_or_above(before, level) - 1e-12
        checked += 1
    assert checked > CASES / 2


def test_it_never_reads_a_stretch_2_as_evidence_against_the_target_for_a_lower_level(cases):
    """Precisely: adding a 2 on a question above the target never lowers the odds of the target
    against any lower level, whatever was scored before. (It may lower Principal against Senior:
    a 2 on a Principal question does say the candidate is not Principal.)"""
    checked = 0
    for rng, evidence in cases:
        target = rng.choice((1, 2, 3))
        stretch = Observation("S", rng.randint(target + 1, 4), 2, hint=rng.random() < 0.3)
        before, after = posterior(evidence), posterior([*evidence, stretch])
        for lower in range(1, target):
            odds_before = before[target - 1] / before[lower - 1]
            odds_after = after[target - 1] / after[lower - 1]
            assert odds_after >= odds_before * (1 - 1e-9)
            checked += 1
        # With nothing above the target yet to pull down, P(at or above target) never falls.
        if before[target:].sum() <= before[target - 1]:
            assert at_or_above(after, target) >= at_or_above(before, target) - 1e-12
    assert checked > CASES / 2


def test_it_keeps_the_incident_at_senior():
    """Two solid Senior answers and a 2 on a Principal stretch question: Senior, not Mid."""
    evidence = [Observation("Q1", 3, 3), Observation("Q2", 3, 3), Observation("Q3", 4, 2)]

    before, after = posterior(evidence[:2]), posterior(evidence)

    assert estimate(evidence).most_likely == 3
    assert at_or_above(after, 3) >= at_or_above(before, 3)


def test_it_narrows_the_estimate_with_more_agreeing_evidence(cases):
    checked = 0
    for _, evidence in cases:
        if not evidence:
            continue
        once = posterior(evidence)
        twice = posterior(
            evidence + [Observation(o.number + "b", o.level, o.score, o.hint) for o in evidence]
        )
        assert entropy(twice) <= entropy(once) + 1e-9
        if entropy(twice) < entropy(once) - 1e-6:
            checked += 1
    assert checked > CASES / 2


def test_it_counts_a_hinted_score_half(cases):
    plain, hinted = [Observation("Q1", 3, 4)], [Observation("Q1", 3, 4, hint=True)]
    prior = np.full(4, 0.25)

    assert np.log(posterior(hinted) / prior)[3] < np.log(posterior(plain) / prior)[3]
    assert posterior(hinted)[3] > 0.25


def test_it_combines_a_panel_as_all_its_evidence_at_once(cases):
    rng = random.Random(7)
    checked = 0
    for _ in range(CASES):
        cards = [
            (f"card {i}", random_evidence(rng, prefix=f"c{i}-")) for i in range(rng.randint(1, 4))
        ]
        panel = combine(cards)
        everything = [o for _, ev in cards for o in ev]
        assert panel.combined.probabilities == estimate(everything).probabilities
        assert len(panel.cards) == len(cards)
        if len(everything) > 0:
            checked += 1
    assert checked > CASES / 2


def test_it_counts_the_prior_once_in_a_panel():
    card = [Observation("Q1", 3, 4)]
    one = posterior(card)
    ratio = one / np.full(4, 0.25)
    two = posterior(card + card)

    assert two == pytest.approx(ratio**2 / (ratio**2).sum())


def test_it_says_how_much_each_scorecard_moved_the_panel_and_where_it_disagrees():
    senior = [Observation(f"A{i}", 3, 4) for i in range(4)]
    mid = [Observation(f"B{i}", 2, 2) for i in range(4)]

    panel = combine([("Alice", senior), ("Bob", mid)])

    alice, bob = panel.cards
    top = panel.combined.most_likely
    assert bob.own.most_likely < top < alice.own.most_likely
    without_alice = posterior(mid)[top - 1]
    assert alice.shift == pytest.approx(
        100 * (panel.combined.probability(top) - without_alice), abs=0.1
    )
    assert panel.disagreements and "Alice reads" in panel.disagreements[0].sentence


def test_it_states_how_settled_it_is_and_which_question_would_help():
    open_call = estimate([Observation("Q1", 3, 3)], gaps={3: ["System design"]})
    settled = estimate(
        [Observation(f"Q{i}", 3, 4) for i in range(4)] + [Observation("P", 4, 4)] * 3
    )

    assert open_call.statement.startswith("Senior ")
    assert "would narrow it most" in open_call.statement
    assert settled.settled and settled.probability(4) >= SETTLED
    assert "settled enough to decide" in settled.statement


def test_it_survives_a_round_trip_through_a_dict(cases):
    for _, evidence in cases[:50]:
        result = estimate(evidence, gaps={3: ["System design"]})
        assert Estimate.from_dict(result.as_dict()) == result


def test_it_suggests_the_most_informative_question_that_fits_and_prefers_uncovered_criteria():
    evidence = [Observation("Q1", 3, 3), Observation("Q2", 2, 4)]
    p = posterior(evidence)
    gains = {level: expected_information(p, level) for level in LEVELS}
    best = max(gains, key=gains.get)
    options = [
        Option(1, "long", best, 30, frozenset({"x"})),
        Option(2, "plain", best, 5, frozenset({"y"})),
        Option(3, "covers", best, 5, frozenset({"gap"})),
        Option(4, "worst", min(gains, key=gains.get), 5, frozenset({"gap"})),
    ]

    choice = next_question(evidence, options, minutes_left=10, uncovered={"gap": "System design"})

    assert choice.id == 3
    assert "System design" in choice.reason and "bits" in choice.reason
    assert next_question(evidence, options, minutes_left=4) is None


def test_it_suggests_the_option_with_the_largest_expected_information(cases):
    checked = 0
    for rng, evidence in cases:
        options = [
            Option(i, f"O{i}", rng.choice(LEVELS), rng.randint(1, 10), frozenset())
            for i in range(6)
        ]
        minutes = rng.randint(0, 10)
        choice = next_question(evidence, options, minutes_left=minutes)
        fitting = [o for o in options if o.minutes <= minutes]
        assert (choice is None) == (not fitting)
        if choice is None:
            continue
        p = posterior(evidence)
        best = max(expected_information(p, o.level) for o in fitting)
        # No uncovered criteria here, so nothing may beat the most informative option.
        assert choice.information == pytest.approx(best, abs=1e-4)
        assert choice.id in {o.id for o in fitting}
        checked += 1
    assert checked > CASES / 2


def test_it_tempers_every_score_by_one_exponent(cases):
    """Each score's likelihood is raised to TEMPER (half again with a hint): computed here from the
    score table alone, not through log_likelihood."""
    assert 0 < TEMPER < 1
    checked = 0
    for _, evidence in cases:
        expected = np.ones(4)
        for o in evidence:
            power = TEMPER * (HINT_WEIGHT if o.hint else 1)
            expected *= score_probabilities(o.level)[:, o.score - 1] ** power
        assert posterior(evidence) == pytest.approx(expected / expected.sum())
        checked += bool(evidence)
    assert checked > CASES / 2


def test_it_lowers_the_confidence_by_tempering_but_never_changes_the_order(cases):
    checked = 0
    for _, evidence in cases:
        if not evidence:
            continue
        tempered, full = posterior(evidence), posterior(evidence, temper=1.0)
        assert list(np.argsort(-tempered, kind="stable")) == list(np.argsort(-full, kind="stable"))
        assert entropy(tempered) >= entropy(full) - 1e-9
        checked += entropy(tempered) > entropy(full) + 1e-6
    assert checked > CASES / 2


def test_it_computes_the_expected_information_exactly_over_the_four_scores(cases):
    """Recomputed the long way: add each possible score as evidence, take the entropy of the
    estimate that results, and weigh it by how likely the current estimate makes that score."""
    checked = 0
    for rng, evidence in cases:
        level = rng.choice(LEVELS)
        p = posterior(evidence)
        predictive = p @ score_probabilities(level)
        after = sum(
            predictive[score - 1] * entropy(posterior([*evidence, Observation("N", level, score)]))
            for score in (1, 2, 3, 4)
        )
        assert expected_information(p, level) == pytest.approx(entropy(p) - after, abs=1e-9)
        assert expected_information(p, level) >= -1e-12  # on average a score never adds doubt
        checked += 1
    assert checked == CASES


@pytest.mark.parametrize(
    ("between", "best", "worst"), [((1, 2), 2, 4), ((2, 3), 3, 1), ((3, 4), 4, 1)]
)
def test_it_expects_most_from_a_question_at_the_higher_of_two_close_levels(between, best, worst):
    """Split evenly between two neighbouring levels, a question at the higher of them has its
    Partial/Solid cut between the two, so its score tells them apart best."""
    p = np.zeros(4)
    p[[between[0] - 1, between[1] - 1]] = 0.5

    gains = {level: expected_information(p, level) for level in LEVELS}

    assert max(gains, key=gains.get) == best
    assert min(gains, key=gains.get) == worst


def test_it_suggests_a_principal_question_when_senior_and_principal_are_open():
    evidence = [Observation("A", 4, 3), Observation("B", 4, 3)]
    p = posterior(evidence)
    assert p[2] + p[3] > 0.9
    options = [Option(level, f"L{level}", level, 5, frozenset()) for level in LEVELS]

    choice = next_question(evidence, options, minutes_left=60)

    assert choice.level == 4 and "Principal-level" in choice.reason


def test_it_never_suggests_an_option_longer_than_the_time_left(cases):
    checked = 0
    for rng, evidence in cases:
        options = [
            Option(i, f"O{i}", rng.choice(LEVELS), rng.randint(1, 20), frozenset({"gap"}))
            for i in range(8)
        ]
        minutes = rng.randint(1, 20)
        choice = next_question(evidence, options, minutes_left=minutes, uncovered={"gap": "Gap"})
        by_id = {o.id: o for o in options}
        if choice is not None:
            assert by_id[choice.id].minutes <= minutes
            checked += any(o.minutes > minutes for o in options)
    assert checked > CASES / 3
