"""Query plans of the case list (not a test): requests list URLs as a member
of the benchmark's organisation through Django's test client, captures the
queries on the case table, and prints for each the best of five EXPLAIN
(ANALYZE, BUFFERS) runs: execution time, shared buffers touched, and per
scan the rows returned + the rows a filter removed. Rows and buffers do not
depend on the machine's load; times do.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kontakt_bench \\
        .venv/bin/python bench/plans.py officer '/handlaggning/arenden/?q=asfalten' \\
        admin '/handlaggning/arenden/?channel=phone&kind=fault_report'

officer is the head of the first unit (one unit), admin the administrator,
desk Medborgarservice, head the department head of the benchmark's filler."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontakt.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.filler import organisation  # noqa: E402
from bench.session import signed_in  # noqa: E402


def _scans(node: dict[str, Any], found: list[str]) -> list[str]:
    if "Scan" in node["Node Type"] and node.get("Relation Name", "") != "records_secrecymark":
        loops = node.get("Actual Loops", 1)
        where = node.get("Index Name") or node.get("Relation Name", "")
        found.append(
            f"{node['Node Type']} {where}: {node['Actual Rows'] * loops}+{node.get('Rows Removed by Filter', 0) * loops}"
        )
    for child in node.get("Plans", []):
        _scans(child, found)
    return found


def explain(sql: str, runs: int = 5) -> tuple[float, int, list[str]]:
    best: tuple[float, Any] | None = None
    for _ in range(runs):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
        plan = plan if isinstance(plan, list) else json.loads(plan)
        if best is None or plan[0]["Execution Time"] < best[0]:
            best = (plan[0]["Execution Time"], plan)
    assert best is not None
    root = best[1][0]["Plan"]
    return best[0], root.get("Shared Hit Blocks", 0) + root.get("Shared Read Blocks", 0), _scans(root, [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pairs", nargs="+", help="user URL user URL …")
    args = parser.parse_args()
    if len(args.pairs) % 2:
        sys.exit("Give a user and a URL for each request.")
    org = organisation()
    users = {
        "officer": User.objects.get(pk=org["officers"][org["units"][0].pk][0]),
        "admin": org["admin"],
        "desk": org["desk"],
        "head": org["head"],
    }
    for who, url in zip(args.pairs[::2], args.pairs[1::2], strict=True):
        client = signed_in(users[who], Client())
        client.get(url)  # warm up
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        print(f"{who} {url}: {len(captured.captured_queries)} queries")
        for query in captured.captured_queries:
            sql = query["sql"]
            if "cases_case" not in sql or "cases_searchword" in sql:
                continue
            ms, buffers, scans = explain(sql)
            kind = "count" if sql.startswith("SELECT COUNT") else "page"
            print(f"  {kind:5} {ms:7.2f} ms  {buffers:6} buffers  " + "; ".join(scans))


if __name__ == "__main__":
    main()
