"""Measure the map: the bytes it costs when a visitor opens it, and how it copes with 100,000 listings.

    make bench-map [BENCH_ARGS="--listings 20000"]
    python -m bench.bench_map [--listings 100000] [--site DIR] [--keep]

1. Builds the starter content, serves it on 127.0.0.1 and opens pages in headless Debian Chromium
   (Playwright) at phone size (390 px), where the map waits to be asked for: every response before
   "Show map" is pressed and after it is drawn is recorded, and the difference is what the map costs,
   raw and gzip-compressed at level 6 (what a CDN would send). For the directory, a listing's page and a
   state's page. Any request to another origin is reported (there must be none).
2. Writes a clearly fake directory of --listings (bench/synth.py) into a temporary folder, builds it, and
   opens /directory/ at desktop size (1280 px), where the map opens by itself beside the list. Reads the
   map's own measures for each search: `map-index` (clustering every point the list found) and `map-draw`
   (finding the clusters in view and drawing their markers), with how many points and markers.
3. Prints a Markdown table and writes it to bench/results-map.md.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.bench_search import CHROMIUM, CHROMIUM_ARGS, build, gz, kb, log, machine_info, serve
from bench.synth import write_synthetic

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS = REPO_ROOT / "bench" / "results-map.md"

# (label, page of the starter site) whose map's cost on first view is measured at phone size.
COST_PAGES = [
    ("The directory", "/directory/"),
    ("A state's page (Connecticut)", "/regions/ct/"),
    ("A listing's page", None),  # the first listing page that has a map, found in the build
]
# (label, query of /directory/) searched at scale with the map open.
SCALE_QUERIES = [
    ("No filters: every listing", ""),
    ("The largest state (California)", "?region=CA"),
    ("Near ZIP code 90001, 25 miles", "?place=90001&radius=25"),
    ("Texas + 12-step", "?region=TX&type=12-step"),
]


def first_mapped_listing(site: Path) -> str:
    """Return the site path of the first listing page (in name order) that carries a map."""
    for page in sorted((site / "listings").glob("*/index.html")):
        if 'id="map"' in page.read_text(encoding="utf-8"):
            return f"/listings/{page.parent.name}/"
    raise SystemExit("no listing page has a map: the starter content has no listing with a place")


def map_cost(browser, base: str, path: str) -> dict:
    """Open `path` at phone size; return the bytes fetched before and after the map is asked for and drawn."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    before = len(responses)
    page.click("#map-toggle")
    page.wait_for_selector("#map .map-frame")
    page.wait_for_load_state("networkidle")
    rows = []
    for response in responses:
        body = response.body() if response.ok else b""
        rows.append({"path": urlsplit(response.url).path, "raw": len(body), "gzip": gz(body), "url": response.url})
    context.close()
    page_rows, map_rows = rows[:before], rows[before:]
    return {"path": path, "page_raw": sum(r["raw"] for r in page_rows), "page_gzip": sum(r["gzip"] for r in page_rows),
            "map_raw": sum(r["raw"] for r in map_rows), "map_gzip": sum(r["gzip"] for r in map_rows),
            "map_files": [(r["path"], r["raw"], r["gzip"]) for r in map_rows],
            "elsewhere": [r["url"] for r in rows if not r["url"].startswith(base)]}


def at_scale(browser, base: str, query: str) -> dict:
    """Open /directory/<query> at desktop size; return the map's last index and draw measures once all is loaded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{base}/directory/{query}")
    page.wait_for_function("() => /\\d+ listings? found/.test(document.getElementById('result-status').textContent)",
                           timeout=300_000)
    page.wait_for_load_state("networkidle", timeout=300_000)
    page.wait_for_function("() => performance.getEntriesByName('map-draw').length > 0", timeout=120_000)
    page.wait_for_timeout(500)
    found = page.inner_text("#result-status")
    measures = page.evaluate("""() => {
        const pick = (name) => performance.getEntriesByName(name).map((m) => ({ ms: m.duration, detail: m.detail }));
        return { index: pick('map-index'), draw: pick('map-draw') };
    }""")
    # Zoom in twice from the keyboard: each step is one query of the cluster index and one redraw.
    page.focus("#map .map-frame")
    for _ in range(2):
        page.keyboard.press("+")
        page.wait_for_timeout(200)
    zoomed = page.evaluate("() => performance.getEntriesByName('map-draw').slice(-2).map((m) => m.duration)")
    markers = page.locator("#map .map-marker").count()
    context.close()
    last_index = measures["index"][-1]
    return {"found": found, "points": last_index["detail"]["points"], "index_ms": last_index["ms"],
            "draw_ms": measures["draw"][-1]["ms"], "markers": measures["draw"][-1]["detail"]["markers"],
            "zoom_ms": max(zoomed) if zoomed else float("nan"), "zoomed_markers": markers,
            "wall_s": time.perf_counter() - started}


def report(costs: list[dict], scale: list[dict], listings: int, built: dict, machine: str) -> str:
    lines = ["# The map: bytes on first view, and 100,000 listings", "",
             f"Measured by `python -m bench.bench_map` on {time.strftime('%Y-%m-%d')}; {machine}.", "",
             "## What opening the map costs (phone, 390 px: the map waits to be asked for)", "",
             "| Page | The page before the map (gzip) | Opening the map: raw | gzip | Requests to other origins |",
             "|---|---|---|---|---|"]
    for (label, _), row in zip(COST_PAGES, costs):
        lines.append(f"| {label} (`{row['path']}`) | {kb(row['page_gzip'])} | {kb(row['map_raw'])} | "
                     f"**{kb(row['map_gzip'])}** | {len(row['elsewhere'])} |")
    lines += ["", "Files the map loads (the directory's):", ""]
    lines += [f"- `{path}`: {kb(raw)} raw, {kb(zipped)} gzip" for path, raw, zipped in costs[0]["map_files"]]
    lines += ["", f"## {listings:,} synthetic listings (desktop, 1280 px: the map opens beside the list)", "",
              f"Build: {built['wall']:.0f} s, peak memory {built['rss_mb']:,.0f} MB.", "",
              "| Search | Found | Points on the map | Clustering them (`map-index`) | Drawing the view (`map-draw`) "
              "| Markers drawn | Each zoom step (worst of two) |", "|---|---|---|---|---|---|---|"]
    for (label, query), row in zip(SCALE_QUERIES, scale):
        lines.append(f"| {label} (`{query or '/directory/'}`) | {row['found']} | {row['points']:,} | "
                     f"{row['index_ms']:.0f} ms | {row['draw_ms']:.1f} ms | {row['markers']:,} | {row['zoom_ms']:.1f} ms |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_map", description=__doc__.split("\n\n")[0])
    parser.add_argument("--listings", type=int, default=100_000, help="synthetic listings (default 100000)")
    parser.add_argument("--site", type=Path, help="reuse this built synthetic site (skips writing and building it)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the Markdown table")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        log(f"Chromium not found at {CHROMIUM}; run `make chromium`.")
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="bench-map-"))
    try:
        starter = tmp / "starter"
        built = build(REPO_ROOT / "content", starter, 600)
        if not built["ok"]:
            log(built["output"])
            return 1
        COST_PAGES[2] = (COST_PAGES[2][0], first_mapped_listing(starter))
        if args.site:
            site, built = args.site, {"wall": float("nan"), "rss_mb": float("nan")}
        else:
            content, site = tmp / "content", tmp / "site"
            write_synthetic(content, listings=args.listings, articles=20, seed=1)
            log(f"Building {args.listings:,} synthetic listings...")
            built = build(content, site, 1200)
            if not built["ok"]:
                log(built["output"])
                return 1
            log(f"Built in {built['wall']:.0f} s")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            machine = machine_info(browser.version)
            with serve(starter) as base:
                costs = [map_cost(browser, base, path) for _, path in COST_PAGES]
            for (label, _), row in zip(COST_PAGES, costs):
                log(f"{label}: the map costs {kb(row['map_gzip'])} gzip ({kb(row['map_raw'])} raw); "
                    f"{len(row['elsewhere'])} requests elsewhere")
            scale = []
            with serve(site) as base:
                for label, query in SCALE_QUERIES:
                    row = at_scale(browser, base, query)
                    scale.append(row)
                    log(f"{label}: {row['points']:,} points, index {row['index_ms']:.0f} ms, draw {row['draw_ms']:.1f} ms, "
                        f"{row['markers']} markers ({row['wall_s']:.0f} s)")
            browser.close()
        text = report(costs, scale, args.listings, built, machine)
        print(text, end="")
        args.results.write_text(text, encoding="utf-8")
        log(f"Wrote {args.results}")
        return 0 if all(not row["elsewhere"] for row in costs) else 1
    finally:
        if args.keep:
            log(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
