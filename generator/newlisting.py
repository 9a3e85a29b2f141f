"""`build.py new listing`: write a valid listing file from answers or options, never over an existing file."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from .dates import build_date
from .errors import Problem, Problems
from .load import SourceFile, display_path, load_yaml_file
from .markup import MarkdownRenderer
from .model import Taxonomy
from .schema_check import EDITOR_SCHEMA, listing_schema_for
from .validate import SLUG, suggest_slug, validate_listing, validate_taxonomy
from .yamlfile import read_yaml



@dataclass(frozen=True)
class Question:
    """One value `new listing` needs: its key, command-line option and how to ask for it."""

    key: str
    prompt: str
    help: str
    section: str = ""  # taxonomy section whose terms are the choices
    many: bool = False
    when: Callable[[dict], bool] = lambda answers: True


def _not_online(answers: dict) -> bool:
    return answers.get("format") != "online"


def _joins_online(answers: dict) -> bool:
    return answers.get("format") in ("online", "hybrid")


QUESTIONS = (
    Question("name", "Name", "the name people know it by, e.g. Recovery Café Hartford"),
    Question("kind", "Kind", "what sort of thing it is", section="kinds"),
    Question("format", "Format", "how people take part", section="formats"),
    Question("support_types", "Support types", "one or more, separated by commas", section="support_types",
             many=True),
    Question("summary", "Summary", "one sentence (10 to 200 characters) saying what it is and who it helps"),
    Question("city", "City", "the city or town where it meets or is based", when=_not_online),
    Question("region", "State", "the two-letter state code, e.g. CT", section="regions", when=_not_online),
    Question("online_url", "Online address", "the https:// page where people join online", when=_joins_online),
    Question("source", "Source", "the official https:// page where you checked these facts"),
)


class NewListingError(Exception):
    """The answers cannot make a valid listing, or the file already exists."""

    def __init__(self, message: str, problems: list[Problem] | None = None, usage: bool = False):
        self.problems = problems or []
        self.usage = usage  # the options were missing or wrong (exit 2), rather than the content (exit 1)
        super().__init__(message)


def missing_answers(answers: dict) -> list[Question]:
    """Return the questions that apply to these answers and have no answer yet."""
    return [q for q in QUESTIONS if q.when(answers) and not answers.get(q.key)]


def choices_text(question: Question, taxonomy: Taxonomy) -> str:
    """Return the valid choices for a vocabulary question, for the prompt."""
    if question.section == "regions":
        return ""
    return ", ".join(taxonomy.sections[question.section]) if question.section else ""


def listing_data(answers: dict, today: str) -> dict:
    """Return the listing's fields in the order contributors read them."""
    data: dict = {"name": answers["name"].strip(), "kind": answers["kind"], "support_types": answers["support_types"],
                  "summary": answers["summary"].strip(), "format": answers["format"]}
    if answers.get("city") or answers.get("region"):
        data["location"] = {"city": answers.get("city", ""), "region": answers.get("region", ""), "country": "US"}
    if answers.get("online_url"):
        data["online"] = {"url": answers["online_url"]}
    contact = {key: answers[key] for key in ("phone", "email", "website") if answers.get(key)}
    if contact:
        data["contact"] = contact
    if answers.get("organization"):
        data["organization"] = answers["organization"]
    data["last_verified"] = answers.get("last_verified") or today
    data["source"] = answers["source"]
    return data


class ListingDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter: ten times as fast
    """Write listings the way the starter files read: fields on their own lines, lists of words in [brackets],
    text of several lines as a block. Used by `new listing` and by imports alike."""


class _Quoted(str):
    """Text written in double quotes, as the field guide asks for phone numbers and dates."""


def represent_text(dumper: yaml.SafeDumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


def represent_list(dumper: yaml.SafeDumper, value: list):
    flow = all(isinstance(item, str) and len(item) < 40 for item in value)  # a schedule's meetings: one per line
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


ListingDumper.add_representer(str, represent_text)
ListingDumper.add_representer(list, represent_list)
ListingDumper.add_representer(_Quoted, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", str(v), style='"'))


def listing_text(data: dict, schema_path: str) -> str:
    """Return the file's text: the editor's schema line, then the fields as YAML."""
    data = dict(data, last_verified=_Quoted(str(data["last_verified"])))
    if "phone" in data.get("contact", {}):
        data["contact"] = dict(data["contact"], phone=_Quoted(data["contact"]["phone"]))
    body = yaml.dump(data, Dumper=ListingDumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=10_000)
    return f"# yaml-language-server: $schema={schema_path}\n{body}"


def target_path(content: Path, answers: dict, slug: str) -> Path:
    """Return where the file goes: listings/<state>/ for places, listings/online/ for online-only."""
    folder = "online" if answers.get("format") == "online" else str(answers.get("region", "")).lower() or "national"
    return content / "listings" / folder / f"{slug}.yaml"


def check_answers(content: Path, taxonomy: Taxonomy, answers: dict, slug: str) -> tuple[Path, str, list[Problem]]:
    """Return the file path, its text and the problems `check` would report for it."""
    if not SLUG.match(slug):
        problem = Problem("--slug", 0, "slug", f"'{slug}' cannot be a web address — use lowercase letters, digits and "
                                               f"hyphens, e.g. {suggest_slug(slug)}")
        return Path(), "", [problem]
    path = target_path(content, answers, slug)
    schema_path = Path(os.path.relpath(content / EDITOR_SCHEMA, path.parent)).as_posix()
    text = listing_text(listing_data(answers, build_date().isoformat()), schema_path)
    problems = Problems()
    doc = read_yaml(text.encode("utf-8"))
    validate_listing(SourceFile(display_path(path), slug, doc), taxonomy, MarkdownRenderer(), problems)
    return path, text, problems.sorted()


def load_taxonomy(content: Path) -> Taxonomy:
    """Return the content's taxonomy; raise NewListingError when it cannot be read."""
    problems = Problems()
    doc = load_yaml_file(content / "taxonomy.yaml", problems) if (content / "taxonomy.yaml").is_file() else None
    taxonomy = validate_taxonomy(doc, display_path(content / "taxonomy.yaml"), problems) if doc else None
    if taxonomy is None or problems.errors:
        raise NewListingError(f"cannot read {display_path(content / 'taxonomy.yaml')} — run `python build.py check` "
                              "and fix it first", problems.errors)
    return taxonomy


def write_listing_file(content: Path, taxonomy: Taxonomy, path: Path, text: str) -> list[Path]:
    """Write the new file (and the editor schema if the content has none); never replace a file."""
    written = []
    schema = content / EDITOR_SCHEMA
    if not schema.exists():
        schema.write_bytes(listing_schema_for(taxonomy, EDITOR_SCHEMA))
        written.append(schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": fail rather than overwrite
            handle.write(text)
    except FileExistsError:
        raise NewListingError(f"{display_path(path)} already exists — edit that file to update the listing, or "
                              "pass --slug with another file name if this is a different group") from None
    written.append(path)
    return written


def normalize_answers(answers: dict, taxonomy: Taxonomy) -> None:
    """Accept terms as slugs or as their labels ('SMART Recovery' → smart-recovery), and state codes in any case."""
    for question in QUESTIONS:
        value = answers.get(question.key)
        if not question.section or not value:
            continue
        if question.section == "regions":
            answers[question.key] = str(value).strip().upper()
        elif question.many:
            items = value if isinstance(value, list) else value.split(",")
            answers[question.key] = [term_slug(item, question.section, taxonomy) for item in items if item.strip()]
        else:
            answers[question.key] = term_slug(value, question.section, taxonomy)


def term_slug(value: str, section: str, taxonomy: Taxonomy) -> str:
    """Return the slug of the term a person meant, or their text unchanged for check to explain."""
    text = value.strip()
    terms = taxonomy.sections[section]
    by_label = {term.label.casefold(): slug for slug, term in terms.items()}
    if text.casefold() in by_label:
        return by_label[text.casefold()]
    return suggest_slug(text) if suggest_slug(text) in terms else text


# Which answer each field of a listing comes from, to re-ask (or name the option) when it has a problem.
FIELD_ANSWERS = {"name": "name", "kind": "kind", "format": "format", "support_types": "support_types",
                 "summary": "summary", "location.city": "city", "location.region": "region", "location": "city",
                 "online.url": "online_url", "online": "online_url", "source": "source",
                 "last_verified": "last_verified", "contact.phone": "phone", "contact.email": "email",
                 "contact.website": "website", "organization": "organization", "slug": "slug"}


def answer_key(problem: Problem) -> str:
    """Return the answer a problem is about ('support_types[1]' → 'support_types')."""
    return FIELD_ANSWERS.get(re.sub(r"\[\d+\]", "", problem.field), "")


def option_name(key: str) -> str:
    return "--" + key.replace("_", "-")


def prepare_listing(content: Path, taxonomy: Taxonomy, answers: dict, slug: str | None,
                    ask: Callable[[Question], str] | None, tell: Callable[[str], None]) -> tuple[Path, str]:
    """Ask for what is missing or wrong (when `ask` is given) until the listing is valid; return path and text.

    Without `ask`, raise NewListingError naming the missing or wrong options.
    """
    for _ in range(20):
        missing = missing_answers(answers)
        if missing and ask is None:
            names = ", ".join(option_name(q.key) for q in missing)
            raise NewListingError(f"missing {names} — give them as options, or run in a terminal to be asked",
                                   usage=True)
        for question in QUESTIONS:  # one at a time: the format decides whether a place or a link is asked
            if question.when(answers) and not answers.get(question.key):
                answers[question.key] = ask(question).strip()
        normalize_answers(answers, taxonomy)
        path, text, problems = check_answers(content, taxonomy, answers, slug or suggest_slug(answers["name"]))
        if not problems:
            return path, text
        keys = {answer_key(p) for p in problems}
        if ask is None or not keys <= {q.key for q in QUESTIONS}:
            raise NewListingError("the listing would not pass check — fix these options", problems, usage=True)
        for problem in problems:
            tell(f"{problem.field}: {problem.message}")
        for key in keys:
            answers.pop(key, None)
    raise NewListingError("too many tries — run the command again")
