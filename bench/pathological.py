"""Worst CPU time per request over a corpus of pathological input, end to end through the test Client.

    .venv/bin/python bench/pathological.py [--size 20000] [--only NAME]

Issue 11: no input anyone can type or upload may cost a request over 1 s of CPU. For every entry of
tests/pathological.py's corpus, in process with the production settings: notes (20,000 characters)
autosaved, then the summary, both reports and the PDF; a reopen reason (2,000) and a rationale
(10,000) posted, then the same pages and the debrief; bank uploads through the admin's import view
(the corpus in an answer, in a prompt, a bank at its size limit; 50,000 '[' and 1.9 MB of nested
'>'). CPU is this thread's per request. Last line: RESULT worst_cpu_seconds=<s> field=<field>
"""

import time

from harness import main, options, scratch, seed_submitted, user_in

LIMIT = 1.0


def bank_text(answer: str, prompt: str = "What is attention?", questions: int = 1) -> str:
    body = "".join(
        f"**Q{n}: {prompt}**\n\n**Expected Answer:**\n- {answer}\n\n"
        for n in range(1, questions + 1)
    )
    return f"# Hostile\n\n## Section 1: A\n\n{body}## Evaluation Rubric\n\n### Junior Level (1-3 years)\n- **Core Concepts:** Attention.\n"


def scenario() -> int:
    parser = options(__doc__)
    parser.add_argument("--size", type=int, default=20_000, help="characters of bank text")
    parser.add_argument("--only", action="append", default=[], help="a corpus entry (repeatable)")
    args = parser.parse_args()
    worst: dict[str, tuple[float, str]] = {}

    with scratch("pathological", args):
        from django.contrib.auth.models import User
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.test import Client

        from accounts import roles
        from interviews.models import Interview, PlannedQuestion
        from tests.pathological import CORPUS

        def send(field: str, case: str, call, url, data=None, ok=(200,)) -> None:
            started = time.thread_time()
            response = call(url, data) if data is not None else call(url)
            seconds = time.thread_time() - started
            assert response.status_code in ok, f"{url} answered {response.status_code} ({case})"
            if seconds > worst.get(field, (0.0, ""))[0]:
                worst[field] = (seconds, case)

        user, submitted, live = seed_submitted()
        client, managing, admin = Client(), Client(), Client()
        client.force_login(user)
        managing.force_login(user_in(roles.HIRING_MANAGERS, "bench-manager"))
        admin.force_login(User.objects.create_superuser("bench-admin", "admin@example.com"))
        item, code = live.items.order_by("position").first(), submitted.code
        pages = [f"/interviews/{code}/summary/", f"/interviews/{code}/report/"]
        pages += [f"/interviews/{code}/report/?profile=candidate", f"/interviews/{code}/report.pdf"]
        client.get(pages[-1])  # a worker loads WeasyPrint's fonts once, at its first PDF
        for name, make in CORPUS.items():
            if args.only and name not in args.only:
                continue
            notes = make(20_000)[:20_000]
            version = PlannedQuestion.objects.get(pk=item.pk).notes_version
            url = f"/interviews/{live.code}/items/{item.code}/notes/"
            # A NUL is refused with a message (400), rightly; the pages then read the rest.
            ok = (302, 400) if "\x00" in notes else (302,)
            send(
                "notes",
                f"{name}, autosave",
                client.post,
                url,
                {"notes": notes, "version": version},
                ok,
            )
            first = submitted.items.order_by("position").first()
            PlannedQuestion.objects.filter(pk=first.pk).update(
                notes=notes.replace("\x00", ""), notes_shared=True
            )
            for page in pages:
                send("notes", f"{name}, {page}", client.get, page)
            reason, rationale = (make(n).replace("\x00", "")[:n] for n in (2_000, 10_000))
            send(
                "reopen reason",
                f"{name}, reopen",
                client.post,
                f"/interviews/{code}/reopen/",
                {"reason": reason},
                (302,),
            )
            send("reopen reason", f"{name}, summary", client.get, pages[0])
            form = {"recommendation": "hire", "rationale": rationale}
            send(
                "rationale",
                f"{name}, submit",
                client.post,
                f"/interviews/{code}/submit/",
                form,
                (302,),
            )
            for page in pages:
                send("rationale", f"{name}, {page}", client.get, page)
            send(
                "rationale",
                f"{name}, debrief",
                managing.get,
                f"/candidates/{submitted.candidate.code}/debrief/",
            )
            print(f"  {name}: done", flush=True)
        Interview.objects.filter(pk=submitted.pk).update(rationale="")
        uploads = {
            f"{n} in an answer": bank_text(m(args.size).replace("\n", " "))
            for n, m in CORPUS.items()
        }
        uploads |= {
            f"{n} in a prompt": bank_text("a", m(3_900).replace("\n", " "))
            for n, m in CORPUS.items()
        }
        uploads |= {
            f"{n}, bank at its size limit": bank_text(m(19_000).replace("\n", " "), questions=15)
            for n, m in CORPUS.items()
        }
        uploads["50,000 '['"] = bank_text("[" * 50_000)
        uploads["1.9 MB of nested '>'"] = bank_text(
            "\n".join(">" * (i % 500 + 1) for i in range(7_500))
        )
        for case, text in uploads.items():
            form = {"file": SimpleUploadedFile("hostile.md", text.encode()), "slug": "hostile"}
            send("bank upload", case, admin.post, "/admin/questionbank/bank/import/", form)
    print(f"\nWorst CPU time per request, per field (limit {LIMIT} s):")
    for field, (seconds, case) in worst.items():
        print(f"  {field:<14} {seconds:7.3f} s  {'PASS' if seconds < LIMIT else 'FAIL'}  ({case})")
    field, (seconds, case) = max(worst.items(), key=lambda kv: kv[1][0])
    print(f"RESULT worst_cpu_seconds={seconds:.3f} field={field.replace(' ', '_')}")
    return 0 if seconds < LIMIT else 1


if __name__ == "__main__":
    main(scenario)
