"""Turn the build benchmark's measurements into the Markdown table it prints and writes."""
from __future__ import annotations

import math

from bench.measure import median

TARGET_HUGO_RATIO = 1.0      # cold build at 10,000 listings, ours ÷ Hugo's
TARGET_EDIT_S = 0.3          # rebuild after editing one listing, at 10,000
TARGET_NOOP_S = 0.2          # no-op rebuild, at every size
TARGET_COLD_100K_S = 60.0    # cold build of 100,000 listings
TARGET_PEAK_BYTES = 1.5e9    # peak memory at 100,000 listings (1.5 GB)
TARGET_SERVE_S = 1.0         # serve shows an edited listing, at 10,000
FIGURES = ("Cold full build", "Hugo cold build, same listings", "Cold build, ours ÷ Hugo's", "No-op rebuild",
           "Rebuild after editing one listing", "Rebuild after editing a template", "Peak memory (highest build)",
           "`serve`: edited listing shown in the browser")
AGAIN = "Rebuild after editing one listing again (the spare copy of the output already made)"
LEAST_MEMORY = ("Cold build with `--jobs 1 --no-cache`", "Peak memory of that build")


def seconds(value: float) -> str:
    """Return seconds as text ('—' for no value)."""
    return "—" if math.isnan(value) else f"{value:.2f} s"


def verdict(value: float, target: float) -> str:
    """Return PASS, or MISS with how far over the target the value is."""
    if math.isnan(value):
        return "not measured"
    return "PASS" if value <= target else f"MISS ({value / target:.1f}× the target)"


def with_runs(value: str, runs: list) -> str:
    """Append how many runs a median came from."""
    return value if len(runs) <= 1 else f"{value} (median of {len(runs)})"


def cold_rows(r) -> list[tuple[str, str, str, str]]:
    """Return the cold-build rows: ours, Hugo's and the ratio."""
    ours, hugo = r.wall("cold"), median([run.wall for run in r.hugo if run.ok])
    ratio = ours / hugo if hugo else float("nan")
    if r.size == 10_000:
        cold = (f"≤ {TARGET_HUGO_RATIO:g} × Hugo", verdict(ratio, TARGET_HUGO_RATIO))
    elif r.size == 100_000:
        cold = (f"≤ {TARGET_COLD_100K_S:g} s", verdict(ours, TARGET_COLD_100K_S))
    else:
        cold = ("—", "info")
    hugo_value = f"skipped: {r.hugo_skipped}" if r.hugo_skipped else with_runs(seconds(hugo), r.hugo)
    ratio_value = "—" if math.isnan(ratio) else f"{ratio:.1f}×"
    ratio_target = (f"≤ {TARGET_HUGO_RATIO:g}", verdict(ratio, TARGET_HUGO_RATIO)) if r.size == 10_000 \
        else ("—", "info")
    return [(FIGURES[0], with_runs(seconds(ours), r.runs["cold"]), *cold),
            (FIGURES[1], hugo_value, "—", "info"),
            (FIGURES[2], ratio_value, *ratio_target)]


def rebuild_rows(r) -> list[tuple[str, str, str, str]]:
    """Return the rows for no-op and edited rebuilds."""
    noop, edit, template = r.wall("noop"), r.wall("edit_listing"), r.wall("edit_template")
    edit_target = (f"≤ {TARGET_EDIT_S:g} s", verdict(edit, TARGET_EDIT_S)) if r.size == 10_000 else ("—", "info")
    return [(FIGURES[3], with_runs(seconds(noop), r.runs["noop"]), f"≤ {TARGET_NOOP_S:g} s",
             verdict(noop, TARGET_NOOP_S)),
            (FIGURES[4], with_runs(seconds(edit), r.runs["edit_listing"]), *edit_target),
            (AGAIN, with_runs(seconds(r.wall("edit_listing_again")), r.runs["edit_listing_again"]), "—", "info"),
            (FIGURES[5], with_runs(seconds(template), r.runs["edit_template"]), "—", "info")]


def memory_row(r) -> tuple[str, str, str, str]:
    """Return the peak-memory row (the target applies at 100,000 listings)."""
    peak = r.peak_mb()
    value = "—" if math.isnan(peak) else f"{peak / 1024:.2f} GiB ({peak:,.0f} MiB)"
    if r.size != 100_000:
        return (FIGURES[6], value, "—", "info")
    return (FIGURES[6], value, "≤ 1.5 GB", verdict(peak * 1024 * 1024, TARGET_PEAK_BYTES))


def serve_row(r) -> tuple[str, str, str, str]:
    """Return the row for `serve` showing an edited listing."""
    if r.serve_skipped:
        return (FIGURES[7], f"skipped: {r.serve_skipped}", "≤ 1 s" if r.size == 10_000 else "—", "not measured")
    shown = median([s.shown for s in r.serve])
    rebuilt = median([s.rebuilt for s in r.serve])
    value = f"{with_runs(seconds(shown), r.serve)}; rebuild done at {seconds(rebuilt)}"
    if r.size != 10_000:
        return (FIGURES[7], value, "—", "info")
    return (FIGURES[7], value, f"≤ {TARGET_SERVE_S:g} s", verdict(shown, TARGET_SERVE_S))


def least_memory_rows(r) -> list[tuple[str, str, str, str]]:
    """Return the rows of the cold build with `--jobs 1 --no-cache`, where it was measured."""
    runs = [run for run in r.runs.get("cold_least_memory", []) if run.ok]
    if not runs:
        return []
    wall, peak = median([run.wall for run in runs]), max(run.rss_mb for run in runs)
    return [(LEAST_MEMORY[0], seconds(wall), f"≤ {TARGET_COLD_100K_S:g} s", verdict(wall, TARGET_COLD_100K_S)),
            (LEAST_MEMORY[1], f"{peak / 1024:.2f} GiB ({peak:,.0f} MiB)", "≤ 1.5 GB",
             verdict(peak * 1024 * 1024, TARGET_PEAK_BYTES))]


def two_language_rows(r) -> list[tuple[str, str, str, str]]:
    """Return the row of the cold build in English and Spanish, beside the one-language cold build."""
    runs = [run for run in r.runs.get("cold_two_languages", []) if run.ok]
    if not runs:
        return []
    wall, one = median([run.wall for run in runs]), r.wall("cold")
    peak = max(run.rss_mb for run in runs)
    return [("Cold build, English and Spanish (`languages: [en, es]`)",
             f"{with_runs(seconds(wall), runs)} ({wall / one:.2f}× the one-language cold build); peak {peak:,.0f} MiB",
             "—", "info")]


def rows_for(r) -> list[tuple[str, str, str, str]]:
    """Return every row of the table for one size."""
    return (cold_rows(r) + two_language_rows(r) + rebuild_rows(r) + [memory_row(r)] + least_memory_rows(r)
            + [serve_row(r)])


def run_figures(runs: list) -> str:
    """Return each run's wall time, CPU time (user + system) and peak RSS."""
    return ", ".join(f"{x.wall:.2f} s / {x.cpu:.2f} s / {x.rss_mb:,.0f} MiB" for x in runs) or "—"


def details(r) -> list[str]:
    """Return the per-run figures behind one size's medians."""
    lines = [f"- {r.size:,} listings + 50 articles → {r.files:,} output files."]
    names = {"cold": "cold", "noop": "no-op", "edit_listing": "edited listing", "edit_template": "edited template",
             "edit_listing_again": "edited listing again", "cold_least_memory": "cold, --jobs 1 --no-cache",
             "cold_two_languages": "cold, English and Spanish"}
    for scenario, runs in r.runs.items():
        if not runs:
            continue
        lines.append(f"  - {names[scenario]} builds (wall / CPU / peak RSS): {run_figures(runs)}")
    if r.hugo:
        figures = run_figures(r.hugo)
        again = ", ".join(f"{x.wall:.2f} s" for x in r.hugo_noop)
        lines.append(f"  - Hugo cold builds: {figures}; run again with nothing changed: {again}")
    if r.serve:
        lines.append("  - `serve`, edit → shown (rebuild finished): "
                     + ", ".join(f"{s.shown:.2f} s ({s.rebuilt:.2f} s)" for s in r.serve))
    if r.failure:
        lines.append(f"  - **Failed:** {r.failure}")
    return lines


def report(results: list, machine: str, started: str, load_before: str, load_after: str) -> str:
    """Return the Markdown report: table, machine, per-run details and how it was measured."""
    lines = ["# Build benchmark", "",
             f"Machine: {machine}. Run {started}; load average before {load_before}, after {load_after}.", "",
             "| Listings | Figure | Value | Target | Result |", "|---:|---|---|---|---|"]
    for r in results:
        lines += [f"| {r.size:,} | {figure} | {value} | {target} | {result} |"
                  for figure, value, target, result in rows_for(r)]
    lines += ["", "## Runs", ""]
    for r in results:
        lines += details(r)
    lines += ["", "Each build is a separate `build.py build` child process; wall time is measured around it. Peak "
              "memory is the larger of that child's maximum resident set size (`os.wait4`, which also gives its "
              "CPU time, the render workers' included; on a shared machine CPU time varies less than wall time) "
              "and the highest total PSS of the child and its forked render workers, sampled every 50 ms. "
              "\"Cold\" means an empty output folder and no build cache (the OS file cache is warm); no-op and "
              "edited rebuilds use the cache the previous build left in `.build-cache/`. Hugo builds the same "
              "listings as Markdown pages with front matter, with support-type and state taxonomies "
              "(bench/hugo_site.py).", ""]
    return "\n".join(lines)
