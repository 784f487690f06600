"""`make report-preview`: the demo's QA and board reports as PDF and Word, and a PNG of
every PDF page (pdftoppm, from poppler-utils), for a person to look at before a release.

    .venv/bin/python tools/report_preview.py [OUT_DIR]     # default build/report-preview

A fresh SQLite database in OUT_DIR gets the migrations and the demo (as `make run` does);
the reports are those the summary page's links give for all campaigns.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(out: Path) -> list[Path]:
    """Write the reports into ``out`` and return the PNGs of the QA report's pages."""
    from flask_migrate import upgrade

    from survey import create_app
    from survey.dates import today
    from survey.demo import load_demo
    from survey.review import report_files, reports
    from survey.review.summary import Filters

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    database = (out / "demo.db").resolve()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}, env="development")
    with app.app_context():
        upgrade(directory=str(ROOT / "survey" / "migrations"))
        load_demo()
    with app.test_request_context("/staff/review/report.pdf"):
        for kind in reports.KINDS:
            report = reports.build(kind, Filters(), today())
            (out / f"{kind}-report.pdf").write_bytes(report_files.pdf(report))
            (out / f"{kind}-report.docx").write_bytes(report_files.docx(report))
    return pages(out / "qa-report.pdf", out / "qa-page")


def pages(pdf: Path, prefix: Path, resolution: int = 60) -> list[Path]:
    """One PNG per page of ``pdf``: ``<prefix>-01.png``, ``<prefix>-02.png``..."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise SystemExit("pdftoppm is missing: apt-get install poppler-utils")
    # Our own file names and a number: nothing from outside reaches the command line.
    command = [tool, "-png", "-r", str(resolution), str(pdf), str(prefix)]
    subprocess.run(command, check=True)  # noqa: S603
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "report-preview"
    for png in build(out):
        print(png.relative_to(ROOT) if png.is_relative_to(ROOT) else png)


if __name__ == "__main__":
    main()
