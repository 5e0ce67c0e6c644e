"""Take a snapshot of a live AWS account: read-only describe calls written as JSON files.

The layout is the one the snapshot reader (``vpckit.sources.aws``) reads::

    DIR/snapshot.json                      the manifest: account, regions, time, calls, failures
    DIR/<account>/<region>/Vpcs.json       {"Vpcs": [...]}, one file per call (see calls.CALLS)

A snapshot is never presented as complete when it is not: every call that failed (after
retries) is recorded in the manifest with its region and error, and ``complete`` is false.
"""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ..errors import VpckitError
from .calls import ACCOUNT_CALL, CALLS, REGIONS_CALL, Call, page_minimum
from .secrets import redact

__all__ = ["Failure", "Manifest", "take_snapshot", "open_session", "MANIFEST", "classify"]

MANIFEST = "snapshot.json"
FORMAT_VERSION = "vpckit-snapshot/1"

#: Error codes AWS uses when a caller is going too fast.
THROTTLING = frozenset({
    "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded",
    "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "SlowDown",
    "PriorRequestNotComplete", "EC2ThrottledException", "BandwidthLimitExceeded",
})
#: Error codes that mean the credentials themselves are bad: nothing else can succeed.
BAD_CREDENTIALS = frozenset({
    "ExpiredToken", "ExpiredTokenException", "RequestExpired", "InvalidClientTokenId",
    "UnrecognizedClientException", "AuthFailure", "SignatureDoesNotMatch", "InvalidToken",
    "InvalidAccessKeyId", "IncompleteSignature", "MissingAuthenticationToken",
})
ACCESS_DENIED = frozenset({"AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess"})

_REGION_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


@dataclass
class Failure:
    """A call that did not succeed: where, which, and why (``kind`` groups the causes)."""

    region: str
    action: str
    kind: str  # credentials | throttled | access-denied | connection | region | error
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.action} in {self.region} failed: {self.message}"


@dataclass
class CallRecord:
    """A call that succeeded: the file written, how many items and requests (pages) it took."""

    region: str
    action: str
    file: str | None  # None: read for the snapshot itself (account id, regions), not written
    items: int
    requests: int


@dataclass
class Manifest:
    """What a snapshot holds; written to ``DIR/snapshot.json`` whatever happens.

    ``regions_collected``: the regions in which every call was made (some may have failed:
    see ``failed``); ``not_attempted``: calls not made because an earlier failure stopped them.
    """

    started: str
    profile: str | None = None
    endpoint_url: str | None = None
    account: str | None = None
    regions: list[str] = field(default_factory=list)
    regions_collected: list[str] = field(default_factory=list)
    finished: str | None = None
    calls: list[CallRecord] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    not_attempted: list[dict[str, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True only when every call in every region succeeded."""
        return not self.failed and not self.not_attempted

    def to_json(self) -> str:
        """The manifest as JSON (``complete`` included)."""
        from .. import __version__

        data = {"format": FORMAT_VERSION, "vpckit_version": __version__, "complete": self.complete, **asdict(self)}
        return json.dumps(data, indent=2) + "\n"


class _Abort(Exception):
    """Stop the whole snapshot (bad credentials, unknown account)."""


class _SkipRegion(Exception):
    """Stop collecting one region (its endpoint cannot be reached)."""


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def open_session(profile: str | None = None, region: str | None = None) -> Any:
    """A boto3 session for ``profile`` (the default credential chain when None).

    >>> open_session("no-such-profile-vpckit")
    Traceback (most recent call last):
    ...
    vpckit.errors.VpckitError: AWS profile 'no-such-profile-vpckit' is not configured (see `aws configure list-profiles`)
    """
    import boto3
    from botocore.exceptions import ProfileNotFound

    try:
        return boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound:
        raise VpckitError(f"AWS profile {profile!r} is not configured (see `aws configure list-profiles`)") from None


def classify(error: Exception) -> tuple[str, str, str]:
    """``(kind, code, message)`` of a boto3 error, in words a user can act on.

    >>> from botocore.exceptions import ClientError
    >>> classify(ClientError({"Error": {"Code": "ExpiredToken", "Message": "expired"}}, "DescribeVpcs"))[0]
    'credentials'
    """
    from botocore.exceptions import (
        ClientError,
        ConnectionError as BotoConnectionError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
        TokenRetrievalError,
        CredentialRetrievalError,
        SSOError,
    )

    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "Unknown")
        detail = error.response.get("Error", {}).get("Message", "") or code
        if code in BAD_CREDENTIALS:
            return "credentials", code, (
                f"the AWS credentials were rejected ({code}: {detail}); refresh them "
                "(e.g. `aws sso login` or new access keys) and run again")
        if code in THROTTLING:
            return "throttled", code, f"throttled by AWS ({code}: {detail}) even after retrying with backoff"
        if code in ACCESS_DENIED:
            return "access-denied", code, (
                f"not allowed ({code}: {detail}); attach the policy in iam/vpckit-snapshot-policy.json")
        return "error", code, f"{code}: {detail}"
    if isinstance(error, NoCredentialsError):
        return "credentials", "NoCredentials", (
            "no AWS credentials found; configure them (`aws configure`, AWS_PROFILE, or "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) or pass --profile")
    if isinstance(error, (PartialCredentialsError, TokenRetrievalError, CredentialRetrievalError, SSOError)):
        return "credentials", type(error).__name__, f"the AWS credentials cannot be used: {error}"
    if isinstance(error, NoRegionError):
        return "region", "NoRegion", "no region given: pass --region"
    if isinstance(error, BotoConnectionError):
        return "connection", type(error).__name__, f"cannot connect to AWS: {error}"
    return "error", type(error).__name__, str(error)


class Collector:
    """Makes the calls of :data:`CALLS` in one account, with retries, and records each outcome."""

    def __init__(
        self,
        session: Any,
        manifest: Manifest,
        *,
        endpoint_url: str | None = None,
        page_size: int | None = None,
        max_attempts: int = 8,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.session = session
        self.manifest = manifest
        self.endpoint_url = endpoint_url
        self.page_size = page_size
        self.max_attempts = max(1, max_attempts)
        self.sleep = sleep or _sleep
        self._clients: dict[tuple[str, str], Any] = {}

    # ------------------------------------------------------------------ clients and retries

    def client(self, service: str, region: str) -> Any:
        """A boto3 client with botocore's adaptive retry mode (client-side rate limiting)."""
        if (service, region) not in self._clients:
            from botocore.config import Config

            config = Config(
                retries={"mode": "adaptive", "max_attempts": self.max_attempts},
                connect_timeout=10,
                read_timeout=60,
                user_agent_extra="vpckit-snapshot",
            )
            self._clients[service, region] = self.session.client(
                service, region_name=region, endpoint_url=self.endpoint_url, config=config
            )
        return self._clients[service, region]

    def _backoff(self, attempt: int) -> float:
        # Full jitter (AWS architecture blog "Exponential Backoff And Jitter"), capped at 20 s.
        return random.uniform(0, min(20.0, 0.5 * 2**attempt))

    def request(self, call: Call, region: str, params: dict[str, Any]) -> tuple[list[Any], int, dict[str, Any]]:
        """All items of one call (every page), retrying the whole call when AWS throttles.

        botocore already retries throttled requests; when it gives up, the call is retried
        from its first page with exponential backoff, ``max_attempts`` times in all.
        Returns ``(items, requests, last_response)``.
        """
        from botocore.exceptions import ClientError

        attempt = 0
        while True:
            try:
                return self._pages(call, region, params)
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code")
                attempt += 1
                if code not in THROTTLING or attempt >= self.max_attempts:
                    raise
                self.sleep(self._backoff(attempt))

    def _pages(self, call: Call, region: str, params: dict[str, Any]) -> tuple[list[Any], int, dict[str, Any]]:
        client = self.client(call.service, region)
        if not client.can_paginate(call.operation):
            response = getattr(client, call.operation)(**call.params, **params)
            response.pop("ResponseMetadata", None)
            return list(response.get(call.result_key, [])), 1, response
        paginator = client.get_paginator(call.operation)
        config = {"PageSize": self._page_size(call)} if self.page_size else {}
        items: list[Any] = []
        pages = 0
        last: dict[str, Any] = {}
        for page in paginator.paginate(**call.params, **params, PaginationConfig=config):
            pages += 1
            items.extend(page.get(call.result_key, []))
            last = page
        last.pop("ResponseMetadata", None)
        return items, pages, last

    def _page_size(self, call: Call) -> int:
        """The requested page size, raised to the API's own minimum (EC2 rejects MaxResults < 5)."""
        return max(self.page_size or 1, page_minimum(call.service, call.operation))

    # ------------------------------------------------------------------ outcomes

    def _fail(self, call: Call, region: str, error: Exception) -> Failure:
        kind, code, message = classify(error)
        failure = Failure(region, call.action, kind, code, message)
        self.manifest.failed.append(failure)
        return failure

    def run(self, call: Call, region: str, params: dict[str, Any] | None = None) -> tuple[list[Any], int, dict[str, Any]] | None:
        """Make one call; on failure record it and return None (or stop, for fatal causes)."""
        try:
            return self.request(call, region, params or {})
        except Exception as error:  # noqa: BLE001 - every failure of a call is recorded with its region
            failure = self._fail(call, region, error)
            if failure.kind == "credentials":
                raise _Abort() from None
            if failure.kind == "connection":
                raise _SkipRegion() from None
            return None

    # ------------------------------------------------------------------ the snapshot

    def account(self, region: str) -> str:
        """The account id (``sts:GetCallerIdentity``); without it there is no snapshot."""
        result = self.run(ACCOUNT_CALL, region)
        if result is None:
            raise _Abort()
        self.manifest.calls.append(CallRecord(region, ACCOUNT_CALL.action, None, 1, result[1]))
        return str(result[2]["Account"])

    def regions(self, wanted: Sequence[str], home: str) -> list[str]:
        """The regions asked for that exist and are enabled; the others are recorded as failed.

        ``all`` means every region enabled for the account.
        """
        result = self.run(REGIONS_CALL, home)
        if result is None:
            raise _Abort()
        self.manifest.calls.append(CallRecord(home, REGIONS_CALL.action, None, len(result[0]), result[1]))
        status = {r["RegionName"]: r.get("OptInStatus", "opt-in-not-required") for r in result[0]}
        enabled = sorted(name for name, state in status.items() if state != "not-opted-in")
        if list(wanted) == ["all"]:
            return enabled
        usable = []
        for region in wanted:
            if region not in status:
                message = f"region {region!r} does not exist; regions enabled for this account: {', '.join(enabled)}"
                self.manifest.failed.append(Failure(region, REGIONS_CALL.action, "region", "InvalidRegion", message))
            elif status[region] == "not-opted-in":
                message = f"region {region!r} is not enabled for this account (an opt-in region)"
                self.manifest.failed.append(Failure(region, REGIONS_CALL.action, "region", "RegionNotEnabled", message))
            elif region not in usable:
                usable.append(region)
        return usable

    def collect_region(self, region: str, folder: Path) -> None:
        """Every call of :data:`CALLS` in one region, one JSON file per key.

        When the region's endpoint cannot be reached or the credentials are rejected, the calls
        not made are recorded as not attempted, and what was read before is still written.
        """
        folder.mkdir(parents=True, exist_ok=True)
        files: dict[str, list[Any]] = {}
        done = 0
        try:
            for call in CALLS:
                if call.each is None:
                    result = self.run(call, region)
                    if result is not None:
                        files[call.key] = result[0]
                        self._record(call, region, len(result[0]), result[1])
                else:
                    self._per_item(call, region, files)
                done += 1
        except _SkipRegion:
            self._not_attempted(region, CALLS[done + 1:], "the region's endpoint cannot be reached")
        except _Abort:
            self._not_attempted(region, CALLS[done + 1:], "the credentials were rejected")
            raise
        finally:
            for key, items in files.items():
                # secrets (VPN pre-shared keys) never reach the disk
                text = json.dumps({key: redact(items)}, indent=1, default=str) + "\n"
                (folder / f"{key}.json").write_text(text, encoding="utf-8")
        if done == len(CALLS):
            self.manifest.regions_collected.append(region)

    def _not_attempted(self, region: str, calls: Iterable[Call], reason: str) -> None:
        for call in calls:
            self.manifest.not_attempted.append({"region": region, "action": call.action, "reason": reason})

    def _per_item(self, call: Call, region: str, files: dict[str, list[Any]]) -> None:
        parents = files.get(call.each or "")
        if parents is None:  # the parent call failed: this one cannot be made
            self._not_attempted(region, [call], f"{call.each} could not be listed")
            return
        gathered: list[Any] = []
        requests = 0
        complete = True
        for parent in parents:
            ident = parent[call.id_field]
            result = self.run(call, region, {call.id_field: ident})
            if result is None:
                complete = False
                continue
            items, pages, last = result
            requests += pages
            if last.get("AdditionalRoutesAvailable"):
                # search_transit_gateway_routes said more routes exist but gave no token to fetch them.
                complete = False
                self.manifest.failed.append(Failure(region, call.action, "error", "Truncated",
                                                    f"{ident}: AWS returned only part of the static routes"))
            if call.merge:
                parent[call.merge] = items
                parent["Cidrs"] = [entry["Cidr"] for entry in items if "Cidr" in entry]
            else:
                gathered.append({call.id_field: ident, call.result_key: items})
        if not call.merge:
            files[call.key] = gathered
        if complete:
            self._record(call, region, len(parents), requests)

    def _record(self, call: Call, region: str, items: int, requests: int) -> None:
        self.manifest.calls.append(CallRecord(region, call.action, f"{call.key}.json", items, requests))


def _check_output(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise VpckitError(f"{out}: exists and is not a directory")
    if out.is_dir() and any(out.iterdir()):
        raise VpckitError(f"{out}: the directory is not empty; give a new one so that snapshots never mix")


def take_snapshot(
    out: str | Path,
    regions: Iterable[str] = (),
    *,
    profile: str | None = None,
    endpoint_url: str | None = None,
    page_size: int | None = None,
    max_attempts: int = 8,
    session: Any = None,
    sleep: Callable[[float], None] | None = None,
) -> Manifest:
    """Snapshot the account of ``profile`` in ``regions`` into ``out``; return the manifest.

    ``regions`` empty: the profile's region; ``["all"]``: every region enabled for the account.
    ``endpoint_url`` points every client elsewhere (moto, LocalStack). The manifest is written
    even when calls fail; check :attr:`Manifest.complete`.

    >>> take_snapshot("README.md", ["us-east-1"])
    Traceback (most recent call last):
    ...
    vpckit.errors.VpckitError: README.md: exists and is not a directory
    """
    out = Path(out)
    _check_output(out)
    wanted = [r.strip() for r in regions if r.strip()]
    session = session if session is not None else open_session(profile)
    if not wanted:
        if not session.region_name:
            raise VpckitError("no region given: pass --region (repeatable, or `all`), or set one in the profile")
        wanted = [session.region_name]
    malformed = [r for r in wanted if r != "all" and not _REGION_NAME.match(r)]
    if malformed or ("all" in wanted and len(wanted) > 1):
        raise VpckitError(f"not a region name: {', '.join(malformed) or 'all'} (expected e.g. us-east-1, or `all` alone)")
    home = next((r for r in wanted if r != "all" and r in session.get_available_regions("ec2")), None)
    home = home or session.region_name or "us-east-1"

    manifest = Manifest(started=_now(), profile=profile, endpoint_url=endpoint_url, regions=wanted)
    collector = Collector(session, manifest, endpoint_url=endpoint_url, page_size=page_size,
                          max_attempts=max_attempts, sleep=sleep)
    out.mkdir(parents=True, exist_ok=True)
    pending: list[str] = []
    try:
        account = manifest.account = collector.account(home)
        pending = collector.regions(wanted, home)
        while pending:
            collector.collect_region(pending[0], out / account / pending[0])
            pending.pop(0)
    except (_Abort, _SkipRegion):
        for region in pending[1:]:
            manifest.not_attempted.append({"region": region, "action": "*", "reason": "the snapshot stopped earlier"})
    except OSError as error:
        manifest.failed.append(Failure("-", "write", "error", type(error).__name__, f"cannot write the snapshot: {error}"))
    except BaseException as error:  # interrupted (Ctrl-C) or a bug: the manifest must not say complete
        manifest.failed.append(Failure("-", "*", "interrupted", type(error).__name__, f"the snapshot stopped: {error!r}"))
        raise
    finally:
        manifest.finished = _now()
        (out / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest
