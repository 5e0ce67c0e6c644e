"""Secrets an AWS describe call returns, removed before anything is written to disk.

``DescribeVpnConnections`` returns each VPN's ``CustomerGatewayConfiguration`` (an XML document with
the tunnels' pre-shared keys) and, in ``Options.TunnelOptions``, each ``PreSharedKey``. vpckit needs
none of them: they are replaced by a marker that says they were removed.
"""

from __future__ import annotations

from typing import Any

__all__ = ["SECRET_KEYS", "REDACTED", "redact"]

#: Keys whose values are secrets, wherever they appear in a describe response.
SECRET_KEYS = frozenset({"CustomerGatewayConfiguration", "PreSharedKey", "PreSharedKeyArn", "AuthKey",
                         "BgpAuthKey", "Password", "SecretAccessKey", "SessionToken"})
REDACTED = "(removed by vpckit snapshot: a secret)"


def redact(value: Any) -> Any:
    """A copy of a describe response with every secret replaced by :data:`REDACTED`.

    >>> redact({"VpnConnections": [{"VpnConnectionId": "vpn-1", "CustomerGatewayConfiguration": "<xml>key</xml>",
    ...         "Options": {"TunnelOptions": [{"OutsideIpAddress": "1.2.3.4", "PreSharedKey": "s3cret"}]}}]})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'VpnConnections': [{'VpnConnectionId': 'vpn-1', 'CustomerGatewayConfiguration': '(removed by vpckit snapshot: a secret)',
      'Options': {'TunnelOptions': [{'OutsideIpAddress': '1.2.3.4', 'PreSharedKey': '(removed by vpckit snapshot: a secret)'}]}}]}
    """
    if isinstance(value, dict):
        return {k: (REDACTED if k in SECRET_KEYS and v not in (None, "") else redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value
