"""The PDF report against WeasyPrint alone, and the summary page against hello, in process.

    .venv/bin/python bench/report.py [--runs 15] [--seconds 2] [--postgres]

On a submitted 10-question Senior interview: the median time of GET report.pdf through the test
Client (access check, frozen summary, chart, template, WeasyPrint) against WeasyPrint alone on the
very HTML the view produced, alternating (target: overhead under 20%); then requests/s, CPU ms and
queries of the summary page (submitted, and a live one) and of /hello/ in a tight loop (no server:
the app's own cost; no target). Last line: RESULT pdf_overhead=<share> summary=<share of hello>
"""

import statistics
import time
from unittest import mock

import harness as h

TARGET = 0.20


def scenario() -> int:
    parser = h.options(__doc__, seconds=2)
    parser.add_argument("--runs", type=int, default=15, help="PDFs per path")
    args = parser.parse_args()
    with h.scratch("report", args):
        from django.test import Client
        from weasyprint import HTML

        from interviews import reports

        user, submitted, live = h.seed_submitted()
        client = Client()
        client.force_login(user)
        pdf_url = f"/interviews/{submitted.code}/report.pdf"
        with mock.patch.object(reports, "render_pdf", wraps=reports.render_pdf) as spy:
            pdf = client.get(pdf_url).content
        html, base_url = spy.call_args.args[0], spy.call_args.kwargs["base_url"]
        fetcher = reports._static_fetcher()
        calls = {
            "GET report.pdf": lambda: client.get(pdf_url),
            "WeasyPrint": lambda: HTML(
                string=html, base_url=base_url, url_fetcher=fetcher
            ).write_pdf(),
        }
        wall, cpu = {k: [] for k in calls}, {k: [] for k in calls}
        for run in range(args.runs + 2):  # two warm-ups, alternating
            for name, call in calls.items():
                started, cpu_started = time.perf_counter(), time.process_time()
                call()
                if run >= 2:
                    wall[name].append((time.perf_counter() - started) * 1000)
                    cpu[name].append((time.process_time() - cpu_started) * 1000)
        print(
            f"\nPDF: {len(html) // 1024} KB of HTML, {len(pdf) // 1024} KB of PDF; median of {args.runs}"
        )
        (view, alone), (view_cpu, alone_cpu) = (
            [statistics.median(x[k]) for k in calls] for x in (wall, cpu)
        )
        print(
            f"  GET report.pdf {view:7.1f} ms (CPU {view_cpu:.1f})\n  WeasyPrint     {alone:7.1f} ms (CPU {alone_cpu:.1f})"
        )
        overhead = view / alone - 1
        print(
            f"{'PASS' if overhead < TARGET else 'FAIL'}  overhead {overhead:.1%} (target < "
            f"{TARGET:.0%}), by CPU {view_cpu / alone_cpu - 1:.1%}"
        )
        pages = {"hello": ("/hello/", Client())}
        pages["summary, submitted"] = (f"/interviews/{submitted.code}/summary/", client)
        pages["summary, live"] = (f"/interviews/{live.code}/summary/", client)
        print(
            f"\nIn process, {args.seconds} s each:{'req/s':>36}{'CPU ms':>8}{'SQL':>5}{'/hello':>8}"
        )
        rates = {}
        for name, (url, c) in pages.items():
            sql = h.queries(lambda c=c, url=url: c.get(url))
            count, started, cpu_started = 0, time.perf_counter(), time.process_time()
            while time.perf_counter() < started + args.seconds:
                assert c.get(url).status_code == 200, url
                count += 1
            rates[name] = count / (time.perf_counter() - started)
            ms = (time.process_time() - cpu_started) * 1000 / count
            print(
                f"  {name:<46}{rates[name]:8.0f}{ms:8.2f}{sql:5}{rates[name] / rates['hello']:8.1%}"
            )
    summary = rates["summary, submitted"] / rates["hello"]
    print(f"RESULT pdf_overhead={overhead:.2f} summary={summary:.2f}")
    return 0 if overhead < TARGET else 1


if __name__ == "__main__":
    h.main(scenario)
