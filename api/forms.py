from django import forms

from api.models import Scope


class KeyForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What will use this key, e.g. “Greenhouse sync”."
    )
    scope = forms.ChoiceField(
        choices=Scope.choices,
        initial=Scope.READ,
        widget=forms.RadioSelect,
        help_text="Read keys read candidates, interviews and scorecards; write keys also create.",
    )
