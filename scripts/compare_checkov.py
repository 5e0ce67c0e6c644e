"""Run checkov and vpckit side by side on the corpus and write what each reports.

    python -m venv /tmp/checkov-venv && /tmp/checkov-venv/bin/pip install checkov
    python scripts/compare_checkov.py --checkov /tmp/checkov-venv/bin/checkov -o docs/checkov-comparison.md

For every CloudFormation template and Terraform plan JSON under ``../shared/corpus`` it runs
``checkov -f FILE --framework cloudformation|terraform_plan --skip-download -o json`` and
``vpckit validate`` (the library, default configuration), then, for the checkov checks that have a
vpckit equivalent (the ``peers.checkov`` of vpckit's rules):

- **same** — vpckit reports an equivalent rule on the same resource;
- **differently** — vpckit reports an equivalent rule, but on another resource, or the resource
  is reported under another rule; or vpckit reports nothing, with the reason;
- **vpckit only** — vpckit findings whose checkov equivalent passed or does not exist for the
  input's language.

checkov is not a dependency of vpckit and is not installed in CI (it takes over a minute to
install and ~10 s per file); this script and its recorded output are the comparison.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))

#: Parameters for templates that cannot be instantiated without them (see corpus README-iac.md).
PARAMETERS = {
    "aws-vpc.template.yaml": {"AvailabilityZones": "us-east-1a,us-east-1b"},
}

#: Why vpckit reports a checkov check differently or not at all, per checkov id.
WHY = {
    "CKV_AWS_260": "the group opens every port: vpckit says it once (SG005, every port from the world) instead of "
                   "port by port; SG003 reports tcp/80 itself when only some ports are open",
    "CKV_AWS_23": "SG008 (info): vpckit reports groups and rules without a description, not AWS's own default rules; "
                  "Terraform gives a group without one the description 'Managed by Terraform', which checkov accepts",
    "CKV2_AWS_12": "SG007 reports the default group of each VPC (vpckit materialises it, so it is reported even "
                   "when the template never mentions it)",
    "CKV2_AWS_11": "VPC009: VPC flow logs are read from the file (`aws_flow_log` with vpc_id, `AWS::EC2::FlowLog` "
                   "with ResourceType VPC); subnet and interface flow logs do not cover the VPC",
    "CKV_AWS_130": "NET001: the subnet attribute is compared, as checkov does",
    "CKV_AWS_382": "SG006 computes 'all ports to the world' on coverage; the default egress rule of a new group counts",
    "CKV_AWS_24": "SG001 computes coverage of tcp/udp 22 (protocol -1 and ranges included)",
    "CKV_AWS_88": "NET002 exempts instances in subnets labelled as the public tier, and reports those whose subnet "
                  "auto-assigns a public IP",
    "CKV2_AWS_5": "SG009 counts a group as used when an instance, interface, endpoint, load balancer, RDS, Lambda "
                  "or EFS uses it, or another group's rule references it",
    "CKV2_AWS_19": "checkov wants every EIP attached to an EC2 instance, so the EIPs of NAT gateways fail; NET004 "
                   "treats an EIP used by a NAT gateway as attached. When a plan does not say which EIP a NAT gateway "
                   "uses (its allocation_id comes from a `local`, which plans do not record), the Terraform reader "
                   "leaves those EIPs out of `elastic_ips` instead of calling them unattached",
}

#: Known reasons for vpckit-only findings whose checkov equivalent passed, per vpckit rule.
ONLY_WHY = {
    "VPC009": "the file declares a flow log, but none that covers this VPC with the parameters used: its Condition "
              "is off, or it logs a subnet or network interface rather than the VPC (the reader's warnings say which)",
    "SG008": "Terraform gives a group without a description 'Managed by Terraform', which checkov accepts; the "
             "Terraform reader leaves the description empty",
}

#: Resource types checkov's VPC checks also cover that are not VPC resources (EC2-Classic era groups).
NOT_VPC = ("aws_db_security_group", "aws_redshift_security_group", "aws_elasticache_security_group")


@dataclass
class FileResult:
    path: str
    language: str
    checkov_seconds: float = 0.0
    vpckit_seconds: float = 0.0
    checkov_resources: int = 0
    checkov_failed: list[dict] = field(default_factory=list)
    checkov_passed: list[dict] = field(default_factory=list)
    vpckit_findings: list = field(default_factory=list)
    vpckit_warnings: list[str] = field(default_factory=list)
    vpckit_error: str | None = None
    design_names: set[str] = field(default_factory=set)
    text: str = ""


def checkov_peers() -> dict[str, set[str]]:
    """checkov id → the vpckit rules that name it as a peer."""
    from vpckit.checks import RULES, load_rules

    load_rules()
    out: dict[str, set[str]] = defaultdict(set)
    for rule in RULES.values():
        for check in rule.peers.get("checkov", ()):
            out[check].add(rule.id)
    return dict(out)


def inputs() -> list[tuple[Path, str]]:
    files = []
    for path in sorted((CORPUS / "cloudformation").rglob("*")):
        if path.suffix in (".yaml", ".yml", ".json", ".template") and path.is_file():
            files.append((path, "cloudformation"))
    for path in sorted((CORPUS / "terraform" / "plan-json").rglob("*.json")):
        files.append((path, "terraform_plan"))
    return files


def run_checkov(checkov: str, path: Path, framework: str, cache: Path | None = None) -> tuple[float, dict]:
    """checkov's failed/passed checks for one file (read from ``cache`` when it holds this file's run)."""
    cached = cache / (path.relative_to(CORPUS).as_posix().replace("/", "__") + ".json") if cache else None
    if cached is not None and cached.is_file():
        stored = json.loads(cached.read_text(encoding="utf-8"))
        return stored["seconds"], stored["report"]
    elapsed, report = _run_checkov(checkov, path, framework)
    if cached is not None:
        cache.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps({"seconds": elapsed, "report": report}), encoding="utf-8")
    return elapsed, report


def _run_checkov(checkov: str, path: Path, framework: str) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run([checkov, "-f", str(path), "--framework", framework, "--skip-download", "-o", "json"],
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return elapsed, {}
    reports = report if isinstance(report, list) else [report]
    merged: dict = {"failed": [], "passed": [], "resources": 0}
    for item in reports:
        results = item.get("results", {})
        merged["failed"] += results.get("failed_checks", [])
        merged["passed"] += results.get("passed_checks", [])
        merged["resources"] += item.get("summary", {}).get("resource_count", 0) or item.get("resource_count", 0)
    return elapsed, merged


def run_vpckit(path: Path, result: FileResult) -> None:
    from vpckit.checks import run_checks
    from vpckit.errors import VpckitError
    from vpckit.sources import load

    started = time.perf_counter()
    try:
        design = load(str(path), parameters=PARAMETERS.get(path.name))
        result.vpckit_findings = run_checks(design)
        result.vpckit_warnings = list(design.source.warnings)
        result.design_names = {str(part) for key in design.source.positions for part in key if isinstance(part, str)}
        for _, vpc in design.iter_vpcs():
            for collection in ("subnets", "security_groups", "instances", "network_acls", "route_tables"):
                result.design_names |= set(getattr(vpc, collection))
        result.design_names |= set(design.vpcs)
    except VpckitError as error:
        result.vpckit_error = str(error)
    result.vpckit_seconds = time.perf_counter() - started


def resource_name(checkov_resource: str) -> str:
    """``AWS::EC2::SecurityGroup.Web`` → ``Web``; ``module.m.aws_vpc.this[0]`` → ``module.m.aws_vpc.this[0]``."""
    if checkov_resource.startswith("AWS::"):
        return checkov_resource.split(".", 1)[1]
    return checkov_resource


def mentions(finding, name: str) -> bool:
    parts = {str(p) for p in finding.path}
    return name in parts or any(name == p.split("/")[-1] for p in parts) or name in finding.resource


def compare(result: FileResult, peers: dict[str, set[str]]) -> dict:
    network = [c for c in result.checkov_failed if c["check_id"] in peers]
    other = [c for c in result.checkov_failed if c["check_id"] not in peers]
    same, different, missed = [], [], []
    for check in network:
        name = resource_name(check["resource"])
        why = WHY.get(check["check_id"], "")
        equivalent = [f for f in result.vpckit_findings if f.rule in peers[check["check_id"]]]
        on_resource = [f for f in equivalent if mentions(f, name)]
        about = [f for f in result.vpckit_findings if mentions(f, name)]
        if on_resource:
            same.append((check, on_resource))
        elif name.split(".")[-2:-1] and name.split(".")[-2] in NOT_VPC:
            missed.append((check, "not a VPC resource (an EC2-Classic era database/cache security group); vpckit "
                                  "does not model it"))
        elif about:
            different.append((check, about, f"vpckit reports {', '.join(sorted({f.rule for f in about}))} on it"
                                            + (f" — {why}" if why else "")))
        elif equivalent and ("_rule." in name or "Ingress." in check["resource"] or "Egress." in check["resource"]):
            groups = ", ".join(sorted({f.resource for f in equivalent}))
            different.append((check, equivalent, f"stand-alone rule resources are merged into their group; vpckit "
                                                 f"reports {', '.join(sorted({f.rule for f in equivalent}))} on "
                                                 f"{groups}"))
        elif name not in result.design_names:
            warning = next((w for w in result.vpckit_warnings if name in w), None)
            reason = f"not imported by the reader ({warning})" if warning else "not imported by the reader"
            missed.append((check, reason + (f"; {why}" if check["check_id"] == "CKV2_AWS_19" else "")))
        else:
            missed.append((check, why or "no equivalent finding"))
    failed_pairs = {(c["check_id"], resource_name(c["resource"])) for c in result.checkov_failed}
    checked_ids = {c["check_id"] for c in result.checkov_failed + result.checkov_passed}
    only = []
    for finding in result.vpckit_findings:
        from vpckit.checks import RULES

        ids = RULES[finding.rule].peers.get("checkov", ())
        if not ids:
            continue
        if any((i, n) in failed_pairs for i in ids for n in _names(finding)):
            continue
        if any(i == c["check_id"] and mentions(finding, resource_name(c["resource"])) for i in ids
               for c in result.checkov_failed):
            continue
        why = ("checkov ran the check and passed the resource" if set(ids) & checked_ids
               else f"checkov has no such check for {result.language} or did not evaluate this resource")
        declares_flow_log = any(m in result.text for m in ("AWS::EC2::FlowLog", "aws_flow_log"))
        if finding.rule in ONLY_WHY and (set(ids) & checked_ids or (finding.rule == "VPC009" and declares_flow_log)):
            why += f" ({ONLY_WHY[finding.rule]})"
        only.append((finding, ids, why))
    return {"same": same, "different": different, "missed": missed, "only": only, "out_of_scope": other}


def _names(finding) -> set[str]:
    return {str(p) for p in finding.path if isinstance(p, str)}


def markdown(results: list[FileResult], peers: dict[str, set[str]], checkov_version: str, install_note: str) -> str:
    lines = ["# vpckit and checkov side by side", "",
             "Generated by `scripts/compare_checkov.py` (do not edit by hand). Inputs: every CloudFormation "
             "template and Terraform plan JSON of `shared/corpus` (the readers of vpckit import them; the 5 HCL "
             "examples call a module that is not in the corpus and vpckit reads plans, not HCL, so they are left out). "
             "The bundled native designs (`designs/`) cannot be given to checkov: vpckit has no Terraform or "
             "CloudFormation writer, so they are not part of this comparison.", "",
             f"- checkov {checkov_version}, `--skip-download` (offline), default checks. {install_note}",
             "- vpckit: `vpckit validate` with the default configuration (no suppressions).",
             "- Only checkov checks that have a vpckit equivalent are compared (networking); the others are counted "
             "as out of scope.", ""]
    totals = Counter()
    lines += ["## Summary", "",
              "| file | checkov resources | checkov failed (network / other) | same | differently | checkov only | vpckit only | checkov s | vpckit s |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    details = []
    for result in results:
        outcome = compare(result, peers)
        network_failed = len(result.checkov_failed) - len(outcome["out_of_scope"])
        totals.update(same=len(outcome["same"]), different=len(outcome["different"]), missed=len(outcome["missed"]),
                      only=len(outcome["only"]), network=network_failed, other=len(outcome["out_of_scope"]),
                      checkov_s=result.checkov_seconds, vpckit_s=result.vpckit_seconds)
        lines.append(
            f"| `{result.path}` | {result.checkov_resources} | {network_failed} / {len(outcome['out_of_scope'])} | "
            f"{len(outcome['same'])} | {len(outcome['different'])} | {len(outcome['missed'])} | {len(outcome['only'])} | "
            f"{result.checkov_seconds:.1f} | {result.vpckit_seconds:.2f} |")
        details.append(_details(result, outcome))
    lines.append(
        f"| **total** | | {totals['network']} / {totals['other']} | {totals['same']} | {totals['different']} | "
        f"{totals['missed']} | {totals['only']} | {totals['checkov_s']:.1f} | {totals['vpckit_s']:.2f} |")
    lines += ["", "\"checkov only\" counts checkov network findings vpckit does not report as such, each with the "
              "reason below; \"vpckit only\" counts vpckit findings of rules that have a checkov equivalent which "
              "checkov did not raise on that resource.", ""]
    cfn = [r for r in results if r.language == "cloudformation"]
    blind = [r for r in cfn if not r.checkov_resources]
    reasons = Counter()
    for result in results:
        for _, reason in compare(result, peers)["missed"]:
            reasons[reason.split(" (")[0].split(";")[0]] += 1
    lines += ["## Reading the result", "",
              f"- checkov evaluated no resource at all in {len(blind)} of {len(cfn)} CloudFormation templates: its "
              "CloudFormation checks do not cover subnets, route tables, NACLs, flow logs or default security groups, "
              "which vpckit reads from the same templates.",
              f"- Of {totals['network']} checkov findings on networking checks, vpckit reports {totals['same']} with an "
              f"equivalent rule on the same resource and {totals['different']} differently (stand-alone rule "
              f"resources merged into their group, or one every-port finding instead of one per port); "
              f"{totals['missed']} are not reported: "
              + "; ".join(f"{n}× {why}" for why, n in sorted(reasons.items())) + ".",
              f"- vpckit reports {totals['only']} findings of rules that have a checkov equivalent which checkov did not "
              "raise — mostly NACL rules (checkov has none for CloudFormation), first-match NACL evaluation, default "
              "security groups and flow logs in CloudFormation, the default VPC, and coverage-based exposure. A few "
              "come from what the file leaves open (a flow log whose Condition is off) or are reader gaps (group "
              "descriptions from Terraform), marked as such below.",
              f"- Time: checkov {totals['checkov_s']:.0f} s in total (one process per file, offline), vpckit "
              f"{totals['vpckit_s']:.1f} s (in-process, reading and checking).", ""]
    lines += ["## Per file", ""] + [line for block in details for line in block]
    return "\n".join(lines) + "\n"


def _details(result: FileResult, outcome: dict) -> list[str]:
    out = [f"### `{result.path}` ({result.language})", ""]
    if result.vpckit_error:
        out += [f"vpckit could not read it: `{result.vpckit_error}`", ""]
    if not result.checkov_resources:
        out += ["checkov evaluated no resource in this file (none of its checks applies to these resource types).", ""]
    for check, findings in outcome["same"]:
        out.append(f"- same: checkov `{check['check_id']}` on `{check['resource']}` — vpckit "
                   + ", ".join(sorted({f'`{f.rule}`' for f in findings})))
    for check, findings, reason in outcome["different"]:
        out.append(f"- differently: checkov `{check['check_id']}` on `{check['resource']}` — {reason}")
    for check, reason in outcome["missed"]:
        out.append(f"- checkov only: `{check['check_id']}` on `{check['resource']}` — {reason}")
    grouped: dict[tuple, list] = defaultdict(list)
    for finding, ids, why in outcome["only"]:
        grouped[(finding.rule, "/".join(ids), why)].append(finding)
    for (rule_id, ids, why), findings in sorted(grouped.items()):
        sample = findings[0].message
        out.append(f"- vpckit only: `{rule_id}` (checkov `{ids}`) ×{len(findings)} — {why}; e.g. {sample}")
    if outcome["out_of_scope"]:
        counts = Counter(c["check_id"] for c in outcome["out_of_scope"])
        out.append("- out of scope (not networking): " + ", ".join(f"`{k}`×{v}" for k, v in sorted(counts.items())))
    return out + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checkov", default="checkov", help="checkov executable")
    parser.add_argument("-o", "--output", type=Path, help="write the Markdown report here")
    parser.add_argument("--install-note", default="", help="a sentence about installing checkov (recorded)")
    parser.add_argument("--cache", type=Path, help="keep checkov's per-file reports here and reuse them")
    args = parser.parse_args(argv)
    version = subprocess.run([args.checkov, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    peers = checkov_peers()
    results = []
    for path, language in inputs():
        relative = path.relative_to(CORPUS).as_posix()
        result = FileResult(relative, language, text=path.read_text(encoding="utf-8", errors="replace"))
        result.checkov_seconds, report = run_checkov(args.checkov, path, language, args.cache)
        result.checkov_failed, result.checkov_passed = report.get("failed", []), report.get("passed", [])
        result.checkov_resources = report.get("resources", 0)
        run_vpckit(path, result)
        results.append(result)
        print(f"{relative}: checkov {len(result.checkov_failed)} failed in {result.checkov_seconds:.1f}s, "
              f"vpckit {len(result.vpckit_findings)} findings in {result.vpckit_seconds:.2f}s", file=sys.stderr)
    text = markdown(results, peers, version, args.install_note)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
