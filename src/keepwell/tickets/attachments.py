"""Checking and storing attachments: size-limited, typed, addressed by checksum."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from keepwell.core.errors import InvalidInput
from keepwell.tickets.models import Attachment, Message

# What customers may upload through the web: documents, images, archives, text.
# Mail can bring any type; it is stored as it came and always served as a download.
PORTAL_EXTENSIONS = frozenset(
    [
        ".pdf",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".heic",
        ".txt",
        ".csv",
        ".log",
        ".json",
        ".xml",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".ppt",
        ".pptx",
        ".odt",
        ".ods",
        ".odp",
        ".rtf",
        ".zip",
        ".eml",
        ".mp4",
        ".mov",
        ".mp3",
        ".wav",
    ]
)
MAX_FILES = 10


@dataclass(frozen=True)
class NewAttachment:
    """An attachment on its way in, independent of where it came from (form, mail, API)."""

    filename: str
    content: bytes
    content_type: str = ""
    content_id: str = ""
    inline: bool = False

    @property
    def size(self) -> int:
        return len(self.content)


def clean_filename(name: str) -> str:
    """Keep only the final path component and printable characters of a sender's file name."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return cleaned[:200] or "attachment"


def check_uploads(files: Sequence[NewAttachment], *, restrict_types: bool) -> None:
    """Raise InvalidInput, naming the file, when an upload is too large or of a refused type."""
    limit: int = settings.KEEPWELL.max_upload_bytes
    if len(files) > MAX_FILES:
        raise InvalidInput(f"Attach at most {MAX_FILES} files.", field="attachments")
    total = 0
    for item in files:
        total += item.size
        if item.size > limit:
            raise InvalidInput(
                f"{item.filename} is {item.size / 1048576:.1f} MB; the limit is "
                f"{limit // 1048576} MB per file.",
                field="attachments",
            )
        if restrict_types:
            suffix = PurePosixPath(item.filename.lower()).suffix
            if suffix not in PORTAL_EXTENSIONS:
                raise InvalidInput(
                    f"{item.filename}: files of type {suffix or '(none)'} cannot be attached. "
                    "Documents, images, archives and text files are fine.",
                    field="attachments",
                )
    if total > limit * 2:
        raise InvalidInput(
            f"Together the files are too large (limit {2 * limit // 1048576} MB).",
            field="attachments",
        )


def store_attachments(message: Message, files: Iterable[NewAttachment]) -> list[Attachment]:
    """Save files under their checksum and link them to the message."""
    stored = []
    for item in files:
        digest = hashlib.sha256(item.content).hexdigest()
        filename = clean_filename(item.filename)
        content_type = (
            item.content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        )
        attachment = Attachment(
            message=message,
            filename=filename,
            content_type=content_type[:120],
            size=item.size,
            sha256=digest,
            content_id=item.content_id,
            inline=item.inline,
        )
        path = f"attachments/{digest[:2]}/{digest}"
        # Content-addressed: the same file sent twice is stored once.
        if default_storage.exists(path):
            attachment.file.name = path
        else:
            attachment.file.save(filename, ContentFile(item.content), save=False)
        attachment.save()
        stored.append(attachment)
    return stored
