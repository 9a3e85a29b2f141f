"""Phone numbers: parsed and checked with `phonenumbers` (Google's libphonenumber data), not by a regex."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers


@dataclass(frozen=True)
class Phone:
    """A valid phone number: as people read it, and as a tel: link dials it."""

    display: str
    href: str  # RFC 3966, e.g. tel:+1-800-662-4357;ext=5

    @property
    def key(self) -> str:
        """Return one spelling for every way of writing the same number (for finding duplicates)."""
        return self.href


@lru_cache(maxsize=4096)  # validation and the model both ask, and many listings share a number
def parse_phone(text: str, country: str = "US") -> Phone | None:
    """Return the number, or None when it is not a valid number for the country (or with its +code)."""
    try:
        number = phonenumbers.parse(text, country or "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    region = phonenumbers.region_code_for_number(number)
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if region == (country or "US")
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return Phone(phonenumbers.format_number(number, style),
                 phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966))


# A dial-in as conference services publish it: the number, then what a phone dials after it, between pauses
# (',' or ';'): "+13017158592,,85779615129#,,,,005088#".
DIAL_NUMBER = re.compile(r"^\s*(?P<number>\+?[0-9(][0-9 ().-]*[0-9])\s*(?P<keys>.*)$", re.S)
PAUSES = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class DialIn:
    """A number to dial in to online meetings: as people read it, and as one tap dials it whole."""

    number: str  # the number alone, in digits (and a leading +): "+13017158592"
    display: str  # the number as the site writes phones: "(301) 715-8592" (as written when it is no valid number)
    keys: str  # what to dial after it, the pauses left out: "85779615129# 005088#" ('' for nothing)
    href: str  # the whole one-tap string, as a tel: link dials it ('#' escaped: it is a key, not a fragment)


@lru_cache(maxsize=1024)
def parse_dial_in(text: str, country: str = "US") -> DialIn:
    """Return a dial-in string's parts; one that does not start with a number is shown as it is written."""
    href = "tel:" + text.replace(" ", "").replace("#", "%23")
    found = DIAL_NUMBER.match(text)
    if not found:
        return DialIn("", text, "", href)
    number = re.sub(r"[\s().-]", "", found["number"])
    phone = parse_phone(number, country)
    keys = " ".join(part for part in PAUSES.split(found["keys"]) if part)
    return DialIn(number, phone.display if phone else found["number"], keys, href)
