"""Worst CPU time per field over a corpus of pathological input, end to end through the test Client.

    .venv/bin/python bench/pathological.py [--size 20000]

Issue 11: no input any user can type or upload may cost a request more than 1 s of CPU. For every
entry of tests/pathological.py's corpus, in one process, with DEBUG off and the cached template
loader (bench/report.py's harness: scratch database, production templates):

- notes: autosaved through the notes endpoint (20,000 characters, the form's limit), then the
  summary, the internal and candidate-safe reports and the PDF;
- rationale (10,000) and reopen reason (2,000): posted through reopen and submit, then the summary,
  the report, the debrief and the PDF;
- bank text: a bank upload through the admin's import view (the dry run), with the corpus in an
  expected answer and a prompt, plus the probe's own uploads: 50,000 '[', 1.9 MB of nested '>',
  and a bank filled to its size limit with the corpus.

CPU time is this thread's (time.thread_time) for each request. Last line:
RESULT worst_cpu_seconds=<s> field=<field>. Exit status 0 if every field stays under 1 s.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

LIMIT = 1.0
FIELD_SIZES = {"notes": 20_000, "rationale": 10_000, "reopen reason": 2_000}


def cpu(call, *args, **kwargs) -> tuple[float, object]:
    started = time.thread_time()
    result = call(*args, **kwargs)
    return time.thread_time() - started, result


def expect(response, *codes):
    if response.status_code not in codes:
        body = response.content.decode(errors="replace")
        start = body.find('role="alert"')
        shown = body[start : start + 400] if start >= 0 else body[:200]
        raise SystemExit(
            f"unexpected {response.status_code} from {response.request['PATH_INFO']}: {shown}"
        )
    return response


def bank_text(answer: str, prompt: str = "What is attention?", questions: int = 1) -> str:
    body = "".join(
        f"**Q{n}: {prompt}**\n\n**Expected Answer:**\n- {answer}\n\n"
        for n in range(1, questions + 1)
    )
    return (
        "# Hostile\n\n## Section 1: A\n\n" + body + "## Evaluation Rubric\n\n"
        "### Junior Level (1-3 years)\n- **Core Concepts:** Attention.\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20_000, help="characters of bank text")
    parser.add_argument("--only", action="append", default=[], help="a corpus entry (repeatable)")
    args = parser.parse_args()
    only = set(args.only)
    scratch = Path(tempfile.mkdtemp(prefix="interview-desk-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'unused.sqlite3'}")
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")

    import django

    django.setup()
    import logging

    from django.contrib.auth.models import Group, User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client, override_settings
    from django.test.utils import teardown_databases
    from django.urls import reverse

    from accounts import roles
    from bench.report import build_interviews, production_templates, scratch_database
    from interviews.models import Interview, PlannedQuestion
    from tests.pathological import CORPUS

    logging.getLogger("interview_desk.requests").disabled = True
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    worst: dict[str, tuple[float, str]] = {}

    def record(field: str, case: str, seconds: float) -> None:
        if seconds > worst.get(field, (0.0, ""))[0]:
            worst[field] = (seconds, case)

    databases = None
    try:
        databases, described = scratch_database(scratch)
        print(f"Setting up ({described}) ...", flush=True)
        # PDFs load their stylesheets as production does: hashed names from a collected manifest
        # (whitenoise's storage in production subclasses this one; it only adds compression).
        static_root = Path(scratch) / "static"
        manifest = {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            },
        }
        with override_settings(
            TEMPLATES=production_templates(),
            DEBUG=False,
            ALLOWED_HOSTS=["testserver"],
            STATIC_ROOT=static_root,
            STORAGES=manifest,
        ):
            from django.core.management import call_command

            call_command("collectstatic", "--no-input", verbosity=0)
            user, submitted, live = build_interviews()
            client, managing = Client(), Client()
            client.force_login(user)
            manager = User.objects.create_user("bench-manager", "m@example.com", "unused")
            manager.groups.add(Group.objects.get(name=roles.HIRING_MANAGERS))
            managing.force_login(manager)
            item = live.items.order_by("position").first()
            notes_url = reverse("interviews:item_notes", args=[live.code, item.code])
            pages = {
                "summary": reverse("interviews:summary", args=[submitted.code]),
                "report": reverse("interviews:report", args=[submitted.code]),
                "candidate report": reverse("interviews:report", args=[submitted.code])
                + "?profile=candidate",
                "report.pdf": reverse("interviews:report_pdf", args=[submitted.code]),
            }
            debrief = reverse("interviews:debrief", args=[submitted.candidate.code])
            # A gunicorn worker loads WeasyPrint's fonts once, at its first PDF: not per request.
            expect(client.get(pages["report.pdf"]), 200)
            for name, make in CORPUS.items():
                if only and name not in only:
                    continue
                text = make(FIELD_SIZES["notes"])[: FIELD_SIZES["notes"]]
                # Notes: autosave on the live interview, then the pages of the submitted one.
                version = PlannedQuestion.objects.get(pk=item.pk).notes_version
                form = {"notes": text, "version": version}
                seconds, response = cpu(client.post, notes_url, form)
                # A NUL is refused with a message (400), rightly; the pages then read the rest.
                expect(response, 302, *((400,) if "\x00" in text else ()))
                text = text.replace("\x00", "")
                record("notes", f"{name}, autosave", seconds)
                PlannedQuestion.objects.filter(
                    pk=submitted.items.order_by("position").first().pk
                ).update(notes=text, notes_shared=True)
                for page, url in pages.items():
                    seconds, response = cpu(client.get, url)
                    expect(response, 200)
                    record("notes", f"{name}, {page}", seconds)
                # Reopen with the reason, resubmit with the rationale, then read them back.
                reason = make(FIELD_SIZES["reopen reason"]).replace("\x00", "")[
                    : FIELD_SIZES["reopen reason"]
                ]
                rationale = make(FIELD_SIZES["rationale"]).replace("\x00", "")[
                    : FIELD_SIZES["rationale"]
                ]
                reopen = reverse("interviews:reopen", args=[submitted.code])
                seconds, response = cpu(client.post, reopen, {"reason": reason})
                expect(response, 302)
                record("reopen reason", f"{name}, reopen", seconds)
                seconds, response = cpu(client.get, pages["summary"])
                expect(response, 200)
                record("reopen reason", f"{name}, summary", seconds)
                submit = reverse("interviews:submit", args=[submitted.code])
                form = {"recommendation": "hire", "rationale": rationale}
                seconds, response = cpu(client.post, submit, form)
                expect(response, 302)
                record("rationale", f"{name}, submit", seconds)
                for page, url in [*pages.items(), ("debrief", debrief)]:
                    seconds, response = cpu(managing.get if page == "debrief" else client.get, url)
                    expect(response, 200)
                    record("rationale", f"{name}, {page}", seconds)
                print(f"  {name}: done", flush=True)
            Interview.objects.filter(pk=submitted.pk).update(rationale="")

            admin = User.objects.create_superuser("bench-admin", "admin@example.com", "unused")
            client.force_login(admin)
            import_url = reverse("admin:questionbank_bank_import")
            uploads = {
                f"{name} in an answer": bank_text(make(args.size).replace("\n", " "))
                for name, make in CORPUS.items()
            }
            uploads |= {
                f"{name} in a prompt": bank_text("a", prompt=make(3_900).replace("\n", " "))
                for name, make in CORPUS.items()
            }
            uploads |= {
                f"{name}, bank at its size limit": bank_text(
                    make(19_000).replace("\n", " "), questions=15
                )
                for name, make in CORPUS.items()
            }
            uploads["50,000 '['"] = bank_text("[" * 50_000)
            uploads["1.9 MB of nested '>'"] = bank_text(
                "\n".join(">" * (i % 500 + 1) for i in range(7_500))
            )
            for case, text in uploads.items():
                upload = SimpleUploadedFile("hostile.md", text.encode())
                seconds, response = cpu(
                    client.post, import_url, {"file": upload, "slug": "hostile"}
                )
                expect(response, 200)
                refused = b"errorlist" in response.content or b"errornote" in response.content
                record("bank upload", f"{case}{' (refused)' if refused else ''}", seconds)
        print(f"\nWorst CPU time per request, per field (limit {LIMIT} s):")
        for field, (seconds, case) in worst.items():
            verdict = "PASS" if seconds < LIMIT else "FAIL"
            print(f"  {field:<14} {seconds:7.3f} s  {verdict}  ({case})")
        field, (seconds, case) = max(worst.items(), key=lambda kv: kv[1][0])
        print(f"RESULT worst_cpu_seconds={seconds:.3f} field={field.replace(' ', '_')}")
        return 0 if seconds < LIMIT else 1
    finally:
        if databases is not None:
            teardown_databases(databases, verbosity=0)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
