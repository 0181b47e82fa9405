"""Seniority levels: the one definition that the parser, importer, planner, summary and templates use.

A pure module (no models), so pure cores can import it. Comparing two levels compares seniority.
"""

from django.db.models import IntegerChoices


class Level(IntegerChoices):
    """Target levels in rank order."""

    JUNIOR = 1, "Junior"
    MID = 2, "Mid"
    SENIOR = 3, "Senior"
    PRINCIPAL = 4, "Principal"

    @classmethod
    def from_name(cls, name: str) -> "Level":
        """ "senior" -> Level.SENIOR; raises ValueError naming the levels there are."""
        for level in cls:
            if level.label.lower() == str(name).strip().lower():
                return level
        raise ValueError(f"unknown level {name!r}; expected one of {', '.join(cls.labels)}")

    @classmethod
    def label_of(cls, value, default: str = "") -> str:
        """The name of a level value (1 -> "Junior"), or `default` for anything else."""
        try:
            return cls(int(value)).label
        except (TypeError, ValueError):
            return default


NAMES: tuple[str, ...] = tuple(Level.labels)
