"""The command line: parse arguments, call the library, format, choose the exit code.

This is the only module that prints or exits.
"""

from __future__ import annotations

import difflib
import enum
import re
import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__
from .errors import InputError, VpckitError, one_line

app = typer.Typer(
    name="vpckit",
    help="Design, validate, troubleshoot and draw AWS VPC networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2

SourceArg = typer.Argument(..., help="A design file, an AWS snapshot directory, a Terraform plan/state or a CloudFormation template.")
InputFormatOpt = typer.Option(None, "--input-format", help="Force the input kind instead of detecting it.")
ParameterOpt = typer.Option([], "--parameter", "-p", help="CloudFormation parameter value K=V (repeatable).")
ForceOpt = typer.Option(False, "--force", help="Write --output even when it is one of this run's inputs.")
TemplateRegionOpt = typer.Option(None, "--region", help="Region of a CloudFormation template (AWS::Region, Fn::GetAZs) or Terraform plan (default: the plan's provider, else us-east-1).")


def _load(source: str, input_format: Optional[str], parameter: list[str], region: Optional[str]):
    """Read SOURCE with the reader options given on the command line."""
    from .sources import load

    parameters = {}
    for item in parameter:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise VpckitError(f"--parameter {item!r}: expected KEY=VALUE")
        parameters[key.strip()] = value
    design = load(source, input_format, parameters=parameters or None, region=region)
    for warning in design.source.warnings:  # what the reader could not resolve (never guessed)
        typer.echo(f"vpckit: warning: {warning}", err=True)
    return design


class FailOn(str, enum.Enum):
    error = "error"
    warning = "warning"
    info = "info"


class ValidateFormat(str, enum.Enum):
    text = "text"
    json = "json"


class ReportFormat(str, enum.Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"




def _emit(text: str, output: Optional[Path]) -> None:
    """Print ``text``, or write it to ``output`` atomically (a temporary file renamed over it)."""
    if output is None:
        typer.echo(text)
        return
    from .files import write_atomic

    write_atomic(output, (text + ("" if text.endswith("\n") else "\n")).encode("utf-8"))


def _text_width(output: Optional[Path] = None) -> Optional[int]:
    """The terminal's width when text goes to a terminal (or ``COLUMNS`` is set), else None: no wrapping.

    Text written to a file or a pipe keeps one finding per line, which editors and ``grep`` expect.
    """
    import os
    import shutil

    if output is None and (sys.stdout.isatty() or os.environ.get("COLUMNS", "").isdigit()):
        return shutil.get_terminal_size((100, 24)).columns
    return None


def _guard_output(output: Optional[Path], inputs: tuple, force: bool) -> None:
    """Refuse, before any work, an ``--output`` that would overwrite one of the run's inputs."""
    if output is not None and not force:
        from .files import refuse_input_overwrite

        refuse_input_overwrite(output, inputs)


@app.command()
def validate(
    source: str = SourceArg,
    format: str = typer.Option("text", "--format", "-f", help="Output format: text, json, sarif, junit or github."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report here instead of stdout."),
    force: bool = ForceOpt,
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="Lowest severity that makes the exit status 1."),
    config: Optional[Path] = typer.Option(None, "--config", help="vpckit.toml or pyproject.toml to use (default: found by walking up from SOURCE, then the working directory)."),
    expectations: Optional[Path] = typer.Option(None, "--expectations", help="A YAML/JSON list of reachability expectations to check as well (rule REACH001)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Text format: also name the equivalent checks of checkov, trivy, Security Hub..."),
    input_format: Optional[str] = InputFormatOpt,
    parameter: list[str] = ParameterOpt,
    region: Optional[str] = TemplateRegionOpt,
) -> None:
    """Check a network against AWS's rules; exit 1 when a finding is at or above --fail-on."""
    from .report.findings import findings_json, findings_text

    if format not in ReportFormat.__members__:
        raise VpckitError(f"unknown format {format!r}; expected one of {', '.join(ReportFormat.__members__)}")
    format = ReportFormat(format)
    _guard_output(output, (source, config, expectations), force)
    from .checks.validation import validate as run_validation

    design = _load(source, input_format, parameter, region)
    report = run_validation(design, config, expectations=expectations)
    for warning in report.warnings:
        typer.echo(f"vpckit: warning: {warning}", err=True)
    findings, ran = report.findings, report.rules
    if format is ReportFormat.json:
        _emit(findings_json(findings, source), output)
    elif format is ReportFormat.sarif:
        from .report.sarif import findings_sarif

        _emit(findings_sarif(findings, source, ran), output)
    elif format is ReportFormat.junit:
        from .report.junit import findings_junit

        _emit(findings_junit(findings, source, report.design, ran), output)
    elif format is ReportFormat.github:
        from .report.github import findings_github, findings_markdown

        _emit(findings_github(findings, source), output)
        _append_step_summary(findings_markdown(findings, source))
    else:
        _emit(findings_text(findings, source, width=_text_width(output), verbose=verbose), output)
    raise typer.Exit(EXIT_FINDINGS if report.failing(fail_on.value) else EXIT_OK)


def _append_step_summary(markdown: str) -> None:
    import os

    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary:
        return
    try:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
    except OSError as error:
        raise VpckitError(f"{summary}: cannot write the step summary: {error.strerror}") from None


@app.command("rules")
def list_rules(
    format: ValidateFormat = typer.Option(ValidateFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """List every validation rule: id, severity, title, AWS semantics reference and peers' ids."""
    from .checks import RULES, load_rules
    from .checks.registry import SEMANTICS_DOC, semantics_link
    import json

    load_rules()
    rules = sorted(RULES.values(), key=lambda r: r.id)
    if format is ValidateFormat.json:
        typer.echo(json.dumps([
            {"id": r.id, "severity": r.severity, "title": r.title, "semantics": list(r.semantics),
             "semantics_doc": {s: semantics_link(s) for s in r.semantics},
             "rationale": r.rationale, "fix": r.fix, "peers": {k: list(v) for k, v in r.peers.items()}}
            for r in rules
        ], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for column in ("id", "severity", "title", "semantics", "peers"):
        table.add_column(column, overflow="fold")
    for r in rules:
        peers = ", ".join(f"{k}: {'/'.join(v)}" for k, v in r.peers.items())
        table.add_row(r.id, r.severity, r.title, " ".join(r.semantics), peers)
    import io

    buffer = io.StringIO()
    # A pipe or a file gets one row per line at whatever width that takes; a terminal gets its width.
    Console(file=buffer, width=_text_width() or 400, color_system=None, soft_wrap=False).print(table)
    typer.echo("\n".join(line.rstrip() for line in buffer.getvalue().splitlines()))
    import textwrap

    footer = (f"semantics: what AWS does and where AWS documents it, one entry per id, in {SEMANTICS_DOC} "
              f"(e.g. {semantics_link('NACL-03')})")
    width = _text_width()
    typer.echo("\n" + (textwrap.fill(footer, width) if width else footer))


@app.command()
def snapshot(
    output: Path = typer.Option(..., "--output", "-o", help="A new (or empty) directory to write the snapshot to."),
    profile: Optional[str] = typer.Option(None, "--profile", help="AWS profile (default: the standard credential chain)."),
    region: list[str] = typer.Option([], "--region", "-r", help="Region to read (repeatable; `all`: every enabled region; default: the profile's)."),
    endpoint_url: Optional[str] = typer.Option(None, "--endpoint-url", help="Send every call here instead of AWS (moto, LocalStack)."),
    page_size: Optional[int] = typer.Option(None, "--page-size", min=1, help="Items per API page (default: each API's own)."),
    max_attempts: int = typer.Option(8, "--max-attempts", min=1, help="Attempts per call when AWS throttles or a request fails."),
) -> None:
    """Read a live AWS account's network (read-only describe calls) into DIR for offline analysis.

    Exit 2 when any call failed: the snapshot is then incomplete, and DIR/snapshot.json says which.
    """
    from .collect import MANIFEST, take_snapshot

    manifest = take_snapshot(output, region, profile=profile, endpoint_url=endpoint_url,
                             page_size=page_size, max_attempts=max_attempts)
    where = output / MANIFEST
    if manifest.complete:
        typer.echo(f"snapshot of account {manifest.account} ({', '.join(manifest.regions_collected)}): "
                   f"{len(manifest.calls)} calls, all succeeded; written to {output}")
        raise typer.Exit(EXIT_OK)
    for failure in manifest.failed:
        typer.echo(f"vpckit: {failure}", err=True)
    if manifest.not_attempted:
        typer.echo(f"vpckit: {len(manifest.not_attempted)} calls were not attempted because of the failures above", err=True)
    typer.echo(f"vpckit: the snapshot is INCOMPLETE; {where} records what failed", err=True)
    raise typer.Exit(EXIT_INPUT)


@app.command("import")
def import_design(
    source: str = SourceArg,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the design here instead of stdout."),
    force: bool = ForceOpt,
    input_format: Optional[str] = InputFormatOpt,
    parameter: list[str] = ParameterOpt,
    region: Optional[str] = TemplateRegionOpt,
) -> None:
    """Write any input vpckit reads as a native design file (YAML), keeping AWS ids and Name tags."""
    from .sources.writer import dump

    _guard_output(output, (source,), force)
    _emit(dump(_load(source, input_format, parameter, region), source=source), output)


@app.command()
def reach(
    source: str = SourceArg,
    from_: Optional[str] = typer.Option(None, "--from", help="Source: a name, vpc/name, AWS id, IP address or 'internet'."),
    to: Optional[str] = typer.Option(None, "--to", help="Destination: a name, vpc/name, AWS id, IP address or 'internet'."),
    protocol: str = typer.Option("tcp", "--protocol", help="tcp, udp, icmp, icmpv6, all, or an IP protocol number."),
    port: Optional[str] = typer.Option(None, "--port", help="Destination port or range lo-hi (tcp/udp)."),
    icmp_type: Optional[int] = typer.Option(None, "--icmp-type", help="ICMP type (default 8, echo request)."),
    icmp_code: Optional[int] = typer.Option(None, "--icmp-code", help="ICMP code (default 0)."),
    client_ports: Optional[str] = typer.Option(None, "--client-ports", help="The client's source ports lo-hi (default by client type)."),
    queries: Optional[Path] = typer.Option(None, "--queries", help="A YAML/JSON list of queries (keys as in expectations)."),
    format: ValidateFormat = typer.Option(ValidateFormat.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the answer here instead of stdout."),
    force: bool = ForceOpt,
    input_format: Optional[str] = InputFormatOpt,
    parameter: list[str] = ParameterOpt,
    region: Optional[str] = TemplateRegionOpt,
) -> None:
    """Can A reach B? Forward and return hops, and every blocking setting with a fix.

    Exit 0 when answered (whatever the verdict), 1 when a query's `expect` disagrees, 2 on bad input.
    """
    from .errors import QueryError
    from .network import build_network
    from .reach import answer, parse_query
    from .reach.query import FLAG_LABELS
    from .reach.report import answer_text, answers_json, answers_json_chunks

    if queries is None and (from_ is None or to is None):
        raise VpckitError("give --from and --to, or --queries FILE")
    _guard_output(output, (source, queries), force)
    design = _load(source, input_format, parameter, region)
    network = build_network(design)
    if queries is None:
        data: dict = {"from": from_, "to": to, "protocol": protocol}
        for key, value in (("port", port), ("icmp_type", icmp_type), ("icmp_code", icmp_code),
                           ("client_ports", client_ports)):
            if value is not None:
                data[key] = value
        result = answer(network, parse_query(data, FLAG_LABELS))
        import json

        _emit(json.dumps(result.to_dict(), indent=2) if format is ValidateFormat.json
              else answer_text(result, width=_text_width(output) or 160), output)
        raise typer.Exit(EXIT_OK)
    status = EXIT_OK
    as_json = format is ValidateFormat.json
    width = _text_width(output) or 160

    def answered():
        """Each query's answer as it is computed: a JSON entry, or the text (rendered only for text output)."""
        nonlocal status
        for raw, where in _read_query_entries(queries, "from, to, protocol, port"):
            try:
                result = answer(network, parse_query(raw))
            except QueryError as error:
                status = EXIT_INPUT
                typer.echo(f"{where}: {one_line(str(error))}", err=True)
                yield {"query": raw, "error": f"{where}: {error}"} if as_json else f"{where}: error: {error}"
                continue
            if result.disagrees and status == EXIT_OK:
                status = EXIT_FINDINGS
            yield result.to_dict() if as_json else answer_text(result, width=width)

    if as_json and output is None:  # streamed: each answer is printed as soon as it is known
        for chunk in answers_json_chunks(answered()):
            sys.stdout.write(chunk)
            sys.stdout.flush()
        sys.stdout.write("\n")
    else:
        items = list(answered())
        _emit(answers_json(items) if as_json else "\n\n".join(items), output)
    raise typer.Exit(status)


@app.command()
def ports(
    source: str = SourceArg,
    from_: Optional[str] = typer.Option(None, "--from", help="Source: a name, vpc/name, AWS id, IP address or 'internet'."),
    to: Optional[str] = typer.Option(None, "--to", help="Destination: a name, vpc/name, AWS id, IP address or 'internet'."),
    protocol: Optional[list[str]] = typer.Option(None, "--protocol", help="Only these protocols (repeatable or comma-separated): tcp, udp, icmp, icmpv6, other, or an IP protocol number."),
    client_ports: Optional[str] = typer.Option(None, "--client-ports", help="The client's source ports lo-hi (default by client type)."),
    queries: Optional[Path] = typer.Option(None, "--queries", help="A YAML/JSON list of {from, to, protocol?, client_ports?}."),
    format: ValidateFormat = typer.Option(ValidateFormat.text, "--format", "-f", help="Output format."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Text format: each blocker's message and fix."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the answer here instead of stdout."),
    force: bool = ForceOpt,
    input_format: Optional[str] = InputFormatOpt,
    parameter: list[str] = ParameterOpt,
    region: Optional[str] = TemplateRegionOpt,
) -> None:
    """Every protocol and port on which A can reach B, and what closes the rest.

    Exit 0 when answered, 2 on bad input (a query file's other entries are still answered).
    """
    import json

    from .errors import QueryError
    from .flows import ports as flow_ports
    from .network import build_network
    from .report.ports import ports_dict, ports_text

    if queries is None and (from_ is None or to is None):
        raise VpckitError("give --from and --to, or --queries FILE")
    _guard_output(output, (source, queries), force)
    design = _load(source, input_format, parameter, region)
    network = build_network(design)
    width = _text_width(output) or 160

    def ask(src, dst, protocols, clients):
        return flow_ports(network, src, dst, protocols=_split(protocols), client_ports=clients)

    if queries is None:
        try:
            result = ask(from_, to, protocol, client_ports)
        except QueryError as error:
            raise VpckitError(_flagged(str(error))) from None
        _emit(json.dumps(ports_dict(result), indent=2) if format is ValidateFormat.json
              else ports_text(result, width=width, verbose=verbose), output)
        raise typer.Exit(EXIT_OK)
    items, texts, status = [], [], EXIT_OK
    for raw, where in _read_query_entries(queries):
        try:
            if not isinstance(raw, dict):
                raise QueryError(f"expected a mapping with from, to, protocol?, client_ports?, got {type(raw).__name__}")
            unknown = set(raw) - {"from", "to", "protocol", "client_ports", "name"}
            if unknown or "from" not in raw or "to" not in raw:
                raise QueryError(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; expected from, to, protocol, "
                                 "client_ports" if unknown else "a ports query needs 'from' and 'to'")
            wanted = raw.get("protocol")
            result = ask(str(raw["from"]), str(raw["to"]), None if wanted is None else [str(wanted)],
                         None if raw.get("client_ports") is None else str(raw["client_ports"]))
        except (QueryError, VpckitError) as error:
            typer.echo(f"{where}: {one_line(str(error))}", err=True)
            items.append({"query": raw, "error": f"{where}: {error}"})
            texts.append(f"{where}: error: {error}")
            status = EXIT_INPUT
            continue
        if format is ValidateFormat.json:  # text is rendered only when it is printed
            items.append({"query": raw, **ports_dict(result)})
        else:
            texts.append(ports_text(result, width=width, verbose=verbose))
    _emit(json.dumps(items, indent=2) if format is ValidateFormat.json else "\n\n".join(texts), output)
    raise typer.Exit(status)


class ExposureFormat(str, enum.Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def exposure(
    source: str = SourceArg,
    from_: Optional[str] = typer.Option(None, "--from", help="internet (default), internet6, on-prem, a CIDR, or a name: what it reaches."),
    to: Optional[str] = typer.Option(None, "--to", help="A name or address of the network: everyone who reaches it."),
    format: ExposureFormat = typer.Option(ExposureFormat.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the answer here instead of stdout."),
    force: bool = ForceOpt,
    input_format: Optional[str] = InputFormatOpt,
    parameter: list[str] = ParameterOpt,
    region: Optional[str] = TemplateRegionOpt,
) -> None:
    """Everything the internet (or --from X) can reach, or everyone who can reach --to B.

    Exit 0 when answered, 2 on bad input.
    """
    import json

    from .errors import QueryError
    from .flows import exposure as flow_exposure
    from .network import build_network
    from .report.exposure import exposure_dict, exposure_markdown, exposure_text

    _guard_output(output, (source,), force)
    network = build_network(_load(source, input_format, parameter, region))
    with _progress(format is ExposureFormat.text and output is None) as progress:
        try:
            result = flow_exposure(network, sources=from_, to=to, progress=progress)
        except QueryError as error:
            message = str(error)
            if to is not None and message.startswith("unknown endpoint"):
                message = f"--to: {message}"
            elif from_ is not None and message.startswith("unknown endpoint"):
                message = f"--from: {message}"
            raise VpckitError(message) from None
    if format is ExposureFormat.json:
        _emit(json.dumps(exposure_dict(result), indent=2), output)
    elif format is ExposureFormat.markdown:
        _emit(exposure_markdown(result), output)
    else:
        _emit(exposure_text(result, width=_text_width(output) or 160), output)
    raise typer.Exit(EXIT_OK)


class MatrixFormat(str, enum.Enum):
    text = "text"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class MatrixUnit(str, enum.Enum):
    interface = "interface"
    subnet = "subnet"
    tier = "tier"
    security_group = "security-group"
    vpc = "vpc"


@app.command()
def matrix(
    source: str = SourceArg,
    by: MatrixUnit = typer.Option(MatrixUnit.interface, "--by", help="Rows and columns: interfaces, subnets, tiers, security groups or VPCs."),
    protocol: Optional[list[str]] = typer.Option(None, "--protocol", help="Only these protocols (repeatable or comma-separated): tcp, udp, icmp, icmpv6, other, or a number."),
    format: MatrixFormat = typer.Option(MatrixFormat.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the answer here (FILE.svg/png/pdf: the heatmap)."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Processes sharing the work (default: all cores)."),
    force: bool = ForceOpt,
    input_format: Optional[str] = InputFormatOpt,
    parameter: list[str] = ParameterOpt,
    region: Optional[str] = TemplateRegionOpt,
) -> None:
    """Who reaches whom, on which ports: the all-pairs matrix of interfaces, subnets, tiers, groups or VPCs.

    Exit 0 when answered, 2 on bad input.
    """
    import json

    from .errors import QueryError
    from .flows import matrix as flow_matrix
    from .network import build_network
    from .report.matrix import matrix_csv, matrix_dict, matrix_markdown, matrix_text

    picture = output is not None and output.suffix.lower() in (".svg", ".png", ".pdf")
    _guard_output(output, (source,), force)
    network = build_network(_load(source, input_format, parameter, region))
    with _progress(format is MatrixFormat.text and output is None) as progress:
        try:
            import os

            workers = jobs if jobs is not None else (os.cpu_count() or 1)
            result = flow_matrix(network, by=by.value, protocols=_split(protocol), progress=progress, jobs=workers)
        except QueryError as error:
            raise VpckitError(_flagged(str(error))) from None
    if picture:
        from .files import write_atomic
        from .render.heatmap import matrix_heatmap

        write_atomic(output, matrix_heatmap(result, output))
        raise typer.Exit(EXIT_OK)
    if format is MatrixFormat.json:
        _emit(json.dumps(matrix_dict(result), indent=2), output)
    elif format is MatrixFormat.csv:
        _emit(matrix_csv(result), output)
    elif format is MatrixFormat.markdown:
        _emit(matrix_markdown(result), output)
    else:
        _emit(matrix_text(result, width=_text_width(output) or 160), output)
    raise typer.Exit(EXIT_OK)


class DiffFormat(str, enum.Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"
    sarif = "sarif"


class DiffFailOn(str, enum.Enum):
    opened = "opened"
    closed = "closed"
    internet = "internet"
    any = "any"


@app.command()
def diff(
    old: str = typer.Argument(..., help="The network before the change: any input vpckit reads."),
    new: str = typer.Argument(..., help="The network after the change: any input vpckit reads."),
    from_: Optional[str] = typer.Option(None, "--from", help="Only flows from this: internet, on-prem, or a name."),
    to: Optional[str] = typer.Option(None, "--to", help="Only flows to this: internet, on-prem, or a name."),
    format: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", help="Output format."),
    fail_on: Optional[DiffFailOn] = typer.Option(None, "--fail-on", help="Exit 1 when a change of this kind exists (internet: newly reachable from the internet)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the answer here instead of stdout."),
    force: bool = ForceOpt,
    input_format: Optional[str] = InputFormatOpt,
    parameter: list[str] = ParameterOpt,
    region: Optional[str] = TemplateRegionOpt,
) -> None:
    """What NEW opens or closes compared with OLD, and the settings that made each difference.

    Exit 0 when answered (and nothing matches --fail-on), 1 when a change of the --fail-on kind
    exists, 2 on bad input.
    """
    import json

    from .errors import QueryError
    from .flows.diff import diff as flow_diff
    from .network import build_network
    from .report.diff import diff_dict, diff_github, diff_markdown, diff_sarif, diff_text

    _guard_output(output, (old, new), force)
    networks = []
    for label, path in (("OLD", old), ("NEW", new)):
        try:
            networks.append(build_network(_load(path, input_format, parameter, region)))
        except VpckitError as error:
            raise VpckitError(f"{label} {error}" if not str(error).startswith(path) else str(error)) from None
    with _progress(format is DiffFormat.text and output is None) as progress:
        try:
            result = flow_diff(networks[0], networks[1], sources=from_, to=to, progress=progress)
        except QueryError as error:
            raise VpckitError(_flagged(str(error))) from None
    result.old, result.new = old, new
    if format is DiffFormat.json:
        _emit(json.dumps(diff_dict(result), indent=2), output)
    elif format is DiffFormat.markdown:
        _emit(diff_markdown(result), output)
    elif format is DiffFormat.github:
        _emit(diff_github(result), output)
    elif format is DiffFormat.sarif:
        _emit(diff_sarif(result), output)
    else:
        _emit(diff_text(result), output)
    raise typer.Exit(EXIT_FINDINGS if fail_on is not None and result.fails(fail_on.value) else EXIT_OK)


class _progress:
    """A rich progress bar on stderr for runs longer than a second, when stderr is a terminal."""

    def __init__(self, wanted: bool) -> None:
        self.wanted = wanted and sys.stderr.isatty()
        self.bar = None
        self.task = None
        self.started = 0.0

    def __enter__(self):
        import time

        self.started = time.monotonic()
        return self if self.wanted else None

    def __call__(self, done: int, total: int) -> None:
        import time

        if self.bar is None and time.monotonic() - self.started > 1.0:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("asking pairs", total=total)
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def _split(values: Optional[list[str]]) -> Optional[list[str]]:
    """``--protocol tcp,udp --protocol icmp`` -> ``['tcp', 'udp', 'icmp']``."""
    if not values:
        return None
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


def _flagged(message: str) -> str:
    """A library message in the command line's terms."""
    message = re.sub(r"^unknown protocol ", "--protocol: unknown protocol ", message)
    return re.sub(r"^client ports ", "--client-ports ", message)


def _read_query_entries(path: Path, keys: str = "from, to") -> list[tuple[object, str]]:
    """The entries of a query file, each with its ``file:line:col``."""
    from .sources.queries import read_query_entries

    return [(entry.value, str(entry.position)) for entry in read_query_entries(str(path), keys)]


class DiagramRenderer(str, enum.Enum):
    dot = "dot"
    pure = "pure"


class DiagramView(str, enum.Enum):
    auto = "auto"
    summary = "summary"
    detailed = "detailed"
    subnets = "subnets"
    vpcs = "vpcs"
    security_groups = "security-groups"


@app.command()
def diagram(
    source: str = SourceArg,
    output: Path = typer.Option(..., "--output", "-o", help="FILE.svg, FILE.png, FILE.pdf, FILE.dot or FILE.html (interactive: pan, zoom, search, details; the suffix picks the format)."),
    force: bool = ForceOpt,
    view: DiagramView = typer.Option(DiagramView.auto, "--view", help="auto (default): detailed, or summary when there are too many subnets for a page; detailed: everything; subnets: subnets and gateways; vpcs: one box per VPC; security-groups: groups around their members, inbound rules as edges; summary: each AZ's subnets by tier."),
    path: Optional[str] = typer.Option(None, "--path", help='Draw a reachability answer: "FROM -> TO : PROTO/PORT".'),
    renderer: Optional[DiagramRenderer] = typer.Option(None, "--renderer", help="dot (Graphviz) or pure (graphviz-pure); default: dot when installed, else pure. Name one for byte-identical output across machines."),
    timeout: float = typer.Option(120.0, "--timeout", min=1, help="Seconds the layout may take before it is stopped."),
    input_format: Optional[str] = InputFormatOpt,
    parameter: list[str] = ParameterOpt,
    region: Optional[str] = TemplateRegionOpt,
) -> None:
    """Draw an architecture diagram: region > VPC > AZ > subnet > resources, optionally with a path."""
    from .render import draw, find_renderer, format_of, path_answer

    fmt = format_of(output)  # an unknown extension is a usage error before the source is read
    if renderer is not None and fmt != "dot":
        find_renderer(fmt, prefer=renderer.value)  # a renderer that is missing or cannot write fmt: say so first
    _guard_output(output, (source,), force)
    design = _load(source, input_format, parameter, region)
    network, answer = path_answer(design, path) if path else (None, None)
    chosen = view.value
    if view is DiagramView.auto:
        from .render.summary import SUMMARY_FROM

        subnets = sum(len(vpc.subnets) for vpc in design.vpcs.values())
        chosen = "summary" if subnets >= SUMMARY_FROM and path is None else "detailed"
        if chosen == "summary":
            typer.echo(f"vpckit: {subnets} subnets are more than a page shows: drawing the summary view "
                       "(each AZ's subnets by tier); --view detailed draws every subnet", err=True)
    fmt = draw(design, output, chosen, network=network, answer=answer,
               renderer=renderer.value if renderer is not None else None, timeout=timeout)
    typer.echo(f"{fmt} diagram ({chosen} view) written to {output}", err=True)


@app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    if version:
        typer.echo(f"vpckit {__version__}")
        raise typer.Exit(0)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``vpckit`` command; returns the exit status.

    >>> main(["--version"])
    vpckit 0.1.0
    0
    """
    try:
        # Outside standalone mode click returns the status of a `typer.Exit` instead of raising it.
        status = _command().main(args=argv, prog_name="vpckit", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except InputError as error:
        typer.echo(error.render(), err=True)  # already `file:line:col: message`
        return EXIT_INPUT
    except VpckitError as error:
        typer.echo(f"vpckit: {one_line(str(error))}", err=True)
        return EXIT_INPUT
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("vpckit: interrupted", err=True)
        return 130
    except Exception as error:  # noqa: BLE001 - the contract is: never a traceback
        usage = _usage_error(error)
        if usage is not None:
            if usage:  # empty when click has already shown the help (`vpckit` alone)
                typer.echo(usage, err=True)
            return EXIT_INPUT
        typer.echo(f"vpckit: internal error: {type(error).__name__}: {one_line(str(error))}", err=True)
        typer.echo("vpckit: this is a bug in vpckit, not in your input's format: please report it with the command "
                   f"line, `vpckit --version` ({__version__}) and, if you can share it, the input (or the smallest part "
                   "of it that still shows the error)", err=True)
        return EXIT_INPUT
    return status if isinstance(status, int) else EXIT_OK


def _command():
    """The click command of ``app``, its help written for people: ``SOURCE`` rather than ``{source} <str>``,
    ``FORMAT`` or the choices rather than ``<str>``, and no ``<bool>`` after a flag."""
    import typer.main

    command = typer.main.get_command(app)
    for sub in [command, *getattr(command, "commands", {}).values()]:
        for param in sub.params:
            _readable(param)
        sub.get_help_option = _help_option_of(sub.get_help_option)
    return command


def _help_option_of(make):  # type: ignore[no-untyped-def]
    """click makes ``--help`` per run: give it the same treatment as the other flags."""
    def help_option(ctx):  # type: ignore[no-untyped-def]
        option = make(ctx)
        if option is not None:
            option.metavar = ""
        return option
    return help_option


def _readable(param) -> None:  # type: ignore[no-untyped-def]
    """Give ``param`` (a typer argument or option) a metavar a person reads."""
    if param.param_type_name == "argument":
        name = param.metavar or param.name.upper()
        param.metavar = name
        shown = name if param.required else f"[{name}]"
        param._usage_display_name = lambda: shown + ("..." if param.nargs != 1 else "")
        param.display_type_rich = lambda ctx: None  # the name says what it is; no "<str>" beside it
        return
    if param.metavar is not None:
        return
    # typer's own click (0.2x) describes a type with ``type_descriptor``, the click package with ``type``
    descriptor = getattr(param, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    if (getattr(param, "is_flag", False) or getattr(param, "is_bool_flag", False) or annotation is bool
            or param.name in ("help", "version")):
        param.metavar = ""
        return
    choices = (descriptor.choices if getattr(descriptor, "is_choice", False) else None) or \
        getattr(getattr(param, "type", None), "choices", None)
    if choices:
        param.metavar = "|".join(str(getattr(c, "value", c)) for c in choices)
        return
    long = max(param.opts, key=len).lstrip("-")
    if "directory" in (param.help or ""):
        param.metavar = "DIR"
        return
    param.metavar = {"output": "FILE", "config": "FILE", "expectations": "FILE", "queries": "FILE",
                     "parameter": "KEY=VALUE", "from": "NAME", "to": "NAME", "client-ports": "LO-HI",
                     "icmp-type": "NUMBER", "icmp-code": "NUMBER", "input-format": "KIND",
                     "timeout": "SECONDS", "jobs": "N", "page-size": "N", "max-attempts": "N",
                     "endpoint-url": "URL"}.get(long, long.upper().replace("-", "_"))


def _is_click_error(error: BaseException) -> bool:
    """Whether ``error`` is click's usage exception, whichever click is in use.

    typer ships its own copy of click (``typer._click``) since 0.2x and used the ``click`` package
    before, so the class is recognised by name rather than imported from either.
    """
    return any(cls.__name__ == "ClickException" for cls in type(error).__mro__) and hasattr(error, "format_message")


def _usage_error(error: BaseException) -> str | None:
    """One line for a usage error (naming the option and the valid choices), or None if it is not one.

    >>> try:
    ...     app(args=["rules", "--format", "xml"], standalone_mode=False)
    ... except Exception as error:
    ...     print(_usage_error(error))
    vpckit rules: invalid value for '--format' / '-f': 'xml' is not one of 'text', 'json' (see 'vpckit rules --help')
    """
    if not _is_click_error(error):
        return None
    if type(error).__name__ == "NoArgsIsHelpError":
        return ""
    message = error.format_message().strip()
    message = message.replace("Value error, ", "")  # pydantic-style prefix of typer's enum coercion
    message = _plain_words(message)
    message = re.sub(r"Missing argument '(\w+)'", lambda m: f"missing argument {m.group(1).upper()}", message)
    message = re.sub(r" \(Possible options: ([^)]*)\)", r"; did you mean \1?", message.rstrip("."))
    message = message[:1].lower() + message[1:]
    param = getattr(error, "param", None)
    given = _bad_value(message)
    choices = list(getattr(getattr(param, "type", None), "choices", None) or _quoted_choices(message))
    if given is not None and choices:
        close = difflib.get_close_matches(given, [str(c) for c in choices], n=1, cutoff=0.6)
        if close:
            message += f"; did you mean {close[0]!r}?"
    ctx = getattr(error, "ctx", None)
    command = _command_path(ctx)
    return f"{command}: {message} (see '{command} --help')"


#: typer converts option values with pydantic, whose messages name Python's types: the words a person reads.
_PYDANTIC_WORDS = (
    (r"Input should be a valid integer[^;(]*", "expected a whole number"),
    (r"Input should be a valid number[^;(]*", "expected a number"),
    (r"Input should be a valid boolean[^;(]*", "expected true or false"),
    (r"Input should be greater than or equal to (\S+)", r"expected \1 or more"),
    (r"Input should be less than or equal to (\S+)", r"expected \1 or less"),
    (r"Input should be (?:a valid )?", "expected "),
)


def _plain_words(message: str) -> str:
    """A usage message without pydantic's wording.

    >>> _plain_words("invalid value for '--jobs': Input should be a valid integer, unable to parse string as an integer")
    "invalid value for '--jobs': expected a whole number"
    """
    for pattern, words in _PYDANTIC_WORDS:
        message = re.sub(pattern, words, message)
    return message.rstrip(", ")


def _bad_value(message: str) -> str | None:
    found = re.search(r": '([^']*)' is not one of", message)
    return found.group(1) if found else None


def _quoted_choices(message: str) -> list[str]:
    tail = message.partition(" is not one of ")[2]
    return re.findall(r"'([^']*)'", tail)


def _command_path(ctx) -> str:
    """``vpckit diagram`` for a context of the ``diagram`` command (click names the root after argv[0])."""
    names = []
    while ctx is not None and ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(["vpckit", *reversed([n for n in names if n])])


def run() -> None:
    """Console-script wrapper that exits with :func:`main`'s status."""
    sys.exit(main())
