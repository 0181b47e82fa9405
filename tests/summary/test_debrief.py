"""The panel: independent scoring between interviewers, and the hiring manager's debrief."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts import roles
from interviews.models import Candidate, Interview
from tests.conftest import make_user

B_NOTE = "B-NOTE-MARKER"
B_RATIONALE = "B-RATIONALE-MARKER"


@pytest.fixture
def candidate(interviewer):
    """`interviewer`'s candidate: they added them, so they may add interviewers to the loop."""
    return Candidate.objects.create(name="Ada Lovelace", created_by=interviewer)


@pytest.fixture
def loop(candidate, make_interview, interviewer, other_interviewer):
    """Two interviews of one candidate: A's by `interviewer`, B's by `other_interviewer`, both set
    up by `interviewer`."""
    a = make_interview(candidate, interviewers=[interviewer], seed=1)
    b = make_interview(candidate, interviewers=[other_interviewer], seed=2)
    Interview.objects.filter(pk=b.pk).update(created_by=interviewer)
    return a, b


@pytest.fixture
def b_submitted(loop, score, submit):
    _, b = loop
    score(b, 2, notes={0: f"Struggled here {B_NOTE}"})
    return submit(b, "no_hire", f"Not yet Senior {B_RATIONALE}")


def debrief(client, user, candidate, name="debrief"):
    client.force_login(user)
    return client.get(reverse(f"interviews:{name}", args=[candidate.code]))


def scores_by_criterion(interview: Interview, scores: dict[str, int], default=0) -> list[int]:
    """A score per planned question: the score of the first of its criteria listed, else default.

    Only questions whose Senior criteria are all listed are scored, so that the evidence is on
    exactly the criteria named (a question on Evaluation and Production would count for both).
    """
    result = []
    for item in interview.items.order_by("position"):
        keys = [c["key"] for c in item.snapshot["criteria"]]
        senior = [k for k in keys if k.startswith("senior-")]
        if not all(k in scores for k in senior):
            result.append(default)
            continue
        result.append(next((scores[k] for k in keys if k in scores), default))
    return result


def test_it_hides_the_debrief_until_the_interviewer_submits(
    client, interviewer, candidate, b_submitted
):
    response = debrief(client, interviewer, candidate)
    pdf = debrief(client, interviewer, candidate, "debrief_pdf")

    assert response.status_code == 403
    assert pdf.status_code == 403
    assert "Submit your own scorecard first" in response.text
    for secret in (B_NOTE, B_RATIONALE, "No hire", "Partial"):
        assert secret not in response.text
        assert secret not in pdf.text


def test_it_shows_the_debrief_once_the_interviewer_has_submitted(
    client, interviewer, candidate, loop, b_submitted, score, submit
):
    a, _ = loop
    score(a, 3)
    submit(a, "hire")

    response = debrief(client, interviewer, candidate)

    assert response.status_code == 200
    assert len(response.context["scorecards"]) == 2
    assert B_RATIONALE in response.text


def test_it_keeps_another_interviewers_pages_hidden(
    client, interviewer, loop, b_submitted, score, submit
):
    a, b = loop
    client.force_login(interviewer)
    pages = ("live", "plan", "summary", "report", "report_pdf", "export_csv", "export_json")

    before = {name: client.get(reverse(f"interviews:{name}", args=[b.code])) for name in pages}
    score(a, 3)
    submit(a)
    after = {name: client.get(reverse(f"interviews:{name}", args=[b.code])) for name in pages}

    for name in pages:
        assert before[name].status_code == 404, name
        assert after[name].status_code == 404, name
        assert B_NOTE.encode() not in before[name].content + after[name].content


def test_it_hides_the_debrief_from_an_interviewer_outside_the_loop(client, candidate, b_submitted):
    outsider = make_user("outsider", roles.INTERVIEWERS)

    assert debrief(client, outsider, candidate).status_code == 404
    assert debrief(client, outsider, candidate, "debrief_pdf").status_code == 404


def test_it_shows_the_hiring_manager_every_scorecard_side_by_side(
    client, manager, candidate, loop, b_submitted, score, submit
):
    a, _ = loop
    score(a, 3)
    submit(a, "hire", "Ready for Senior.")

    response = debrief(client, manager, candidate)

    assert response.status_code == 200
    cards = response.context["scorecards"]
    assert [card.interview for card in cards] == list(loop)
    assert [card.interviewers for card in cards] == ["interviewer", "colleague"]
    assert "Ready for Senior." in response.text
    assert B_RATIONALE in response.text


def test_it_lists_interviews_not_submitted_yet_without_their_scores(
    client, manager, candidate, loop, b_submitted, score
):
    a, _ = loop
    score(a, 4, notes=dict.fromkeys(range(20), "A-UNSUBMITTED-MARKER"))

    response = debrief(client, manager, candidate)

    assert response.context["pending"] == [a]
    assert "1 submitted scorecard, 1 not submitted yet." in response.text
    assert "A-UNSUBMITTED-MARKER" not in response.text


def test_it_highlights_disagreements_and_split_recommendations(
    client, manager, candidate, loop, score, submit
):
    a, b = loop
    score(a, 4, notes=dict.fromkeys(range(20), "Excellent."))
    submit(a, "strong_hire")
    score(b, 2)
    submit(b, "no_hire")

    response = debrief(client, manager, candidate)

    shared = [row for row in response.context["rows"] if all(r and r.mean for r in row.results)]
    assert shared, "the two plans share no assessed criterion"
    # Rules 2 read a stretch 2 as a 3 at a lower criterion's level, so not every spread is 2 now.
    flagged = [row for row in shared if row.disagreement]
    assert flagged, "no criterion shows the 4-against-2 spread"
    assert all(row.spread == 2.0 for row in flagged)
    assert all(row.spread < 2.0 for row in shared if not row.disagreement)
    assert response.context["disagreements"] == flagged
    assert response.context["split"] is True
    assert "Split recommendations: the panel does not agree on hire or no hire." in response.text
    assert (
        "Disagreement (a spread of 2 points or more) on: " + ", ".join(row.name for row in flagged)
        in response.text
    )
    assert response.text.count('<tr class="disagreement">') == len(flagged) + 2


def test_it_flags_no_disagreement_when_the_panel_agrees(
    client, manager, candidate, loop, score, submit
):
    a, b = loop
    score(a, 3)
    submit(a, "hire")
    score(b, [4] + [3] * 20, notes={0: "Strong."})
    submit(b, "strong_hire")

    response = debrief(client, manager, candidate)

    assert response.context["disagreements"] == []
    assert response.context["split"] is False
    assert "disagreement" not in response.text.lower()


def test_it_combines_the_coverage_of_the_target_level_across_the_loop(
    client, manager, candidate, loop, score, submit
):
    a, b = loop
    score(a, scores_by_criterion(a, {"senior-evaluation": 3}))
    submit(a, "no_hire")
    score(b, scores_by_criterion(b, {"senior-security": 3}))
    submit(b, "no_hire")
    assert a.summary["coverage_gaps"] != b.summary["coverage_gaps"]

    response = debrief(client, manager, candidate)

    assert [r.name for r in response.context["covered"]] == ["Security", "Evaluation"]
    assert (
        "2 of 5 Senior criteria have evidence across the loop; no evidence on System Design, "
        "Advanced RAG, Production." in response.text
    )


def test_it_gives_the_hiring_manager_the_debrief_as_a_pdf(
    client, manager, candidate, loop, b_submitted, score, submit
):
    a, _ = loop
    score(a, 3)
    submit(a, "hire")

    response = debrief(client, manager, candidate, "debrief_pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ada-lovelace_debrief.pdf"'
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert all("Ada Lovelace" in page.extract_text() for page in pages)
    words = "".join("".join(page.extract_text() for page in pages).split())
    assert B_RATIONALE in words, "a narrow table column wraps the marker, hence no whitespace"


def test_it_combines_the_panels_evidence_into_one_level_estimate(
    client, manager, candidate, loop, score, submit
):
    from interviews import estimate

    a, b = loop
    score(a, 4, notes=dict.fromkeys(range(20), "Excellent."))
    submit(a, "strong_hire")
    score(b, 2)
    submit(b, "no_hire")

    response = debrief(client, manager, candidate)

    panel = response.context["panel"]
    everything = []
    for interview in (a, b):
        items = interview.items.order_by("position")
        everything += estimate.observations(
            (i.snapshot["number"], i.snapshot["level"], i.score, i.hint_given) for i in items
        )
    assert panel.combined.probabilities == estimate.estimate(everything).probabilities
    assert len(panel.cards) == 2
    assert panel.cards[0].own.most_likely > panel.cards[1].own.most_likely
    assert "Combined level estimate of the panel" in response.text
    assert panel.combined.statement in response.text
    assert "The panel disagrees on the level" in response.text


def test_it_leaves_out_the_estimate_of_scorecards_not_submitted(
    client, manager, candidate, loop, b_submitted, score
):
    a, b = loop
    score(a, 1)

    panel = debrief(client, manager, candidate).context["panel"]

    assert [share.evidence for share in panel.cards] == [b.items.filter(score__gt=0).count()]
