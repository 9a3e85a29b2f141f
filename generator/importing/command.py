"""`build.py import`: arguments (or content/imports.yaml) in, a report and written listings out."""
from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import did_you_mean
from ..newlisting import NewListingError, load_taxonomy
from ..validate import is_timezone, languages_of, suggest_slug, timezone_hint
from ..yamlfile import YamlProblem, read_yaml
from .config import ConfigError, SourceConfig, default_support_types, load_sources
from .listings import Settings
from .records import SourceError
from .run import FORMATS, FetchError, import_source, report_lines
from .sync import StateError, apply_plan, load_state

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def import_command(args: argparse.Namespace) -> int:
    """Run `build.py import` and return its exit code."""
    try:
        sources = _sources(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        taxonomy = load_taxonomy(args.content)
    except NewListingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    for config in sources:
        if config.timezone and not is_timezone(config.timezone):
            # Said once, before reading the source: not once for every record that would take it.
            print(f"error: {config.name}: '{config.timezone}' is not a time zone name{timezone_hint(config.timezone)}",
                  file=sys.stderr)
            return EXIT_USAGE
        unknown = [slug for slug in config.support_types if slug not in taxonomy.support_types]
        if unknown:
            print(f"error: {config.name}: unknown support type '{unknown[0]}'"
                  f"{did_you_mean(unknown[0], list(taxonomy.support_types))}", file=sys.stderr)
            return EXIT_USAGE
    report: list[str] = []
    failed = False
    for config in sources:
        lines, ok = _import_one(args, config, taxonomy)
        report += lines + [""]
        failed = failed or not ok
    if args.summary:
        args.summary.write_text(_markdown(report, args.dry_run), encoding="utf-8")
    return EXIT_FAILED if failed else EXIT_OK


def _sources(args: argparse.Namespace) -> list[SourceConfig]:
    if args.all:
        if args.format or args.source:
            raise ConfigError("give either --all or FORMAT SOURCE, not both")
        return load_sources(args.content, FORMATS)
    if not args.format or not args.source:
        raise ConfigError("give FORMAT and SOURCE (e.g. `import meeting-guide https://example.org/meetings.json`), "
                          "or --all to import the sources in content/imports.yaml")
    if args.format not in FORMATS:
        raise ConfigError(f"unknown format '{args.format}' — use one of: {', '.join(FORMATS)}")
    name = args.name or _default_name(args.source)
    if suggest_slug(name) != name:
        raise ConfigError(f"--name '{name}' must be lowercase letters, digits and hyphens, e.g. {suggest_slug(name)}")
    # What the last import of this source was told and this one is not (--organization…), it is told again.
    last = _last_options(args.content, name)
    given = {"organization": args.organization, "source_url": args.source_url, "region": args.region,
             "timezone": args.timezone,
             "support_types": None if args.support_types is None
             else [slug.strip() for slug in args.support_types.split(",") if slug.strip()]}
    taken = {key: last[key] for key, value in given.items() if value is None and last.get(key)
             and not (key == "support_types" and last[key] == default_support_types(args.format))}
    if taken:
        said = ", ".join(f"--{key.replace('_', '-')} {shlex.quote(','.join(v) if isinstance(v, list) else v)}"
                         for key, v in taken.items())
        print(f"{name}: as at its last import: {said}")
    values = {key: value if value is not None else taken.get(key) for key, value in given.items()}
    types = values["support_types"] if values["support_types"] is not None else default_support_types(args.format)
    return [SourceConfig(name, args.format, args.source, args.formats or "", values["organization"] or "", types,
                         values["source_url"] or "", (values["region"] or "").upper(), values["timezone"] or "",
                         args.removed or "flag")]


def _last_options(content: Path, name: str) -> dict:
    """Return the options the source's last import was given (its state file's), {} when there are none to read."""
    try:
        options = load_state(content, name).get("options")
    except StateError:
        return {}  # the import itself says what is wrong with the file
    if not isinstance(options, dict):
        return {}
    # Only what could have been given: text, and support types as a list of text (a hand-edited file may hold more).
    return {key: value for key, value in options.items()
            if (isinstance(value, str) and key != "support_types")
            or (key == "support_types" and isinstance(value, list) and all(isinstance(v, str) for v in value))}


def _default_name(source: str) -> str:
    if source.startswith(("https://", "http://")):
        return suggest_slug(urlsplit(source).netloc.removeprefix("www.").rsplit(".", 1)[0])
    path = Path(source)
    return suggest_slug(path.stem if path.suffix else path.name)


def _import_one(args: argparse.Namespace, config: SourceConfig, taxonomy) -> tuple[list[str], bool]:
    """Import one source; return its report and whether it worked. Nothing is written when it did not."""
    settings = Settings(config.name, config.source, config.organization, tuple(config.support_types),
                        config.source_url, config.region, config.timezone, site_languages(args.content))
    removed = args.removed or config.removed
    try:
        outcome = import_source(args.content, config.format, config.source, settings, taxonomy, removed,
                                config.formats, args.allow_empty)
    except (FetchError, SourceError, StateError) as exc:
        line = f"{config.name}: error: {exc} — nothing was written"
        print(line, file=sys.stderr)
        return [line], False
    lines = report_lines(outcome, settings, args.dry_run, verbose=not args.quiet)
    print("\n".join(lines))
    if not args.dry_run:
        try:
            apply_plan(outcome.plan, args.content)
        except OSError as exc:
            line = f"{config.name}: error: cannot write {exc.filename or ''} ({exc.strerror or exc})"
            print(line, file=sys.stderr)
            return lines + [line], False
    return lines, True


def site_languages(content: Path) -> tuple[str, ...]:
    """Return the languages of content/site.yaml (English when it names none or cannot be read: `check` says why),
    in which an imported listing's summary is written."""
    try:
        data = read_yaml((content / "site.yaml").read_bytes()).data
    except (OSError, YamlProblem):
        return ("en",)
    return languages_of(data if isinstance(data, dict) else {})


def _markdown(report: list[str], dry_run: bool) -> str:
    """Return the report as the body of a pull request."""
    head = "What the import would change" if dry_run else "What the scheduled import changed"
    body = "\n".join(report).strip()
    return f"## {head}\n\n```\n{body}\n```\n"
