"""Every colour, shape and font of a vpckit diagram, in one place.

The group colours follow AWS's current architecture-icon palette, as published by AWS in
awslabs/aws-icons-for-plantuml (``dist/Groups/*.puml``, ``$AWSGroupColoring``): Region
``#00A4A6`` (AWS draws it dotted; vpckit dashes it so that it stays visible when scaled down),
VPC ``#8C4FFF``, Availability Zone ``#00A4A6`` dashed, public subnet ``#7AA116`` (green) and
private subnet ``#00A4A6`` (teal; the pre-2023 palette used blue ``#147EBA``). Resource colours
are AWS's service-category colours: compute ``#ED7100``, database ``#C925D1``, networking
``#8C4FFF``, general ``#232F3E``.
"""

from __future__ import annotations

FONT = "Helvetica"

AWS_CLOUD = "#232F3E"
REGION = "#00A4A6"
VPC = "#8C4FFF"
AVAILABILITY_ZONE = "#00A4A6"
PUBLIC_SUBNET = "#7AA116"
PRIVATE_SUBNET = "#00A4A6"
# Light fills so that labels stay readable on the subnet's colour.
PUBLIC_SUBNET_FILL = "#F2F6E8"
PRIVATE_SUBNET_FILL = "#E6F6F7"
ON_PREMISES = "#7D8998"

COMPUTE = "#ED7100"
DATABASE = "#C925D1"
NETWORKING = "#8C4FFF"
GENERAL = "#232F3E"
MUTED = "#5A6B7B"

FORWARD_PATH = "#D13212"
RETURN_PATH = "#1A73E8"
BLOCKED = "#D13212"

GRAPH = {
    "fontname": FONT,
    "fontsize": "12",
    "rankdir": "TB",
    "compound": "true",
    "nodesep": "0.3",
    "ranksep": "0.5",
    "pad": "0.3",
    "labelloc": "t",
    "labeljust": "l",
}
#: The organisation view: internet on the left, VPCs in a column per region, hubs on the right
#: (peering edges do not rank VPCs, so a long peering chain does not make the picture deep).
VPCS_VIEW = {"rankdir": "LR", "ranksep": "1.2"}
NODE = {"fontname": FONT, "fontsize": "10", "shape": "box", "style": "rounded", "margin": "0.1,0.04"}
EDGE = {"fontname": FONT, "fontsize": "9", "color": MUTED, "fontcolor": MUTED, "arrowsize": "0.7"}

CLUSTERS: dict[str, dict[str, str]] = {
    "cloud": {"color": AWS_CLOUD, "fontcolor": AWS_CLOUD, "style": "solid", "penwidth": "1.5", "fontsize": "14"},
    "region": {"color": REGION, "fontcolor": REGION, "style": "dashed", "penwidth": "1.5", "fontsize": "13"},
    "vpc": {"color": VPC, "fontcolor": VPC, "style": "solid", "penwidth": "2", "fontsize": "13"},
    "az": {"color": AVAILABILITY_ZONE, "fontcolor": AVAILABILITY_ZONE, "style": "dashed", "fontsize": "11"},
    "public": {"color": PUBLIC_SUBNET, "fontcolor": "#3F5410", "style": "filled", "fillcolor": PUBLIC_SUBNET_FILL,
               "fontsize": "11"},
    # AWS's architecture diagrams draw a security group as a red dashed box around its members
    "security-group": {"color": "#DD344C", "fontcolor": "#DD344C", "style": "dashed", "penwidth": "1.5"},
    "private": {"color": PRIVATE_SUBNET, "fontcolor": "#00676A", "style": "filled", "fillcolor": PRIVATE_SUBNET_FILL,
                "fontsize": "11"},
    "outside": {"color": ON_PREMISES, "fontcolor": ON_PREMISES, "style": "dashed", "fontsize": "12"},
    "legend": {"color": MUTED, "fontcolor": MUTED, "style": "solid", "fontsize": "11"},
}

#: Node attributes per kind (the network's node-kind words).
NODES: dict[str, dict[str, str]] = {
    "internet": {"shape": "ellipse", "style": "filled", "fillcolor": "#FFFFFF", "color": GENERAL, "penwidth": "1.5"},
    "onprem": {"shape": "box3d", "style": "solid", "color": ON_PREMISES},
    "igw": {"shape": "box", "style": "rounded,filled", "fillcolor": "#F4EEFF", "color": NETWORKING},
    "eigw": {"shape": "box", "style": "rounded,filled", "fillcolor": "#F4EEFF", "color": NETWORKING},
    "vgw": {"shape": "box", "style": "rounded,filled", "fillcolor": "#F4EEFF", "color": NETWORKING},
    "vpce": {"shape": "box", "style": "rounded,filled", "fillcolor": "#F4EEFF", "color": NETWORKING},
    # a box that says what the router sends over its peering connections (not a bare circle)
    "router": {"shape": "box", "style": "rounded", "color": NETWORKING, "fontsize": "8"},
    "tgw-attachment": {"shape": "box", "style": "rounded,filled", "fillcolor": "#F4EEFF", "color": NETWORKING,
                       "fontsize": "9"},
    "pcx": {"shape": "box", "style": "rounded,filled", "fillcolor": "#F4EEFF", "color": VPC, "penwidth": "1.5",
            "fontcolor": VPC, "fontsize": "9"},
    "tgw": {"shape": "hexagon", "style": "filled", "fillcolor": "#F4EEFF", "color": NETWORKING, "penwidth": "1.5"},
    "nat": {"shape": "box", "style": "rounded,filled", "fillcolor": "#FFFFFF", "color": NETWORKING},
    "eni": {"shape": "box", "style": "rounded,filled", "fillcolor": "#FFFFFF", "color": COMPUTE},
    "instance": {"shape": "box", "style": "rounded,filled", "fillcolor": "#FFFFFF", "color": COMPUTE},
    "lb": {"shape": "box", "style": "rounded,filled", "fillcolor": "#FFFFFF", "color": NETWORKING},
    "rds": {"shape": "cylinder", "style": "filled", "fillcolor": "#FFFFFF", "color": DATABASE},
    "endpoint": {"shape": "box", "style": "rounded,filled", "fillcolor": "#FFFFFF", "color": NETWORKING},
    "subnet": {"shape": "plain", "style": "", "fontsize": "9"},
    "subnet-box": {"shape": "box", "style": "filled"},
    "vpc": {"shape": "box", "style": "rounded,filled", "fillcolor": "#F4EEFF", "color": VPC, "penwidth": "2"},
    "blackhole": {"shape": "octagon", "style": "filled", "fillcolor": "#FDECEA", "color": BLOCKED},
}

#: Edge attributes per connection kind.
EDGES: dict[str, dict[str, str]] = {
    "default-route": {"style": "solid"},
    "route": {"style": "dotted", "constraint": "false"},
    "sg-ingress": {"color": "#7B2EDA", "fontcolor": "#7B2EDA"},
    "tier-route": {"style": "solid", "dir": "back"},
    "gateway": {"style": "solid", "dir": "both", "arrowhead": "none", "arrowtail": "none", "penwidth": "1.5",
                "color": NETWORKING},
    "peering": {"style": "bold", "dir": "both", "color": VPC, "fontcolor": VPC, "penwidth": "2"},
    "tgw-attachment": {"style": "bold", "dir": "both", "color": NETWORKING, "fontcolor": NETWORKING},
    "vpn": {"style": "dashed", "dir": "both", "color": ON_PREMISES, "fontcolor": ON_PREMISES},
    "lb-target": {"style": "solid", "color": NETWORKING, "fontcolor": NETWORKING},
    "forward": {"color": FORWARD_PATH, "fontcolor": FORWARD_PATH, "penwidth": "3", "constraint": "false"},
    "return": {"color": RETURN_PATH, "fontcolor": RETURN_PATH, "penwidth": "2", "style": "dashed",
               "constraint": "false"},
}

BLOCKER = {"color": BLOCKED, "penwidth": "3", "fontcolor": BLOCKED, "style": "rounded,filled,bold",
           "fillcolor": "#FDECEA"}
ON_PATH = {"penwidth": "2.5"}

#: The legend's rows, in order: (kind drawn, what it means). Node kinds are the keys of NODES (plus
#: ``public``/``private`` for subnet colours); ``edge:KIND`` are the keys of EDGES (plus
#: ``edge:inactive``). A diagram's legend lists only the kinds it draws.
LEGEND: tuple[tuple[str, str], ...] = (
    ("public", "public subnet: its route table sends traffic to an internet gateway"),
    ("private", "private subnet: no route to an internet gateway"),
    ("tgw-attachment", "transit gateway attachment, drawn in the VPC it attaches"),
    ("router", "VPC router: what it sends over peering connections"),
    ("pcx", "VPC peering connection between two VPCs' routers"),
    ("blackhole", "a default route that leads nowhere"),
    ("edge:gateway", "internet gateway to the internet"),
    ("edge:default-route", "a subnet's default route (0.0.0.0/0, else ::/0), from its target"),
    ("edge:route", "a subnet's other routes (their destinations), from their target"),
    ("edge:lb-target", "load balancer to a registered target (target group protocol, port)"),
    ("edge:peering", "VPC peering connection"),
    ("edge:tgw-attachment", "transit gateway attachment to its hub"),
    ("edge:vpn", "VPN or Direct Connect to on premises"),
    ("edge:inactive", "dashed: a connection that is not active or not available"),
    ("edge:forward", "path: the request, hop by hop (1, 2, ...)"),
    ("edge:return", "path: the reply (r1, r2, ...)"),
    ("blocker", "the component that blocks the path, with the reason"),
    ("security-group", "security group, around the interfaces that use it"),
    ("edge:sg-ingress", "an inbound rule: from a group, the internet or a CIDR, with the traffic it allows"),
    ("edge:tier-route", "the default route of a tier's subnets, with how many take it"),
)
#: The word in a node kind's legend sample.
LEGEND_WORDS: dict[str, str] = {
    "public": "public",
    "private": "private",
    "tgw-attachment": "tgw-attach",
    "router": "router",
    "blackhole": "no route",
    "blocker": "BLOCKED",
    "security-group": "group",
}
#: Attributes that make a legend sample look like what it stands for.
LEGEND_SAMPLES: dict[str, dict[str, str]] = {
    "public": {"shape": "box", "style": "filled", "color": PUBLIC_SUBNET, "fillcolor": PUBLIC_SUBNET_FILL,
               "fontcolor": "#3F5410"},
    "private": {"shape": "box", "style": "filled", "color": PRIVATE_SUBNET, "fillcolor": PRIVATE_SUBNET_FILL,
                "fontcolor": "#00676A"},
    "edge:inactive": {"style": "dashed", "color": NETWORKING, "dir": "both"},
    "security-group": {"shape": "box", "style": "dashed", "color": "#DD344C", "fillcolor": "#FFFFFF",
                       "fontcolor": "#DD344C"},
    "edge:sg-ingress": {"color": "#7B2EDA"},
    "blocker": {"shape": "box", **BLOCKER},
}
