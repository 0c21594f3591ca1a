"""The 110 expert desk: calls saved exactly once, narrative assist, identifiers and leads."""
