"""Time the exchange export (reports.exports.exchange, docs/exchange.md) on the demo households of
the whole province, and its peak memory: the real job (``services.export_start``, inline, from
the job row to the stored zip), as the demo provincial leader.

Usage, in a scratch PostgreSQL database (never a real one), as bench/export_detailed_list.py:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/<scratch>
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_units
    .venv/bin/python manage.py seed_demo --households 0
    .venv/bin/python bench/seed_households.py 10000
    .venv/bin/python bench/export_exchange.py [--chunk 2000]

Prints the rows written, wall and CPU time, queries, the zip's size and the peak RSS above the
process's RSS before the export started (``getrusage().ru_maxrss``). Memory should not grow with
the households: entries are read a chunk at a time, members spooled to a temporary file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyportal.settings")
os.environ.pop("REDIS_URL", None)  # the job runs inline, in this process: its memory is ours

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from areas.models import Unit  # noqa: E402
from households.models import ReviewRound, Survey  # noqa: E402
from reports.exports import exchange, services  # noqa: E402
from reports.models import Job  # noqa: E402

LEADER = "lanhdao.tinh"


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunk", type=int, default=exchange.CHUNK)
    exchange.CHUNK = parser.parse_args().chunk
    round_ = ReviewRound.objects.filter(kind="periodic").order_by("-starts_on").first()
    if round_ is None:
        sys.exit("no periodic round: seed the demo households first (see the docstring)")
    province = Unit.objects.valid_on(round_.reference_date).get(code="51", level="province")
    leader = get_user_model().objects.get(username=LEADER)
    entries = Survey.objects.filter(round=round_).count()
    before = rss_mib()
    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        job = services.export_start(
            by=leader, report="exchange", params={"round": round_.pk, "unit": province.pk}
        )  # outside a transaction on_commit runs at once: the eager task has run here already
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = rss_mib()
    job = Job.objects.get(pk=job.pk)
    if job.status != "done":
        sys.exit(f"job {job.pk} {job.status}: {job.error}")
    with job.result.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    size = job.result.size
    job.result.delete(save=False)
    job.delete()
    rows = {name: f["rows"] for name, f in manifest["files"].items()}
    print(
        f"{round_} · {province.label}: {entries:,} entries in the round; {rows['ho.csv']:,} "
        f"households, {rows['thanh_vien.csv']:,} members; {size / 1e6:.1f} MB zip; "
        f"chunk {exchange.CHUNK:,}"
    )
    print(
        f"wall {wall:.1f} s, cpu {cpu:.1f} s, {len(queries)} queries; peak RSS {peak:.0f} MiB "
        f"(before the export {before:.0f} MiB, +{peak - before:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
