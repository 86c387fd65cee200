"""Speed and memory benchmarks: plain scripts that print measurements and ratios to targets."""
