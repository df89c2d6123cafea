"""Every finding code, once: where its severity is decided and what it means.

A code is a name (`Code.ACCESS_RESTRICTED` is the string "access_restricted",
so reports, JSON and the bot's stored rows stay plain strings). `SPECS`
says, for each code, the module whose constructor decides its severity,
whether it blocks renewal, whether it leaves the check inconclusive, whether
a retry could plausibly change it, and the parameters its words need (per
variant where the words differ). `tests/test_messages.py` renders every
catalogue entry with exactly these parameters, so the words and the
constructors cannot drift apart unnoticed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Mapping


class Code(enum.StrEnum):
    # The dry run of the challenge path and the site root (checks.findings.access, .http).
    ACCESS_RESTRICTED = "access_restricted"
    ACCESS_FORBIDDEN = "access_forbidden"
    HTTP_UNREACHABLE = "http_unreachable"
    IPV6_UNREACHABLE = "ipv6_unreachable"
    ADDRESSES_DISAGREE = "addresses_disagree"
    BAD_REDIRECT = "bad_redirect"
    CHALLENGE_INTERCEPTED = "challenge_intercepted"
    CHALLENGE_CATCH_ALL = "challenge_catch_all"
    HTTP_SERVER_ERROR = "http_server_error"
    HTTP_UNEXPECTED_STATUS = "http_unexpected_status"
    # DNS, CAA and addresses (checks.findings.dns).
    DNS_NXDOMAIN = "dns_nxdomain"
    DNS_NO_ADDRESS = "dns_no_address"
    DNS_SERVFAIL = "dns_servfail"
    DNS_TIMEOUT = "dns_timeout"
    RESOLVER_BLIND = "resolver_blind"
    RESERVED_ADDRESS = "reserved_address"
    CAA_FORBIDS = "caa_forbids"
    CAA_ALLOWS = "caa_allows"
    CAA_ACCOUNT_BOUND = "caa_account_bound"
    NS_DELEGATION = "ns_delegation"
    # The served certificate (checks.findings.certificate).
    CERT_EXPIRED = "cert_expired"
    CERT_EXPIRING = "cert_expiring"
    RENEWAL_OVERDUE = "renewal_overdue"
    CERT_NAME_MISMATCH = "cert_name_mismatch"
    CERT_UNTRUSTED = "cert_untrusted"
    TLS_UNREACHABLE = "tls_unreachable"
    # Readiness for DNS-01 and TLS-ALPN-01 (checks.findings.challenge).
    DNS01_LAME_SERVER = "dns01_lame_server"
    DNS01_SERVERS_DISAGREE = "dns01_servers_disagree"
    DNS01_STALE_TXT = "dns01_stale_txt"
    TLS_ALPN_UNREACHABLE = "tls_alpn_unreachable"
    WILDCARD_NEEDS_DNS01 = "wildcard_needs_dns01"
    # The check itself (checks.findings.run).
    CHECK_INCOMPLETE = "check_incomplete"
    CHECK_ERROR = "check_error"
    # The names of the renewal order (checks.findings.run).
    NAME_NOT_PUBLIC = "name_not_public"
    NAMES_SKIPPED = "names_skipped"
    # What an ACME CA said (checks.acme.answers).
    CA_REACHABLE = "ca_reachable"
    CA_REJECTED_IDENTIFIER = "ca_rejected_identifier"
    CA_VALIDATION_FAILED = "ca_validation_failed"
    CA_PROBE_UNAVAILABLE = "ca_probe_unavailable"
    CA_PROBE_SKIPPED = "ca_probe_skipped"
    CA_ANSWER_REUSED = "ca_answer_reused"
    BLOCKED_FOR_CA = "blocked_for_ca"
    # The CA's schedule for the served certificate: ARI, CT, its lifetime (checks.findings.schedule).
    RENEWAL_WINDOW_OPEN = "renewal_window_open"
    CA_REPLACEMENT_REQUESTED = "ca_replacement_requested"
    ARI_NOT_FOLLOWED = "ari_not_followed"
    CERT_NOT_DEPLOYED = "cert_not_deployed"
    LIFETIME_SHORTENING = "lifetime_shortening"
    # The chain the server sends (checks.findings.chain).
    CERT_CHAIN_INCOMPLETE = "cert_chain_incomplete"
    CERT_CHAIN_ORDER = "cert_chain_order"
    CERT_CHAIN_EXPIRED_INTERMEDIATE = "cert_chain_expired_intermediate"
    CERT_CHAIN_CROSS_SIGN_EXPIRING = "cert_chain_cross_sign_expiring"


@dataclass(frozen=True)
class Spec:
    decided_in: str  # the module whose constructor decides the severity
    params: tuple[str, ...]  # what the words need, before any variant
    blocks: bool = False  # when critical, an HTTP-01 renewal will fail
    inconclusive: bool = False  # the check could not finish: "renewable" cannot be known
    transient: bool = False  # a retry could plausibly change it, whatever its parameters
    transport: bool = False  # its `reason` is a `checks.transport.Reason`
    variants: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def params_for(self, variant: str | None) -> tuple[str, ...]:
        return self.variants.get(variant, self.params) if variant else self.params


ACCESS = "checks.findings.access"
HTTP = "checks.findings.http"
DNS = "checks.findings.dns"
CERTIFICATE = "checks.findings.certificate"
RUN = "checks.findings.run"
CHALLENGE = "checks.findings.challenge"
CA = "checks.acme.answers"
SCHEDULE = "checks.findings.schedule"
CHAIN = "checks.findings.chain"

# What the CA's own words need (checks.acme.answers), variant "ca" of a local code.
CA_SAID = ("name", "ca", "probed_at", "ca_type", "ca_detail", "url", "address")
_AUTH = ("scheme", "realm")
# What the CA will answer, in Boulder's words (`checks.boulder`): every blocking finding about
# the challenge path, DNS and CAA carries it (None where the CA would not fail), rendered after the detail.
SAYS = "ca_says"
_ACCESS_VARIANTS = {
    "challenge": ("name", "url", "address", "status", *_AUTH, SAYS),
    "root": ("url", "status", *_AUTH),
    "root_also": ("url", "status", *_AUTH),
    "root_host": ("url", "status", *_AUTH, "host", "signal", "ptr"),
    "ca": (*CA_SAID, "status"),
}
_FORBIDDEN_VARIANTS = {
    "challenge": ("name", "url", "address", "status", "firewall", SAYS),
    "root": ("url", "status", "firewall"),
    "root_also": ("url", "status", "firewall"),
    "root_host": ("url", "status", "firewall", "host", "signal", "ptr"),
    "ca": (*CA_SAID, "status"),
}
_DNS_CA = {"ca": (*CA_SAID, "rdtype")}

SPECS: Mapping[Code, Spec] = {
    Code.ACCESS_RESTRICTED: Spec(ACCESS, _ACCESS_VARIANTS["challenge"], blocks=True, variants=_ACCESS_VARIANTS),
    Code.ACCESS_FORBIDDEN: Spec(ACCESS, _FORBIDDEN_VARIANTS["challenge"], blocks=True, variants=_FORBIDDEN_VARIANTS),
    Code.HTTP_UNREACHABLE: Spec(
        HTTP,
        ("name", "url", "address", "port", "reason", SAYS),
        blocks=True,
        transport=True,
        variants={"ca": (*CA_SAID, "port")},
    ),
    Code.IPV6_UNREACHABLE: Spec(
        HTTP,
        ("name", "url", "address", "reason", SAYS),
        blocks=True,
        transport=True,
        variants={"fallback": ("name", "address", "reason")},
    ),
    Code.ADDRESSES_DISAGREE: Spec(HTTP, ("summary", SAYS), blocks=True),
    Code.BAD_REDIRECT: Spec(HTTP, ("name", "url", "address", "redirect_reason", "target", SAYS), blocks=True),
    Code.CHALLENGE_INTERCEPTED: Spec(HTTP, ("name", "url", "address", "status", "trap", "firewall", SAYS), blocks=True),
    Code.CHALLENGE_CATCH_ALL: Spec(HTTP, ("name", "url", "address", "status", "content_type", SAYS), blocks=True),
    Code.HTTP_SERVER_ERROR: Spec(
        HTTP, ("name", "url", "address", "status", SAYS), blocks=True, variants={"ca": (*CA_SAID, "status")}
    ),
    Code.HTTP_UNEXPECTED_STATUS: Spec(
        HTTP, ("name", "url", "address", "status", SAYS), blocks=True, variants={"ca": (*CA_SAID, "status")}
    ),
    Code.DNS_NXDOMAIN: Spec(DNS, ("name", SAYS), blocks=True, variants=_DNS_CA),
    Code.DNS_NO_ADDRESS: Spec(DNS, ("name", SAYS), blocks=True, variants=_DNS_CA),
    Code.DNS_SERVFAIL: Spec(DNS, ("name", "rdtype", SAYS), blocks=True, variants=_DNS_CA),
    Code.DNS_TIMEOUT: Spec(DNS, ("name", "rdtype", SAYS), blocks=True, transient=True, variants=_DNS_CA),
    Code.RESOLVER_BLIND: Spec(DNS, ("name", "resolver", "tld"), inconclusive=True),
    Code.RESERVED_ADDRESS: Spec(
        DNS, ("name", "address", "kind", SAYS), blocks=True, variants={"dropped": ("name", "address", "kind")}
    ),
    Code.CAA_FORBIDS: Spec(
        DNS, ("owner", "records", "ca", "caa_reason", SAYS, "method"), blocks=True, variants={"ca": CA_SAID}
    ),
    Code.CAA_ALLOWS: Spec(DNS, ("owner", "records", "ca")),
    Code.CAA_ACCOUNT_BOUND: Spec(DNS, ("owner", "records", "ca", "accounts")),
    Code.NS_DELEGATION: Spec(DNS, ("owner", "ns")),
    Code.CERT_EXPIRED: Spec(CERTIFICATE, ("name", "not_after", "days_ago")),
    Code.CERT_EXPIRING: Spec(
        CERTIFICATE, ("name", "days_left", "not_after"), variants={"hours": ("name", "hours_left", "not_after")}
    ),
    Code.RENEWAL_OVERDUE: Spec(
        CERTIFICATE,
        ("days_left", "lifetime"),
        variants={"ari": ("days_left", "lifetime", "window_start", "window_end")},
    ),
    Code.CERT_NAME_MISMATCH: Spec(CERTIFICATE, ("name", "sans")),
    Code.CERT_UNTRUSTED: Spec(CERTIFICATE, ("name", "reason")),
    Code.TLS_UNREACHABLE: Spec(CERTIFICATE, ("name", "port", "reason"), transport=True),
    Code.DNS01_LAME_SERVER: Spec(CHALLENGE, ("name", "zone", "server", "problem"), blocks=True),
    Code.DNS01_SERVERS_DISAGREE: Spec(CHALLENGE, ("name", "zone", "summary")),
    Code.DNS01_STALE_TXT: Spec(CHALLENGE, ("name", "owner", "count")),
    Code.TLS_ALPN_UNREACHABLE: Spec(CHALLENGE, ("name", "address", "port", "reason"), blocks=True, transport=True),
    Code.WILDCARD_NEEDS_DNS01: Spec(CHALLENGE, ("name", "method"), blocks=True),
    Code.CHECK_INCOMPLETE: Spec(RUN, ("timeout", "parts"), inconclusive=True, transient=True),
    Code.CHECK_ERROR: Spec(RUN, ("name", "part", "error"), inconclusive=True),
    Code.NAME_NOT_PUBLIC: Spec(RUN, ("name", "refusal", "refusal_params"), blocks=True),
    Code.NAMES_SKIPPED: Spec(RUN, ("limit", "count", "skipped"), inconclusive=True),
    Code.CA_REACHABLE: Spec(CA, (*CA_SAID, "status")),
    Code.CA_REJECTED_IDENTIFIER: Spec(CA, CA_SAID, blocks=True),
    Code.CA_VALIDATION_FAILED: Spec(CA, CA_SAID, blocks=True),
    Code.CA_PROBE_UNAVAILABLE: Spec(CA, ("name", "ca", "reason", "why")),
    Code.CA_PROBE_SKIPPED: Spec(CA, ("name", "reason", "address", "kind")),
    Code.CA_ANSWER_REUSED: Spec(CA, ("ca", "probed_at", "age_hours", "window_hours")),
    Code.BLOCKED_FOR_CA: Spec(CA, ("name", "ca", "probed_at", "ca_code"), blocks=True),
    Code.RENEWAL_WINDOW_OPEN: Spec(SCHEDULE, ("window_start", "window_end")),
    Code.CA_REPLACEMENT_REQUESTED: Spec(SCHEDULE, ("replace_by", "window_start", "explanation_url")),
    Code.ARI_NOT_FOLLOWED: Spec(SCHEDULE, ("window_end", "replaced_at", "days_late")),
    Code.CERT_NOT_DEPLOYED: Spec(SCHEDULE, ("name", "issued_at", "served_not_after", "source")),
    Code.LIFETIME_SHORTENING: Spec(SCHEDULE, ("current_days", "next_days", "effective", "renew_every_weeks")),
    Code.CERT_CHAIN_INCOMPLETE: Spec(CHAIN, ("missing_issuer", "last_sent")),
    Code.CERT_CHAIN_ORDER: Spec(CHAIN, ("sent", "expected")),
    Code.CERT_CHAIN_EXPIRED_INTERMEDIATE: Spec(CHAIN, ("subject", "not_after")),
    Code.CERT_CHAIN_CROSS_SIGN_EXPIRING: Spec(CHAIN, ("subject", "issuer", "not_after")),
}

BLOCKS_RENEWAL = frozenset(code for code, spec in SPECS.items() if spec.blocks)


def spec(code: str) -> Spec | None:
    """The registry's entry for `code`; None for a code this build does not know."""
    try:
        return SPECS[Code(code)]
    except ValueError:
        return None
