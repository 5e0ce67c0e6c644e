"""Validation settings: which rules run, at which severity, with which port lists and suppressions.

Read from ``vpckit.toml`` (keys at the top level) or from ``[tool.vpckit]`` in ``pyproject.toml``,
found by walking up from the design file's folder and then from the working directory, or given
with ``--config FILE``::

    disable = ["SG008"]                     # rule ids or globs (SG00*)
    enable = ["*"]                          # optional allow-list; every rule when omitted
    high_risk_ports = "securityhub-ec2.19"  # a profile name (see PORT_PROFILES) or a list of ports
    authorized_ports = [80, 443]            # ports that may be open to the world (SG003, EC2.18)
    admin_ports = [22, 3389]                # remote administration ports (SG010)
    wide_prefix_ipv4 = 8                    # /8 of public addresses or more counts as "the world"
    wide_prefix_ipv6 = 32
    max_port_range = 100                    # SG010: wider inbound ranges are reported
    ephemeral_ports = "1024-65535"          # NACL006: client ports replies must be allowed to
    ipv6_vpc_prefixes = [56]                # VPC001: IPv6 prefix lengths accepted (IPAM/BYOIP allow others)
    ipv6_subnet_prefixes = [64]

    [severity]                              # per-rule severity overrides
    SG006 = "info"

    [[suppress]]                            # accepted findings; reason is mandatory
    rule = "SG001"
    resource = "vpcs/prod/security_groups/bastion"
    reason = "reachable only through the corporate VPN"

Errors are :class:`~vpckit.errors.InputError` with ``file:line:col``.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any, Iterable

from .errors import InputError
from .model import Design, Position, Suppression
from .model.design import as_written

__all__ = [
    "PORT_PROFILES", "Config", "load_config", "find_config", "parse_config", "apply_config",
    "suppression_for", "check_suppressions", "suppression_matches", "suppress_entries", "inline_suppressions",
]

#: Named high-risk port lists. ``securityhub-ec2.19`` is the list of Security Hub control EC2.19
#: ("Security groups should not allow unrestricted access to ports with high risk");
#: ``aws-config-restricted-common-ports`` the defaults of the AWS Config rule
#: ``restricted-common-ports``; ``cis`` the remote administration ports of CIS AWS Foundations
#: 5.2/5.3; ``prowler`` prowler's ``ec2_high_risk_ports``.
PORT_PROFILES: dict[str, tuple[int, ...]] = {
    "securityhub-ec2.19": (20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432,
                           5500, 5601, 8080, 8088, 8888, 9200, 9300),
    "aws-config-restricted-common-ports": (20, 21, 3389, 3306, 4333),
    "cis": (22, 3389),
    "prowler": (25, 110, 135, 143, 445, 3000, 4333, 5000, 5500, 8080, 8088),
}

_KEYS = {
    "enable", "disable", "severity", "high_risk_ports", "authorized_ports", "admin_ports", "wide_prefix_ipv4",
    "wide_prefix_ipv6", "max_port_range", "ephemeral_ports", "suppress", "ipv6_vpc_prefixes", "ipv6_subnet_prefixes",
}
_SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Config:
    """Validation settings; the defaults are what ``vpckit validate`` uses without a config file.

    >>> Config().high_risk_ports[:3], Config().is_enabled("SG001")
    ((20, 21, 22), True)
    >>> Config(disable=("SG00*",)).is_enabled("SG001")
    False
    """

    enable: tuple[str, ...] = ("*",)
    disable: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    high_risk_profile: str = "securityhub-ec2.19"
    high_risk_ports: tuple[int, ...] = PORT_PROFILES["securityhub-ec2.19"]
    authorized_ports: tuple[int, ...] = (80, 443)
    admin_ports: tuple[int, ...] = (22, 3389)
    wide_prefix_ipv4: int = 8
    wide_prefix_ipv6: int = 32
    max_port_range: int = 100
    ephemeral_ports: tuple[int, int] = (1024, 65535)
    ipv6_vpc_prefixes: tuple[int, ...] | None = None  # None: the rule's own default (/56)
    ipv6_subnet_prefixes: tuple[int, ...] | None = None  # None: the rule's own default (/64)
    suppress: tuple[Suppression, ...] = ()
    file: str | None = None

    def is_enabled(self, rule_id: str) -> bool:
        """Whether ``rule_id`` runs: matched by ``enable`` and not by ``disable``."""
        return any(fnmatch.fnmatchcase(rule_id, p) for p in self.enable) and not any(
            fnmatch.fnmatchcase(rule_id, p) for p in self.disable
        )


def find_config(starts: Iterable[str | FilePath]) -> FilePath | None:
    """The first ``vpckit.toml`` or ``pyproject.toml`` with ``[tool.vpckit]`` walking up from each start.

    >>> find_config(["/nonexistent/dir"]) is None or True
    True
    """
    for start in starts:
        folder = FilePath(start).resolve()
        if not folder.is_dir():
            folder = folder.parent
        for candidate in [folder, *folder.parents]:
            toml_file = candidate / "vpckit.toml"
            if toml_file.is_file():
                return toml_file
            pyproject = candidate / "pyproject.toml"
            if pyproject.is_file() and re.search(r"^\s*\[tool\.vpckit[\].]", _read(pyproject), re.M):
                return pyproject
            if (candidate / ".git").exists():
                break  # do not escape the repository the design lives in
    return None


def _read(path: FilePath) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the configuration: {error}", Position(str(path))) from None


def load_config(path: str | FilePath) -> Config:
    """Read a ``vpckit.toml`` or a ``pyproject.toml`` (its ``[tool.vpckit]`` table)."""
    path = FilePath(path)
    if not path.is_file():
        raise InputError("no such configuration file", Position(str(path)))
    text = _read(path)
    return parse_config(text, str(path), pyproject=path.name == "pyproject.toml")


def parse_config(text: str, file: str = "vpckit.toml", pyproject: bool = False) -> Config:
    """Parse configuration text; every mistake is an :class:`InputError` at its line and column.

    >>> parse_config('disable = ["SG008"]\\n[severity]\\nSG006 = "info"\\n').severity
    {'SG006': 'info'}
    >>> parse_config('disable = ["XX999"]\\n')
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: vpckit.toml:1:12: unknown rule id 'XX999' in disable (see `vpckit rules`)
    """
    from .checks import RULES, load_rules

    load_rules()
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (None, None)
        if match is None and "end of document" in str(error):
            lines = text.splitlines() or [""]
            line, column = len(lines), len(lines[-1]) + 1
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        raise InputError(f"not valid TOML: {message}", Position(file, line, column)) from None
    section = ""
    if pyproject:
        document = document.get("tool", {}).get("vpckit", {})
        section = "tool.vpckit"
    where = _Locator(text, file, section)

    for key in document:
        if key not in _KEYS:
            raise where.error(f"unknown key {key!r}; expected one of {', '.join(sorted(_KEYS))}", key)
    values: dict[str, Any] = {"file": file}

    def rule_patterns(key: str) -> tuple[str, ...]:
        patterns = document[key]
        if not (isinstance(patterns, list) and all(isinstance(p, str) for p in patterns)):
            raise where.error(f"{key} must be a list of rule ids, e.g. [\"SG008\"]", key)
        for pattern in patterns:
            if not any(fnmatch.fnmatchcase(r, pattern) for r in RULES):
                raise where.error(f"unknown rule id {pattern!r} in {key} (see `vpckit rules`)", f'"{pattern}"')
        return tuple(patterns)

    for key in ("enable", "disable"):
        if key in document:
            values[key] = rule_patterns(key)
    if "severity" in document:
        table = document["severity"]
        if not isinstance(table, dict):
            raise where.error('severity must be a table: [severity] SG006 = "info"', "severity")
        for rule_id, level in table.items():
            if rule_id not in RULES:
                raise where.error(f"unknown rule id {rule_id!r} in severity (see `vpckit rules`)", rule_id)
            if level not in _SEVERITIES:
                raise where.error(f"severity of {rule_id} must be error, warning or info, not {level!r}", rule_id)
        values["severity"] = dict(table)
    if "high_risk_ports" in document:
        value = document["high_risk_ports"]
        if isinstance(value, str):
            if value not in PORT_PROFILES:
                raise where.error(
                    f"unknown port profile {value!r}; expected one of {', '.join(PORT_PROFILES)} or a list of ports",
                    "high_risk_ports")
            values["high_risk_profile"], values["high_risk_ports"] = value, PORT_PROFILES[value]
        else:
            values["high_risk_profile"], values["high_risk_ports"] = "custom", where.ports(document, "high_risk_ports")
    for key in ("authorized_ports", "admin_ports"):
        if key in document:
            values[key] = where.ports(document, key)
    for key, low, high in (("wide_prefix_ipv4", 0, 32), ("wide_prefix_ipv6", 0, 128), ("max_port_range", 1, 65536)):
        if key in document:
            value = document[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise where.error(f"{key} must be an integer {low}-{high}", key)
            values[key] = value
    for key in ("ipv6_vpc_prefixes", "ipv6_subnet_prefixes"):
        if key in document:
            value = document[key]
            if not (isinstance(value, list) and value and all(
                    isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= 128 for p in value)):
                raise where.error(f"{key} must be a non-empty list of prefix lengths 0-128, e.g. [56]", key)
            values[key] = tuple(value)
    if "ephemeral_ports" in document:
        from .model import parse_port_range

        try:
            ports = parse_port_range(document["ephemeral_ports"])
        except ValueError as error:
            raise where.error(f"ephemeral_ports: {error}", "ephemeral_ports") from None
        values["ephemeral_ports"] = (ports.low, ports.high)
    if "suppress" in document:
        entries = document["suppress"]
        if not isinstance(entries, list):
            raise where.error("suppress must be an array of tables: [[suppress]] rule, resource, reason", "suppress")
        suppressions = []
        for index, entry in enumerate(entries):
            anchor = where.nth("suppress", index)
            if not isinstance(entry, dict):
                raise where.error("each [[suppress]] needs rule, resource and reason", anchor)
            unknown = set(entry) - {"rule", "resource", "reason"}
            if unknown:
                raise where.error(f"unknown key {sorted(unknown)[0]!r} in [[suppress]]; expected rule, resource, reason", anchor)
            if not isinstance(entry.get("reason"), str) or not entry["reason"].strip():
                raise where.error("a suppression needs a reason: why is this finding accepted?", anchor)
            if not isinstance(entry.get("rule"), str):
                raise where.error("a suppression needs a rule id (or a glob such as SG00*)", anchor)
            if not any(fnmatch.fnmatchcase(r, entry["rule"]) for r in RULES):
                raise where.error(f"unknown rule id {entry['rule']!r} in [[suppress]] (see `vpckit rules`)", anchor)
            suppressions.append(Suppression(rule=entry["rule"], resource=str(entry.get("resource", "*")),
                                            reason=entry["reason"]))
        values["suppress"] = tuple(suppressions)
    return Config(**values)


class _Locator:
    """Finds the line and column of a key or value in TOML text (tomllib keeps no positions)."""

    def __init__(self, text: str, file: str, section: str):
        self.lines = text.splitlines()
        self.file = file
        self.start = 0
        if section:
            for number, line in enumerate(self.lines):
                if re.match(rf"\s*\[{re.escape(section)}\]", line):
                    self.start = number
                    break

    def find(self, needle: str) -> Position:
        for number in range(self.start, len(self.lines)):
            line = self.lines[number]
            match = re.search(rf"(^|[\s\[\"'{{,.]){re.escape(needle.strip(chr(34)))}", line)
            if needle.startswith('"'):
                column = line.find(needle)
                if column >= 0:
                    return Position(self.file, number + 1, column + 1)
            elif match and not line.lstrip().startswith("#"):
                return Position(self.file, number + 1, match.start() + len(match.group(1)) + 1)
        return Position(self.file, self.start + 1 if self.lines else None, 1 if self.lines else None)

    def nth(self, table: str, index: int) -> Position:
        seen = -1
        for number in range(self.start, len(self.lines)):
            if re.match(rf"\s*\[\[(tool\.vpckit\.)?{table}\]\]", self.lines[number]):
                seen += 1
                if seen == index:
                    return Position(self.file, number + 1, 1)
        return self.find(table)

    def error(self, message: str, anchor: str | Position) -> InputError:
        position = anchor if isinstance(anchor, Position) else self.find(anchor)
        return InputError(message, position)

    def ports(self, document: dict, key: str) -> tuple[int, ...]:
        value = document[key]
        if not (isinstance(value, list) and all(isinstance(p, int) and not isinstance(p, bool) and 0 <= p <= 65535
                                                for p in value)):
            raise self.error(f"{key} must be a list of port numbers 0-65535", key)
        return tuple(value)


# --------------------------------------------------------------------------- applying


def _path_text(path: Iterable[str | int]) -> str:
    return "/".join(str(p) for p in path)


def suppression_matches(suppression: Suppression, rule_id: str, path: tuple, resource: str) -> bool:
    """Whether ``suppression`` (a design's or the configuration's) covers a finding of ``rule_id`` at ``path``.

    >>> s = Suppression(rule="NACL00*", resource="vpcs/p/nacls/app", reason="lab")
    >>> suppression_matches(s, "NACL001", ("vpcs", "p", "network_acls", "app", "ingress", 0), "")
    True
    """
    if not fnmatch.fnmatchcase(rule_id, suppression.rule):
        return False
    pattern = suppression.resource
    if fnmatch.fnmatchcase(resource, pattern):
        return True
    # A path pattern matches the finding's path or any of its ancestors (a group covers its rules),
    # written with the model's field names or with the design format's own keys (nacls, nacl, from...).
    return any(fnmatch.fnmatchcase(_path_text(written[:n]), pattern)
               for written in {path, as_written(path)} for n in range(1, len(path) + 1))


def inline_suppressions(design: Design, path: tuple) -> Iterable[Any]:
    """The ``suppress`` entries on the resources along ``path`` (deepest last): those that may cover a finding there.

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "security_groups": {
    ...     "b": {"suppress": [{"rule": "SG001", "reason": "bastion"}]}}}}})
    >>> [s.rule for s in inline_suppressions(d, ("vpcs", "p", "security_groups", "b", "ingress", 0))]
    ['SG001']
    """
    node: Any = design
    for part in path:
        try:
            if isinstance(node, dict):
                node = node[part]
            elif isinstance(node, list):
                node = node[int(part)]
            else:
                node = getattr(node, str(part))
        except (KeyError, IndexError, AttributeError, ValueError, TypeError):
            return
        for item in getattr(node, "suppress", None) or []:
            yield item


def suppression_for(design: Design, config: Config, rule_id: str, path: tuple, resource: str) -> str | None:
    """The reason a finding is suppressed (inline, in the design, or in the config), or None.

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "security_groups": {
    ...     "b": {"suppress": [{"rule": "SG001", "reason": "bastion"}]}}}},
    ...     "suppressions": [{"rule": "SG00*", "resource": "vpcs/p/security_groups/*", "reason": "lab"}]})
    >>> suppression_for(d, Config(), "SG001", ("vpcs", "p", "security_groups", "b", "ingress", 0), "")
    'bastion'
    >>> suppression_for(d, Config(), "SG002", ("vpcs", "p", "security_groups", "c"), "")
    'lab'
    >>> suppression_for(d, Config(), "NACL001", ("vpcs", "p", "network_acls", "default"), "") is None
    True
    """
    for item in inline_suppressions(design, tuple(path)):
        if fnmatch.fnmatchcase(rule_id, item.rule):
            return item.reason
    for suppression in [*design.suppressions, *config.suppress]:
        if suppression_matches(suppression, rule_id, tuple(path), resource):
            return suppression.reason
    return None


def suppress_entries(node: Any, path: tuple) -> Iterable[tuple[tuple, Any]]:
    """``(path, suppression)`` for every inline ``suppress`` entry under ``node``.

    >>> d = Design.model_validate({"vpcs": {"p": {"cidr": "10.0.0.0/16", "security_groups": {
    ...     "b": {"suppress": [{"rule": "SG001", "reason": "bastion"}]}}}}})
    >>> [(path, s.rule) for path, s in suppress_entries(d, ())]
    [(('vpcs', 'p', 'security_groups', 'b', 'suppress', 0), 'SG001')]
    """
    from pydantic import BaseModel

    if isinstance(node, BaseModel):
        for index, item in enumerate(getattr(node, "suppress", None) or []):
            yield (*path, "suppress", index), item
        for name in _nested_fields(type(node)):
            yield from suppress_entries(getattr(node, name), (*path, name))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from suppress_entries(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from suppress_entries(value, (*path, index))


@functools.cache
def _nested_fields(model: type) -> tuple[str, ...]:
    """The fields of ``model`` (but ``suppress``) whose type can hold a model: the only ones a suppression can be
    under. Skipping the scalar fields keeps the walk over a 50k-interface design short."""
    from pydantic import BaseModel

    def holds_model(annotation: Any) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return True
        return any(holds_model(arg) for arg in typing.get_args(annotation))

    return tuple(name for name, field in model.model_fields.items()
                 if name != "suppress" and holds_model(field.annotation))


def check_suppressions(design: Design) -> None:
    """Raise an :class:`InputError` at the place of a design suppression naming no known rule.

    >>> check_suppressions(Design.model_validate({"suppressions": [{"rule": "XX9", "reason": "r"}]}))
    Traceback (most recent call last):
    ...
    vpckit.errors.InputError: <memory>: suppression names no known rule: 'XX9' (see `vpckit rules`)
    """
    from .checks import RULES, load_rules

    load_rules()
    entries = [(("suppressions", i), s) for i, s in enumerate(design.suppressions)]
    entries += list(suppress_entries(design, ()))
    for path, suppression in entries:
        if not any(fnmatch.fnmatchcase(rule_id, suppression.rule) for rule_id in RULES):
            raise InputError(f"suppression names no known rule: {suppression.rule!r} (see `vpckit rules`)",
                             design.source.locate((*path, "rule")))


def apply_config(findings: Iterable, design: Design, config: Config) -> list:
    """Findings with severity overrides applied and ``suppressed`` set to the reason where accepted.

    >>> from vpckit.checks import Finding
    >>> [f.severity for f in apply_config([Finding("SG006", "warning", "m")], Design(), Config(severity={"SG006": "info"}))]
    ['info']
    """
    out = []
    for finding in findings:
        changes: dict[str, Any] = {}
        if finding.rule in config.severity:
            changes["severity"] = config.severity[finding.rule]
        reason = finding.suppressed or suppression_for(design, config, finding.rule, finding.path, finding.resource)
        if reason:
            changes["suppressed"] = reason
        out.append(dataclasses.replace(finding, **changes) if changes else finding)
    return out
