"""Shared utilities of every feature: configuration, errors, exact money, Asia/Shanghai periods."""
