"""Generate a large, clearly fake directory for benchmarks: `write_synthetic(folder, listings=N)`.

Listings are spread over US states roughly by population and placed at real ZIP codes (with their
cities) from the bundled `zipcodes` package, so the build can put them on the map. About 15 % are
online only and 10 % hybrid; support types are skewed the way a real directory is (12-step most
common). Every name starts with "Synthetic" and every URL is on example.org.

Writes only into the folder it is given (never content/). Files are made with plain string
formatting (no yaml.dump): 100,000 listings take a few seconds.

    python -m bench.synth OUT --listings 100000 [--articles 200] [--seed 1]
"""
from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(REPO_ROOT))
from generator.dates import build_date  # noqa: E402  (the one place the build and its inputs get "today")

CONTENT = REPO_ROOT / "content"

# Resident population in thousands (2020 census, rounded); only the proportions matter.
POPULATION = {
    "CA": 39538, "TX": 29146, "FL": 21538, "NY": 20201, "PA": 13003, "IL": 12813, "OH": 11799,
    "GA": 10712, "NC": 10439, "MI": 10077, "NJ": 9289, "VA": 8631, "WA": 7705, "AZ": 7152,
    "MA": 7030, "TN": 6911, "IN": 6786, "MD": 6177, "MO": 6154, "WI": 5894, "CO": 5774,
    "MN": 5706, "SC": 5119, "AL": 5024, "LA": 4658, "KY": 4506, "OR": 4237, "OK": 3959,
    "CT": 3606, "UT": 3272, "IA": 3190, "NV": 3105, "AR": 3012, "MS": 2961, "KS": 2938,
    "NM": 2118, "NE": 1962, "ID": 1839, "WV": 1794, "HI": 1455, "NH": 1378, "ME": 1362,
    "RI": 1097, "MT": 1084, "DE": 990, "SD": 887, "ND": 779, "AK": 733, "DC": 690, "VT": 643,
    "WY": 577, "PR": 3286,
}

# Support-type weights: 12-step dominates real meeting lists.
TYPE_WEIGHTS = {
    "12-step": 45, "mutual-aid": 10, "smart-recovery": 7, "family-support": 8, "recovery-community": 6,
    "peer-specialist": 6, "faith-based": 6, "secular": 4, "harm-reduction": 3, "aftercare": 3,
    "sober-companion": 2,
}
# Words for names, per support type; "Serenity" and "Group" are common so typing them finds much.
NAME_WORDS = {
    "12-step": ["Serenity", "Big Book", "Step Study", "Happy Destiny", "Keep It Simple", "Came to Believe",
                "Daily Reflections", "Serenity", "Easy Does It", "Living Sober", "Primary Purpose"],
    "mutual-aid": ["Common Ground", "Open Circle", "Hand in Hand", "Serenity", "Fresh Start"],
    "smart-recovery": ["SMART Recovery", "SMART Tools", "Four Point"],
    "family-support": ["Family Circle", "Parents Together", "Loved Ones", "Serenity Family"],
    "recovery-community": ["Recovery Center", "Recovery Hub", "Community Recovery"],
    "peer-specialist": ["Peer Support", "Recovery Coaching", "Peer Navigator"],
    "faith-based": ["Celebrate Recovery", "Grace", "New Hope", "Faith in Recovery"],
    "secular": ["Secular Sobriety", "Freethinkers", "We Agnostics"],
    "harm-reduction": ["Harm Reduction", "Safer Use", "Any Positive Change"],
    "aftercare": ["Aftercare", "Continuing Care", "Bridge"],
    "sober-companion": ["Sober Companion", "Sober Escort"],
}
NOUNS = ["Group", "Group", "Group", "Meeting", "Fellowship", "Circle", "Gathering", "Network"]
SUMMARY = {
    "12-step": "a 12-step meeting for anyone who wants to stop drinking or using",
    "mutual-aid": "a peer-run mutual aid group where members help each other stay in recovery",
    "smart-recovery": "a SMART Recovery meeting using the 4-Point Program",
    "family-support": "a support group for parents, partners and friends of people who use substances",
    "recovery-community": "a recovery community center open to everyone in or seeking recovery",
    "peer-specialist": "one-to-one recovery support from certified peer specialists",
    "faith-based": "a faith-based recovery group",
    "secular": "a secular recovery group that does not rely on religious beliefs",
    "harm-reduction": "a harm reduction group that meets people where they are",
    "aftercare": "continuing support after detox, treatment or incarceration",
    "sober-companion": "peer sober companions for early recovery",
}
# The same in Spanish, for a directory whose every listing is also in Spanish (`spanish=True`): fake, like the rest.
SUMMARY_ES = {
    "12-step": "una reunión de doce pasos para quien quiera dejar de beber o de consumir",
    "mutual-aid": "un grupo de ayuda mutua dirigido por pares donde los miembros se ayudan a seguir en recuperación",
    "smart-recovery": "una reunión de SMART Recovery con el Programa de 4 Puntos",
    "family-support": "un grupo de apoyo para padres, parejas y amistades de personas que consumen sustancias",
    "recovery-community": "un centro comunitario de recuperación abierto a quien esté en recuperación o la busque",
    "peer-specialist": "apoyo individual a la recuperación con especialistas certificados de apoyo entre pares",
    "faith-based": "un grupo de recuperación basado en la fe",
    "secular": "un grupo de recuperación laico que no depende de creencias religiosas",
    "harm-reduction": "un grupo de reducción de daños que atiende a las personas donde están",
    "aftercare": "apoyo continuo después de la desintoxicación, el tratamiento o la reclusión",
    "sober-companion": "acompañantes sobrios entre pares para la recuperación temprana",
}
AUDIENCES = ["adults", "young-people", "families", "women", "men", "lgbtq", "veterans", "indigenous",
             "people-in-justice-system", "peer-workers"]
AUDIENCE_WEIGHTS = [8, 8, 6, 12, 10, 6, 5, 2, 3, 2]
LANG_SETS = [["en", "es"], ["es"], ["en", "zh"], ["en", "vi"], ["en", "ko"], ["en", "tl"], ["en", "ru"],
             ["en", "ase"], ["en", "ht"], ["en", "pt"], ["en", "pl"], ["en", "ar"], ["en", "fr"], ["en", "de"]]
LANG_WEIGHTS = [50, 12, 5, 4, 3, 3, 3, 4, 3, 3, 2, 2, 2, 1]
COSTS = ["donation", "free", "fee", "insurance"]
COST_WEIGHTS = [50, 35, 8, 7]
DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
STARTS = ["07:00", "07:30", "10:00", "12:00", "12:15", "17:30", "18:00", "18:30", "19:00", "19:30", "20:00"]
PLATFORMS = ["Zoom", "Google Meet", "Web forum", "Phone line", "Discord"]
STREETS = ["Main St", "Oak Ave", "Church St", "Elm St", "Park Ave", "2nd St", "Washington St", "Maple Ave"]
DESCRIPTION = ("This is a synthetic listing made for a benchmark; the group does not exist.\n\n"
               "Meetings are open to {who}. Newcomers are welcome: arrive a few minutes early and someone will "
               "show you around. {extra}")
EXTRAS = ["Coffee is provided.", "The room is wheelchair accessible.", "Parking is behind the building.",
          "Literature is available at every meeting.", "Childcare is not available."]
ARTICLE_TOPICS = ["Coping with cravings", "Finding a sponsor", "Supporting a loved one", "Going to a first meeting",
                  "Recovery at work", "Sleep in early recovery", "Holidays in recovery", "Peer specialists explained",
                  "Online meetings", "Rebuilding trust"]
ARTICLE_TAGS = ["coping", "cravings", "family", "first-meeting", "work", "sleep", "holidays", "peer-support",
                "online", "relationships"]


# Real US area codes; 555-0100 to 555-0199 are reserved for fiction, so every number is valid and fake.
AREA_CODES = (201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224, 225, 228,
              229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270, 276, 281, 301, 302)

def _load_zips() -> dict[str, list[tuple[str, str]]]:
    """Return {state: [(zip, city), ...]} for STANDARD ZIP codes that have a centroid."""
    import zipcodes

    by_state: dict[str, list[tuple[str, str]]] = {}
    for row in zipcodes.list_all():
        if row["zip_code_type"] != "STANDARD" or (float(row["lat"]), float(row["long"])) == (0.0, 0.0):
            continue
        if row["state"] in POPULATION:
            by_state.setdefault(row["state"], []).append((row["zip_code"], row["city"]))
    return by_state


def _q(text: str) -> str:
    """Return text as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def _slugify(text: str) -> str:
    out = []
    dash = False
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def one_language(settings: Path) -> str:
    """Return the starter's site settings in its first language only: synthetic content is English, and a build of
    it in more languages says so (bench_build's two-language figures add `languages:` themselves)."""
    data = yaml.safe_load(settings.read_text(encoding="utf-8"))
    for key in ("languages", "translations"):
        data.pop(key, None)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def one_language_taxonomy(taxonomy: Path) -> str:
    """Return the starter's vocabulary without its terms' translations, for an English-only site (and so that
    a build of the code from before translations, bench_build's --against, reads the same file)."""
    data = yaml.safe_load(taxonomy.read_text(encoding="utf-8"))
    for terms in data.values():
        for term in terms if isinstance(terms, list) else ():
            if isinstance(term, dict):
                term.pop("translations", None)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def write_synthetic(content_dir: str | Path, listings: int = 1000, articles: int = 20, seed: int = 1,
                    spanish: bool = False) -> dict:
    """Write a synthetic content folder (taxonomy, site settings, listings, articles); return counts.

    `content_dir` must be empty or not exist; it is the only place written to. With `spanish`, the site is in
    English and Spanish (the starter's vocabulary with its Spanish labels) and every listing's summary is also in
    Spanish, as in a directory translated throughout; the listings are otherwise the same.
    """
    out = Path(content_dir).resolve()
    if out == CONTENT.resolve() or CONTENT.resolve() in out.parents:
        raise ValueError("refusing to write synthetic content into the real content/ folder")
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    if spanish:
        (out / "taxonomy.yaml").write_text((CONTENT / "taxonomy.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        (out / "site.yaml").write_text(one_language(CONTENT / "site.yaml") + "languages: [en, es]\n", encoding="utf-8")
    else:
        (out / "taxonomy.yaml").write_text(one_language_taxonomy(CONTENT / "taxonomy.yaml"), encoding="utf-8")
        (out / "site.yaml").write_text(one_language(CONTENT / "site.yaml"), encoding="utf-8")

    rng = random.Random(seed)
    zips = _load_zips()
    states = [s for s in POPULATION if s in zips]
    state_weights = [POPULATION[s] for s in states]
    types = list(TYPE_WEIGHTS)
    type_weights = list(TYPE_WEIGHTS.values())
    today = build_date()  # SOURCE_DATE_EPOCH when set, as for the build that reads these listings
    first_day = today - datetime.timedelta(days=700)

    n_formats = rng.choices(["in-person", "online", "hybrid"], weights=[75, 15, 10], k=listings)
    n_states = rng.choices(states, weights=state_weights, k=listings)
    folders: set[Path] = set()
    stats = {"listings": listings, "articles": articles, "online": 0, "hybrid": 0, "scheduled": 0}
    for i in range(listings):
        number = 10000 + i
        fmt = n_formats[i]
        first = rng.choices(types, weights=type_weights)[0]
        support = [first]
        if rng.random() < 0.35:
            second = rng.choices(types, weights=type_weights)[0]
            if second != first:
                support.append(second)
        word = rng.choice(NAME_WORDS[first])
        lines = []
        if fmt == "online":
            stats["online"] += 1
            kind = "online-forum" if rng.random() < 0.8 else "peer-program"
            name = f"Synthetic {word} Online {rng.choice(NOUNS)} {number}"
            place_text = "online"
            place_es = "en línea"
            folder = "online"
            region = ""
        else:
            kind = "local-group" if rng.random() < 0.8 else "peer-program"
            region = n_states[i]
            postal, city = rng.choice(zips[region])
            name = (f"Synthetic {city} {word} {rng.choice(NOUNS)} {number}" if rng.random() < 0.3
                    else f"Synthetic {word} {rng.choice(NOUNS)} {number}")
            place_text = f"in {city}, {region}"
            place_es = f"en {city}, {region}"
            folder = region.lower()
        slug = _slugify(name)
        summary = f"Synthetic benchmark listing: {SUMMARY[first]}, {place_text}."
        lines.append(f"name: {_q(name)}")
        lines.append(f"kind: {kind}")
        lines.append(f"support_types: [{', '.join(support)}]")
        lines.append(f"summary: {_q(summary)}")
        if rng.random() < 0.3:
            who = "anyone who wants help" if rng.random() < 0.5 else "people in recovery and their families"
            text = DESCRIPTION.format(who=who, extra=rng.choice(EXTRAS))
            lines.append("description: |")
            lines.extend(f"  {line}" if line else "" for line in text.split("\n"))
        lines.append(f"format: {fmt}")
        if fmt != "online":
            lines.append("location:")
            if rng.random() < 0.4:
                lines.append(f"  address: \"{rng.randint(1, 9999)} {rng.choice(STREETS)}\"")
            lines.append(f"  city: {_q(city)}")
            lines.append(f"  region: {region}")
            lines.append(f"  postal_code: \"{postal}\"")
        if fmt != "in-person":
            stats["hybrid"] += fmt == "hybrid"
            lines.append("online:")
            lines.append(f"  url: https://example.org/synthetic/{slug}/join")
            lines.append(f"  platform: {rng.choice(PLATFORMS)}")
        if rng.random() < 0.5:
            lines.append("contact:")
            lines.append(f"  website: https://example.org/synthetic/{slug}")
            if rng.random() < 0.5:
                area = AREA_CODES[number % len(AREA_CODES)]
                lines.append(f"  phone: \"+1-{area}-555-01{number // len(AREA_CODES) % 100:02d}\"")
            if rng.random() < 0.3:
                lines.append(f"  email: group{number}@example.org")
        if rng.random() < 0.3:
            picks = sorted(set(rng.choices(AUDIENCES, weights=AUDIENCE_WEIGHTS, k=rng.randint(1, 2))))
            lines.append(f"audience: [{', '.join(picks)}]")
        if rng.random() < 0.25:
            lines.append(f"languages: [{', '.join(rng.choices(LANG_SETS, weights=LANG_WEIGHTS)[0])}]")
        if rng.random() < 0.7:
            lines.append(f"cost: {rng.choices(COSTS, weights=COST_WEIGHTS)[0]}")
        if rng.random() < 0.4:
            stats["scheduled"] += 1
            lines.append("schedule:")
            for day in sorted(rng.sample(range(7), rng.choices([1, 2, 3], weights=[60, 25, 15])[0])):
                start = rng.choice(STARTS)
                hour, minute = int(start[:2]), start[3:]
                lines.append(f"  - day: {DAYS[day]}")
                lines.append(f"    start: \"{start}\"")
                lines.append(f"    end: \"{hour + 1:02d}:{minute}\"")
        verified = first_day + datetime.timedelta(days=rng.randint(0, 700))
        lines.append(f"last_verified: {verified.isoformat()}")
        lines.append(f"source: https://example.org/synthetic/{slug}")
        if spanish:
            lines.append("translations:")
            lines.append("  es:")
            lines.append(f"    summary: {_q(f'Listado sintético de prueba: {SUMMARY_ES[first]}, {place_es}.')}")
        path = out / "listings" / folder
        if path not in folders:
            path.mkdir(parents=True, exist_ok=True)
            folders.add(path)
        (path / f"{slug}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    if articles:
        (out / "articles").mkdir(parents=True, exist_ok=True)
    for j in range(articles):
        topic = ARTICLE_TOPICS[j % len(ARTICLE_TOPICS)]
        title = f"Synthetic article {j + 1}: {topic}"
        tags = sorted(set(rng.sample(ARTICLE_TAGS, 2)))
        support = sorted(set(rng.choices(types, weights=type_weights, k=2)))
        date = first_day + datetime.timedelta(days=rng.randint(0, 700))
        paragraphs = "\n\n".join(
            f"Paragraph {k + 1} of a synthetic article about {topic.lower()}. It exists only to give the build "
            "some Markdown to render, with *emphasis*, a [link](https://example.org/synthetic) and a list:\n\n"
            "- one idea\n- another idea\n- a third idea" for k in range(4))
        text = (f"---\ntitle: {_q(title)}\nsummary: {_q('A synthetic benchmark article on ' + topic.lower() + '.')}\n"
                f"date: {date.isoformat()}\ntags: [{', '.join(tags)}]\nsupport_types: [{', '.join(support)}]\n---\n\n"
                f"## {topic}\n\n{paragraphs}\n")
        (out / "articles" / f"synthetic-article-{j + 1}.md").write_text(text, encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to create (must be empty or missing; never content/)")
    parser.add_argument("--listings", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--spanish", action="store_true", help="a site in English and Spanish, every summary in both")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        stats = write_synthetic(args.out, listings=args.listings, articles=args.articles, seed=args.seed,
                                spanish=args.spanish)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {stats['listings']} listings ({stats['online']} online, {stats['hybrid']} hybrid, "
          f"{stats['scheduled']} with a schedule) and {stats['articles']} articles into {args.out} "
          f"in {time.perf_counter() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
