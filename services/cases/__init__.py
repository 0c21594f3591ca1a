"""The case register: scoped, masked reads and audited writes kept as revisions."""
