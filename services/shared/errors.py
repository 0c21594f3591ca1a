"""Validation failures that carry a Chinese message per field."""


class InvalidInput(ValueError):
    """Bad input: field name → Chinese message; nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("；".join(errors.values()))
        self.errors = errors
