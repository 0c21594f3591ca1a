"""The client's address: X-Forwarded-For is believed only when the socket peer is a configured trusted proxy."""

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_LENGTH = 64  # audit_log.client_addr


def parse_trusted_proxies(text: str | None) -> tuple[Network, ...]:
    """Comma-separated IPs or CIDRs (FANZHA_TRUSTED_PROXIES) as networks; ValueError on a bad entry."""
    entries = [entry.strip() for entry in (text or "").split(",") if entry.strip()]
    try:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)
    except ValueError as error:
        raise ValueError(f"FANZHA_TRUSTED_PROXIES: {error}") from error


def _parse(text: str | None) -> Address | None:
    """An address from a peer or X-Forwarded-For entry (ports and IPv6 brackets allowed), or None."""
    text = (text or "").strip().strip('"')
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # 10.0.0.1:443
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: Address, proxies: Iterable[Network]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def client_address(peer: str | None, forwarded_for: str | None, proxies: tuple[Network, ...]) -> str | None:
    """The address to record: the peer, unless it is a trusted proxy; then the right-most untrusted X-Forwarded-For hop.

    Hops are walked from the right (the one the trusted proxy appended) past other trusted proxies; a malformed
    hop stops the walk and the last trustworthy address is used, so nothing a client writes is taken on faith.
    """
    peer_address = _parse(peer)
    if peer_address is None:
        return peer[:MAX_LENGTH] if peer else None
    current = peer_address
    if _trusted(current, proxies) and forwarded_for:
        for hop in reversed(forwarded_for.split(",")):
            address = _parse(hop)
            if address is None:
                break
            current = address
            if not _trusted(current, proxies):
                break
    return str(current)[:MAX_LENGTH]
