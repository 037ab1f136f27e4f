from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone


class LocalDateTimeField(forms.DateTimeField):
    """A datetime typed in the agent's own time zone (the active one)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def to_python(self, value: Any) -> datetime | None:
        result = super().to_python(value)
        if result is not None and timezone.is_naive(result):
            result = result.replace(tzinfo=ZoneInfo(str(timezone.get_current_timezone())))
        return result


class CommitmentForm(forms.Form):
    what = forms.CharField(max_length=300, label="What was promised")
    due_at = LocalDateTimeField(label="By when")
    conditions = forms.CharField(max_length=300, required=False, label="Under what circumstances")
    visible_to_customer = forms.BooleanField(
        required=False, initial=True, label="The customer sees it"
    )


class BreakForm(forms.Form):
    reason = forms.CharField(max_length=500)


class RenegotiateForm(forms.Form):
    new_due = LocalDateTimeField(label="New time")
    reason = forms.CharField(max_length=500, label="Why it has to change")
    message_to_customer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, label="Message to the customer"
    )


class SelfCareForm(forms.Form):
    what = forms.CharField(max_length=300, label="What you promise yourself")
    due_at = LocalDateTimeField(label="By when")
