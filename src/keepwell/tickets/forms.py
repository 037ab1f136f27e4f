from __future__ import annotations

from datetime import datetime

from django import forms

from keepwell.commitments.forms import LocalDateTimeField
from keepwell.core.forms import MultipleFileField
from keepwell.customers.models import Channel, DetailLevel
from keepwell.offers.actions import DeclineChoice
from keepwell.tickets.models import Priority, Status


class ReplyForm(forms.Form):
    KIND_CHOICES = [("reply", "Reply to customer"), ("note", "Internal note")]
    NEXT_CHOICES = [
        (Status.OPEN, "Send"),
        (Status.WAITING, "Send, wait for customer"),
        (Status.RESOLVED, "Send and resolve"),
    ]
    kind = forms.ChoiceField(choices=KIND_CHOICES, initial="reply", widget=forms.RadioSelect)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 7}), max_length=100_000)
    next_status = forms.ChoiceField(choices=NEXT_CHOICES, required=False)
    seen_up_to = forms.IntegerField(widget=forms.HiddenInput, required=False)
    attachments = MultipleFileField(label="Attach files")
    coach_codes = forms.CharField(required=False, max_length=500)
    track_promise = forms.BooleanField(required=False)
    promise_what = forms.CharField(max_length=300, required=False)
    promise_due = LocalDateTimeField(required=False)
    decline_topic = forms.CharField(max_length=200, required=False)
    decline_alternative = forms.IntegerField(required=False)
    decline_partner = forms.IntegerField(required=False)

    def promise(self) -> tuple[str, datetime] | None:
        """The promise the agent chose to track with this reply, if any."""
        data = self.cleaned_data
        if data.get("track_promise") and data.get("promise_what") and data.get("promise_due"):
            return data["promise_what"], data["promise_due"]
        return None

    def decline(self) -> DeclineChoice | None:
        """The request this reply declines (filled in by the scope panel's draft), if any."""
        data = self.cleaned_data
        if not data.get("decline_topic"):
            return None
        return DeclineChoice(
            data["decline_topic"], data.get("decline_alternative"), data.get("decline_partner")
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Status.choices)


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(choices=Priority.choices, coerce=int)


class AssignForm(forms.Form):
    assignee = forms.IntegerField(required=False)


class TeamForm(forms.Form):
    team = forms.IntegerField(required=False)


class TagsForm(forms.Form):
    tags = forms.CharField(required=False, max_length=500, help_text="Separate tags with commas.")

    def names(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class PreferencesForm(forms.Form):
    detail_level = forms.ChoiceField(choices=DetailLevel.choices)
    preferred_channel = forms.ChoiceField(choices=Channel.choices)
    language = forms.CharField(max_length=16)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
