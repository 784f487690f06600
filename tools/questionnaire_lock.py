"""The shipped questionnaire versions that councils may hold answers to, pinned.

A campaign is pinned to a questionnaire's version, and its answers are shown with that
version's questions. Editing a released version in place would show old answers under new
wording, or lose them under changed ids and values. So each shipped version's content (the
YAML as data: comments and layout do not count) is fingerprinted in
``questionnaires/released.json``, and a test fails when a released version changes: save
the change as the next version instead (``<id>.v<N>.yaml``, as the browser editor does).

    .venv/bin/python tools/questionnaire_lock.py           # check, as the test does
    .venv/bin/python tools/questionnaire_lock.py --record  # pin versions not pinned yet

``--record`` never changes a pinned fingerprint. A version that was never released may be
unpinned by hand (delete its line) and recorded again.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "questionnaires"
LOCK = FOLDER / "released.json"


def fingerprint(path: Path) -> tuple[str, str]:
    """(``id@version``, sha256 of the file's content as canonical JSON)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"{data['id']}@{data['version']}", hashlib.sha256(canonical.encode()).hexdigest()


def shipped(folder: Path = FOLDER) -> dict[str, str]:
    return dict(fingerprint(path) for path in sorted(folder.glob("*.yaml")))


def pinned(lock: Path = LOCK) -> dict[str, str]:
    return json.loads(lock.read_text(encoding="utf-8")) if lock.is_file() else {}


def problems(folder: Path = FOLDER, lock: Path = LOCK) -> list[str]:
    """What is wrong: a pinned version changed or gone, a shipped one not pinned."""
    now, held = shipped(folder), pinned(lock)
    found = [
        f"{key} changed after it was released: put the change in the next version "
        f"({key.split('@')[0]}.v{int(key.split('@')[1]) + 1}.yaml), so answers to {key} "
        "keep their own questions"
        for key in sorted(now.keys() & held.keys())
        if now[key] != held[key]
    ]
    found += [f"{key} is pinned but no longer shipped" for key in sorted(held.keys() - now)]
    found += [
        f"{key} is shipped but not pinned: run tools/questionnaire_lock.py --record"
        for key in sorted(now.keys() - held.keys())
    ]
    return found


def record(folder: Path = FOLDER, lock: Path = LOCK) -> list[str]:
    """Pin every shipped version not pinned yet; returns the keys added."""
    now, held = shipped(folder), pinned(lock)
    added = sorted(now.keys() - held.keys())
    lock.write_text(
        json.dumps(held | {key: now[key] for key in added}, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    return added


def main(argv: list[str]) -> int:
    if "--record" in argv:
        for key in record():
            print(f"pinned {key}")
    wrong = problems()
    for problem in wrong:
        print(problem, file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
