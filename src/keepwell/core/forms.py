"""Form pieces shared by the agent desk and the portal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from keepwell.tickets.attachments import NewAttachment


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files and cleans to a list."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def to_new_attachments(files: list[UploadedFile]) -> list[NewAttachment]:
    """Read uploaded files into the domain's attachment type."""
    return [
        NewAttachment(
            filename=f.name or "attachment",
            content=f.read(),
            content_type=f.content_type or "",
        )
        for f in files
    ]
