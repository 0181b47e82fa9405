"""The client address of a request, as the login throttle and the request log see it."""

import ipaddress
from functools import cache

from django.conf import settings


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str | None:
    """REMOTE_ADDR, unless it is one of settings.TRUSTED_PROXIES: then the right-most hop of
    X-Forwarded-For that is not a trusted proxy.

    Only the right end of X-Forwarded-For can be believed: each trusted proxy appends the address
    it was connected from, and everything to the left of that was written by the client. A hop
    that is not an IP address ends the walk at the last trusted proxy, so a forged header can
    never make up an address.
    """
    peer = request.META.get("REMOTE_ADDR") or None
    networks = _trusted(tuple(settings.TRUSTED_PROXIES))
    if peer is None or not networks or not _is_trusted(peer, networks):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = peer
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return client
        client = hop
        if not _is_trusted(hop, networks):
            return hop
    return client
