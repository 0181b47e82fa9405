"""Known-answer tests: every number here is published, not computed by this code."""

import math

import numpy as np
import pytest

from interviews import agreement

nan = math.nan

# Shrout & Fleiss (1979), Table 2: 6 targets x 4 judges.
SHROUT_FLEISS = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], float
)
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers x 12
# units with missing values (here units are rows), as also in the `krippendorff` package's tests.
KRIPPENDORFF = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
).T
# Wikipedia's computational example (3 coders x 15 units), also in the `krippendorff` package tests:
# nominal 0.691358, interval 0.810845.
WIKIPEDIA = np.array(
    [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
).T
# The R package irr's `anxiety` data (20 subjects x 3 raters); irr's documented output for
# icc(anxiety, "twoway", "agreement"): ICC(A,1) = 0.198, 95 % CI -0.039 < ICC < 0.494.
ANXIETY = np.array(
    [
        [3, 3, 2], [3, 6, 1], [3, 4, 4], [4, 6, 4], [5, 2, 3], [5, 4, 2], [2, 2, 1],
        [3, 4, 6], [5, 3, 1], [2, 3, 1], [2, 2, 1], [6, 3, 2], [1, 3, 3], [5, 3, 3],
        [2, 2, 1], [2, 2, 1], [1, 1, 3], [2, 3, 3], [4, 3, 2], [3, 4, 2],
    ],
    float,
)  # fmt: skip


def test_it_reproduces_shrout_and_fleiss_table_2():
    result = agreement.icc(SHROUT_FLEISS)
    published = {
        "icc1": 0.17, "icc2": 0.29, "icc3": 0.71, "icc1k": 0.44, "icc2k": 0.62, "icc3k": 0.91,
    }  # fmt: skip
    assert {name: round(result[name].value, 2) for name in published} == published


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_it_reproduces_krippendorffs_worked_example(level, published):
    assert round(agreement.alpha(KRIPPENDORFF, level), 3) == published


def test_it_reproduces_the_wikipedia_alpha_example():
    assert round(agreement.alpha(WIKIPEDIA, "nominal"), 6) == 0.691358
    assert round(agreement.alpha(WIKIPEDIA, "interval"), 6) == 0.810845


def test_it_reproduces_the_mcgraw_wong_interval_that_irr_documents():
    icc2 = agreement.icc(ANXIETY)["icc2"]
    assert round(icc2.value, 3) == 0.198
    assert (round(icc2.low, 3), round(icc2.high, 3)) == (-0.039, 0.494)


def test_it_gives_f_based_intervals_that_contain_each_icc():
    for name, estimate in agreement.icc(SHROUT_FLEISS).items():
        assert estimate.low < estimate.value < estimate.high, name
    # ICC(3,1): F = BMS/EMS on (5, 15) df; the bounds follow from F's quantiles.
    icc3 = agreement.icc(SHROUT_FLEISS)["icc3"]
    assert (round(icc3.low, 2), round(icc3.high, 2)) == (0.34, 0.95)


def test_it_uses_only_complete_rows_for_the_icc():
    with_gap = np.vstack([SHROUT_FLEISS, [1, nan, 9, 9]])
    assert agreement.icc(with_gap)["icc2"] == agreement.icc(SHROUT_FLEISS)["icc2"]
    assert agreement.icc(np.array([[1, 2], [3, nan]])) is None


def test_it_gives_a_reproducible_bootstrap_interval_around_alpha():
    first = agreement.alpha_with_ci(KRIPPENDORFF, "ordinal")
    again = agreement.alpha_with_ci(KRIPPENDORFF, "ordinal")
    assert first == again
    assert first.low < first.value < first.high <= 1


def test_it_gives_perfect_agreement_alpha_one_and_undefined_without_pairs():
    same = np.array([[1, 1, 1], [2, 2, 2], [4, 4, 4]], float)
    assert agreement.alpha(same, "interval") == 1.0
    assert agreement.alpha(np.array([[1, nan], [nan, 2]]), "nominal") is None
    assert agreement.alpha(np.array([[3, 3], [3, 3]], float), "nominal") is None


@pytest.mark.parametrize(
    ("value", "reading"),
    [(0.49, "poor"), (0.50, "moderate"), (0.749, "moderate"), (0.75, "good"), (0.90, "excellent")],
)
def test_it_reads_coefficients_as_koo_and_li(value, reading):
    assert agreement.koo_li(value) == reading


def test_it_sizes_a_panel_by_spearman_brown():
    # Spearman-Brown: k raters of single reliability r give kr / (1 + (k-1) r).
    for r in (0.2, 0.29, 0.5, 0.7):
        k = agreement.panel_size_for(r)
        assert k * r / (1 + (k - 1) * r) >= 0.8 > (k - 1) * r / (1 + (k - 2) * r)
    assert agreement.panel_size_for(0.85) == 1
    assert agreement.panel_size_for(-0.1) is None


def test_it_refuses_malformed_tables_naming_the_line():
    cases = {
        "": "line 1",
        "1,2,3\n": "line 1: expected a header",
        "subject,a\n1,2\n": "at least two rater",
        "subject,a,b\n1,2,3\n2,3\n": "line 3: expected 3 cells",
        "subject,a,b\n1,2,3\n\n2,3,x\n": "line 4, rater 'b': 'x' is not a number",
        "subject,a,b\n1,inf,3\n": "not a finite number",
        "subject,a,b\n": "no subjects",
    }
    for text, message in cases.items():
        with pytest.raises(agreement.TableError, match=message):
            agreement.parse_table(text)


def test_it_reads_empty_cells_as_missing():
    table = agreement.parse_table("subject,a,b,c\ns1,1,,3\ns2,2,2,\n")
    assert table.raters == ("a", "b", "c") and table.subjects == ("s1", "s2")
    assert np.isnan(table.ratings[0, 1]) and np.isnan(table.ratings[1, 2])
