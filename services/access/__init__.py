"""Who may do what: accounts and login, login sessions, roles, unit scope and masking of personal data."""
