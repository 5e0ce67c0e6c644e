"""``python -m vpckit``: the command line, as the ``vpckit`` script runs it."""

from .cli import run

if __name__ == "__main__":
    run()
