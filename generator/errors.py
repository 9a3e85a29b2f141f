"""Content problems: every one names the file, the line, the field, what is wrong and the fix."""
from __future__ import annotations

from dataclasses import dataclass, field
import difflib

from .characters import printable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located to a file and line."""

    path: str
    line: int
    field: str
    message: str
    severity: str = "error"

    def __post_init__(self) -> None:
        # File names and values are echoed in messages: a line break or an escape sequence in one must
        # not split the line or reach the terminal (or a CI log) as it is.
        for name in ("path", "field", "message"):
            text = getattr(self, name)
            if not text.isprintable():
                object.__setattr__(self, name, printable(text))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{self.field}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass
class Problems:
    """Collects problems across a whole run so that all of them are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, field_name: str, message: str, severity: str = "error") -> None:
        self.items.append(Problem(path, line, field_name, message, severity))

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def sorted(self) -> list[Problem]:
        return sorted(self.items)


class ContentError(Exception):
    """The content has errors; nothing was written.

    `problems` stopped the build; `warnings` are the others found with them, so that a failed build counts
    what `check` counts.
    """

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = problems
        self.warnings = warnings or []
        count = len(problems)
        super().__init__(f"{count} content error{'s' if count != 1 else ''}")


def did_you_mean(value: object, choices: list[str]) -> str:
    """Return ' — did you mean 'x'?' for the closest choice, or a list of valid choices."""
    text = str(value)
    lowered = {c.lower(): c for c in choices}
    if text.lower() in lowered:
        return f" — did you mean '{lowered[text.lower()]}'? (slugs are lowercase)"
    close = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
    if close:
        return f" — did you mean '{lowered[close[0]]}'?"
    shown = ", ".join(choices[:12]) + (", …" if len(choices) > 12 else "")
    return f" — use one of: {shown}"
