"""X-Forwarded-For is believed only from configured proxies; otherwise the socket peer is the client."""

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.access.client_address import client_address, parse_trusted_proxies
from services.shared.config import load_settings

PROXIES = parse_trusted_proxies("127.0.0.1, 10.8.0.0/16, fd00::/8")
ips = st.one_of(st.ip_addresses(v=4), st.ip_addresses(v=6))
untrusted = ips.filter(lambda a: not any(a.version == n.version and a in n for n in PROXIES)
                       and getattr(a, "ipv4_mapped", None) is None)
junk = st.text(max_size=40)


@given(ips, st.lists(st.one_of(ips.map(str), junk), max_size=5))
def test_without_trusted_proxies_the_peer_is_recorded(peer, forwarded):
    header = ", ".join(forwarded) if forwarded else None
    assert client_address(str(peer), header, ()) == str(getattr(peer, "ipv4_mapped", None) or peer)


@given(untrusted, st.lists(st.one_of(ips.map(str), junk), max_size=5))
def test_an_untrusted_peer_cannot_forge_its_address(peer, forwarded):
    assert client_address(str(peer), ", ".join(forwarded), PROXIES) == str(peer)


@given(st.lists(st.one_of(ips.map(str), junk), max_size=4), untrusted,
       st.lists(st.sampled_from(["10.8.1.1", "10.8.200.3", "fd00::5"]), max_size=3))
def test_behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client(spoofed, client, inner_proxies):
    header = ", ".join([*spoofed, str(client), *inner_proxies])
    assert client_address("127.0.0.1", header, PROXIES) == str(client)


@pytest.mark.parametrize("peer, header, expected", [
    ("127.0.0.1", None, "127.0.0.1"),  # loopback without a header is recorded as such
    ("127.0.0.1", "1.2.3.4", "1.2.3.4"),
    ("127.0.0.1", "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client prepended 6.6.6.6 itself
    ("127.0.0.1", "1.2.3.4:5555", "1.2.3.4"),
    ("127.0.0.1", "[2001:db8::7]:443", "2001:db8::7"),
    ("127.0.0.1", "nonsense", "127.0.0.1"),  # a malformed hop: keep the last trustworthy address
    ("127.0.0.1", "10.8.0.9", "10.8.0.9"),  # only trusted hops: the left-most of them
    ("::ffff:127.0.0.1", "1.2.3.4", "1.2.3.4"),  # IPv4-mapped peer
    ("192.168.1.5", "1.2.3.4", "192.168.1.5"),
])
def test_examples(peer, header, expected):
    assert client_address(peer, header, PROXIES) == expected


networks = st.one_of(
    st.tuples(st.ip_addresses(v=4), st.integers(0, 32)), st.tuples(st.ip_addresses(v=6), st.integers(0, 128)),
).map(lambda pair: ipaddress.ip_network(f"{pair[0]}/{pair[1]}", strict=False))


@given(st.lists(networks, max_size=4))
def test_trusted_proxies_parse_ips_and_cidrs(networks):
    assert parse_trusted_proxies(" , ".join(str(n) for n in networks)) == tuple(networks)


def test_setting_defaults_to_none_and_refuses_garbage(monkeypatch):
    monkeypatch.delenv("FANZHA_TRUSTED_PROXIES", raising=False)
    assert load_settings().trusted_proxies == ()
    monkeypatch.setenv("FANZHA_TRUSTED_PROXIES", "127.0.0.1,10.0.0.0/8")
    assert load_settings().trusted_proxies == (ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.0.0.0/8"))
    monkeypatch.setenv("FANZHA_TRUSTED_PROXIES", "proxy.example")
    with pytest.raises(ValueError, match="FANZHA_TRUSTED_PROXIES"):
        load_settings()
