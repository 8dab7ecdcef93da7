"""Write the demo gallery (index.html, README.md) from the reports in a demo directory.

    python3 gallery.py DIR
Under DEMO_STRICT=1 it exits 1 when a verdict is not the one expected, when
a workload's parallelism is more than 10% from the kernel's rusage, or when
a file the page links to is missing.
"""
import html
import re
import json
import os
import platform
import sys

INTRO = ("Concurrency is structure: how many things are in progress at once, running or not: "
         "threads running, waiting for a CPU, or blocked in the middle of their work (on I/O, a "
         "timed sleep, a lock another thread holds), plus the operations an event loop has in "
         "flight. Threads with nothing to do (a parent waiting for its children, a parked pool "
         "worker) are idle and do not count. Parallelism is execution: how many run at the same "
         "instant. Each workload below was recorded on this machine by <code>ctrace record</code>; "
         "the verdict and numbers come from <code>ctrace report</code>, the timelines from "
         "<code>ctrace plot</code>: a lane per CPU (coloured by the thread that ran there), a lane "
         "per thread (coloured by its state), and parallelism and concurrency over time.")

# The rows that teach the difference, read side by side.
LESSON = (("py-threads", "Python threads under the GIL"), ("py-asyncio", "asyncio"),
          ("py-procs", "a process pool"))


def lesson(rows):
    by_name = {r["name"]: r for r in rows}
    parts = [f"{label}: concurrency {by_name[n]['conc']:.1f}, parallelism {by_name[n]['par']:.1f}"
             for n, label in LESSON if n in by_name]
    return "Read the two columns together. " + "; ".join(parts) + "." if parts else ""


def load(out):
    rows = []
    for line in open(os.path.join(out, "cases")):
        name, want, what, cmd = line.rstrip("\n").split("|", 3)
        rep = json.load(open(os.path.join(out, name + ".json")))
        ru = rep.get("rusage", {"parallelism": float("nan")})
        v = rep["verdict"]
        rows.append(dict(name=name, want=want, what=what, got=f"{v['kind']}/{v['shape']}",
                         summary=v["summary"], par=rep["parallelism"]["mean"],
                         conc=rep["concurrency"]["mean"], wall=rep["wall_s"], ru=ru["parallelism"]))
    return rows


def write_html(out, rows):
    e = html.escape
    cells = []
    for r in rows:
        ok = "✓" if r["got"] == r["want"] else f"✗ expected {e(r['want'])}"
        cells.append(f"""<tr><td><b>{e(r['name'])}</b><br><span class=what>{e(r['what'])}</span></td>
<td class=v>{e(r['got'])} <span class=ok>{ok}</span><br><span class=sum>{e(r['summary'])}</span></td>
<td class=n>{r['par']:.2f}<br><span class=ru>rusage {r['ru']:.2f}</span></td><td class=n>{r['conc']:.2f}</td>
<td class=n>{r['wall']:.2f}&nbsp;s</td>
<td><a href="{e(r['name'])}.png"><img src="{e(r['name'])}.png" alt="timeline of {e(r['name'])}"></a><br>
<a href="{e(r['name'])}.txt">report</a> · <a href="{e(r['name'])}.json">json</a> · <a href="{e(r['name'])}.ctr">trace</a></td></tr>""")
    page = f"""<!doctype html>
<html lang=en><head><meta charset=utf-8><title>ctrace demo: concurrency vs parallelism</title>
<style>
body {{ font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1400px; color: #222; padding: 0 1em }}
table {{ border-collapse: collapse; width: 100% }}
td, th {{ border-top: 1px solid #ddd; padding: .6em; vertical-align: top; text-align: left }}
td.n {{ text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums }}
img {{ width: 420px; border: 1px solid #ccc }}
.what, .sum, .ru {{ color: #555; font-size: 90% }} .v {{ max-width: 28em }} .ok {{ color: #2a7 }}
figure {{ margin: 2em 0 }} figure img {{ width: 100% }}
</style></head><body>
<h1>Concurrency versus parallelism on {e(platform.node())} ({os.cpu_count()} CPUs)</h1>
<p>{INTRO}</p>
<p>{e(lesson(rows))}</p>
<table><tr><th>workload</th><th>verdict</th><th>parallelism</th><th>concurrency</th><th>wall</th><th>timeline</th></tr>
{''.join(cells)}
</table>
<figure><a href="compare-cpu.png"><img src="compare-cpu.png" alt="CPU-bound comparison"></a>
<figcaption>CPU-bound work three ways, on one time scale: C threads run in parallel; Python threads
take turns under the GIL; a Python process pool runs in parallel again.</figcaption></figure>
<figure><a href="compare-io.png"><img src="compare-io.png" alt="I/O-bound comparison"></a>
<figcaption>I/O-bound work three ways: one thread waits once per request; 8 threads overlap their
waits; one epoll thread keeps 64 requests in flight. Concurrency rises, parallelism stays near 0.</figcaption></figure>
</body></html>
"""
    open(os.path.join(out, "index.html"), "w").write(page)


def write_md(out, rows):
    lines = [f"# ctrace demo on {platform.node()}, {os.cpu_count()} CPUs", "",
             INTRO.replace("<code>", "`").replace("</code>", "`"), "", lesson(rows), "",
             "| workload | verdict | parallelism (rusage) | concurrency | wall | timeline |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        mark = "" if r["got"] == r["want"] else f" (expected {r['want']})"
        lines.append(f"| **{r['name']}**: {r['what']} | {r['got']}{mark} | {r['par']:.2f} ({r['ru']:.2f}) | "
                     f"{r['conc']:.2f} | {r['wall']:.2f} s | [![{r['name']}]({r['name']}.png)]({r['name']}.png) "
                     f"[report]({r['name']}.txt) |")
    lines += ["", "![CPU-bound, three ways](compare-cpu.png)", "", "![I/O-bound, three ways](compare-io.png)", ""]
    open(os.path.join(out, "README.md"), "w").write("\n".join(lines))


def main():
    out = sys.argv[1]
    rows = load(out)
    write_html(out, rows)
    write_md(out, rows)
    wrong = [r for r in rows if r["got"] != r["want"]]
    for r in wrong:
        print(f"demo: {r['name']}: verdict {r['got']}, expected {r['want']}: {r['summary']}")
    print(f"demo: wrote {out}/index.html and {out}/README.md: {len(rows) - len(wrong)} of {len(rows)} verdicts as expected")
    if os.environ.get("DEMO_STRICT") != "1":
        return
    problems = len(wrong)
    for r in rows:
        if not abs(r["par"] - r["ru"]) <= 0.1 * r["ru"]:
            print(f"demo: {r['name']}: parallelism {r['par']:.4f} is more than 10% from rusage {r['ru']:.4f}")
            problems += 1
        else:
            print(f"demo: {r['name']}: {r['got']}, parallelism {r['par']:.4f}, rusage {r['ru']:.4f}")
    page = open(os.path.join(out, "index.html")).read()
    links = set(re.findall(r'(?:href|src)="([^"]+)"', page))
    for link in sorted(links):
        if not os.path.isfile(os.path.join(out, html.unescape(link))):
            print(f"demo: index.html links to {link}, which does not exist")
            problems += 1
    print(f"demo: {len(links)} linked files checked")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
