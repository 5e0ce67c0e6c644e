"""Entry point of the pre-commit hook: ``vpckit validate`` on each file pre-commit passes.

``python -m vpckit.precommit [validate options] FILE...`` validates every file with the same
options and exits with the worst status (2 bad input > 1 findings > 0).

>>> main([])
0
"""

from __future__ import annotations

import sys

__all__ = ["main"]

#: validate options that take a value (so the value is not mistaken for a file)
_WITH_VALUE = {"--format", "-f", "--fail-on", "--config", "--input-format", "--parameter", "-p", "--region"}


def main(argv: list[str] | None = None) -> int:
    """Validate each file; the exit status is the worst of the runs."""
    from .cli import main as cli_main

    args = list(sys.argv[1:] if argv is None else argv)
    options: list[str] = []
    files: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in _WITH_VALUE and index + 1 < len(args):
            options += [arg, args[index + 1]]
            index += 2
            continue
        (options if arg.startswith("-") else files).append(arg)
        index += 1
    worst = 0
    for file in files:
        status = cli_main(["validate", file, *options])
        worst = max(worst, status)
    return worst


if __name__ == "__main__":
    sys.exit(main())
