"""Pattern detectors for IP addresses and identifiers carried inside URLs."""

from __future__ import annotations

import ipaddress

from processors.detect.base import Pattern
from processors.detect.rx import verbose
from processors.detect.validators import Cues, is_glued
from processors.entities import EntityType

VERSION = "1"

# --- IP addresses -----------------------------------------------------------

IPV4 = r"\b[0-9]{1,3}(?:\.[0-9]{1,3}){3}\b"  # octet ranges are checked later

IPV6 = verbose(
    r"""
    (?i)(?:
      (?:[0-9a-f]{0,4}:){2,6}[0-9]{1,3}(?:\.[0-9]{1,3}){3}\b  # IPv4 embedded
      |\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b                # all eight groups
      |\b(?:[0-9a-f]{1,4}:){1,7}:                            # groups, then ::
        (?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6}\b)?          # and maybe more
      |::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6}\b              # :: first
    )
    """
)

_INTERNAL_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
        "169.254.0.0/16",
        "fc00::/7",
        "fe80::/10",
    )
)
"""Private, shared and link-local ranges: infrastructure more than people."""

_IP_CUES = Cues(
    version=r"v|version|ver|build|release|firmware|fw|sdk|agent|revision|rev|oid"
    r"|snmp|chart|tag|image|package|pkg|semver"
)


def _score_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> float:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_unspecified or address.is_loopback or address.is_multicast:
        return 0.0
    if isinstance(address, ipaddress.IPv4Address) and address.is_reserved:
        return 0.0  # 240/4 holds the broadcast address and netmasks
    if any(address in network for network in _INTERNAL_NETWORKS):
        return 0.6
    return 1.0


def _is_network(text: str, end: int) -> bool:
    """Return True for a CIDR prefix such as ``10.0.0.0/8``: a range, no host."""
    return text[end : end + 1] == "/" and text[end + 1 : end + 2].isdigit()


def validate_ipv4(text: str, start: int, end: int) -> float | None:
    """Score an IPv4 address that is not part of a version or a longer name."""
    if is_glued(text, start, end) or _is_network(text, end):
        return None
    if _IP_CUES.nearest(text, start, width=12):
        return None
    try:
        address = ipaddress.IPv4Address(text[start:end])
    except ValueError:
        return None
    return _score_address(address) or None


def validate_ipv6(text: str, start: int, end: int) -> float | None:
    """Score an IPv6 address, full or compressed, checked by ``ipaddress``."""
    if is_glued(text, start, end, joiners=":.") or _is_network(text, end):
        return None
    try:
        address = ipaddress.IPv6Address(text[start:end])
    except ValueError:
        return None
    return _score_address(address) or None


# --- URLs -------------------------------------------------------------------

_QUERY_NAMES: dict[EntityType, str] = {
    EntityType.ID: r"patient[_-]?id|pid|patient|person[_-]?id|identifier",
    EntityType.MRN: r"mrn|medical[_-]?record(?:[_-]?(?:number|no|id))?",
    EntityType.SSN: r"ssn|social[_-]?security(?:[_-]?(?:number|no))?",
    EntityType.DATE: r"dob|birth[_-]?date|date[_-]?of[_-]?birth|birthday",
    EntityType.PERSON: r"(?:first|last|full|given|family|middle|patient|sur)?"
    r"[_-]?name|fname|lname",
    EntityType.EMAIL: r"e-?mail(?:[_-]?address)?",
    EntityType.PHONE: r"(?:mobile|cell|home|work)?[_-]?phone(?:[_-]?number)?"
    r"|tel|mobile",
    EntityType.MEMBER_ID: r"member[_-]?id|subscriber[_-]?id|policy[_-]?number"
    r"|insurance[_-]?id",
    EntityType.ADDRESS: r"address|addr|street|address[_-]?line[_-]?[12]|city",
    EntityType.ZIP: r"zip|zip[_-]?code|postal[_-]?code|postcode",
}
"""Query parameter names whose values are PHI, by the entity type they hold."""

_PATH_NAMES: dict[EntityType, str] = {
    EntityType.ID: r"patients?|persons?|people",
    EntityType.MEMBER_ID: r"members?|subscribers?|beneficiar(?:y|ies)|enrollees?",
    EntityType.MRN: r"mrns?|medical[_-]?records?",
}
"""Path segments after which the next segment identifies a patient."""


def query_regex(names: str) -> str:
    """Build the RE2 candidate for the values of the named query parameters."""
    return verbose(
        rf"""
        [?&;]                     # a query parameter starts
        (?i:{names})=             # with one of the names
        ([^&\#\s"'<>]+)           # group 1: the value, up to the next one
        """
    )


def path_regex(names: str) -> str:
    """Build the RE2 candidate for the path segment after a named segment."""
    return verbose(
        rf"""
        /(?i:{names})/            # a patient-ish collection
        ([^/?\#\s"'<>;,]+)        # group 1: the segment that names one
        """
    )


_PLACEHOLDERS = frozenset(
    ("null", "none", "nil", "undefined", "true", "false", "unknown", "n/a", "*")
)


def _is_placeholder(value: str) -> bool:
    lowered = value.lower()
    return lowered in _PLACEHOLDERS or lowered[0] in "{:$<" or "%7b" in lowered


def validate_query_value(text: str, start: int, end: int) -> float | None:
    """Score the value of a PHI-named query parameter unless it is a stand-in."""
    if _is_placeholder(text[start:end]):
        return None
    return 0.9


def validate_path_segment(text: str, start: int, end: int) -> float | None:
    """Score a path segment after a patient-ish one: an id, not a route word."""
    segment = text[start:end]
    if _is_placeholder(segment) or not any(char.isdigit() for char in segment):
        return None
    if segment[0] in "vV" and segment[1:].isdigit():
        return None  # an API version, as in /patients/v2/
    return 0.9


PATTERNS: list[Pattern] = [
    Pattern("ipv4", VERSION, EntityType.IP_ADDRESS, IPV4, validate_ipv4),
    Pattern("ipv6", VERSION, EntityType.IP_ADDRESS, IPV6, validate_ipv6),
    *(
        Pattern(
            f"url_query_{entity.lower()}",
            VERSION,
            entity,
            query_regex(names),
            validate_query_value,
            group=1,
        )
        for entity, names in _QUERY_NAMES.items()
    ),
    *(
        Pattern(
            f"url_path_{entity.lower()}",
            VERSION,
            entity,
            path_regex(names),
            validate_path_segment,
            group=1,
        )
        for entity, names in _PATH_NAMES.items()
    ),
]
