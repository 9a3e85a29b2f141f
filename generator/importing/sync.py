"""Plan and apply a re-sync: what an import adds, changes and removes, without losing a contributor's edit.

Each source has a state file, content/imports/<name>.json, holding every listing as the last import wrote
it. A re-import is a three-way merge per field: the state (what we wrote), the file (what is there now) and
the source (what it says now). A field the source changed and nobody edited is updated; a field a
contributor edited is kept, and when the source changed it too, that is reported as a conflict. Nothing is
written until the whole plan is made and every file it would write passes `check`.
"""
from __future__ import annotations

import json
from functools import lru_cache
import os
import re
import tempfile
from types import SimpleNamespace
from dataclasses import dataclass, field
from pathlib import Path


from ..crosscheck import _name_key, _phone_key, _website_key
from ..dates import build_date
from ..errors import Problems
from ..fields import listing_fields
from ..load import SourceFile, display_path
from .. import newlisting
from ..markup import MarkdownRenderer
from ..model import Taxonomy
from ..phone import parse_phone
from ..validate import suggest_slug, validate_listing
from ..yamlfile import YamlProblem, read_yaml
from .listings import Built, Planned, Settings, public_feed
from .records import Refusal

STATE_FORMAT = 1
NESTED = ("location", "online", "contact")  # merged field by field; other fields are merged whole
OWN = ("imported",)  # provenance: always the import's
REMOVED_CHOICES = ("flag", "remove", "keep")


class StateError(Exception):
    """The state file cannot be read: nothing is written."""


@dataclass
class Change:
    action: str  # add, change, same, conflict, removed, flagged, gone, skipped, refused
    path: str
    meetings: int = 0
    fields: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    writes: dict[Path, str] = field(default_factory=dict)
    data: dict[Path, dict] = field(default_factory=dict)  # the fields of each file in `writes`
    deletes: list[Path] = field(default_factory=list)
    state: dict = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)


def state_path(content: Path, name: str) -> Path:
    return content / "imports" / f"{name}.json"


def load_state(content: Path, name: str) -> dict:
    """Return the source's state ({} before its first import); StateError when the file is damaged."""
    path = state_path(content, name)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"format": STATE_FORMAT, "source": name, "listings": {}}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StateError(f"{display_path(path)}: cannot be read ({exc}) — restore it from git; without it the "
                         "import cannot tell your edits from the source's") from None
    if not isinstance(state, dict) or state.get("format") != STATE_FORMAT or not isinstance(state.get("listings"), dict):
        raise StateError(f"{display_path(path)}: is not an import state file of this version — restore it from git")
    return state


REMEMBERED = ("organization", "support_types", "source_url", "region", "timezone")


def remembered_options(settings: Settings) -> dict:
    """Return what the person importing said about the source (--organization and the like), for the state file:
    the next import of the source from the command line takes them again where it is not told otherwise, so that
    forgetting one does not silently rewrite every listing without it."""
    values = {key: getattr(settings, key) for key in REMEMBERED}
    values["support_types"] = list(values["support_types"])
    return {key: value for key, value in values.items() if value}


def plan_sync(content: Path, built: Built, settings: Settings, taxonomy: Taxonomy, removed: str = "flag",
              state: dict | None = None) -> Plan:
    """Return what importing `built` would do to content/, checking every file it would write (`state`: the
    source's state file, when the caller has read it already)."""
    state = state if state is not None else load_state(content, settings.name)
    old = state["listings"]
    files = _listing_files(content)
    plan = Plan(refusals=list(built.refusals),
                state={"format": STATE_FORMAT, "source": settings.name, "feed": public_feed(settings.feed),
                       "options": remembered_options(settings), "listings": {}})
    by_key = {entry["key"]: slug for slug, entry in old.items() if isinstance(entry, dict) and "key" in entry}
    taken = set(files) | set(old)
    folder = content / "listings" / settings.name
    today = build_date().isoformat()
    slugs = []
    for planned in built.listings:
        slug = by_key.get(planned.key)
        if slug is None:
            slug = _new_slug(planned, taken)
            taken.add(slug)
        slugs.append(slug)
    _mark_siblings(built.listings, slugs)
    for planned, slug in zip(built.listings, slugs):
        if slug in old:
            _plan_update(plan, content, files.get(slug), slug, planned, old[slug], taxonomy, today)
        else:
            _plan_add(plan, content, folder / f"{slug}.yaml", slug, planned, taxonomy, today)
    refused = {c.path for c in plan.changes if c.action == "refused"}
    if refused:
        _drop_refused(plan, content, refused)
    seen = set(plan.state["listings"]) | refused
    keys = {planned.key for planned in built.listings}
    for slug, entry in old.items():
        if slug not in seen and entry.get("key") not in keys:
            _plan_gone(plan, content, files.get(slug), slug, entry, taxonomy, removed, today)
    plan.changes.sort(key=lambda change: change.path)
    return plan


def _mark_siblings(listings: list[Planned], slugs: list[str]) -> None:
    """Tell `check` that listings of this source that share a name and place, a website or a phone are
    different groups (not_duplicate_of): the source lists them apart (an in-person and an online group of one
    name, two groups an intergroup's phone answers for), and each would otherwise be a warning in every
    import's pull request. A listing that is then refused is taken out of the others' lists (_drop_refused)."""
    siblings: dict[str, set[str]] = {slug: set() for slug in slugs}
    for key in (_name_key, _website_key, _phone_key):
        groups: dict[str, list[str]] = {}
        for planned, slug in zip(listings, slugs):
            value = key(_as_listing(planned.data))
            if value:
                groups.setdefault(value, []).append(slug)
        for group in groups.values():
            for slug in group:
                siblings[slug].update(other for other in group if other != slug)
    for planned, slug in zip(listings, slugs):
        planned.data.pop("not_duplicate_of", None)
        if siblings[slug]:
            planned.data["not_duplicate_of"] = sorted(siblings[slug])


def _drop_refused(plan: Plan, content: Path, refused: set[str]) -> None:
    """Take refused listings out of the not_duplicate_of of the others, which name them (rare: rewrite those)."""
    for path, data in list(plan.data.items()):
        names = data.get("not_duplicate_of", [])
        if refused.isdisjoint(names):
            continue
        kept = [name for name in names if name not in refused]
        data = {key: value for key, value in data.items() if key != "not_duplicate_of"}
        if kept:
            data["not_duplicate_of"] = kept
        plan.data[path] = data = _ordered(data)
        plan.writes[path] = listing_text(data, content, path)
        entry = plan.state["listings"].get(path.stem)
        if entry and "not_duplicate_of" in entry["data"]:
            entry["data"] = _facts({**{k: v for k, v in entry["data"].items() if k != "not_duplicate_of"},
                                    **({"not_duplicate_of": kept} if kept else {})})


def _as_listing(data: dict) -> SimpleNamespace:
    """Return what check's duplicate keys read of a listing, from its fields."""
    location, contact = data.get("location", {}), data.get("contact", {})
    phone = parse_phone(contact["phone"], location.get("country", "US")) if contact.get("phone") else None
    return SimpleNamespace(name=data["name"], city=location.get("city", ""), region=location.get("region", ""),
                           contact=contact, phone=phone)


def _listing_files(content: Path) -> dict[str, Path]:
    """Return every listing file under content/listings by slug (folders carry no meaning)."""
    return {path.stem: path for path in sorted((content / "listings").rglob("*.yaml"))} if (content / "listings").is_dir() else {}


def _new_slug(planned: Planned, taken: set[str]) -> str:
    data = planned.data
    place = data.get("location", {}).get("city", "") if data["format"] != "online" else "online"
    base = suggest_slug(re.sub(r"['’]", "", f"{data['name']} {place}"))[:70].strip("-")
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _plan_add(plan: Plan, content: Path, path: Path, slug: str, planned: Planned, taxonomy: Taxonomy,
              today: str) -> None:
    data = dict(planned.data, last_verified=planned.data["imported"].get("updated", today))
    data = _ordered(data)
    text = listing_text(data, content, path)
    problems = _check(text, path, slug, taxonomy)
    if problems:
        plan.refusals.extend(Refusal(r.index, r.id, r.name, f"would make a listing that fails check: {problems}")
                             for r in planned.records)  # every record of it: each is a meeting not imported
        plan.changes.append(Change("refused", slug, note=problems))
        return
    plan.writes[path], plan.data[path] = text, data
    plan.state["listings"][slug] = {"key": planned.key, "data": _facts(data)}
    plan.changes.append(Change("add", display_path(path), meetings=len(data.get("schedule", ()))))


def _plan_update(plan: Plan, content: Path, path: Path | None, slug: str, planned: Planned, entry: dict,
                 taxonomy: Taxonomy, today: str) -> None:
    base = entry.get("data", {})
    theirs = _facts(planned.data)
    plan.state["listings"][slug] = {"key": planned.key, "data": theirs}
    if path is None:
        plan.state["listings"][slug]["data"] = base  # remember it was ours: a deleted file stays deleted
        plan.changes.append(Change("skipped", slug, note="deleted by hand, so not added again (remove its entry "
                                                         f"from {display_path(state_path(content, plan.state['source']))} to bring it back)"))
        return
    ours = _read(path)
    if ours is None or "imported" not in ours:
        why = "cannot be read as YAML" if ours is None else "has no `imported` field, so it is yours now"
        plan.state["listings"][slug]["data"] = base
        plan.changes.append(Change("skipped", display_path(path), note=f"{why}: left as it is"))
        return
    theirs = _keep_translated_summaries_in_step(base, _facts(ours), theirs)
    merged, changed, conflicts = merge(base, _facts(ours), theirs)
    unresolved = _open_conflicts(base, ours, theirs, merged, conflicts)
    if unresolved:  # said in the file, for check to warn about until they agree (and in the state: the import wrote it)
        theirs = dict(theirs, imported=dict(theirs["imported"], conflicts=unresolved))
        merged["imported"] = theirs["imported"]
        changed = [name for name in changed if name != "imported" or merged["imported"] != ours["imported"]]
    plan.state["listings"][slug]["data"] = theirs
    if changed and not unresolved:  # (a page that contradicts its source is not verified against it)
        merged["last_verified"] = planned.data["imported"].get("updated", today)
    else:
        merged["last_verified"] = ours.get("last_verified", today)
    merged = _ordered(merged)
    if merged == _ordered(ours):
        plan.changes.append(Change("conflict" if conflicts else "same", display_path(path), conflicts=conflicts))
        return
    text = listing_text(merged, content, path)
    problems = _check(text, path, slug, taxonomy)
    if problems:
        plan.state["listings"][slug]["data"] = base
        plan.changes.append(Change("skipped", display_path(path), note=f"the update would fail check ({problems}): "
                                                                      "left as it is"))
        return
    plan.writes[path], plan.data[path] = text, merged
    plan.changes.append(Change("conflict" if conflicts else "change", display_path(path),
                               meetings=len(merged.get("schedule", ())), fields=changed, conflicts=conflicts))


def _open_conflicts(base: dict, ours: dict, theirs: dict, merged: dict, conflicts: list[str]) -> list[str]:
    """Return the fields whose edit the import keeps against the source: those of this import, and those of an
    earlier one that still differ from the source, unless a contributor took out the `conflicts` line the import
    wrote (they reconciled them their way)."""
    earlier = base.get("imported", {}).get("conflicts", [])
    if earlier and "conflicts" not in ours.get("imported", {}):
        earlier = []
    still = [name for name in earlier if _field(merged, name) != _field(theirs, name)]
    return sorted(set(conflicts) | set(still))


def _field(data: dict, name: str):
    """Return a field ("schedule") or one of a group's ("online.url") from a listing's fields (None for none)."""
    for part in name.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _plan_gone(plan: Plan, content: Path, path: Path | None, slug: str, entry: dict, taxonomy: Taxonomy,
               removed: str, today: str) -> None:
    if path is None:
        return  # gone from the source and from the folder: nothing to do, forget it
    ours = _read(path)
    # An earlier import's own mark (imported.removed) is not an edit.
    edited = ours is None or _facts(ours, "imported") != _facts(entry.get("data", {}), "imported")
    if removed == "remove" and not edited:
        plan.deletes.append(path)
        plan.changes.append(Change("removed", display_path(path)))
        return
    if ours is not None and "imported" not in ours:
        return  # gone from the source, and made their own by a contributor: no longer the import's to track
    plan.state["listings"][slug] = entry
    if removed == "keep" or ours is None:
        plan.changes.append(Change("gone", display_path(path), note="gone from the source; kept as it is"))
        return
    if ours["imported"].get("removed"):
        plan.changes.append(Change("gone", display_path(path), note=f"gone from the source since {ours['imported']['removed']}"))
        return
    flagged = dict(ours, imported=dict(ours["imported"], removed=today))
    plan.writes[path] = listing_text(_ordered(flagged), content, path)
    note = "gone from the source; marked removed" + (" (edited by hand, so not deleted)" if removed == "remove" else "")
    plan.changes.append(Change("flagged", display_path(path), note=note))


def _keep_translated_summaries_in_step(base: dict, ours: dict, theirs: dict) -> dict:
    """Return what the import would write, with its translations of the summary kept in step with the summary:
    once a contributor has edited the summary, the import no longer writes a translation of its own sentence.
    The one it wrote before is taken out (it no longer says what the summary says: the page shows the
    contributor's words until someone translates them), and one a contributor wrote or edited is left alone."""
    if ours.get("summary") == base.get("summary"):
        return theirs
    codes = {code for side in (base, ours, theirs) for code in _translations(side)}
    if not codes:
        return theirs
    translations = {code: dict(words) for code, words in _translations(theirs).items()}
    for code in codes:
        was, now = _translations(base).get(code, {}), _translations(ours).get(code, {})
        words = translations.setdefault(code, {})
        if now.get("summary") == was.get("summary"):
            words.pop("summary", None)  # the import's own sentence, untouched: out with the English it translated
        elif "summary" in was:
            words["summary"] = was["summary"]  # a contributor's: the merge keeps it
        else:
            words.pop("summary", None)
    kept = {code: words for code, words in translations.items() if words}
    return {**{key: value for key, value in theirs.items() if key != "translations"},
            **({"translations": kept} if kept else {})}


def _translations(data: dict) -> dict:
    value = data.get("translations")
    return {code: words for code, words in value.items() if isinstance(words, dict)} if isinstance(value, dict) else {}


def merge(base: dict, ours: dict, theirs: dict, depth: int = 0) -> tuple[dict, list[str], list[str]]:
    """Return the merged fields, the fields the source changed, and the fields kept against the source's change.

    The location, online and contact fields are merged one by one, and `translations` language by language and
    field by field, so that a contributor's Spanish description does not stop the import's Spanish summary from
    following the source."""
    merged, changed, conflicts = {}, [], []
    for key in dict.fromkeys([*theirs, *ours, *base]):
        sides = (base.get(key, {}), ours.get(key, {}), theirs.get(key, {}))
        if key in OWN and depth == 0:
            value = theirs.get(key)
            if value != ours.get(key):
                changed.append(key)
        elif depth == 0 and key in NESTED and all(isinstance(x, dict) for x in sides):
            value, sub_changed, sub_conflicts = merge(*sides, depth=2)
            changed += [f"{key}.{name}" for name in sub_changed]
            conflicts += [f"{key}.{name}" for name in sub_conflicts]
        elif (depth == 0 and key == "translations" or depth == 1) and all(isinstance(x, dict) for x in sides):
            value, sub_changed, sub_conflicts = merge(*sides, depth=depth + 1)  # by language, then by field
            changed += [f"{key}.{name}" for name in sub_changed]
            conflicts += [f"{key}.{name}" for name in sub_conflicts]
        else:
            value, was_changed, conflict = _merge_one(base.get(key), ours.get(key), theirs.get(key))
            changed += [key] if was_changed else []
            conflicts += [key] if conflict else []
        if value not in (None, {}, []):
            merged[key] = value
    return merged, changed, conflicts


def _merge_one(base, ours, theirs):
    """Return (value, taken from the source, kept a contributor's edit against a change of the source)."""
    if ours == base:
        return theirs, theirs != ours, False
    if theirs == base or theirs == ours:
        return ours, False, False  # only the contributor changed it, or both made the same change
    return ours, False, True


def _facts(data: dict, *also: str) -> dict:
    """Return a listing's fields as the merge compares them: everything but the verification date (and `also`)."""
    return {key: value for key, value in data.items() if key != "last_verified" and key not in also}


def _read(path: Path) -> dict | None:
    try:
        doc = read_yaml(path.read_bytes())
    except (OSError, YamlProblem):
        return None
    return doc.data if isinstance(doc.data, dict) else None


FIELD_ORDER = tuple(field.name for field in listing_fields())  # the schema's order


def _ordered(data: dict) -> dict:
    """Return the fields in the order contributors read them; fields this version does not know come last."""
    return {key: data[key] for key in (*FIELD_ORDER, *data) if key in data}


def listing_text(data: dict, content: Path, path: Path) -> str:
    """Return a listing file's text as `new listing` writes one, naming the editor's schema from where it lies."""
    return newlisting.listing_text(data, Path(os.path.relpath(content / "listing.schema.json", path.parent)).as_posix())


@lru_cache(maxsize=1)
def _markdown() -> MarkdownRenderer:
    return MarkdownRenderer()  # one for every check of a plan: making one costs as much as checking a listing


def _check(text: str, path: Path, slug: str, taxonomy: Taxonomy) -> str:
    """Return what `check` would say against the file ('' when it passes)."""
    problems = Problems()
    doc = read_yaml(text.encode("utf-8"))
    validate_listing(SourceFile(display_path(path), slug, doc), taxonomy, _markdown(), problems)
    return "; ".join(f"{p.field}: {p.message}" for p in problems.errors)


def apply_plan(plan: Plan, content: Path) -> None:
    """Write the plan's files, each replaced whole, then the state (so a killed import is re-run safely)."""
    for path, text in sorted(plan.writes.items()):
        write_text(path, text)
    for path in plan.deletes:
        path.unlink(missing_ok=True)
    state = json.dumps(plan.state, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    write_text(state_path(content, plan.state["source"]), state)


def write_text(path: Path, text: str) -> None:
    """Write a file whole: a temporary file beside it, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temp, 0o644)  # mkstemp makes it private; a listing is an ordinary file of the repository
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
