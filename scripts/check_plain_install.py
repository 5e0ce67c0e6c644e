"""Check the ``vpckit`` command of an installation: usage errors are one line and exit 2, diagrams render.

CI runs this in a virtual environment made by a plain ``pip install .`` (no extras), so a runtime
dependency that only a test extra brings in cannot hide; ``tests/test_cli.py`` runs the same table
in the test environment.

    python scripts/check_plain_install.py [--vpckit PATH]

Exit 0 when every case holds; otherwise each failure is printed and the exit status is 1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THREE_TIER = str(ROOT / "designs" / "three-tier.yaml")


@dataclass(frozen=True)
class Case:
    """A command line, its exit status, and text that its stderr must contain."""

    args: tuple[str, ...]
    status: int
    says: str


#: Usage errors: each names the option (or argument) and, where there are choices, the choices.
USAGE_CASES: tuple[Case, ...] = (
    Case((), 2, "Commands"),  # the help, as for `vpckit --help`
    Case(("validate",), 2, "vpckit validate: missing argument SOURCE"),
    Case(("diagram", THREE_TIER), 2, "vpckit diagram: missing option '--output' / '-o'"),
    Case(("validate", THREE_TIER, "--bogus"), 2, "vpckit validate: no such option: --bogus"),
    Case(("validate", THREE_TIER, "--fail-o", "error"), 2, "did you mean --fail-on?"),
    Case(("diagram", THREE_TIER, "-o", "x.svg", "--view", "subnet"), 2,
         "invalid value for '--view': 'subnet' is not one of 'auto', 'summary', 'detailed', 'subnets', 'vpcs', 'security-groups'; did you mean 'subnets'?"),
    Case(("rules", "--format", "xml"), 2, "vpckit rules: invalid value for '--format' / '-f': 'xml' is not one of 'text', 'json'"),
    Case(("nosuch",), 2, "no such command 'nosuch'"),
    Case(("reach", THREE_TIER, "--from", "app-1", "--to", "app-2", "--icmp-type", "abc"), 2,
         "invalid value for '--icmp-type'"),
    # values that parse but mean nothing, in the flags' own terms
    Case(("reach", THREE_TIER, "--from", "app-1", "--to", "app-2", "--port", "99999"), 2,
         "--port 99999: port 99999 is outside 0-65535"),
    Case(("reach", THREE_TIER, "--from", "app-1", "--to", "app-2", "--protocol", "icmp", "--port", "22"), 2,
         "--port does not apply to icmp: ICMP has no ports; give --icmp-type and --icmp-code instead"),
    Case(("reach", THREE_TIER, "--from", "app-1", "--to", "app-2"), 2, "tcp needs a port (e.g. --port 443"),
    Case(("reach", THREE_TIER, "--from", "app-11", "--to", "app-2", "--port", "22"), 2,
         "unknown endpoint 'app-11'"),
    Case(("reach", THREE_TIER, "--from", "app-11", "--to", "app-2", "--port", "22"), 2, "did you mean 'app-1'?"),
    Case(("diagram", THREE_TIER, "-o", "x.dot", "--path", "app-1 -> app-2 : 443"), 2,
         "for a port write \"app-1 -> app-2 : tcp/443\""),
    Case(("ports", THREE_TIER, "--from", "app1", "--to", "orders-db"), 2, "did you mean 'app-1'?"),
    Case(("ports", THREE_TIER, "--from", "app-1", "--to", "orders-db", "--protocol", "bogus"), 2,
         "--protocol: unknown protocol 'bogus'; expected one of tcp, udp, icmp, icmpv6, other"),
    Case(("ports", THREE_TIER, "--from", "app-1", "--to", "orders-db", "--client-ports", "5-3"), 2,
         "--client-ports '5-3': port range 5-3 is empty"),
    Case(("ports", THREE_TIER, "--from", "app-1"), 2, "give --from and --to, or --queries FILE"),
)


def run_case(vpckit: list[str], case: Case, cwd: str, env: dict[str, str] | None = None) -> str | None:
    """None when ``case`` holds for the ``vpckit`` command line, else what went wrong.

    >>> run_case([sys.executable, "-c", "import sys; sys.exit(2)"], Case((), 2, ""), ".")
    """
    done = subprocess.run([*vpckit, *case.args], capture_output=True, text=True, cwd=cwd, env=env, check=False)
    problems = []
    if done.returncode != case.status:
        problems.append(f"exit status {done.returncode}, expected {case.status}")
    if "Traceback" in done.stderr or "internal error" in done.stderr:
        problems.append("a traceback or an internal error")
    if case.says not in done.stderr + done.stdout:
        problems.append(f"no {case.says!r} in the output")
    if case.args and case.status == 2 and len(done.stderr.strip().splitlines()) != 1:
        problems.append(f"{len(done.stderr.strip().splitlines())} lines on stderr, expected one")
    if not problems:
        return None
    return f"vpckit {' '.join(case.args)}: {'; '.join(problems)}\n  stderr: {done.stderr.strip()}"


def diagram_without_system_graphviz(vpckit: list[str], folder: str) -> str | None:
    """None when ``vpckit diagram`` writes an SVG with only this environment's programs on PATH."""
    executable = Path(vpckit[0])
    env = dict(os.environ, PATH=str(executable.parent))  # hides /usr/bin/dot: the bundled renderer must do
    target = Path(folder) / "three-tier.svg"
    done = subprocess.run([*vpckit, "diagram", THREE_TIER, "-o", str(target)], capture_output=True, text=True,
                          env=env, check=False)
    if done.returncode != 0 or not target.is_file() or b"<svg" not in target.read_bytes():
        return f"vpckit diagram without a system Graphviz failed ({done.returncode}): {done.stderr.strip()}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vpckit", default=shutil.which("vpckit"), help="the vpckit program to check")
    options = parser.parse_args(argv)
    if not options.vpckit:
        print("check: no vpckit program on PATH", file=sys.stderr)
        return 1
    vpckit = [os.path.abspath(options.vpckit)]
    with tempfile.TemporaryDirectory() as folder:
        failures = [f for f in (run_case(vpckit, case, folder) for case in USAGE_CASES) if f]
        rendered = diagram_without_system_graphviz(vpckit, folder)
    failures += [rendered] if rendered else []
    for failure in failures:
        print(f"check: {failure}", file=sys.stderr)
    print(f"check: {len(USAGE_CASES) + 1 - len(failures)}/{len(USAGE_CASES) + 1} cases hold")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
