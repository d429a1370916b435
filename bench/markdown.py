"""Time of render_markdown (cmark-gfm, then nh3) on texts made to be slow.

    uv run python bench/markdown.py [--runs N]

A script, not a test. Two tables: CommonMark's pathological inputs (cmark's
test/pathological_tests.py) and the cases of issue #15 at their sizes there, each of which must
render in under 50 ms, with a 200 KB ordinary note made of real abstracts; then texts at the note
limit (200 KB) built against each of the renderer's limits, which must stay well under a second.
Prints the median and the slowest of N runs, the sizes, and which limit shaped the result; writes
bench/results/markdown.json.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from notes import markdown  # noqa: E402 (after the path)

SCHEDULES = ROOT.parent / "shared" / "data" / "schedules"
NOTE_LIMIT = 200 * 1024
BUDGET_MS = 50


def ordinary_note(size: int) -> str:
    """Real abstracts and descriptions (DebConf 23, 36C3) as one long note with headings."""
    texts = []
    for name in ("debconf23.xml", "36c3_merged.xml"):
        tree = ElementTree.parse(SCHEDULES / name)
        for event in tree.iter("event"):
            title = event.findtext("title") or ""
            body = "\n\n".join(
                (event.findtext(field) or "").strip() for field in ("abstract", "description")
            )
            texts.append(f"## {title}\n\n{body.strip()}")
    return "\n\n".join(texts)[:size]


def fill(unit: str, size: int = NOTE_LIMIT) -> str:
    return unit * (size // len(unit))


PATHOLOGICAL = {
    # issue #15
    "nested brackets [ ×20000": "[" * 20000,
    "footnote openers [^ ×10000": "[^" * 10000,
    "emphasis and brackets *[ ×10000": "*[" * 10000,
    "emphasis runs *a ×10000": "*a" * 10000,
    "underscores _ ×20000": "_" * 20000,
    "deep list - ×10000": "- " * 10000 + "x",
    "deep block quote > ×10000": ">" * 10000 + "x",
    # cmark's pathological tests
    "nested strong emphasis": "**a " * 5000 + "b" + " a**" * 5000,
    "mismatched openers and closers": "*a_ " * 5000,
    "openers and emphasis closers": "[ a_" * 5000,
    "link closers without openers": "a]" * 10000,
    "link openers without closers": "[a" * 10000,
    "nested brackets with text": "[" * 10000 + "a" + "]" * 10000,
    "nested inline links": "[" * 5000 + "a" + "](b)" * 5000,
    "long link chain": "[a](b)" * 10000,
    "reference link chain": "[a][b]" * 5000 + "\n\n[b]: /c",
    "unclosed links <": "[a](<b" * 10000,
    "unclosed links": "[a](b" * 10000,
    "backtick runs": "".join("e" + "`" * n for n in range(1, 300)),
    "unclosed comments <!--": "<!-- " * 5000,
    "unclosed processing <?": "<?" * 10000,
    "unclosed CDATA": "<![CDATA[" * 3000,
    "many references": "".join(f"[{n}]: /u\n" for n in range(2000)) + "[1] " * 2000,
    "table of 1000 columns": "|" + "a|" * 1000 + "\n|" + "-|" * 1000 + "\n" + "|b|\n" * 20,
    "NUL characters": "\x00" * 20000,
    # what every note should cost
    "ordinary note, real abstracts, 200 KB": ordinary_note(NOTE_LIMIT),
}

AT_THE_NOTE_LIMIT = {
    "block quote > ×200K": fill(">"),
    "32 quotes a paragraph": fill("> " * 32 + "x\n\n"),
    "100 lists a line": fill("- " * 100 + "x\n\n"),
    "one list item per line": fill("- x\n"),
    "paragraphs x\\n\\n": fill("x\n\n"),
    "headings #\\n": fill("#\n"),
    "emphasis *a* ": fill("*a* "),
    "autolinks www.a.co ": fill("www.a.co "),
    "raw <div> ×40000": fill("<div>"),
    "200 raw <div> then paragraphs": "<div>" * 200 + "\n\n" + fill("x\n\n", NOTE_LIMIT - 1000),
    "200 raw <b x=n> then paragraphs": "".join(f"<b x={n}>" for n in range(200))
    + "\n\n"
    + fill("x\n\n", NOTE_LIMIT - 2000),
    "100 raw <ul><li> then paragraphs": "<ul><li>" * 100 + "\n\n" + fill("x\n\n", NOTE_LIMIT - 800),
    "footnote references [^1]": fill("[^1]", NOTE_LIMIT - 20) + "\n\n[^1]: x",
    "table header of 2000 columns": "|" + "a|" * 2000 + "\n|" + "-|" * 2000 + "\n"
    + fill("|x\n", NOTE_LIMIT - 8100),
    "nested brackets [ ×200K": fill("["),
    "emphasis and brackets *[": fill("*["),
}  # fmt: skip


def limits_met(text: str) -> str:
    """Which of the renderer's limits shaped the result (the steps of render_markdown)."""
    limits = []
    cut = markdown._limit_quote_depth(text)
    if cut != text:
        limits.append("quotes cut")
    options = markdown._options_for(text)
    if options != markdown.OPTIONS:
        limits.append("no raw HTML")
    if markdown._grew_too_much(markdown._cmark_to_html(cut, options), text):
        limits.append("as typed")
    return ", ".join(limits) or "-"


def measure(text: str, runs: int) -> dict:
    html = markdown.render_markdown(text)  # warm up
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        markdown.render_markdown(text)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        "text_kb": round(len(text.encode("utf-8", "surrogatepass")) / 1024, 1),
        "html_kb": round(len(html.encode()) / 1024, 1),
        "median_ms": round(statistics.median(times), 1),
        "max_ms": round(max(times), 1),
        # CPU time: the same work without the waits for a core on a busy machine.
        "cpu_median_ms": round(statistics.median(cpu), 1),
        "limits": limits_met(text),
    }


def table(title: str, cases: dict, runs: int) -> dict:
    print(f"\n{title}")
    print(f"{'':<40}{'text KB':>8}{'HTML KB':>8}{'median ms':>10}{'max':>7}{'CPU ms':>8}  limits")
    rows = {}
    for name, text in cases.items():
        row = rows[name] = measure(text, runs)
        print(
            f"{name:<40}{row['text_kb']:>8}{row['html_kb']:>8}{row['median_ms']:>10}"
            f"{row['max_ms']:>7}{row['cpu_median_ms']:>8}  {row['limits']}"
        )
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    pathological = table(
        f"Pathological inputs (budget {BUDGET_MS} ms each)", PATHOLOGICAL, args.runs
    )
    at_limit = table("At the note limit, 200 KB", AT_THE_NOTE_LIMIT, args.runs)
    over = [name for name, row in pathological.items() if row["median_ms"] > BUDGET_MS]
    print(f"\nover {BUDGET_MS} ms: {', '.join(over) or 'none'}")

    out = ROOT / "bench" / "results" / "markdown.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps({"runs": args.runs, "pathological": pathological, "at_the_note_limit": at_limit})
    )
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
