from __future__ import annotations

from django import forms

from keepwell.core.forms import MultipleFileField


class RequestForm(forms.Form):
    name = forms.CharField(max_length=200, label="Your name")
    email = forms.EmailField(label="Your e-mail address")
    subject = forms.CharField(max_length=250, label="What is it about?")
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=50_000,
        label="How can we help?",
    )
    attachments = MultipleFileField(
        label="Attach files (optional)",
        help_text="Up to 10 files: documents, images, archives or text.",
    )
    # A field people never see; bots fill it in.
    website = forms.CharField(required=False, label="Leave this empty")


class LinkRequestForm(forms.Form):
    email = forms.EmailField(label="Your e-mail address")


class CustomerReplyForm(forms.Form):
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=50_000)
    attachments = MultipleFileField(label="Attach files (optional)")
