"""The PDF report: the worker's job against WeasyPrint alone; the pages against hello, in process.

    .venv/bin/python bench/report.py [--runs 15] [--requests 500] [--postgres]

On a submitted 10-question Senior interview, GET report.pdf queues the PDF (202). Then the median
of the task worker's job (interviews/printouts.py: render) against WeasyPrint alone on the very
HTML the view produced, alternating (target: overhead under 20%), and of GET report.pdf once the
PDF is made. Then req/s, CPU ms and queries of the summary page (submitted, and a live one) and
/hello/, --requests each (no server; no target). Last line:
RESULT pdf_overhead=<share> summary=<of hello>
"""

import statistics

import harness as h

TARGET = 0.20


def scenario() -> int:
    parser = h.options(__doc__)
    parser.add_argument("--runs", type=int, default=15, help="PDFs per path")
    parser.add_argument("--requests", type=int, default=500, help="per page, in process")
    args = parser.parse_args()
    with h.scratch("report", args):
        from django.test import Client

        from interviews import printouts, reports
        from interviews.models import Printout

        user, submitted, live = h.seed_submitted()
        client = Client()
        client.force_login(user)
        url = f"/interviews/{submitted.code}/report.pdf"
        assert client.get(url).status_code == 202
        queued = Printout.objects.get()
        html, base_url = queued.html, queued.base_url
        again = Printout.objects.filter(pk=queued.pk)
        calls = {  # what to time, and what to do first, untimed
            "worker's job": (
                lambda: printouts.render(queued.pk),
                lambda: again.update(pdf=None, html=html),
            ),
            "WeasyPrint": (lambda: reports.render_pdf(html, base_url=base_url), lambda: None),
            "GET report.pdf": (lambda: client.get(url), lambda: None),
        }
        ms = {(name, kind): [] for name in calls for kind in ("wall", "CPU")}
        for run in range(args.runs + 2):  # two warm-ups
            for name, (call, first) in calls.items():
                wall, cpu = h.timed(call, 1, first)
                if run >= 2:
                    ms[name, "wall"] += wall
                    ms[name, "CPU"] += cpu
        ms = {k: statistics.median(v) for k, v in ms.items()}
        pdf = client.get(url).content
        print(
            f"\nPDF: {len(html) // 1024} KB of HTML, {len(pdf) // 1024} KB of PDF; median of {args.runs}"
        )
        for name in calls:
            print(f"  {name:<16} {ms[name, 'wall']:7.1f} ms (CPU {ms[name, 'CPU']:.1f})")
        overhead = ms["worker's job", "wall"] / ms["WeasyPrint", "wall"] - 1
        by_cpu = ms["worker's job", "CPU"] / ms["WeasyPrint", "CPU"] - 1
        print(
            f"{'PASS' if overhead < TARGET else 'FAIL'}  overhead {overhead:.1%} (target < "
            f"{TARGET:.0%}), by CPU {by_cpu:.1%}"
        )
        pages = {"hello": ("/hello/", Client())}
        pages["summary, submitted"] = (f"/interviews/{submitted.code}/summary/", client)
        pages["summary, live"] = (f"/interviews/{live.code}/summary/", client)
        print(
            f"\nIn process, {args.requests} each:{'req/s':>37}{'CPU ms':>8}{'SQL':>5}{'/hello':>8}"
        )
        rates = {}
        for name, (url, c) in pages.items():
            sql = h.queries(lambda c=c, url=url: c.get(url))
            wall, cpu = h.timed(lambda c=c, url=url: c.get(url), args.requests)
            rates[name] = 1000 * len(wall) / sum(wall)
            cpu_ms, share = statistics.mean(cpu), rates[name] / rates["hello"]
            print(f"  {name:<46}{rates[name]:8.0f}{cpu_ms:8.2f}{sql:5}{share:8.1%}")
    print(
        f"RESULT pdf_overhead={overhead:.2f} summary={rates['summary, submitted'] / rates['hello']:.2f}"
    )
    return 0 if overhead < TARGET else 1


if __name__ == "__main__":
    h.main(scenario)
