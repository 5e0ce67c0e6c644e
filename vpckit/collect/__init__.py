"""Collecting from live AWS: ``vpckit snapshot`` writes an account's network as JSON files.

Only read-only calls are made (the list is :data:`CALLS`, the IAM policy that allows exactly
them is ``iam/vpckit-snapshot-policy.json``). The output is read back by the snapshot reader,
so a snapshot can be analysed offline, diffed, and attached to a ticket.

>>> from vpckit.collect import CALLS, required_actions
>>> len(required_actions()) == len({c.action for c in CALLS}) + 2  # + sts identity, ec2 regions
True
"""

from .calls import ACCOUNT_CALL, CALLS, REGIONS_CALL, Call, required_actions
from .snapshot import MANIFEST, Failure, Manifest, take_snapshot

__all__ = [
    "ACCOUNT_CALL",
    "CALLS",
    "REGIONS_CALL",
    "Call",
    "required_actions",
    "MANIFEST",
    "Failure",
    "Manifest",
    "take_snapshot",
]
