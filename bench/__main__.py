"""``python -m bench``: run every benchmark, print a summary table, write ``build/bench.json``.

Options: ``--only cold_start,public_read,ingest,sweep,console`` to pick benchmarks; ``--quick`` for a
small smoke run (fewer samples and cases; the ratios are then only indicative).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .result import Result

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "build" / "bench.json"
ALL = ("cold_start", "public_read", "ingest", "sweep", "console")


def machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "load_average_at_start": [round(x, 2) for x in load] if load else None}


def table(results: list[Result]) -> str:
    head = f"{'benchmark':<22} {'measured':>16} {'floor':>16} {'ratio':>7} {'target':>7}  ok"
    lines = [head, "-" * len(head)]
    for r in results:
        lines.append(f"{r.name:<22} {r.measured:>10.1f} {r.unit:<5} {r.floor:>10.1f} {r.unit:<5} "
                     f"{r.ratio:>6.2f}x {r.target:>6.1f}x  {'yes' if r.meets_target else 'NO'}")
    lines.append("")
    for r in results:
        lines.append(f"{r.name}: {r.what}; floor: {r.floor_what}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", default=",".join(ALL), help="comma-separated subset of " + ", ".join(ALL))
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(ALL))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    started = datetime.now(UTC)
    info = machine()
    results: list[Result] = []

    if "cold_start" in chosen:  # before the stack exists, so its threads do not compete
        from . import cold_start

        print("cold start …", flush=True)
        results.append(cold_start.run(runs=3 if args.quick else cold_start.RUNS))

    stack_benchmarks = [name for name in ALL[1:] if name in chosen]
    if stack_benchmarks:
        from .localstack import start_stack

        print("starting the local stack …", flush=True)
        stack = start_stack()
        try:
            if "public_read" in chosen:
                from . import public_read

                print("public item read …", flush=True)
                results.append(public_read.run(stack, n=50 if args.quick else public_read.REQUESTS))
            if "ingest" in chosen:
                from . import ingest

                print("ingest pipeline …", flush=True)
                results.append(ingest.run(stack, cases=30 if args.quick else ingest.CASES))
            if "sweep" in chosen:
                from . import sweep

                print("sweep 1k vs 20k …", flush=True)
                sizes = (300, 3_000) if args.quick else (1_000, 20_000)
                results.append(sweep.run(stack, sizes=sizes, repeats=1 if args.quick else sweep.REPEATS))
            if "console" in chosen:
                from . import console

                print("console shell and worklist rendering …", flush=True)
                results.extend(console.run(stack, runs=3 if args.quick else console.RUNS))
        finally:
            stack.stop()

    print()
    print(table(results))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps({
        "started_at": started.isoformat(), "finished_at": datetime.now(UTC).isoformat(), "quick": args.quick,
        "machine": info, "results": [r.as_dict() for r in results],
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
