"""Extraction throughput, memory and linear-time benchmark (issue: figure extraction).

Run: ``python -m benchmarks.bench_extract`` (or ``make bench``).  Prints:

* MB/s of ``analysis.figures.extract`` over the five seeds repeated to >= 5 MB,
  side by side with JioNLP's ``extract_money`` on the same text, and the ratio
  (target: policycheck >= 2x faster while extracting every figure kind);
* peak traced memory during extraction / input size (target: < 10x);
* seconds for 1 MB adversarial inputs (target: each < 2 s).
"""
from __future__ import annotations

import gc
import time
import tracemalloc

from analysis import config
from analysis.documents import from_text
from analysis.figures import extract

TARGET_BYTES = 5 * 1024 * 1024


def corpus(target: int = TARGET_BYTES) -> str:
    paths = config.seed_paths() or sorted(config.SAMPLES_DIR.glob("*.txt"))
    base = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in paths)
    reps = target // len(base.encode("utf-8")) + 1
    return "\n".join([base] * reps)


def _timed(fn, *args):
    gc.collect()
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def throughput(text: str) -> dict:
    mb = len(text.encode("utf-8")) / 1e6
    extract(from_text(text[:20000]))                     # warm caches (lexicons, regexes)
    ours, figs = min((_timed(lambda t: extract(from_text(t)), text) for _ in range(2)),
                     key=lambda r: r[0])
    result = {"mb": mb, "ours_s": ours, "ours_mbs": mb / ours, "figures": len(figs)}
    try:
        import jionlp
    except ImportError:                                  # pragma: no cover - test extra
        result["jionlp"] = None
        return result
    jionlp.ner.extract_money(text[:20000])
    theirs, money = _timed(jionlp.ner.extract_money, text)
    result.update(jionlp_s=theirs, jionlp_mbs=mb / theirs, money=len(money), ratio=theirs / ours)
    return result


def memory(text: str) -> dict:
    size = len(text.encode("utf-8"))
    gc.collect()
    tracemalloc.start()
    doc = from_text(text)
    figs = extract(doc)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del figs, doc
    return {"input_bytes": size, "peak_bytes": peak, "ratio": peak / size}


def _fill(head: str, n: int) -> str:
    filler = "全区商务工作稳中有进，"
    return (head + filler * (n // len(filler) + 1))[:n]


#: 1 MB inputs made to trip a regex or a look-back (the issue's four, named first).
ADVERSARIAL = {
    "digits": lambda n: "1" * n,
    "wan_run": lambda n: "1" + "万" * (n - 1),
    "unclosed_brackets": lambda n: ("（到2025年，社会消费品零售总额“" * (n // 17))[:n],
    "yishang_100k": lambda n: _fill("以上" * 100_000, n),
    # dense figures: not in the list; shown to prove time stays linear
    "figures_one_sentence": lambda n: ("出口额达到1.5亿元，较2015年增长3%" * (n // 22))[:n],
    "plan_periods": lambda n: ("“十三五”期间年均增长5%，" * (n // 14))[:n],
}
#: Inputs that must finish under the 2 s target; the dense ones are judged on linearity.
UNDER_2S = ("digits", "wan_run", "unclosed_brackets", "yishang_100k")


def adversarial(n_chars: int = 1_000_000) -> dict:
    """Seconds per input at 1 MB, and the 1 MB / 0.5 MB time ratio (2.0 = linear)."""
    out = {}
    for name, make in ADVERSARIAL.items():
        full = _timed(lambda t: len(extract(from_text(t))), make(n_chars))[0]
        half = _timed(lambda t: len(extract(from_text(t))), make(n_chars // 2))[0]
        out[name] = {"seconds": full, "linearity": full / max(half, 1e-9)}
    return out


def main() -> dict:
    text = corpus()
    t = throughput(text)
    print(f"extract: {t['mb']:.2f} MB, {t['figures']} figures in {t['ours_s']:.2f} s "
          f"= {t['ours_mbs']:.2f} MB/s")
    if t.get("jionlp_s"):
        print(f"jionlp extract_money: {t['money']} amounts in {t['jionlp_s']:.2f} s "
              f"= {t['jionlp_mbs']:.2f} MB/s")
        print(f"ratio (policycheck speed / extract_money speed): {t['ratio']:.2f}x  (target >= 2x)")
    m = memory(text)
    print(f"memory: peak {m['peak_bytes'] / 1e6:.1f} MB for {m['input_bytes'] / 1e6:.1f} MB input "
          f"= {m['ratio']:.2f}x  (target < 10x)")
    a = adversarial()
    for name, r in a.items():
        target = "target < 2 s" if name in UNDER_2S else "dense figures: linear time"
        print(f"adversarial 1 MB {name}: {r['seconds']:.2f} s, time(1 MB)/time(0.5 MB) = "
              f"{r['linearity']:.2f}  ({target})")
    return {"throughput": t, "memory": m, "adversarial": a}


if __name__ == "__main__":
    main()
