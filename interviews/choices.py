"""Recommendations: the one definition the summary, scorecard, debrief, reports and templates use.

A pure module (no models), so the summary's pure core can import it. Members are strings, so a
frozen summary stores them as their values ("hire") and reads back equal.
"""

from django.db.models import TextChoices


class Recommendation(TextChoices):
    STRONG_HIRE = "strong_hire", "Strong hire"
    HIRE = "hire", "Hire"
    NO_HIRE = "no_hire", "No hire"
    STRONG_NO_HIRE = "strong_no_hire", "Strong no hire"

    @classmethod
    def label_of(cls, value, default: str = "") -> str:
        try:
            return cls(value).label
        except ValueError:
            return default
