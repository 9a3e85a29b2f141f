"""Addresses as feeds write them: one "street, city, ST 12345, USA" line, or state and country names."""
from __future__ import annotations

import re

US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "district of columbia": "DC", "florida": "FL", "georgia": "GA",
    "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS",
    "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA",
    "michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM",
    "new york": "NY", "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
    "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
    "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "puerto rico": "PR", "guam": "GU",
    "virgin islands": "VI", "u.s. virgin islands": "VI", "us virgin islands": "VI", "american samoa": "AS",
    "northern mariana islands": "MP", "washington dc": "DC", "washington, d.c.": "DC",
}
CANADIAN_PROVINCES = {
    "alberta": "AB", "british columbia": "BC", "manitoba": "MB", "new brunswick": "NB",
    "newfoundland and labrador": "NL", "nova scotia": "NS", "ontario": "ON", "prince edward island": "PE",
    "quebec": "QC", "québec": "QC", "saskatchewan": "SK", "northwest territories": "NT", "nunavut": "NU",
    "yukon": "YT",
}
_CODES = set(US_STATES.values()) | set(CANADIAN_PROVINCES.values())
COUNTRIES = {"us": "US", "usa": "US", "u.s.": "US", "u.s.a.": "US", "united states": "US",
             "united states of america": "US", "ca": "CA", "can": "CA", "canada": "CA", "mexico": "MX",
             "méxico": "MX", "mx": "MX", "mex": "MX", "uk": "GB", "gbr": "GB", "united kingdom": "GB",
             "great britain": "GB", "aus": "AU", "australia": "AU", "nzl": "NZ", "new zealand": "NZ",
             "irl": "IE", "ireland": "IE"}
_US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
_CA_POSTAL = re.compile(r"^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$")


def region_code(value: object) -> str:
    """Return the two-letter code of a US state or Canadian province given by code or name ('' if unknown)."""
    written = " ".join(str(value or "").split())
    bare = written.replace(".", "").replace(" ", "").upper()
    if bare in _CODES:
        return bare
    name = written.lower().rstrip(".")
    return US_STATES.get(name) or US_STATES.get(name.replace(".", "")) or CANADIAN_PROVINCES.get(name) or ""


def country_code(value: object) -> str:
    """Return a two-letter country code for a code or a name ('' if unknown)."""
    value = str(value or "")
    name = value.strip().lower()
    if name in COUNTRIES:
        return COUNTRIES[name]
    return value.strip().upper() if re.fullmatch(r"[A-Za-z]{2}", value.strip()) else ""


def split_address(line: str) -> dict[str, str]:
    """Return address, city, region, postal_code and country from one formatted address line.

    Read from the end, as geocoders write them: "102 Main St, Georgetown, DE 19947, USA",
    "Georgetown, DE", "8318 104 St, Edmonton, Alberta, T6E 4E8, Canada". Parts it cannot tell are left out.
    """
    parts = [part.strip() for part in line.split(",") if part.strip()]
    found: dict[str, str] = {}
    if parts and country_code(parts[-1]) and not region_code(parts[-1]):
        found["country"] = country_code(parts.pop())
    if parts and (_US_ZIP.match(parts[-1]) or _CA_POSTAL.match(parts[-1])):
        found["postal_code"] = parts.pop().upper()
    if parts:
        words = parts[-1].split()
        if len(words) >= 2 and (_US_ZIP.match(words[-1]) or _CA_POSTAL.match(" ".join(words[-2:]))):
            size = 1 if _US_ZIP.match(words[-1]) else 2
            found["postal_code"] = " ".join(words[-size:]).upper()
            words = words[:-size]
        written = " ".join(words)
        # "De" or "Mo" in an address is more likely a word than Delaware or Missouri: codes count in capitals.
        code = region_code(written) if len(written.replace(".", "")) > 2 or written.isupper() else ""
        if code:
            found["region"] = code
            parts.pop()
    if parts and (found.get("region") or len(parts) >= 2):  # "street, town" with no state: the town is last
        found["city"] = parts.pop()
    if parts and found.get("city"):
        found["address"] = ", ".join(parts)
    if "country" not in found and found.get("region"):
        found["country"] = "CA" if found["region"] in CANADIAN_PROVINCES.values() else "US"
    return found
