from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from interviews import roles
from interviews.models import AuditAction, Candidate, Recommendation, Score
from questionbank.models import Bank, Criterion, Level


def interviewer_choices():
    return (
        get_user_model()
        .objects.filter(groups__name=roles.INTERVIEWERS, is_active=True)
        .order_by("first_name", "username")
    )


class InterviewerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class InterviewForm(forms.Form):
    candidate = forms.ModelChoiceField(
        Candidate.objects.none(),
        required=False,
        empty_label="New candidate…",
        help_text=(
            "Candidates you added (a hiring manager sees every candidate). Only a hiring manager "
            "or the interviewer who added a candidate can add interviewers to their loop. "
            "Or leave this and enter a new candidate below."
        ),
    )
    name = forms.CharField(label="New candidate's name", max_length=200, required=False)
    email = forms.EmailField(label="Email (optional)", required=False)
    external_id = forms.CharField(label="ATS id (optional)", max_length=100, required=False)
    position = forms.CharField(label="Position title", max_length=200)
    target_level = forms.TypedChoiceField(choices=Level.choices, coerce=int, initial=Level.SENIOR)
    bank = forms.ModelChoiceField(Bank.objects.all(), empty_label=None)
    specialist_areas = forms.ModelMultipleChoiceField(
        Criterion.objects.filter(rubric_level__level__isnull=True).select_related("bank"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Adds a question for each chosen area.",
    )
    planned_minutes = forms.IntegerField(
        label="Duration (minutes)", min_value=10, max_value=240, initial=45
    )
    scheduled_for = forms.DateTimeField(
        label="When",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty for now.",
    )
    interviewers = InterviewerField(
        interviewer_choices(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["interviewers"].queryset = interviewer_choices()
        # Who may add interviewers to a loop: Candidate.objects.loops_managed_by says it once.
        self.fields["candidate"].queryset = (
            Candidate.objects.loops_managed_by(user)
            if user is not None
            else Candidate.objects.none()
        )
        if user is not None and not self.is_bound:
            self.initial.setdefault("interviewers", [user.pk])
        bank = Bank.objects.order_by("title").first()
        if bank and not self.is_bound:
            self.initial.setdefault("bank", bank.pk)

    def clean_external_id(self):
        """ATS ids are unique (the API syncs by them): the same id means the same person."""
        value = self.cleaned_data["external_id"].strip()
        if value and Candidate.objects.filter(external_id=value).exists():
            raise ValidationError(
                "A candidate with this ATS id exists: pick them from the list.", code="unique"
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("candidate") and not cleaned.get("name", "").strip():
            self.add_error(
                "name",
                ValidationError(
                    "Pick a candidate or enter a new candidate's name.", code="required"
                ),
            )
        bank = cleaned.get("bank")
        foreign = [c for c in cleaned.get("specialist_areas", []) if bank and c.bank_id != bank.pk]
        if foreign:
            self.add_error(
                "specialist_areas",
                ValidationError("Choose specialist areas from the chosen bank.", code="bank"),
            )
        if self.user is not None and not cleaned.get("interviewers"):
            cleaned["interviewers"] = [self.user]
        return cleaned

    def candidate_choice(self):
        """The chosen Candidate, or the new candidate's details for the service to create."""
        from interviews.services import NewCandidate

        if self.cleaned_data.get("candidate"):
            return self.cleaned_data["candidate"]
        return NewCandidate(
            name=self.cleaned_data["name"].strip(),
            email=self.cleaned_data["email"],
            external_id=self.cleaned_data["external_id"].strip(),
        )


class ScoreForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=Score.choices,
        coerce=int,
        error_messages={"invalid_choice": "Choose a score from 0 (not assessed) to 4."},
    )


class PointForm(forms.Form):
    """One key point ticked or unticked: htmx posts the point's index with the points form."""

    index = forms.IntegerField(min_value=0)
    points = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = count
        self.fields["points"].choices = [(i, i) for i in range(count)]

    def clean_index(self):
        index = self.cleaned_data["index"]
        if index >= self.count:
            raise ValidationError("This question has no such key point.", code="invalid")
        return index

    @property
    def covered(self) -> bool:
        return self.cleaned_data["index"] in self.cleaned_data["points"]


class PointsForm(forms.Form):
    """The no-JavaScript form: every ticked key point at once."""

    points = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].choices = [(i, i) for i in range(count)]


class HintForm(forms.Form):
    hint_given = forms.BooleanField(required=False)


class NotesForm(forms.Form):
    notes = forms.CharField(required=False, strip=False, max_length=20_000, widget=forms.Textarea)
    version = forms.IntegerField(min_value=0)


class MoveForm(forms.Form):
    offset = forms.TypedChoiceField(choices=[(-1, "up"), (1, "down")], coerce=int)


class DashboardSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=100)
    status = forms.CharField(required=False, max_length=20)


class DecisionForm(forms.Form):
    recommendation = forms.ChoiceField(
        label="Your recommendation", choices=Recommendation.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
        help_text="Why you recommend this, in a few sentences. Required to submit.",
    )
    candidate_feedback = forms.CharField(
        label="Feedback for the candidate (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5_000,
        required=False,
        help_text="Written for the candidate, not for colleagues: the candidate-safe report shows "
        "this and the notes you chose to share, nothing else you typed.",
    )


class AuditFilterForm(forms.Form):
    candidate = forms.CharField(
        label="Candidate", required=False, max_length=200, help_text="A name, or part of one."
    )
    actor = forms.CharField(label="User", required=False, max_length=150, help_text="A username.")
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any action"), *AuditAction.choices]
    )

    def filters(self) -> dict:
        """The filters to apply: none for a form that is not valid (it shows its errors)."""
        return self.cleaned_data if self.is_valid() else {}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why reopen this scorecard?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class SharingForm(forms.Form):
    notes_shared = forms.BooleanField(required=False)


REPORT_PROFILES = {"internal": "Internal", "candidate": "Candidate-safe"}


class ReportForm(forms.Form):
    profile = forms.ChoiceField(choices=REPORT_PROFILES.items(), required=False)

    def clean_profile(self):
        return self.cleaned_data["profile"] or "internal"


class EraseForm(forms.Form):
    """Erasing cannot be undone, so the manager types the candidate's name to confirm."""

    confirm_name = forms.CharField(label="Type the candidate's name to confirm", max_length=200)

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate

    def clean_confirm_name(self):
        typed = self.cleaned_data["confirm_name"].strip()
        if typed != self.candidate.name.strip():
            raise ValidationError("The name does not match; nothing was erased.", code="mismatch")
        return typed
