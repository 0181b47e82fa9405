"""The REST API's list and read endpoints through gunicorn and wrk, against the logged-in floor.

    .venv/bin/python bench/api.py [--seconds 8] [--connections 16] [--postgres]

A manager's write key, 200 candidates with an interview each (every other one submitted): GET
/hello/user/ (the floor), the candidates and interviews lists (50 a page), one candidate, one
interview, its plan, its scorecard, the candidate's debrief. Each call also pays the key lookup,
the rate-limit UPDATE and an audit INSERT (the limit is raised for the run). Last line:
RESULT api reads at <min>..<max> of the logged-in floor (<req/s>); slowest: <endpoint>
"""

from harness import interview_for, login_session, main, options, queries, scratch, table, user_in


def seed(candidates: int) -> tuple[str, str, dict[str, str]]:
    from accounts import roles
    from api.models import ApiKey
    from interviews import services

    interviewer = user_in(roles.INTERVIEWERS, "bench-interviewer")
    manager = user_in(roles.HIRING_MANAGERS, "bench-manager")
    submitted = None
    for n in range(candidates):
        interview = interview_for(interviewer, n, external_id=f"ATS-{n}")
        submitted = interview if n == 0 else submitted
        if n % 2 == 0:
            interview.items.update(score=3, notes="Solid.")
            services.submit_scorecard(
                interview=interview, by=interviewer, recommendation="hire", rationale="Good."
            )
    _, token = ApiKey.issue(user=manager, name="bench", scope="write")
    code, who = submitted.code, submitted.candidate.code
    return (
        token,
        login_session(manager),
        {
            "candidates list": "/api/v1/candidates?limit=50",
            "candidate": f"/api/v1/candidates/{who}",
            "interviews list": "/api/v1/interviews?limit=50",
            "interview": f"/api/v1/interviews/{code}",
            "plan": f"/api/v1/interviews/{code}/plan",
            "scorecard": f"/api/v1/interviews/{code}/scorecard",
            "debrief": f"/api/v1/candidates/{who}/debrief",
        },
    )


def scenario() -> int:
    parser = options(__doc__, seconds=8)
    parser.add_argument("--candidates", type=int, default=200)
    args = parser.parse_args()
    with scratch("api", args, API_RATE_LIMIT=str(10**9)) as run:
        from django.test import Client

        token, session, paths = seed(args.candidates)
        floor = "/hello/user/ (floor)"
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")
        sql = {floor: ["session", "user"]}
        sql |= {name: queries(lambda path=path: client.get(path)) for name, path in paths.items()}
        run.serve(args)
        results = {floor: run.wrk(args, "user", [f"{session} - - - - 0"] * args.connections)}
        for name, path in paths.items():
            results[name] = run.wrk(args, "api", [f"{token} - {path}"] * args.connections)
    table(results, sql, floor=floor)
    shares = {n: r["rps"] / results[floor]["rps"] for n, r in results.items() if n != floor}
    print(
        f"RESULT api reads at {min(shares.values()):.0%}..{max(shares.values()):.0%} of the logged-in "
        f"floor ({results[floor]['rps']:.0f} req/s); slowest: {min(shares, key=shares.get)}"
    )
    return 0


if __name__ == "__main__":
    main(scenario)
