"""/api/v1/interviews: schedule, read, plan, scorecard; /candidates/<id>/debrief."""

from interviews.models import Interview

from .conftest import ApiClient, submit

URL = "/api/v1/interviews"


def _body(who, seed_bank, **changes):
    return {
        "candidate": str(who.code),
        "position": "ML Engineer",
        "target_level": "senior",
        "bank": seed_bank.slug,
        "planned_minutes": 30,
        "interviewers": ["interviewer"],
        "scheduled_for": "2027-01-05T10:00:00Z",
    } | changes


def test_it_schedules_and_plans_an_interview(writer, candidate, seed_bank, interviewer, manager):
    response = writer.post(URL, _body(candidate, seed_bank))
    assert response.status_code == 201, response.content
    interview = Interview.objects.get(code=response.json()["id"])
    assert list(interview.interviewers.all()) == [interviewer]
    assert (interview.target_level, interview.planned_minutes, interview.created_by) == (
        3,
        30,
        manager,
    )
    assert interview.items.count() > 0
    assert response.json()["scheduled_for"].startswith("2027-01-05T10:00:00")


def test_it_answers_each_bad_reference_by_field(writer, candidate, seed_bank, manager):
    body = _body(
        candidate,
        seed_bank,
        candidate="00000000-0000-0000-0000-000000000000",
        bank="no-such-bank",
        interviewers=["interviewer", "manager", "nobody"],
    )
    response = writer.post(URL, body)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert set(fields) == {"candidate", "bank", "interviewers"}
    assert "manager" in fields["interviewers"] and "nobody" in fields["interviewers"]
    assert not Interview.objects.exists()


def test_it_answers_bad_values_with_field_errors(writer, candidate, seed_bank, interviewer):
    cases = {
        "target_level": "expert",
        "planned_minutes": 5,
        "interviewers": [],
        "scheduled_for": "tomorrow",
        "candidate": "not-a-uuid",
        "position": "",
    }
    for field, value in cases.items():
        response = writer.post(URL, _body(candidate, seed_bank, **{field: value}))
        assert response.status_code == 400, field
        assert field in response.json()["error"]["fields"], (field, response.json())
    assert not Interview.objects.exists()


def test_it_schedules_once_per_idempotency_key(writer, candidate, seed_bank, interviewer):
    headers = {"Idempotency-Key": "schedule-ada"}
    first = writer.post(URL, _body(candidate, seed_bank), headers=headers)
    again = writer.post(URL, _body(candidate, seed_bank), headers=headers)
    assert first.json() == again.json() and Interview.objects.count() == 1


def test_it_reads_status_plan_and_due_time(reader, candidate, make_interview):
    interview = make_interview(candidate)
    body = reader.get(f"{URL}/{interview.code}").json()
    assert body["status"] == "upcoming" and body["scorecard_due_at"] is None
    plan = reader.get(f"{URL}/{interview.code}/plan").json()
    assert [q["key"] for q in plan["questions"]] == [
        i.snapshot["key"] for i in interview.items.order_by("position")
    ]
    interview.end()
    body = reader.get(f"{URL}/{interview.code}").json()
    assert body["status"] == "completed" and body["scorecard_due_at"] is not None


def test_it_reads_the_scorecard_once_submitted(reader, candidate, make_interview):
    interview = make_interview(candidate)
    assert reader.get(f"{URL}/{interview.code}/scorecard").status_code == 409
    submit(interview, notes="Knew the KV cache trade-offs", shared=True)
    body = reader.get(f"{URL}/{interview.code}/scorecard").json()
    assert body["recommendation"] == "hire"
    assert body["summary"]["recommendation"] == interview.summary["recommendation"]
    assert all(
        q["notes"] == "Knew the KV cache trade-offs" and q["notes_shared"]
        for q in body["questions"]
    )
    assert [q["score"] for q in body["questions"]] == [3] * interview.items.count()
    estimate = body["summary"]["estimate"]
    assert estimate["most_likely"] == interview.summary["estimate"]["most_likely"]
    assert abs(sum(estimate["probabilities"]) - 1) < 0.01


def test_it_combines_the_loop_in_the_debrief(reader, candidate, make_interview, other_interviewer):
    first = submit(make_interview(candidate))
    second = make_interview(candidate, interviewers=[other_interviewer], seed=2)
    body = reader.get(f"/api/v1/candidates/{candidate.code}/debrief").json()
    assert [s["interview"] for s in body["scorecards"]] == [str(first.code)]
    assert body["pending"] == [str(second.code)]
    assert body["criteria"] and body["split"] is False


def test_it_shows_an_interviewer_only_their_interviews(
    client, candidate, make_interview, other_interviewer, interviewer
):
    candidate.created_by = interviewer  # their loop: their interview puts them on its panel
    candidate.save()
    mine = make_interview(candidate)
    theirs = make_interview(candidate, interviewers=[other_interviewer], seed=2)
    client.force_login(interviewer)
    session = ApiClient(client=client)
    listed = [i["id"] for i in session.get(URL).json()["results"]]
    assert listed == [str(mine.code)]
    assert session.get(f"{URL}/{theirs.code}").status_code == 404
    # Before submitting their own scorecard, the panel's results stay hidden (as in the app).
    response = session.get(f"/api/v1/candidates/{candidate.code}/debrief")
    assert response.status_code == 403 and response.json()["error"]["code"] == "submit_first"


def test_it_lists_interviews_by_candidate_and_status(reader, candidate, make_interview):
    from interviews.models import Candidate

    other = Candidate.objects.create(name="Other")
    make_interview(candidate)
    ended = make_interview(other, seed=2)
    ended.end()
    by_candidate = reader.get(URL, {"candidate": str(other.code)}).json()["results"]
    by_status = reader.get(URL, {"status": "completed"}).json()["results"]
    assert [i["id"] for i in by_candidate] == [i["id"] for i in by_status] == [str(ended.code)]
    assert reader.get(URL, {"status": "lost"}).status_code == 400


def test_it_lists_in_a_fixed_number_of_queries(
    reader, candidate, make_interview, django_assert_max_num_queries
):
    for seed in range(5):
        make_interview(candidate, seed=seed)
    with django_assert_max_num_queries(9):
        assert len(reader.get(URL).json()["results"]) == 5
