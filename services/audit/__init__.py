"""The append-only audit trail (等保2.0): `audit.record(...)` in every audited transaction, search and export."""

from services.audit.trail import EXPORT_HEADERS, RETENTION_DAYS, AuditFilter, as_rows, export_csv, record, search

__all__ = ["EXPORT_HEADERS", "RETENTION_DAYS", "AuditFilter", "as_rows", "export_csv", "record", "search"]
