"""``python -m bench``: run the benchmarks, print each figure beside its target and floor, write
``build/bench.json``.

Options: ``--only name,…`` to pick benchmarks (see ``ALL``); ``--quick`` for a smoke run with fewer
samples, events and cases (the figures are then only indicative). A full run takes about half an
hour on this project's 2-core machine; ``--quick`` about five minutes.
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
#: In the order they run: cold start's import figure first (before the stack's threads compete for
#: the CPU) and its first-answer figures as soon as the stack is up (after the cost benchmark's sweep
#: of the empty platform), the console before the sweep's 20,000 open cases (its signed-in page is
#: the supervision board, which reads every open case department by department, and moto scans the
#: whole table for each index query: it did not render within 30 s after the sweep, and the full run
#: stopped there), the one that fills the tables with 50,000 events last but
#: one, the hall (the city catalog) last; the cost at rest measures the sweep on the empty platform
#: first and the nightly republication last.
ALL = ("cold_start", "public_read", "ingest", "signal", "console", "sweep", "cost", "growth", "hall")
#: Full run, quick run.
SIZES: dict[str, tuple[Any, Any]] = {
    "cold_start": (7, 3), "public_read": (300, 50), "ingest": (1000, 1000), "signal": (20, 8),
    "sweep": (((1_000, 20_000), 3), ((300, 3_000), 1)), "console": (9, 3), "cost": (1000, 100),
    "growth": (50_000, 5_000),
}


def machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "load_average_at_start": [round(x, 2) for x in load] if load else None}


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.4f}" if abs(value) < 1 and value else f"{value:,.1f}"
    return f"{text} {unit}".strip()


def table(results: list[Result]) -> str:
    head = f"{'benchmark':<24} {'measured':>17} {'floor':>17} {'ratio':>7} {'target':>15}  ok"
    lines = [head, "-" * len(head)]
    for r in results:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "—"
        lines.append(f"{r.name:<24} {_num(r.measured, r.unit):>17} {_num(r.floor, r.unit):>17} {ratio:>7} "
                     f"{r.target_text():>15}  {'yes' if r.meets_target else 'NO'}")
    lines.append("")
    for r in results:
        lines.append(f"{r.name}: {r.what}" + (f"; floor: {r.floor_what}" if r.floor_what else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(ALL), help="comma-separated subset of " + ", ".join(ALL))
    parser.add_argument("--quick", action="store_true", help="smoke run: fewer samples, events and cases")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(ALL))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    size = {name: sizes[1 if args.quick else 0] for name, sizes in SIZES.items()}
    from .localstack import iam_enforced

    started = datetime.now(UTC)
    info = machine()
    iam_on = iam_enforced()
    results: list[Result] = []
    extra: dict[str, Any] = {}

    def report(new: Result | list[Result]) -> None:
        for r in new if isinstance(new, list) else [new]:
            results.append(r)
            print(f"  {r.name}: {_num(r.measured, r.unit)} (target {r.target_text()}"
                  + (f", ratio {r.ratio:.2f}x" if r.ratio is not None else "") + ")", flush=True)

    if "cold_start" in chosen:
        from . import cold_start

        print("cold start …", flush=True)
        report(cold_start.run(runs=size["cold_start"]))

    if chosen:  # cold start's first answers need the stack too
        from .localstack import start_stack

        print(f"starting the local stack (IAM enforcement {'on' if iam_on else 'off'}, "
              "SUNLIT_IAM) …", flush=True)
        stack = start_stack()
        rest: dict[str, Any] = {}
        try:
            if "cost" in chosen:
                from . import cost

                rest["scheduled_sweep"] = cost.schedule_run(stack, "scheduled_sweep")  # the platform still empty
            if "cold_start" in chosen:
                from . import cold_start

                if stack.enforce_iam:  # the children would need their function's role (devstack/iam.py)
                    print("cold start to first answer: skipped under IAM enforcement (SUNLIT_IAM=1)", flush=True)
                else:
                    print("cold start to first answer …", flush=True)
                    report(cold_start.first_answer(stack, rounds=size["cold_start"]))
            if "public_read" in chosen:
                from . import public_read

                print("public item read …", flush=True)
                report(public_read.run(stack, n=size["public_read"]))
            if "ingest" in chosen:
                from . import ingest

                print("ingest pipeline …", flush=True)
                report(ingest.run(stack, events=size["ingest"]))
            if "signal" in chosen:
                from . import signal_latency

                print("event → signal …", flush=True)
                report(signal_latency.run(stack, samples=size["signal"]))
            if "sweep" in chosen:
                from . import sweep

                print("sweep …", flush=True)
                sizes, repeats = size["sweep"]
                report(sweep.run(stack, sizes=sizes, repeats=repeats))
            if "console" in chosen:
                from . import console

                print("console shell and worklist rendering …", flush=True)
                report(console.run(stack, runs=size["console"]))
            if "cost" in chosen:
                from . import cost

                print("cost per case …", flush=True)
                found, costs = cost.run(stack, cases=size["cost"])
                report(found)
                extra.update(costs)
            if "growth" in chosen:
                from . import ingest_growth

                print("ingest as the log grows …", flush=True)
                report(ingest_growth.run(stack, events=size["growth"]))
            if "hall" in chosen:
                from . import hall
                from .city import load_city_catalog

                print("hall with the city catalog …", flush=True)
                info_catalog = load_city_catalog(stack)
                print(f"  city catalog loaded: {info_catalog}", flush=True)
                report(hall.run(stack, info_catalog))
            if "cost" in chosen:
                from . import cost

                print("cost at rest …", flush=True)
                rest["nightly_publish"] = cost.schedule_run(stack, "nightly_publish")
                context = "city catalog published" if "hall" in chosen else "the benchmarks' small catalog"
                found_rest, monthly = cost.at_rest(rest, extra.get("bytes_per_case", 0.0), context)
                report(found_rest)
                extra.update(monthly)
                print(cost.summary(extra), flush=True)
            if stack.enforce_iam:
                denials = stack.iam_denials(clear=True)
                extra["iam_denials"] = denials
                for d in denials:
                    print(f"  IAM refused {d['action']} on {d['resource']} to {d['principal']}", flush=True)
        finally:
            stack.stop()

    print()
    print(table(results))
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    previous: dict[str, Any] = {}
    if OUTPUT.exists() and chosen != list(ALL):  # a partial run keeps the other benchmarks' last figures
        try:
            previous = json.loads(OUTPUT.read_text(encoding="utf-8"))
        except ValueError:
            previous = {}
    ran = {r.name for r in results}
    kept = [r for r in previous.get("results", []) if r.get("name") not in ran]
    document = {
        "started_at": started.isoformat(), "finished_at": datetime.now(UTC).isoformat(), "quick": args.quick,
        "ran": chosen, "machine": info, "iam_enforced": iam_on, "iam_denials": extra.get("iam_denials"),
        "results": kept + [r.as_dict() for r in results],
        "cost_per_1000_cases": extra.get("cost_per_1000_cases", previous.get("cost_per_1000_cases")),
        "monthly_at_rest": extra.get("monthly_at_rest", previous.get("monthly_at_rest")),
        "price_table": extra.get("price_table", previous.get("price_table")),
    }
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
