"""Run every benchmark: ``python -m benchmarks`` (``make bench``)."""
import importlib
import pkgutil

import benchmarks

for info in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda i: i.name):
    if info.name.startswith("bench_"):
        print(f"\n### {info.name}")
        importlib.import_module(f"benchmarks.{info.name}").main()
