"""Benchmark the directory's search at scale: bytes a query downloads, and time per keystroke.

    make bench-search [BENCH_ARGS="--listings 20000"]
    python -m bench.bench_search [--listings 100000] [--spanish] [--keep] [--content DIR] [--site DIR]
    python -m bench.bench_search --site DIR --typing-only 4   # the typing alone, run by run

1. Writes a synthetic directory (bench/synth.py) into a temporary folder and builds it with
   `build.py build`, timing the build and recording its peak memory.
2. Serves the output on 127.0.0.1 and opens /directory/ in headless Debian Chromium (Playwright).
   a. For several queries, each in a fresh browser context, records every response under /search/
      and sums their sizes gzip-compressed at level 6 (what a CDN would send): those finished
      before the first `directory-update` measure ("to first results"), and all of them once the
      page is idle ("with background loads").
   b. Types queries one character at a time and reads the `directory-update` measures
      (filter + order + render per update; the option counts, made in the next task, apart).
3. Prints a Markdown table with targets and PASS/MISS, and writes it to bench/results-search.md.
   When a target is missed, it adds the evidence: the largest shards, and a CPU profile of typing.

With --spanish the directory is in English and Spanish and every listing's summary is in both (bench/synth.py's
`spanish`): the bytes are measured on the English and the Spanish directory, the typing on the Spanish one, and the
table goes to bench/results-search-spanish.md.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from generator.static_server import serve_directory
from urllib.parse import urlsplit

from bench.measure import cpu_model, memory_gib, run_child
from bench.synth import write_synthetic

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results-search.md"
RESULTS_SPANISH = REPO_ROOT / "bench" / "results-search-spanish.md"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

TARGET_FIRST_KB = 150     # gzip KB of search data to first results, region + support type
TARGET_KEY_P95_MS = 16    # p95 of directory-update per keystroke

# (label, query string, counts against the bytes target?)
BYTE_QUERIES = [
    ("CA + 12-step, the largest state and type", "?region=CA&type=12-step", True),
    ("WY + family support", "?region=WY&type=family-support", False),
    ("CA, all types", "?region=CA", False),
    ("near ZIP 90001, 25 miles", "?place=90001&radius=25", False),
    ("online only", "?online=only", False),
    ("no filters: loads everything", "", False),
]
# (row label, query string of the page, texts typed one after another)
TYPING_RUNS = [
    ("`/directory/?region=CA`", "?region=CA",
     ["serenity group", "big book", "smart recovery", "family circle", "los angeles"]),
    ("`/directory/`, no region (everything loaded)", "",
     ["serenity group", "big book", "smart recovery", "family circle"]),
]
KEY_DELAY_MS = 60
PAGE_SIZE = 50  # cards on a page of results (directory.js's PAGE_SIZE)

INIT_SCRIPT = "performance.setResourceTimingBufferSize(100000);"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1024 * 1024 * 10 else f"{n / 1024 / 1024:,.1f} MB"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


# ---------------------------------------------------------------------------------- build


def build(content: Path, site: Path, timeout: float) -> dict:
    """Run build.py in a child process; return wall time, peak RSS and its output."""
    run = run_child([sys.executable, str(REPO_ROOT / "build.py"), "build", "--content", str(content),
                     "--output", str(site)], timeout)
    return {"ok": run.ok, "code": run.code, "wall": run.wall, "rss_mb": run.rss_mb, "output": run.output,
            "timed_out": run.code == -9}


def search_file_kind(name: str, languages: list[str]) -> str:
    """Return what a file under search/s/ is: "words" (a shard's description words), "summaries" (its summaries in
    one of `languages`, index.json's "summaries") or "shard"."""
    if name.endswith(".words.json"):
        return "words"
    return "summaries" if any(name.endswith(f".{code}.json") for code in languages) else "shard"


def summary_languages(site: Path) -> list[str]:
    return json.loads((site / "search" / "index.json").read_text(encoding="utf-8")).get("summaries", [])


def output_stats(site: Path) -> dict:
    """Return file count, total size and the largest HTML pages and search files of a build."""
    files = total = 0
    pages, search = [], []
    words = summaries = 0
    languages = summary_languages(site)
    for root, _, names in os.walk(site):
        for name in names:
            path = Path(root) / name
            size = path.stat().st_size
            files += 1
            total += size
            rel = path.relative_to(site).as_posix()
            if name.endswith(".html"):
                pages.append((size, rel))
            elif rel.startswith("search/s/"):
                kind = search_file_kind(name, languages)
                if kind == "words":
                    words += size
                elif kind == "summaries":
                    summaries += size
                else:
                    search.append((size, rel))
    pages.sort(reverse=True)
    search.sort(reverse=True)
    return {"files": files, "bytes": total, "pages": pages[:6], "shards": len(search),
            "search_bytes": sum(s for s, _ in search), "largest_shards": search[:5], "words_bytes": words,
            "summaries_bytes": summaries, "summary_languages": languages}


# ---------------------------------------------------------------------------------- server


serve = serve_directory  # the same quiet loopback server the tests use


# ---------------------------------------------------------------------------------- browser


def wait_for_results(page, timeout_ms: float = 180_000) -> None:
    page.wait_for_function("() => performance.getEntriesByName('directory-update').length > 0",
                           timeout=timeout_ms, polling=50)
    page.wait_for_function("() => /\\d+ (listings? found|(de )?listados? encontrados?)/"
                           ".test(document.getElementById('result-status').textContent)", timeout=timeout_ms)


def measure_bytes(browser, base: str, label: str, query: str, directory: str = "/directory/") -> dict:
    """Open the directory (/directory/, or a language's) with <query> in a fresh context; return bytes fetched under
    /search/."""
    context = browser.new_context()
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    responses = []
    page.on("response", lambda r: responses.append(r) if "/search/" in r.url else None)
    started = time.perf_counter()
    page.goto(f"{base}{directory}{query}", wait_until="domcontentloaded")
    wait_for_results(page)
    first_wall = time.perf_counter() - started
    page.wait_for_load_state("networkidle", timeout=600_000)
    timing = page.evaluate("""() => {
        const m = performance.getEntriesByName('directory-update')[0];
        const ends = {};
        for (const e of performance.getEntriesByType('resource')) if (e.name.includes('/search/')) ends[e.name] = e.responseEnd;
        return {measureStart: m.startTime, measureEnd: m.startTime + m.duration, results: m.detail.results, ends};
    }""")
    cards = page.locator("#results .card-title").count()
    rows = []
    for response in responses:
        body = response.body()
        end = timing["ends"].get(response.url)
        early = end is not None and end <= timing["measureStart"]
        rows.append({"path": urlsplit(response.url).path, "raw": len(body), "gzip": gz(body), "early": early})
    context.close()
    first = [r for r in rows if r["early"]]
    return {
        "label": label, "directory": directory, "query": query or "(none)", "results": timing["results"],
        "cards": cards,
        "first_ms": timing["measureEnd"], "first_wall_s": first_wall,
        "first_files": len(first), "first_raw": sum(r["raw"] for r in first), "first_gzip": sum(r["gzip"] for r in first),
        "all_files": len(rows), "all_raw": sum(r["raw"] for r in rows), "all_gzip": sum(r["gzip"] for r in rows),
        "rows": sorted(rows, key=lambda r: -r["gzip"]),
    }


def type_and_measure(browser, base: str, label: str, query: str, texts: list[str], profile: bool = False,
                     directory: str = "/directory/") -> dict:
    """Type each text one character at a time; return every directory-update duration (ms).

    With `profile`, a V8 CPU profile is recorded while each text is typed (kept apart from the
    plain measurements, since sampling slows the page a little).
    """
    context = browser.new_context()
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    words = []  # the description words files, fetched once a search has words to look for
    page.on("response", lambda r: words.append(r) if r.url.endswith(".words.json") else None)
    page.goto(f"{base}{directory}{query}", wait_until="domcontentloaded")
    wait_for_results(page)
    page.wait_for_load_state("networkidle", timeout=600_000)
    box = page.locator("#f-q")
    samples: list[float] = []
    count_samples: list[float] = []  # the option counts, computed in the task after the results are shown
    rest_samples: list[float] = []  # the cards below the first screen, made in the task after the results
    per_text, profiles = [], []
    dropped = 0
    cdp = None
    if profile:
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 100})
    for text in texts:
        box.fill("")
        page.wait_for_timeout(300)
        page.wait_for_load_state("networkidle")
        page.evaluate("() => ['directory-update', 'directory-counts', 'directory-rest']"
                      ".forEach((name) => performance.clearMeasures(name))")
        box.click()
        if cdp:
            cdp.send("Profiler.start")
        page.keyboard.type(text, delay=KEY_DELAY_MS)
        # Let the last update finish: wait until the measures stop growing.
        last, stable = -1, 0
        while stable < 3:
            page.wait_for_timeout(150)
            n = page.evaluate("() => performance.getEntriesByName('directory-update').length")
            stable = stable + 1 if n == last else 0
            last = n
        if cdp:
            profiles.append(cdp.send("Profiler.stop")["profile"])
        got = page.evaluate("() => performance.getEntriesByName('directory-update').map(m => [m.duration, m.detail.results])")
        dropped += max(0, len(text) - len(got))
        samples += [d for d, _ in got]
        count_samples += page.evaluate("() => performance.getEntriesByName('directory-counts').map(m => m.duration)")
        rest_samples += page.evaluate("() => performance.getEntriesByName('directory-rest').map(m => m.duration)")
        per_text.append({"text": text, "durations": [d for d, _ in got], "results": [r for _, r in got]})
    records = page.evaluate("() => document.querySelectorAll('#f-city option').length")
    bodies = [r.body() for r in words]
    context.close()
    return {"label": label, "query": query or "(none)", "samples": samples, "count_samples": count_samples,
            "rest_samples": rest_samples,
            "dropped": dropped, "words_files": len(bodies), "words_raw": sum(map(len, bodies)),
            "words_gzip": sum(map(gz, bodies)),
            "per_text": per_text, "profiles": profiles, "city_options": records}


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# Functions of directory.js (and browser built-ins) whose inclusive time explains a keystroke.
PROFILE_FUNCTIONS = [
    ("show", "whole update (= the measure)"),
    ("filterRecords", "location, online, day and words tests, and the filters"),
    ("topResults", "the first page of results, in order"), ("fillCities", "rebuild the city <select>"),
    ("renderResults", "render result cards"), ("renderCard", "make the cards (inside renderResults)"),
    ("renderArticles", "match articles"),
    ("countOptions", "option counts (the next task, outside the measure)"),
    ("renderCounts", "show the option counts (outside the measure)"),
    ("loadShards", "merge/dedupe shards (outside the measure)"),
    ("loadWords", "add description words (outside the measure)"),
    ("writeUrl", "history.replaceState (outside the measure)"),
    ("(garbage collector)", "garbage collection"),
]


def profile_summary(prof: dict, keystrokes: int) -> list[tuple[str, str, float]]:
    """Return (function, what it does, inclusive ms per keystroke) from a CPU profile of typing."""
    nodes = {n["id"]: n for n in prof["nodes"]}
    parent = {child: n["id"] for n in prof["nodes"] for child in n.get("children", ())}
    inclusive: dict[str, float] = defaultdict(float)
    deltas = prof.get("timeDeltas", [])
    for sample, delta in zip(prof.get("samples", []), deltas[1:] + [0]):
        seen, node = set(), sample
        while node is not None:
            name = nodes[node]["callFrame"]["functionName"]
            if name not in seen:
                inclusive[name] += delta
                seen.add(name)
            node = parent.get(node)
    return [(fn, what, inclusive.get(fn, 0.0) / 1000 / max(keystrokes, 1)) for fn, what in PROFILE_FUNCTIONS]


def field_shares(path: Path, fields: list[str]) -> list[tuple[str, float]]:
    """Return (field, share of the shard's gzip size) by compressing the shard without each field."""
    raw = path.read_bytes()
    rows = json.loads(raw)
    base = gz(raw)
    shares = []
    for i, name in enumerate(fields):
        rest = json.dumps([r[:i] + r[i + 1:] for r in rows], ensure_ascii=False, separators=(",", ":")).encode()
        shares.append((name, (base - gz(rest)) / base))
    return sorted(shares, key=lambda s: -s[1])


def sitemap_urls(site: Path) -> int:
    path = site / "sitemap.xml"
    return path.read_text(encoding="utf-8").count("<loc>") if path.exists() else 0


# ---------------------------------------------------------------------------------- report


def machine_info(browser_version: str) -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"nproc {cpus}, CPU {cpu_model()}, {memory_gib():.0f} GiB RAM; Chromium {browser_version} (headless); "
            f"Python {platform.python_version()}")


def report(built: dict, stats: dict, note: str, byte_rows: list[dict], typing_rows: list[dict],
           machine: str, shares: list, why_bytes: list) -> str:
    lines = [f"# Search benchmark — {built['listings']:,} synthetic listings", ""]
    if note:
        lines += [f"**Note:** {note}", ""]
    lines += [f"Machine: {machine}. Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.", ""]
    lines += ["| Measure | Figure | Target | Result |", "|---|---|---|---|"]
    for row in byte_rows:
        target = row["target"]
        verdict = ("PASS" if row["first_gzip"] <= TARGET_FIRST_KB * 1024 else "MISS") if target else "info"
        lines.append(f"| Search data, gzip: `{row['directory']}{row['query'] if row['query'] != '(none)' else ''}` "
                     f"({row['label']}) — to first results / with background loads | "
                     f"{kb(row['first_gzip'])} ({row['first_files']} files) / {kb(row['all_gzip'])} "
                     f"({row['all_files']} files) | {'first ≤ %d KB' % TARGET_FIRST_KB if target else '—'} "
                     f"| {verdict} |")
    for row in typing_rows:
        s = row["samples"]
        p50, p95, top = percentile(s, 50), percentile(s, 95), max(s) if s else float("nan")
        verdict = "PASS" if p95 <= TARGET_KEY_P95_MS else "MISS"
        lines.append(f"| Keystroke re-filter, {row['label']}: p50 / p95 / max ({len(s)} samples"
                     f"{', %d updates superseded' % row['dropped'] if row['dropped'] else ''}) | "
                     f"{p50:.1f} / {p95:.1f} / {top:.1f} ms | p95 ≤ {TARGET_KEY_P95_MS} ms | {verdict} |")
        if row.get("words_files"):
            lines.append(f"| Description words fetched once typing starts, {row['label']}: gzip (raw) | "
                         f"{kb(row['words_gzip'])} ({kb(row['words_raw'])}), {row['words_files']} files "
                         "| — | info |")
        r = row.get("rest_samples") or []
        if r:
            lines.append(f"| The rest of the page's {PAGE_SIZE} cards after an update (the next task; a newer "
                         f"keystroke skips it), {row['label']}: p50 / p95 / max ({len(r)} samples) | "
                         f"{percentile(r, 50):.1f} / {percentile(r, 95):.1f} / {max(r):.1f} ms | — | info |")
        c = row.get("count_samples") or []
        if c:
            lines.append(f"| Option counts after each keystroke (the next task after the results), {row['label']}: "
                         f"p50 / p95 / max ({len(c)} samples) | {percentile(c, 50):.1f} / {percentile(c, 95):.1f} / "
                         f"{max(c):.1f} ms | — | info |")
    figure = "(reused a built site)" if built["output"] == "(reused)" else \
        f"{built['wall']:.1f} s / {built['rss_mb']:,.0f} MB"
    lines.append(f"| Build (`build.py build`, {built['listings']:,} listings): wall / peak RSS | {figure} | — | info |")
    lines += ["", "## Details", ""]
    last = built["output"].splitlines()[-1] if built["output"] else ""
    lines.append(f"- Build output: {stats['files']:,} files, {kb(stats['bytes'])}; {stats['shards']} search shards, "
                 f"{kb(stats['search_bytes'])} raw, and their description words {kb(stats['words_bytes'])} raw"
                 + (f", and their summaries in {', '.join(stats['summary_languages'])} "
                    f"{kb(stats['summaries_bytes'])} raw" if stats["summary_languages"] else "")
                 + f". Build said: `{last}`")
    lines.append("- Largest HTML pages: " + ", ".join(f"`{p}` {kb(s)}" for s, p in stats["pages"]))
    if stats["sitemap_urls"] > 50_000:
        lines.append(f"- `sitemap.xml` lists {stats['sitemap_urls']:,} URLs; the sitemap protocol allows 50,000 "
                     "per file (search engines reject the rest).")
    lines.append("- Time to first results (navigation start → end of first update): " + "; ".join(
        f"{r['label']} {r['first_ms'] / 1000:.2f} s ({r['results']:,} results)" for r in byte_rows))
    lines.append("- Raw (uncompressed) search data, to first results / with background loads: " + "; ".join(
        f"{r['label']} {kb(r['first_raw'])} / {kb(r['all_raw'])}" for r in byte_rows))
    lines.append("- Largest files fetched per query (gzip / raw):")
    for r in byte_rows:
        top = ", ".join(f"`{x['path'].removeprefix('/search/')}` {kb(x['gzip'])} / {kb(x['raw'])}"
                        f"{'' if x['early'] else ' (background)'}" for x in r["rows"][:4])
        lines.append(f"  - {r['label']}: {top}")
    for path, records, field_list in why_bytes:
        lines.append(f"- Share of `{path}`'s gzip size by field ({records:,} records; what removing the field saves): "
                     + ", ".join(f"{name} {share:.0%}" for name, share in field_list if share >= 0.005))
    for row in typing_rows:
        lines.append(f"- Per-keystroke durations, {row['label']} (ms, with result counts):")
        for t in row["per_text"]:
            pairs = " ".join(f"{d:.0f}({n:,})" for d, n in zip(t["durations"], t["results"]))
            lines.append(f"  - \"{t['text']}\": {pairs}")
    for label, text, mean_measure, summary in shares:
        lines.append(f"- CPU profile while typing \"{text}\", {label} (inclusive ms per keystroke; "
                     f"measure averaged {mean_measure:.1f} ms under the profiler):")
        for fn, what, ms in summary:
            lines.append(f"  - `{fn}` — {what}: {ms:.1f} ms")
    lines.append("")
    lines.append(f"Bytes are each `/search/` response body compressed with gzip level 6 in Python; \"first results\" "
                 f"counts responses whose `responseEnd` precedes the first `directory-update` measure. Keystrokes are "
                 f"typed with a {KEY_DELAY_MS} ms delay; an update that a newer keystroke supersedes records no measure.")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000, help="synthetic listings (default 100000)")
    parser.add_argument("--articles", type=int, default=200, help="synthetic articles (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--build-timeout", type=float, default=600, help="seconds before a build is given up "
                        "and retried at half the size (default 600)")
    parser.add_argument("--content", type=Path, help="reuse this synthetic content folder instead of generating one")
    parser.add_argument("--site", type=Path, help="reuse this built site (skips generating and building)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--no-profile", action="store_true", help="skip the analysis of missed targets")
    parser.add_argument("--spanish", action="store_true", help="a directory in English and Spanish, every summary in "
                        "both: bytes on each language's directory, typing on the Spanish one")
    parser.add_argument("--typing-only", type=int, metavar="N", help="only type the first typing run's texts (in "
                        "California) N times and print each run's p50 / p95 / max, writing no table: to compare two "
                        "builds (--site) run by run, since one run's p95 rests on its three slowest keystrokes")
    parser.add_argument("--results", type=Path, help="where to write the Markdown table (default "
                        "bench/results-search.md, or results-search-spanish.md with --spanish)")
    args = parser.parse_args(argv)
    args.results = args.results or (RESULTS_SPANISH if args.spanish else RESULTS)
    directories = ["/directory/", "/es/directory/"] if args.spanish else ["/directory/"]

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        log(f"Chromium not found at {CHROMIUM}; run `make chromium`.")
        return 2
    run_started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="bench-search-"))
    note = ""
    try:
        if args.site:
            site = args.site
            built = {"listings": args.listings, "wall": float("nan"), "rss_mb": float("nan"), "output": "(reused)"}
        else:
            size = args.listings
            while True:
                content = args.content or tmp / f"content-{size}"
                if not args.content:
                    started = time.perf_counter()
                    write_synthetic(content, listings=size, articles=args.articles, seed=args.seed,
                                    spanish=args.spanish)
                    log(f"Wrote {size:,} synthetic listings in {time.perf_counter() - started:.1f} s ({content}).")
                site = tmp / f"site-{size}"
                log(f"Building with build.py (timeout {args.build_timeout:.0f} s)...")
                built = build(content, site, args.build_timeout)
                built["listings"] = size
                log(f"Build: exit {built['code']}, {built['wall']:.1f} s, peak RSS {built['rss_mb']:,.0f} MB. "
                    f"{built['output'][-500:]}")
                if built["ok"]:
                    break
                why = "timed out" if built["timed_out"] else f"failed (exit {built['code']})"
                note += (f"The build of {size:,} listings {why} after {built['wall']:.0f} s "
                         f"(peak RSS {built['rss_mb']:,.0f} MB). ")
                if args.content or size <= 1000:
                    print(report_failure(note, built), end="")
                    return 1
                shutil.rmtree(content, ignore_errors=True)
                shutil.rmtree(site, ignore_errors=True)
                size //= 2
                note += f"Measured at {size:,} listings instead. "
        if not args.typing_only:  # the table's figures of the output; the typing alone reports none of them
            stats = output_stats(site)
            stats["sitemap_urls"] = sitemap_urls(site)
            log(f"Output: {stats['files']:,} files, {kb(stats['bytes'])}; largest page {stats['pages'][0][1]} "
                f"{kb(stats['pages'][0][0])}; sitemap {stats['sitemap_urls']:,} URLs")
        with serve(site) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            machine = machine_info(browser.version)
            if args.typing_only:
                label, query, texts = TYPING_RUNS[0]
                for run in range(1, args.typing_only + 1):
                    s = type_and_measure(browser, base, label, query, texts, directory=directories[-1])["samples"]
                    print(f"{label}, run {run}: p50 {percentile(s, 50):.1f} / p95 {percentile(s, 95):.1f} / max "
                          f"{max(s) if s else float('nan'):.1f} ms ({len(s)} keystrokes)", flush=True)
                browser.close()
                return 0
            byte_rows = []
            for directory, (label, query, target) in ((d, q) for d in directories for q in BYTE_QUERIES):
                started = time.perf_counter()
                if directory != "/directory/":
                    label = f"{label}, the Spanish page"
                row = measure_bytes(browser, base, label, query, directory)
                row["target"] = target
                byte_rows.append(row)
                log(f"{label}: first {kb(row['first_gzip'])} gzip in {row['first_files']} files; all "
                    f"{kb(row['all_gzip'])} in {row['all_files']} files; {row['results']:,} results "
                    f"({time.perf_counter() - started:.1f} s)")
            typing_rows = []
            for label, query, texts in TYPING_RUNS:
                started = time.perf_counter()
                if args.spanish:
                    label = label.replace("`/directory/", "`/es/directory/")
                row = type_and_measure(browser, base, label, query, texts, directory=directories[-1])
                typing_rows.append(row)
                s = row["samples"]
                log(f"{label}: {len(s)} samples, p50 {percentile(s, 50):.1f} ms, p95 {percentile(s, 95):.1f} ms, "
                    f"max {max(s) if s else float('nan'):.1f} ms ({time.perf_counter() - started:.1f} s)")
            # Evidence for missed targets: a CPU profile of typing, and what fills the largest shards.
            shares, why_bytes = [], []
            if not args.no_profile:
                for (_, query, texts), row in zip(TYPING_RUNS, typing_rows):
                    if percentile(row["samples"], 95) <= TARGET_KEY_P95_MS:
                        continue
                    profiled = type_and_measure(browser, base, row["label"], query, texts[:1], profile=True,
                                                directory=directories[-1])
                    keys = len(profiled["samples"]) or 1
                    shares.append((row["label"], texts[0], sum(profiled["samples"]) / keys,
                                   profile_summary(profiled["profiles"][0], keys)))
                fields, languages = json_fields(site), summary_languages(site)
                for row in byte_rows:
                    if row["target"] and row["first_gzip"] > TARGET_FIRST_KB * 1024:
                        early = [x for x in row["rows"] if x["early"] and x["path"].startswith("/search/s/")
                                 and search_file_kind(x["path"], languages) == "shard"]
                        for x in early[:2]:
                            path = site / x["path"].lstrip("/")
                            rows = field_shares(path, fields)
                            why_bytes.append((x["path"].removeprefix("/search/"), count_records(path), rows))
            browser.close()
        text = report(built, stats, note, byte_rows, typing_rows, machine, shares, why_bytes)
        print(text, end="")
        args.results.write_text(text, encoding="utf-8")
        log(f"Wrote {args.results} (whole run {time.perf_counter() - run_started:.0f} s).")
        return 0
    finally:
        if args.keep:
            log(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def json_fields(site: Path) -> list[str]:
    return json.loads((site / "search" / "index.json").read_bytes())["fields"]


def count_records(path: Path) -> int:
    return len(json.loads(path.read_bytes()))


def report_failure(note: str, built: dict) -> str:
    return f"# Search benchmark\n\n**The build failed:** {note}\n\n```\n{built['output'][-3000:]}\n```\n"


if __name__ == "__main__":
    sys.exit(main())
