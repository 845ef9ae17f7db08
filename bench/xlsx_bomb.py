"""How fast and how flat an XLSX decompression bomb is refused (issue 15, item 6). No database.

    .venv/bin/python bench/xlsx_bomb.py [--gib 4]

Builds a real bomb (a valid workbook whose sheet inflates to N GiB, true CRCs), then times the check the
upload request makes (patterns.lists.check_file) and prints its peak Python memory (tracemalloc); for
contrast, the time and memory zipfile needs merely to inflate the first 256 MB of the sheet.
"""

import argparse
import os
import sys
import time
import tracemalloc
import zipfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gib", type=float, default=4)
    args = parser.parse_args()
    import django

    django.setup()
    from patterns import lists
    from tests.security.bombs import bomb

    started = time.perf_counter()
    content = bomb(int(args.gib * 1024**3))
    print(f"bomb: {len(content) / 1024**2:.1f} MB inflating to {args.gib:g} GiB, built in {time.perf_counter() - started:.1f} s")
    tracemalloc.start()
    started = time.perf_counter()
    try:
        lists.check_file("list.xlsx", content)
        print("NOT REFUSED")
    except lists.ListFileError as exc:
        print(f"refused in {1000 * (time.perf_counter() - started):.1f} ms: {exc}")
    print(f"peak Python memory of the check: {tracemalloc.get_traced_memory()[1] / 1024**2:.1f} MB")
    tracemalloc.reset_peak()
    started = time.perf_counter()
    with zipfile.ZipFile(BytesIO(content)).open("xl/worksheets/sheet1.xml") as sheet:
        data = sheet.read(256 * 1024**2)
    print(f"for contrast, inflating 256 MB of it: {time.perf_counter() - started:.1f} s, peak {tracemalloc.get_traced_memory()[1] / 1024**2:.0f} MB")
    del data
    tracemalloc.stop()


if __name__ == "__main__":
    main()
