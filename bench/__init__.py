"""Sunlit benchmarks (``make bench`` → ``python -m bench``): performance evidence for issues 4, 6
and 9. Each benchmark measures the system and a floor on the same machine in the same run and
reports the ratio; nothing here asserts on time. Results are printed and written to
``build/bench.json``.
"""
