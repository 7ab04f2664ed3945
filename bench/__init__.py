"""Sunlit benchmarks (``make bench`` → ``python -m bench``): performance evidence for issues 4, 6, 9
and 20. Each benchmark prints its figure beside its target and, where the target is a ratio, the
floor measured in the same run on the same machine; nothing here asserts on time. Results go to
``build/bench.json`` (with ``cost_per_1000_cases`` per region and kind, priced from
``bench/prices.json``). ``bench.meter`` counts what a workload asks of AWS; ``bench.city`` loads
the city-size catalog.
"""
