from django import forms

from integrations import webhooks
from integrations.models import EventType


class SubscriptionForm(forms.Form):
    url = forms.URLField(
        label="Receiver URL",
        max_length=500,
        assume_scheme="https",
        help_text="We POST signed JSON here. http or https only; redirects are not followed.",
    )
    events = forms.MultipleChoiceField(
        choices=EventType.choices, widget=forms.CheckboxSelectMultiple, initial=EventType.values
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        webhooks.validate_url(url)
        return url
