"""Figures tests measure (pass rates on shared corpora), printed at the end of every run."""

LINES: list[str] = []


def report(line: str) -> None:
    """Show a line in the run's final summary, whether or not output is captured."""
    LINES.append(line)
