"""The resources of a VPC design, in AWS's own vocabulary.

Every resource lives in a dict keyed by its design name. ``id`` is the optional AWS id
(``subnet-0abc…``) and ``tags`` the AWS tags, so snapshots and imports keep what users
recognise. References between resources are by name (or AWS id); the ``network`` package
resolves them, the ``checks`` package reports the ones that do not resolve.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from .types import Action, Address, Cidr, CidrOrName, IcmpNumber, Ports, PortRange, Protocol, Strict, Traffic

Tags = dict[str, str]


class InlineSuppression(Strict):
    """A rule suppressed on the resource it is written on (and on its parts); the reason is mandatory.

    >>> InlineSuppression(rule="SG001", reason="bastion, reviewed").rule
    'SG001'
    """

    rule: str = Field(description="A rule id (SG001) or a glob over rule ids (SG00*)")
    reason: str = Field(min_length=1, description="Why this finding is accepted; shown in every report")


class Resource(Strict):
    """Fields every resource has."""

    id: str | None = Field(None, description="AWS id, e.g. subnet-0abc1234; optional in designs")
    tags: Tags = Field(default_factory=dict, description="AWS tags (Name, Tier, ...)")
    description: str | None = Field(None, description="Free text for readers of the design")
    suppress: list[InlineSuppression] = Field(
        default_factory=list, description="Validation rules accepted on this resource: [{rule, reason}]"
    )


# --------------------------------------------------------------------------- subnets


class Subnet(Resource):
    """A subnet: one AZ, one CIDR, one route table, one NACL (aws-semantics SUB-01..07).

    >>> Subnet(az="us-east-1a", cidr="10.0.1.0/24").route_table is None
    True
    """

    az: str = Field(description="Availability zone, e.g. us-east-1a")
    cidr: Cidr = Field(description="IPv4 CIDR, inside one of the VPC's CIDRs, /16 to /28")
    ipv6_cidr: Cidr | None = Field(None, description="IPv6 /64 inside the VPC's IPv6 block")
    route_table: str | None = Field(None, description="Route table name; the VPC's main table when omitted")
    network_acl: str | None = Field(
        None, alias="nacl", description="NACL name; the VPC's default NACL when omitted"
    )
    map_public_ip_on_launch: bool = Field(
        False, alias="auto_public_ip", description="Instances launched here get a public IPv4 (SUB-08)"
    )
    tier: str | None = Field(None, description="Optional tier label (public, app, db); used by multi-AZ checks")


# --------------------------------------------------------------------------- routing

RouteOrigin = Literal["static", "propagated"]
RouteState = Literal["active", "blackhole"]


class Route(Strict):
    """One route: a destination (CIDR or prefix list) and exactly one target.

    ``target`` is ``local``, ``blackhole`` or the name/id of an internet gateway, egress-only
    gateway, NAT gateway, transit gateway, peering connection, network interface, instance,
    VPC endpoint or VPN gateway (aws-semantics RT-09).

    >>> Route(destination="0.0.0.0/0", target="igw").state
    'active'
    """

    destination: CidrOrName = Field(description="A CIDR, or the name/id of a managed prefix list")
    target: str = Field(description="local, blackhole, or the name/id of a gateway, NAT, pcx, tgw, ENI, instance...")
    origin: RouteOrigin = Field("static", description="propagated routes come from a VGW (RT-07, RT-14)")
    state: RouteState = Field("active", description="blackhole: the target was deleted (RT-10)")


class RouteTable(Resource):
    """A route table. The local route(s) are implicit (RT-03); list only the others."""

    routes: list[Route] = Field(default_factory=list)
    propagating_vpn_gateways: list[str] = Field(
        default_factory=list, description="VPN gateways whose routes propagate here (RT-14)"
    )
    edge_associations: list[str] = Field(
        default_factory=list, description="Internet/VPN gateways this table is edge-associated with (RT-11)"
    )


# --------------------------------------------------------------------------- gateways


class InternetGateway(Resource):
    """An internet gateway attached to the VPC it is declared in (IGW-01)."""


class EgressOnlyInternetGateway(Resource):
    """An IPv6 egress-only internet gateway (IGW-07)."""


class VpnGateway(Resource):
    """A virtual private gateway attached to the VPC, with the on-premises CIDRs it learns."""

    remote_cidrs: list[Cidr] = Field(
        default_factory=list, description="On-premises networks reached through the VPN (propagated routes)"
    )
    asn: int | None = None


NatState = Literal["available", "pending", "failed", "deleting", "deleted"]


class NatGateway(Resource):
    """A NAT gateway (NAT-01..06). Public ones need an elastic IP and a subnet routed to an IGW."""

    subnet: str
    connectivity: Literal["public", "private"] = "public"
    private_ip: Address | None = None
    elastic_ip: Address | None = Field(None, description="The public address; assigned one is assumed when omitted")
    state: NatState = "available"


# --------------------------------------------------------------------------- filters


class NaclRule(Strict):
    """A numbered NACL entry (NACL-02..04). ``ports`` is ignored for protocols other than tcp/udp (NACL-09).

    >>> NaclRule(rule=100, protocol="tcp", ports="443", cidr="0.0.0.0/0").action
    'allow'
    """

    rule: int = Field(description="Rule number 1-32766; lower numbers are evaluated first")
    protocol: Protocol = "all"
    ports: Ports | None = Field(None, description="Port range for tcp/udp")
    icmp_type: IcmpNumber = Field(None, description="ICMP type 0-255, -1 or omitted for all")
    icmp_code: IcmpNumber = Field(None, description="ICMP code 0-255, -1 or omitted for all")
    cidr: Cidr = Field(description="Source (ingress) or destination (egress) CIDR")
    action: Action = "allow"


class NetworkAcl(Resource):
    """A network ACL: separate ingress and egress lists, first match by rule number, implicit deny."""

    ingress: list[NaclRule] = Field(default_factory=list)
    egress: list[NaclRule] = Field(default_factory=list)


class SecurityGroupRule(Strict):
    """One security-group rule: protocol, ports (or ICMP type/code) and one peer (SG-02)."""

    protocol: Protocol = "all"
    ports: Ports | None = Field(None, description="Port range for tcp/udp; ignored for all/other protocols")
    icmp_type: IcmpNumber = None
    icmp_code: IcmpNumber = None
    description: str | None = None


class IngressRule(SecurityGroupRule):
    """An inbound rule. ``source`` is a CIDR, a prefix list, or a security group (``vpc/name`` across peering)."""

    source: CidrOrName


class EgressRule(SecurityGroupRule):
    """An outbound rule. ``destination`` is a CIDR, a prefix list, or a security group."""

    destination: CidrOrName


def _allow_all_ipv4_egress() -> list[EgressRule]:
    return [EgressRule(protocol="all", destination="0.0.0.0/0")]


class SecurityGroup(Resource):
    """A security group. A new group allows all outbound IPv4 and no inbound (SG-03)."""

    ingress: list[IngressRule] = Field(default_factory=list)
    egress: list[EgressRule] = Field(default_factory=_allow_all_ipv4_egress)


# --------------------------------------------------------------------------- compute and interfaces

InstanceState = Literal["running", "pending", "stopping", "stopped", "shutting-down", "terminated"]
ClientOs = Literal["linux", "windows"]


class Interface(Resource):
    """Addressing and filtering shared by instances and network interfaces."""

    subnet: str
    private_ip: Address | None = Field(None, description="Primary private IPv4; the first free address when omitted")
    secondary_private_ips: list[Address] = Field(default_factory=list)
    ipv6_addresses: list[Address] = Field(default_factory=list)
    public_ip: Address | bool | None = Field(
        None, description="true: an auto-assigned public IPv4; an address: that public IPv4; omitted: the subnet default"
    )
    elastic_ip: Address | None = Field(None, description="An elastic IP associated with the primary address")
    security_groups: list[str] = Field(default_factory=list, description="Group names; the VPC default group when empty")
    source_dest_check: bool = Field(True, description="Disable for NAT instances, routers and firewalls (ENI-01)")


class Instance(Interface):
    """An EC2 instance and its primary network interface."""

    state: InstanceState = "running"
    os: ClientOs = Field("linux", description="Decides the client's ephemeral ports (aws-semantics 1.7)")


InterfaceType = Literal[
    "interface",
    "nat_gateway",
    "vpc_endpoint",
    "load_balancer",
    "lambda",
    "rds",
    "efs",
    "transit_gateway",
    "other",
]


class NetworkInterface(Interface):
    """An elastic network interface; ``instance`` attaches it to an instance as a secondary interface."""

    instance: str | None = Field(None, description="The instance it is attached to; detached when omitted")
    interface_type: InterfaceType = "interface"
    status: Literal["in-use", "available"] | None = None


class VpcEndpoint(Resource):
    """A VPC endpoint (VPCE-01..06). Gateway endpoints name route tables, interface endpoints subnets.

    ``gateway_load_balancer`` and ``network_firewall`` endpoints are route targets that hand traffic
    to an inspection appliance (VPCE-06): vpckit follows the path around them but cannot know the
    appliance's own rules, so answers through them are ``undetermined``.
    """

    service: str = Field(description="Service name, e.g. com.amazonaws.us-east-1.s3 or s3")
    type: Literal["gateway", "interface", "gateway_load_balancer", "network_firewall"] = Field(
        "interface", description="gateway_load_balancer and network_firewall endpoints: one subnet, traffic "
        "inspected by an appliance vpckit cannot see (answers through them are undetermined)")
    route_tables: list[str] = Field(default_factory=list, description="Gateway endpoints: route tables that get the route")
    prefix_list: str | None = Field(None, description="Gateway endpoints: the service's prefix list name/id")
    subnets: list[str] = Field(default_factory=list, description="Interface endpoints: one subnet per AZ")
    security_groups: list[str] = Field(default_factory=list)
    private_ips: list[Address] = Field(default_factory=list, description="Interface endpoints: one per subnet, in order")
    ports: list[Ports] = Field(
        default_factory=lambda: [PortRange(low=443, high=443)], description="Ports the service answers on"
    )
    state: Literal["available", "pending", "deleted", "failed", "rejected"] = "available"


# --------------------------------------------------------------------------- load balancers


class Listener(Strict):
    """A load balancer listener and the target group it forwards to."""

    protocol: Literal["HTTP", "HTTPS", "TCP", "UDP", "TLS", "TCP_UDP"] = "HTTPS"
    port: int
    target_group: str | None = None

    @field_validator("protocol", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


class TargetGroup(Resource):
    """A target group: the targets (instance names/ids or IPs) and the port traffic goes to."""

    protocol: Literal["HTTP", "HTTPS", "TCP", "UDP", "TLS", "TCP_UDP"] = "HTTP"
    port: int
    targets: list[str] = Field(default_factory=list)
    health_check_port: int | None = None
    preserve_client_ip: bool | None = Field(
        None, description="Network load balancers: targets see the client's address (default: on for instance "
        "targets and for UDP/TCP_UDP, off for IP targets over TCP/TLS)")

    @field_validator("protocol", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


class LoadBalancer(Resource):
    """An application or network load balancer with one interface per subnet."""

    type: Literal["application", "network"] = "application"
    scheme: Literal["internet-facing", "internal"] = "internet-facing"
    subnets: list[str]
    security_groups: list[str] = Field(default_factory=list, description="ALBs (and optionally NLBs)")
    listeners: list[Listener] = Field(default_factory=list)
    private_ips: list[Address] = Field(default_factory=list, description="One per subnet, in order; first free when omitted")
    public_ips: list[Address] = Field(default_factory=list)


# --------------------------------------------------------------------------- managed interfaces


class DbSubnetGroup(Resource):
    """An RDS subnet group: the subnets (in two or more AZs) an RDS instance may be placed in."""

    subnets: list[str]


class RdsInstance(Resource):
    """An RDS database instance: an ENI in one subnet of its subnet group."""

    engine: str = "postgres"
    port: int = 5432
    subnet_group: str
    subnet: str | None = Field(None, description="Where its ENI is; the group's first subnet when omitted")
    private_ip: Address | None = None
    security_groups: list[str] = Field(default_factory=list)
    publicly_accessible: bool = False
    multi_az: bool = False


class LambdaFunction(Resource):
    """A Lambda function attached to a VPC: an ENI in each of its subnets."""

    subnets: list[str]
    security_groups: list[str] = Field(default_factory=list)


class EfsMountTarget(Resource):
    """An EFS mount target: an ENI in one subnet answering NFS (tcp/2049)."""

    subnet: str
    private_ip: Address | None = None
    security_groups: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- VPC


class FlowLog(Resource):
    """A VPC flow log (readers of snapshots and infrastructure code fill these in)."""

    traffic_type: Literal["ALL", "ACCEPT", "REJECT"] = "ALL"
    destination_type: Literal["cloud-watch-logs", "s3", "kinesis-data-firehose"] = "cloud-watch-logs"
    destination: str | None = Field(None, description="Log group name or bucket/stream ARN")


class Vpc(Resource):
    """A VPC and everything that lives inside it.

    Defaults follow AWS: a ``main`` route table (local routes only), a ``default`` NACL that
    allows all, and a ``default`` security group whose members may talk to each other (SG-04).

    >>> vpc = Vpc(cidr="10.0.0.0/16")
    >>> sorted(vpc.route_tables), sorted(vpc.network_acls), sorted(vpc.security_groups)
    (['main'], ['default'], ['default'])
    """

    cidr: Cidr = Field(description="Primary IPv4 CIDR, /16 to /28")
    secondary_cidrs: list[Cidr] = Field(default_factory=list)
    ipv6_cidrs: list[Cidr] = Field(default_factory=list)
    region: str | None = Field(None, description="Overrides the design's region")
    account: str | None = None
    internet_gateways: dict[str, InternetGateway] = Field(
        default_factory=dict, description="Attached IGWs (AWS allows one); `internet_gateway: NAME` is shorthand"
    )
    egress_only_internet_gateways: dict[str, EgressOnlyInternetGateway] = Field(default_factory=dict)
    vpn_gateways: dict[str, VpnGateway] = Field(default_factory=dict)
    subnets: dict[str, Subnet] = Field(default_factory=dict)
    route_tables: dict[str, RouteTable] = Field(default_factory=dict)
    main_route_table: str = "main"
    network_acls: dict[str, NetworkAcl] = Field(default_factory=dict, alias="nacls")
    default_network_acl: str = Field("default", alias="default_nacl")
    security_groups: dict[str, SecurityGroup] = Field(default_factory=dict)
    default_security_group: str = "default"
    nat_gateways: dict[str, NatGateway] = Field(default_factory=dict)
    instances: dict[str, Instance] = Field(default_factory=dict)
    network_interfaces: dict[str, NetworkInterface] = Field(default_factory=dict)
    endpoints: dict[str, VpcEndpoint] = Field(default_factory=dict)
    load_balancers: dict[str, LoadBalancer] = Field(default_factory=dict)
    target_groups: dict[str, TargetGroup] = Field(default_factory=dict)
    db_subnet_groups: dict[str, DbSubnetGroup] = Field(default_factory=dict)
    rds_instances: dict[str, RdsInstance] = Field(default_factory=dict)
    lambda_functions: dict[str, LambdaFunction] = Field(default_factory=dict)
    efs_mount_targets: dict[str, EfsMountTarget] = Field(default_factory=dict)
    flow_logs: dict[str, FlowLog] | None = Field(
        default_factory=dict,
        description="Flow logs capturing this VPC's traffic (VPC009); none when omitted, null when unknown "
        "(a snapshot without describe-flow-logs)",
    )
    is_default: bool = Field(False, description="The Region's default VPC (AWS IsDefault; VPC008)")

    @model_validator(mode="before")
    @classmethod
    def _shorthands(cls, data: object) -> object:
        """``internet_gateway: igw`` / ``egress_only_internet_gateway`` / ``vpn_gateway`` shorthands."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for short, full in (
            ("internet_gateway", "internet_gateways"),
            ("egress_only_internet_gateway", "egress_only_internet_gateways"),
            ("vpn_gateway", "vpn_gateways"),
        ):
            if short in data:
                value = data.pop(short)
                if value is None:
                    continue
                if full in data:
                    raise ValueError(f"give either {short} or {full}, not both")
                if isinstance(value, str):
                    data[full] = {value: {}}
                elif isinstance(value, dict) and isinstance(value.get("name"), str):
                    body = {k: v for k, v in value.items() if k != "name"}
                    data[full] = {value["name"]: body}
                else:
                    raise ValueError(f"{short} must be a name, or a mapping with a name")
        return data

    @model_validator(mode="after")
    def _aws_defaults(self) -> Vpc:
        """Materialise AWS's defaults: main route table, default NACL, default security group."""
        if self.main_route_table not in self.route_tables:
            self.route_tables[self.main_route_table] = RouteTable()
        if self.default_network_acl not in self.network_acls:
            self.network_acls[self.default_network_acl] = default_network_acl(has_ipv6=bool(self.ipv6_cidrs))
        if self.default_security_group not in self.security_groups:
            self.security_groups[self.default_security_group] = default_security_group(
                self.default_security_group, has_ipv6=bool(self.ipv6_cidrs)
            )
        return self

    @property
    def cidrs(self) -> list:
        """Every IPv4 CIDR of the VPC, primary first."""
        return [self.cidr, *self.secondary_cidrs]


def default_network_acl(has_ipv6: bool) -> NetworkAcl:
    """AWS's default NACL: rule 100 allows all IPv4 (101 all IPv6) both ways (NACL-05).

    >>> [r.rule for r in default_network_acl(True).ingress]
    [100, 101]
    """
    rules = [NaclRule(rule=100, protocol="all", cidr="0.0.0.0/0", action="allow")]
    if has_ipv6:
        rules.append(NaclRule(rule=101, protocol="all", cidr="::/0", action="allow"))
    return NetworkAcl(ingress=list(rules), egress=[r.model_copy() for r in rules])


def default_security_group(name: str, has_ipv6: bool) -> SecurityGroup:
    """AWS's default group: all inbound from itself, all outbound (SG-04).

    >>> default_security_group("default", False).ingress[0].source
    'default'
    """
    egress = _allow_all_ipv4_egress()
    if has_ipv6:
        egress.append(EgressRule(protocol="all", destination="::/0"))
    return SecurityGroup(ingress=[IngressRule(protocol="all", source=name)], egress=egress)


# --------------------------------------------------------------------------- between VPCs

PeeringState = Literal[
    "initiating-request", "pending-acceptance", "provisioning", "active", "deleting", "deleted",
    "rejected", "failed", "expired",
]


class PeeringConnection(Resource):
    """A VPC peering connection between two VPCs of the design (PCX-01..10)."""

    requester: str = Field(description="Requester VPC name/id")
    accepter: str = Field(description="Accepter VPC name/id")
    state: PeeringState = "active"


class TransitGatewayAttachment(Resource):
    """An attachment of a VPC (or VPN, peering) to a transit gateway (TGW-02, TGW-03)."""

    type: Literal["vpc", "vpn", "peering", "direct-connect-gateway", "connect"] = "vpc"
    vpc: str | None = Field(None, description="For VPC attachments: the VPC name/id")
    subnets: list[str] = Field(default_factory=list, description="One subnet per AZ the attachment serves")
    route_table: str | None = Field(None, description="The TGW route table it is associated with")
    propagate_to: list[str] = Field(default_factory=list, description="TGW route tables it propagates its CIDRs to")
    remote_cidrs: list[Cidr] = Field(default_factory=list, description="For VPN attachments: on-premises networks")
    appliance_mode: bool = False
    security_group_referencing: bool = False
    state: Literal["available", "pending", "deleted", "deleting", "failed", "rejected", "pendingAcceptance"] = "available"
    peer: str | None = Field(None, description="For peering attachments: the peer transit gateway (name or id); its "
                             "own attachment of the same peering is the one whose peer is this transit gateway")


class TransitGatewayRoute(Strict):
    """A TGW route: a destination and an attachment, or ``blackhole: true`` (TGW-04)."""

    destination: CidrOrName
    attachment: str | None = None
    blackhole: bool = False
    origin: RouteOrigin = "static"

    @model_validator(mode="after")
    def _one_target(self) -> TransitGatewayRoute:
        if self.blackhole == (self.attachment is not None):
            raise ValueError("a transit gateway route needs exactly one of attachment or blackhole: true")
        return self


class TransitGatewayRouteTable(Resource):
    """A TGW route table: static routes here, propagated ones come from attachments."""

    routes: list[TransitGatewayRoute] = Field(default_factory=list)


class TransitGateway(Resource):
    """A transit gateway with its attachments and route tables."""

    region: str | None = None
    asn: int | None = None
    attachments: dict[str, TransitGatewayAttachment] = Field(default_factory=dict)
    route_tables: dict[str, TransitGatewayRouteTable] = Field(default_factory=dict)
    auto_accept_shared_attachments: bool = Field(
        False, description="Attachments from other accounts are accepted without review (NET003)"
    )


class ElasticIp(Resource):
    """An elastic IP address and what it is associated with (none: allocated but unused, NET004)."""

    address: Address | None = None
    vpc: str | None = Field(None, description="The VPC of the resource it is associated with")
    instance: str | None = Field(None, description="Associated instance name/id")
    network_interface: str | None = Field(None, description="Associated network interface name/id")
    nat_gateway: str | None = Field(None, description="NAT gateway using it")
    released: bool = Field(False, description="The address was released to AWS when the resource holding it was "
                           "deleted: whoever holds it now is not in the input (answers to it are undetermined)")


class PrefixList(Resource):
    """A managed prefix list (AWS-managed like S3's, or customer-managed)."""

    cidrs: list[Cidr] = Field(default_factory=list, alias="entries")
    max_entries: int | None = None
    address_family: Literal["IPv4", "IPv6"] = "IPv4"


class OnPremisesNetwork(Resource):
    """A network outside AWS (a data centre, an office) reached over VPN or Direct Connect."""

    cidrs: list[Cidr]
    via: str | None = Field(None, description="VPN gateway or transit gateway attachment it is reached through")
    state: Literal["available", "down"] = Field(
        "available", description="down: every tunnel of its VPN connection is DOWN, so nothing crosses (BAD_STATE_VPN)")


# --------------------------------------------------------------------------- expectations

#: ``undetermined``: every setting vpckit can see lets the flow through, and an appliance it cannot see
#: (behind a Gateway Load Balancer or Network Firewall endpoint) decides.
Verdict = Literal["reachable", "partial", "undetermined", "unreachable"]


class Expectation(Strict):
    """A reachability question with the answer the design's author expects, or an intent about sets of flows.

    Four forms (``docs/design-format.md``):

    - one flow: ``{from: app-1, to: orders-db, ports: tcp/5432, expect: reachable}`` (or ``protocol``/``port``);
    - isolation: ``{from: tier:dev, to: tier:prod, expect: isolated}`` (nothing of the one reaches the other);
    - the only sources: ``{to: orders-db, only_from: [tier:app], ports: tcp/5432}``;
    - the whole exposure: ``{from: internet, exposes: [web:tcp/443]}`` (that, and nothing else).

    ``from``, ``to`` and ``only_from`` take selectors: a name, ``tier:``, ``vpc:``, ``subnet:``, ``sg:``,
    ``tag:Key=Value``, a CIDR or ``internet``.

    >>> Expectation.model_validate({"from": "internet", "to": "web-1", "port": 443, "expect": "reachable"}).protocol
    6
    >>> Expectation.model_validate({"to": "db", "only_from": ["tier:app"], "ports": "tcp/5432"}).form
    'only_from'
    """

    name: str | None = None
    source: str | None = Field(None, alias="from", description="A selector: a design name, AWS id, IP address, "
                               "`internet`, `tier:`, `vpc:`, `subnet:`, `sg:`, `tag:Key=Value` or a CIDR")
    destination: str | None = Field(None, alias="to")
    protocol: Protocol = "tcp"
    port: Ports | None = None
    ports: list[Traffic] | None = Field(None, description="`tcp/5432`, `udp/53`, `icmp`, `all`: a string or a list")
    icmp_type: IcmpNumber = None
    icmp_code: IcmpNumber = None
    client_ports: Ports | None = None
    expect: Verdict | Literal["isolated"] | None = None
    only_from: list[str] | None = Field(None, description="The only sources allowed to reach `to` (on `ports`)")
    exposes: list[str] | None = Field(None, description="Everything `from` may reach, as `NAME:tcp/443` items")

    @field_validator("ports", mode="before")
    @classmethod
    def _one_or_many(cls, value):
        return [value] if isinstance(value, str) else value

    @field_validator("exposes", mode="before")
    @classmethod
    def _exposed(cls, value):
        from .types import parse_traffic

        for item in value if isinstance(value, list) else ():
            if not isinstance(item, str) or ":" not in item:
                raise ValueError(f"{item!r}: expected NAME:PROTOCOL/PORTS such as web:tcp/443")
            parse_traffic(item.rsplit(":", 1)[1])
        return value

    @model_validator(mode="after")
    def _one_form(self) -> "Expectation":
        form = self.form
        if form == "exposes":
            if self.destination is not None or self.only_from is not None or self.expect is not None:
                raise ValueError("`exposes` lists everything `from` reaches: give `from` and `exposes` only "
                                 "(no `to`, `only_from` or `expect`)")
        elif form == "only_from":
            if self.source is not None or self.expect is not None:
                raise ValueError("`only_from` names every source allowed to reach `to`: give `to` and `only_from` "
                                 "(and `ports`), no `from` or `expect`")
        elif self.source is None or self.destination is None:
            missing = "from" if self.source is None else "to"
            raise ValueError(f"`{missing}` is missing: an expectation needs `from` and `to` (or `to` with "
                             "`only_from`, or `from` with `exposes`)")
        if self.ports is not None and self.port is not None:
            raise ValueError("give `ports: tcp/443` or `protocol`/`port`, not both")
        return self

    @property
    def form(self) -> str:
        """``exposes``, ``only_from``, ``isolated`` or ``flow`` (one flow, with or without ``expect``)."""
        if self.exposes is not None:
            return "exposes"
        if self.only_from is not None:
            return "only_from"
        return "isolated" if self.expect == "isolated" else "flow"

    @property
    def label(self) -> str:
        """Its name, or a short description of it."""
        if self.name:
            return self.name
        if self.form == "exposes":
            return f"{self.source} exposes {', '.join(self.exposes or [])}"
        if self.form == "only_from":
            return f"only {', '.join(self.only_from or [])} reach {self.destination}"
        return f"{self.source} -> {self.destination}"
