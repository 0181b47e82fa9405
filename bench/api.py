"""The REST API's list and read endpoints through gunicorn and wrk, against the logged-in floor.

    .venv/bin/python bench/api.py [--seconds 8] [--connections 16] [--postgres]

A manager's write key, 200 candidates with an interview each (every other one submitted): GET
/hello/user/ (the floor), the candidates and interviews lists (50 a page), one candidate, one
interview, its plan, its scorecard, the candidate's debrief. Each call also pays the key lookup,
the rate-limit UPDATE and an audit INSERT (the limit is raised for the run). Last line:
RESULT api reads at <min>..<max> of the logged-in floor (<req/s>); slowest: <endpoint>
"""

import harness as h


def seed(candidates: int) -> tuple[str, str, dict[str, str]]:
    from accounts import roles
    from api.models import ApiKey
    from interviews import services

    interviewer = h.user_in(roles.INTERVIEWERS, "bench-interviewer")
    manager = h.user_in(roles.HIRING_MANAGERS, "bench-manager")
    first = None
    for n in range(candidates):
        interview = h.interview_for(interviewer, n, external_id=f"ATS-{n}")
        first = first or interview
        if n % 2 == 0:
            interview.items.update(score=3, notes="Solid.")
            services.submit_scorecard(
                interview=interview, by=interviewer, recommendation="hire", rationale="Good."
            )
    _, token = ApiKey.issue(user=manager, name="bench", scope="write")
    i, c = f"/api/v1/interviews/{first.code}", f"/api/v1/candidates/{first.candidate.code}"
    paths = {"candidates list": "/api/v1/candidates?limit=50", "candidate": c}
    paths |= {"interviews list": "/api/v1/interviews?limit=50", "interview": i}
    paths |= {"plan": f"{i}/plan", "scorecard": f"{i}/scorecard", "debrief": f"{c}/debrief"}
    return token, h.login_session(manager), paths


def scenario() -> int:
    parser = h.options(__doc__, seconds=8, wrk=True)
    parser.add_argument("--candidates", type=int, default=200)
    args = parser.parse_args()
    with h.scratch("api", args, API_RATE_LIMIT=str(10**9)) as run:
        from django.test import Client

        token, session, paths = seed(args.candidates)
        client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_HOST="127.0.0.1")
        sql = {h.FLOOR: 2} | {n: h.queries(lambda p=p: client.get(p)) for n, p in paths.items()}
        run.serve()
        results = {h.FLOOR: run.get(args, "/hello/user/", [session] * args.connections)}
        for name, path in paths.items():
            results[name] = run.wrk(args, "api", [f"{token} - {path}"] * args.connections)
    h.table(results, sql)
    shares = {n: r["rps"] / results[h.FLOOR]["rps"] for n, r in results.items() if n != h.FLOOR}
    print(
        f"RESULT api reads at {min(shares.values()):.0%}..{max(shares.values()):.0%} of the "
        f"logged-in floor ({results[h.FLOOR]['rps']:.0f} req/s); slowest: {min(shares, key=shares.get)}"
    )
    return 0


if __name__ == "__main__":
    h.main(scenario)
