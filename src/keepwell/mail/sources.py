"""Reading mail from files: .eml files, mbox files and Maildir folders, in constant memory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RawMail:
    origin: str  # where it came from, for messages to the person importing
    raw: bytes


def _is_maildir(path: Path) -> bool:
    return path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir()


def _looks_like_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def iter_mbox(path: Path) -> Iterator[RawMail]:
    """Messages of an mbox file, read line by line (never the whole file); '>From ' unquoted."""
    current: list[bytes] = []
    index = 0
    with path.open("rb") as handle:
        previous_blank = True
        for line in handle:
            if line.startswith(b"From ") and previous_blank:
                if current:
                    index += 1
                    yield RawMail(f"{path}#{index}", _mbox_message(current))
                current = []
            else:
                current.append(line)
            previous_blank = line in (b"\n", b"\r\n")
        if current:
            index += 1
            yield RawMail(f"{path}#{index}", _mbox_message(current))


def _mbox_message(lines: list[bytes]) -> bytes:
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]  # the separator line mbox adds before the next "From "
    out = []
    for line in lines:
        stripped = line.lstrip(b">")
        if stripped.startswith(b"From ") and len(stripped) < len(line):
            line = line[1:]
        out.append(line)
    return b"".join(out)


def iter_maildir(path: Path) -> Iterator[RawMail]:
    """Messages in a Maildir's new/ and cur/ folders, oldest file name first."""
    for sub in ("cur", "new"):
        folder = path / sub
        for name in sorted(os.listdir(folder)):
            file = folder / name
            if file.is_file():
                yield RawMail(str(file), file.read_bytes())


def iter_paths(paths: list[Path]) -> Iterator[RawMail]:
    """Every message under the given paths: files (.eml or mbox), Maildirs, folders of .eml."""
    for path in paths:
        if _is_maildir(path):
            yield from iter_maildir(path)
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in (".eml", ".msg", ".mbox", ".box"):
                    yield from iter_paths([child])
        elif path.suffix.lower() == ".mbox" or _looks_like_mbox(path):
            yield from iter_mbox(path)
        else:
            yield RawMail(str(path), path.read_bytes())


def total_bytes(paths: list[Path]) -> int:
    """Size of everything to import, for a progress bar."""
    total = 0
    for path in paths:
        if path.is_dir():
            total += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        elif path.exists():
            total += path.stat().st_size
    return total
