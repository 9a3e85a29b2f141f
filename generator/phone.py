"""Phone numbers: parsed and checked with `phonenumbers` (Google's libphonenumber data), not by a regex."""
from __future__ import annotations

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
