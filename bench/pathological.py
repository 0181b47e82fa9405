"""Worst CPU time per request over tests/pathological.py's corpus, in process (issue 11: < 1 s).

    .venv/bin/python bench/pathological.py [--size 20000] [--only NAME] [--postgres]

Per entry: notes (20,000 characters) autosaved, then the summary, both reports and the PDF; a
reopen reason (2,000) and a rationale (10,000), then the same pages and the debrief. A PDF is
asked for (202), made by the task's code in this process, timed apart (a worker's job, not a
request), then asked for again (the made PDF). Then bank uploads through the admin (the corpus in
an answer, in a prompt, a bank at its size limit; 50,000 '[' and 1.9 MB of nested '>').
Last line: RESULT worst_cpu_seconds=<s> field=<field> worst_pdf_job_seconds=<s>
"""

import time

import harness as h

LIMIT = 1.0
RUBRIC = "## Evaluation Rubric\n\n### Junior Level (1-3 years)\n- **Core Concepts:** Attention.\n"


def bank_text(answer: str, prompt: str = "What is attention?", questions: int = 1) -> str:
    body = "".join(
        f"**Q{n}: {prompt}**\n\n**Expected Answer:**\n- {answer}\n\n"
        for n in range(1, questions + 1)
    )
    return f"# Hostile\n\n## Section 1: A\n\n{body}{RUBRIC}"


def scenario() -> int:
    parser = h.options(__doc__)
    parser.add_argument("--size", type=int, default=20_000, help="characters of bank text")
    parser.add_argument("--only", action="append", default=[], help="a corpus entry (repeatable)")
    args = parser.parse_args()
    worst: dict[str, tuple[float, str]] = {}
    jobs: dict[str, tuple[float, str]] = {}
    with h.scratch("pathological", args):
        from django.contrib.auth.models import User
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client

        from accounts import roles
        from interviews import printouts
        from interviews.models import Interview, PlannedQuestion, Printout
        from tests.pathological import CORPUS

        def send(field: str, case: str, client, url: str, data=None, ok=(200,)) -> None:
            started = time.thread_time()
            response = client.get(url) if data is None else client.post(url, data)
            seconds = time.thread_time() - started
            assert response.status_code in ok, f"{url} answered {response.status_code} ({case})"
            worst[field] = max(worst.get(field, (0.0, "")), (seconds, f"{case}, {url}"))
            if response.status_code == 202:  # a PDF queued: the worker's job, then the PDF
                started = time.thread_time()
                assert printouts.render(Printout.objects.latest("pk").pk) == "made", case
                seconds = time.thread_time() - started
                jobs[field] = max(jobs.get(field, (0.0, "")), (seconds, f"{case}, {url}"))
                send(field, case, client, url)

        user, submitted, live = h.seed_submitted()
        client, managing, admin = Client(), Client(), Client()
        client.force_login(user)
        managing.force_login(h.user_in(roles.HIRING_MANAGERS, "bench-manager"))
        admin.force_login(User.objects.create_superuser("bench-admin", "admin@example.com"))
        item, first = live.items.order_by("position")[0], submitted.items.order_by("position")[0]
        at, notes_url = (
            f"/interviews/{submitted.code}",
            f"/interviews/{live.code}/items/{item.code}/notes/",
        )
        pages = [
            f"{at}/summary/",
            f"{at}/report/",
            f"{at}/report/?profile=candidate",
            f"{at}/report.pdf",
        ]
        send("notes", "warm-up", client, pages[-1], ok=(202,))  # WeasyPrint loads its fonts once
        worst.clear()
        jobs.clear()
        for name, make in CORPUS.items():
            if args.only and name not in args.only:
                continue
            notes = make(20_000)[:20_000]
            version = PlannedQuestion.objects.get(pk=item.pk).notes_version
            # A NUL is refused with a message (400), rightly; the pages then read the rest.
            ok = (302, 400) if "\x00" in notes else (302,)
            send("notes", name, client, notes_url, {"notes": notes, "version": version}, ok)
            notes = notes.replace("\x00", "")
            PlannedQuestion.objects.filter(pk=first.pk).update(notes=notes, notes_shared=True)
            for page in pages:
                send("notes", name, client, page, ok=(200, 202))
            reason, rationale = (make(n).replace("\x00", "")[:n] for n in (2_000, 10_000))
            send("reopen reason", name, client, f"{at}/reopen/", {"reason": reason}, (302,))
            send("reopen reason", name, client, pages[0])
            form = {"recommendation": "hire", "rationale": rationale}
            send("rationale", name, client, f"{at}/submit/", form, (302,))
            for page in pages:
                send("rationale", name, client, page, ok=(200, 202))
            send("rationale", name, managing, f"/candidates/{submitted.candidate.code}/debrief/")
            print(f"  {name}: done", flush=True)
        Interview.objects.filter(pk=submitted.pk).update(rationale="")
        uploads = {"50,000 '['": bank_text("[" * 50_000)}
        uploads["1.9 MB of nested '>'"] = bank_text(
            "\n".join(">" * (i % 500 + 1) for i in range(7_500))
        )
        for name, make in CORPUS.items():
            uploads[f"{name} in an answer"] = bank_text(make(args.size).replace("\n", " "))
            uploads[f"{name} in a prompt"] = bank_text("a", make(3_900).replace("\n", " "))
            big = bank_text(make(19_000).replace("\n", " "), questions=15)
            uploads[f"{name}, bank at its size limit"] = big
        for case, text in uploads.items():
            form = {"file": SimpleUploadedFile("hostile.md", text.encode()), "slug": "hostile"}
            send("bank upload", case, admin, "/admin/questionbank/bank/import/", form)
    print(f"\nWorst CPU time per request, per field (limit {LIMIT} s):")
    for field, (seconds, case) in worst.items():
        print(f"  {field:<14} {seconds:7.3f} s  {'PASS' if seconds < LIMIT else 'FAIL'}  ({case})")
    print(
        "PDFs made by the task worker, CPU time per job (one at a time per worker; no request waits):"
    )
    for field, (seconds, case) in jobs.items():
        print(f"  {field:<14} {seconds:7.3f} s  ({case})")
    field, (seconds, case) = max(worst.items(), key=lambda kv: kv[1][0])
    job = max(seconds for seconds, _ in jobs.values())
    print(
        f"RESULT worst_cpu_seconds={seconds:.3f} field={field.replace(' ', '_')} "
        f"worst_pdf_job_seconds={job:.3f}"
    )
    return 0 if seconds < LIMIT else 1


if __name__ == "__main__":
    h.main(scenario)
