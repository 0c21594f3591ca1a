"""Guessable passwords: common ones (bundled list, also with digits/symbols stripped or leetspeak) and keyboard walks."""

import re
from functools import cache
from pathlib import Path

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
MIN_RUN = 3  # a keyboard or alphabet run this long counts as a pattern
MAX_LEFTOVER = 2  # a password that is all runs but this many characters is a keyboard pattern
MAX_CHECKED = 128
MIN_BASE = 3  # a listed password without its trailing digits/symbols is listed too when this long
_EDGES = re.compile(r"^[^a-z]+|[^a-z]+$")
_TRAILING = re.compile(r"[^a-z]+$")
_LEET = [str.maketrans("@4$5013!7", "aassoieit"), str.maketrans("@4$5013!7", "aassolelt")]

_ROWS = ("`1234567890-=", "~!@#$%^&*()_+", "qwertyuiop[]\\", "asdfghjkl;'", "zxcvbnm,./", "qwertyuiop{}|",
         "asdfghjkl:\"", "zxcvbnm<>?")
_COLUMNS = tuple("".join(chars) for rows in (("1234567890", "qwertyuiop", "asdfghjkl;", "zxcvbnm,./"),
                                             ("!@#$%^&*()", "qwertyuiop", "asdfghjkl;", "zxcvbnm,./"))
                 for chars in zip(*rows))
_INTERLEAVED = ("1q2w3e4r5t6y7u8i9o0p", "q1w2e3r4t5y6u7i8o9p0", "qawsedrftgyhujikolp", "azsxdcfvgbhnjmk,l.",
                "1a2s3d4f5g6h7j8k9l", "a1b2c3d4e5f6g7h8i9j0")
SEQUENCES = (*_ROWS, *_COLUMNS, "".join(_COLUMNS[:10]), *_INTERLEAVED, "abcdefghijklmnopqrstuvwxyz",
             "01234567890", "1357924680")


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list, lower case, each entry also without its trailing digits and symbols."""
    words = set()
    for line in COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines():
        word = line.strip().lower()
        if word and not word.startswith("#"):
            words.add(word)
            if len(base := _TRAILING.sub("", word)) >= MIN_BASE:
                words.add(base)
    return frozenset(words)


def _candidates(password: str) -> set[str]:
    lower = password.lower()[:MAX_CHECKED]
    forms = {lower, _TRAILING.sub("", lower), _EDGES.sub("", lower)}
    forms |= {_TRAILING.sub("", lower.translate(table)) for table in _LEET}
    return {form for form in forms if form}


def is_common(password: str) -> bool:
    """A well-known password, case-insensitively, also after stripping leading/trailing digits and symbols."""
    return bool(_candidates(password) & common_passwords())


def _is_run(text: str) -> bool:
    if len(set(text)) == 1:
        return True
    return any(text in sequence or text[::-1] in sequence for sequence in SEQUENCES)


def is_keyboard_pattern(password: str) -> bool:
    """Made of keyboard rows/columns, alphabet or digit runs and repeats, all but MAX_LEFTOVER characters."""
    text = password.lower()[:MAX_CHECKED]
    leftover = [0] * (len(text) + 1)  # leftover[i]: fewest characters of text[:i] outside any run
    for end in range(1, len(text) + 1):
        leftover[end] = leftover[end - 1] + 1
        for start in range(end - MIN_RUN, -1, -1):
            if not _is_run(text[start:end]):
                break  # every part of a run is a run, so no longer slice ending here is one
            leftover[end] = min(leftover[end], leftover[start])
    return leftover[len(text)] <= MAX_LEFTOVER
