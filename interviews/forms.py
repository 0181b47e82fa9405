from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import roles
from interviews.models import AuditAction, Candidate, Recommendation, Score
from questionbank.models import Bank, Criterion, Level


def int_or_none(value) -> int | None:
    """A primary key read from one request parameter (the question picked, the bank chosen)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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
    email = forms.EmailField(
        label="Email (optional)",
        max_length=Candidate._meta.get_field("email").max_length,
        required=False,
    )
    external_id = forms.CharField(label="ATS id (optional)", max_length=100, required=False)
    position = forms.CharField(label="Position title", max_length=200)
    bank = forms.ModelChoiceField(
        Bank.objects.all(),
        empty_label=None,
        help_text="The levels and specialist areas below are this bank's.",
    )
    target_level = forms.TypedChoiceField(
        choices=Level.choices,
        coerce=int,
        initial=Level.SENIOR,
        error_messages={
            "invalid_choice": "The chosen bank cannot plan an interview at this level: choose "
            "one of the levels offered."
        },
    )
    specialist_areas = forms.ModelMultipleChoiceField(
        Criterion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Adds a question for each chosen area.",
        error_messages={"invalid_choice": "Choose specialist areas from the chosen bank."},
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

    def __init__(self, *args, user=None, bank: Bank | None = None, **kwargs):
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
        self.chosen_bank = bank or self._bank_of_data() or Bank.objects.order_by("title").first()
        if self.chosen_bank and not self.is_bound:
            self.initial["bank"] = self.chosen_bank.pk
        self.fields["bank"].widget.attrs.update(
            {
                "hx-get": reverse("interviews:new_fields"),
                "hx-target": "#bank-fields",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )
        self.limit_to_bank(self.chosen_bank)

    def _bank_of_data(self) -> Bank | None:
        """The bank the posted form names, when it names one that exists."""
        if not self.is_bound:
            return None
        pk = self.data.get(self.add_prefix("bank"), "")
        return Bank.objects.filter(pk=int(pk)).first() if str(pk).isdigit() else None

    def limit_to_bank(self, bank: Bank | None) -> None:
        """Offer only the levels this bank can plan for, and only its specialist areas."""
        levels = bank.plannable_levels() if bank else []
        self.fields["target_level"].choices = [(lv.value, lv.label) for lv in levels]
        if levels and self.initial.get("target_level", Level.SENIOR) not in levels:
            self.initial["target_level"] = min(levels, key=lambda lv: abs(lv - Level.SENIOR))
        self.fields["specialist_areas"].queryset = (
            Criterion.objects.filter(bank=bank, rubric_level__level__isnull=True)
            if bank
            else Criterion.objects.none()
        )
        if bank and not levels:
            self.fields["target_level"].help_text = (
                "This bank has no level it can plan for: each level needs a rubric level and "
                "questions."
            )

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
        bank, level = cleaned.get("bank"), cleaned.get("target_level")
        foreign = [c for c in cleaned.get("specialist_areas", []) if bank and c.bank_id != bank.pk]
        if foreign:
            self.add_error(
                "specialist_areas",
                ValidationError("Choose specialist areas from the chosen bank.", code="bank"),
            )
        if bank and level and (problem := bank.plan_problem(level)):
            self.add_error("target_level", ValidationError(problem, code="level"))
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


class QuestionStatusForm(forms.Form):
    question = forms.IntegerField(min_value=1)
    status = forms.ChoiceField(
        choices=[("retired", "Retire"), ("leaked", "Mark leaked"), ("in_use", "Put back in use")]
    )
