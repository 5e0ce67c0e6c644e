"""Value types shared by every part of the model: CIDRs, addresses, protocols, port ranges.

Addresses are netaddr types. Each annotated type parses the text a user writes and
serialises back to the same text, so a design survives a write/read round trip.
"""

from __future__ import annotations

import functools
import re
import socket
from typing import Annotated, Any, Literal, Optional

from netaddr import AddrFormatError, IPAddress, IPNetwork
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

__all__ = [
    "Cidr",
    "Address",
    "CidrOrName",
    "Protocol",
    "PortRange",
    "Ports",
    "Strict",
    "parse_cidr",
    "parse_protocol",
    "parse_port_range",
    "protocol_name",
    "looks_like_address",
]


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, netaddr values are allowed.

    >>> class Demo(Strict):
    ...     a: int = 0
    >>> Demo(a=1).a
    1
    """

    model_config = ConfigDict(
        extra="forbid", arbitrary_types_allowed=True, populate_by_name=True, validate_default=True
    )

    def __eq__(self, other: object) -> bool:
        # Content equality: which fields were written explicitly does not matter.
        if type(self) is not type(other):
            return NotImplemented
        return self.__dict__ == other.__dict__ and self.__pydantic_private__ == other.__pydantic_private__

    __hash__ = None  # type: ignore[assignment]


_ADDRESS_LIKE = re.compile(r"^[0-9]+(\.[0-9]+){1,3}(/[0-9]+)?$|^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(/[0-9]+)?$")


def looks_like_address(text: str) -> bool:
    """True when ``text`` is written like an IP address or CIDR (even an invalid one).

    >>> looks_like_address("10.0.0.0/33"), looks_like_address("web-sg")
    (True, False)
    """
    return bool(_ADDRESS_LIKE.match(text.strip()))


def parse_cidr(value: Any) -> IPNetwork:
    """Parse an IPv4/IPv6 CIDR; a bare address becomes a /32 or /128. Host bits are rejected.

    vpckit rejects host bits rather than silently canonicalising (aws-semantics CIDR-02),
    because ``10.0.1.5/24`` is almost always a typo for something else.

    >>> parse_cidr("10.0.0.0/16")
    IPNetwork('10.0.0.0/16')
    >>> parse_cidr("10.0.0.5")
    IPNetwork('10.0.0.5/32')
    """
    if isinstance(value, IPNetwork):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a CIDR such as 10.0.0.0/16, got {value!r}")
    return _parse_cidr_text(value.strip())


@functools.lru_cache(maxsize=1 << 16)
def _parse_cidr_text(text: str) -> IPNetwork:
    # Designs repeat their CIDRs (a 50k-interface organisation: 16,500 written, 2,100 distinct); the values
    # are shared, and never changed in place anywhere in vpckit.
    try:
        if "/" not in text:
            address = IPAddress(text)
            return IPNetwork(f"{address}/{32 if address.version == 4 else 128}")
        network = IPNetwork(text)
        prefix = int(text.rsplit("/", 1)[1])
    except (AddrFormatError, ValueError, TypeError):
        raise ValueError(f"{text!r} is not a valid CIDR (expected e.g. 10.0.0.0/16 or 2600:1f18::/56)") from None
    if network.prefixlen != prefix:
        raise ValueError(f"{text!r} is not a valid CIDR (prefix length out of range)")
    if network.ip != network.network:
        raise ValueError(
            f"{text!r} has host bits set (aws-semantics CIDR-02); did you mean {network.cidr}?"
        )
    return network


def _parse_address(value: Any) -> IPAddress:
    if isinstance(value, IPAddress):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an IP address such as 10.0.1.10, got {value!r}")
    try:
        # inet_pton reads exactly the dotted quads netaddr reads, twice as fast (50k addresses per design)
        return IPAddress(int.from_bytes(socket.inet_pton(socket.AF_INET, value), "big"), 4)
    except (OSError, ValueError):
        pass
    try:
        return IPAddress(value.strip())
    except (AddrFormatError, ValueError, TypeError):
        raise ValueError(f"{value!r} is not a valid IP address") from None


def _parse_cidr_or_name(value: Any) -> IPNetwork | str:
    if isinstance(value, IPNetwork):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a CIDR or a name, got {value!r}")
    if looks_like_address(value):
        return parse_cidr(value)
    return value.strip()


_str_schema = WithJsonSchema({"type": "string"})

Cidr = Annotated[IPNetwork, BeforeValidator(parse_cidr), PlainSerializer(str, return_type=str), _str_schema]
"""An IPv4 or IPv6 network, written ``10.0.0.0/16``."""

def _address_text(value: Any) -> Any:
    # In a union such as `Address | bool` pydantic may hand the other branch's value here too.
    return value if isinstance(value, bool) or value is None else str(value)


Address = Annotated[IPAddress, BeforeValidator(_parse_address), PlainSerializer(_address_text), _str_schema]
"""A single IPv4 or IPv6 address."""

CidrOrName = Annotated[
    IPNetwork | str, BeforeValidator(_parse_cidr_or_name), PlainSerializer(str, return_type=str), _str_schema
]
"""Either a CIDR or the name/id of another resource (a prefix list, a security group...)."""


PROTOCOL_NUMBERS = {"all": -1, "-1": -1, "icmp": 1, "tcp": 6, "udp": 17, "icmpv6": 58, "esp": 50, "ah": 51, "gre": 47}
PROTOCOL_NAMES = {-1: "all", 1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6"}


def parse_protocol(value: Any) -> int:
    """IANA protocol number from a name (``tcp``), a number or ``-1``/``all``.

    >>> parse_protocol("tcp"), parse_protocol("all"), parse_protocol(50), parse_protocol("-1")
    (6, -1, 50, -1)
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a protocol name or number, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip().lower()
        if text in PROTOCOL_NUMBERS:
            return PROTOCOL_NUMBERS[text]
        if not text.lstrip("-").isdigit():
            raise ValueError(
                f"unknown protocol {value!r}; expected tcp, udp, icmp, icmpv6, all, or an IP protocol number 0-255"
            )
        number = int(text)
    else:
        raise ValueError(f"expected a protocol name or number, got {value!r}")
    if number != -1 and not 0 <= number <= 255:
        raise ValueError(f"protocol number {number} is out of range 0-255 (or -1 for all)")
    return number


def protocol_name(number: int) -> str:
    """Readable name of a protocol number.

    >>> protocol_name(6), protocol_name(-1), protocol_name(50)
    ('tcp', 'all', '50')
    """
    return PROTOCOL_NAMES.get(number, str(number))


Protocol = Annotated[
    int,
    BeforeValidator(parse_protocol),
    PlainSerializer(protocol_name, return_type=str),
    WithJsonSchema({"type": "string"}),
]
"""An IP protocol: ``tcp``, ``udp``, ``icmp``, ``icmpv6``, ``all`` (-1) or a number 0-255."""


class PortRange(Strict):
    """An inclusive port range. Written ``443``, ``"1024-65535"`` or ``[1024, 65535]``.

    >>> PortRange(low=80, high=90).to_text(), PortRange(low=443, high=443).to_text()
    ('80-90', '443')
    """

    low: int
    high: int

    def to_text(self) -> str:
        """``"443"`` or ``"1024-65535"``."""
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"

    def __contains__(self, port: int) -> bool:
        return self.low <= port <= self.high

    def __str__(self) -> str:
        return self.to_text()


def parse_port_range(value: Any) -> PortRange:
    """Parse ``443``, ``"80-90"``, ``[80, 90]`` or ``{low, high}`` into a :class:`PortRange`.

    >>> parse_port_range("1024-65535")
    PortRange(low=1024, high=65535)
    """
    if isinstance(value, PortRange):
        return value
    low: Any
    high: Any
    if isinstance(value, bool):
        raise ValueError(f"expected a port or a range lo-hi, got {value!r}")
    if isinstance(value, int):
        low = high = value
    elif isinstance(value, str):
        text = value.strip()
        if text in ("all", "any", "*"):
            low, high = 0, 65535
        elif "-" in text.lstrip("-"):
            low_text, high_text = text.split("-", 1)
            if not (low_text.strip().isdigit() and high_text.strip().isdigit()):
                raise ValueError(f"expected a port or a range lo-hi, got {value!r}")
            low, high = int(low_text), int(high_text)
        elif text.isdigit():
            low = high = int(text)
        else:
            raise ValueError(f"expected a port or a range lo-hi, got {value!r}")
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        low, high = value
    elif isinstance(value, dict) and set(value) == {"low", "high"}:
        low, high = value["low"], value["high"]
    else:
        raise ValueError(f"expected a port or a range lo-hi, got {value!r}")
    if not (isinstance(low, int) and isinstance(high, int)) or isinstance(low, bool) or isinstance(high, bool):
        raise ValueError(f"expected a port or a range lo-hi, got {value!r}")
    if not (0 <= low <= 65535 and 0 <= high <= 65535):
        shown = f"port {low}" if low == high else f"port range {low}-{high}"
        raise ValueError(f"{shown} is outside 0-65535")
    if low > high:
        raise ValueError(f"port range {low}-{high} is empty (low > high)")
    return PortRange(low=low, high=high)


Ports = Annotated[
    PortRange,
    BeforeValidator(parse_port_range),
    PlainSerializer(lambda p: p.low if p.low == p.high else p.to_text()),
    WithJsonSchema({"type": ["string", "integer"]}),
]
"""A port or port range as written in a design."""

def parse_traffic(value: Any) -> tuple[int, PortRange | None]:
    """``tcp/5432``, ``udp/1024-65535``, ``icmp``, ``all`` or ``47``: a protocol and, for TCP/UDP, its ports.

    >>> parse_traffic("tcp/5432"), parse_traffic("icmp")
    ((6, PortRange(low=5432, high=5432)), (1, None))
    """
    if not isinstance(value, str):
        raise ValueError(f"expected PROTOCOL/PORTS such as tcp/5432, got {value!r}")
    protocol_text, _, ports_text = value.strip().partition("/")
    protocol = parse_protocol(protocol_text)
    if not ports_text:
        return protocol, (PortRange(low=0, high=65535) if protocol in (6, 17) else None)
    if protocol not in (6, 17):
        raise ValueError(f"{value!r}: only tcp and udp have ports; write {protocol_text} alone")
    return protocol, parse_port_range(ports_text)


def _checked_traffic(value: Any) -> str:
    parse_traffic(value)
    return value.strip()


Traffic = Annotated[str, BeforeValidator(_checked_traffic)]
"""A protocol and its ports as one string: ``tcp/443``, ``udp/53``, ``tcp/1024-65535``, ``icmp``, ``all``."""

Action = Literal["allow", "deny"]


def _icmp_number(value: int | None) -> int | None:
    if value is not None and not -1 <= value <= 255:
        raise ValueError(f"{value} is outside 0-255 (or -1 for every type or code); AWS refuses it")
    return value


IcmpNumber = Annotated[Optional[int], AfterValidator(_icmp_number)]
"""An ICMP type or code: 0-255, or -1 (or omitted) for all of them (NACL-09, SG-02)."""
