"""Running the command line in-process for the set questions' tests."""

from __future__ import annotations

from vpckit.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    """``vpckit ARGS``: the exit status, stdout and stderr."""
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err
