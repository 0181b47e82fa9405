"""The summary puts the decision first, and its chart's labels are never cut off."""

from playwright.sync_api import Page, expect

from interviews.models import Candidate, PlannedQuestion

from .conftest import assert_no_serious_axe_violations, login


def test_it_puts_the_decision_first_and_never_clips_the_chart(
    page: Page, live_server, interviewer, make_interview
):
    candidate = Candidate.objects.create(name="Chart Candidate", created_by=interviewer)
    interview = make_interview(candidate, planned_minutes=60)
    items = list(interview.items.order_by("position"))
    for index, item in enumerate(items):
        item.score = [4, 1, 2, 3][index % 4]
        item.notes = "Seen in the room."
    PlannedQuestion.objects.bulk_update(items, ["score", "notes"])

    page.set_viewport_size({"width": 1280, "height": 720})
    login(page, live_server, "interviewer", "password")
    page.goto(f"{live_server.url}/interviews/{interview.code}/summary/")

    decision = page.get_by_role("button", name="Submit the scorecard")
    expect(decision).to_be_in_viewport()
    expect(page.get_by_role("heading", name="Recommendation against Senior")).to_be_in_viewport()
    assert decision.bounding_box()["y"] < page.locator("#levels-heading").bounding_box()["y"]

    chart = page.locator("svg.chart")
    expect(chart).to_be_visible()
    outside = page.evaluate(
        """() => {
            const svg = document.querySelector('svg.chart');
            const width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
            return [...svg.querySelectorAll('text')].map((t) => [t.textContent, t.getBBox()])
              .filter(([, b]) => b.x < 0 || b.y < 0 || b.x + b.width > width || b.y + b.height > height)
              .map(([text, b]) => `${text} ${b.x},${b.y},${b.width},${b.height} in ${width}x${height}`);
        }"""
    )
    assert outside == [], f"chart labels cut off: {outside}"
    assert page.locator("svg.chart text").count() > 8, "the chart must have labels to check"
    assert_no_serious_axe_violations(page)
