"""Extraction quality on the hand-checked gold file (tests/gold/)."""
from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from analysis import config
from analysis.documents import load
from analysis.figures import extract

GOLD = json.loads((Path(__file__).parent / "gold" / "figures_gold.json").read_text("utf-8"))


def _key(value, unit, kind):
    # the unit as printed may be full-width (60％); compare it modulo width and spaces
    unit = unicodedata.normalize("NFKC", unit).replace(" ", "").replace("\n", "")
    return (Decimal(str(value)), unit, kind)


def score(doc_key: str):
    entry = GOLD[doc_key]
    path = config.SEEDS_DIR / entry["file"]
    if not path.exists():
        pytest.skip(f"needs {path} (../shared beside the checkout)")
    figures = extract(load(path))
    spans = entry["sections"]
    inside = [f for f in figures if any(s <= f.start < e for s, e in spans)]
    gold = entry["figures"]
    matched, year_ok, year_total = 0, 0, 0
    used = set()
    misses = []
    for g in gold:
        hit = next((f for f in inside if id(f) not in used and abs(f.start - g["start"]) <= 3
                    and _key(f.value, f.unit, f.kind) == _key(g["value"], g["unit"], g["kind"])), None)
        if hit is None:
            misses.append(g)
            continue
        used.add(id(hit))
        matched += 1
        if g["year"] is not None:
            year_total += 1
            year_ok += hit.year == g["year"]
    extra = [f for f in inside if id(f) not in used]
    return {
        "gold": len(gold), "extracted": len(inside), "matched": matched,
        "recall": matched / len(gold), "precision": matched / max(len(inside), 1),
        "year_accuracy": year_ok / max(year_total, 1), "misses": misses,
        "extra": [(f.printed, f.kind, f.start) for f in extra],
    }


@pytest.mark.seeds
@pytest.mark.parametrize("doc_key", sorted(GOLD))
def test_gold_recall_precision_year(doc_key, capsys):
    r = score(doc_key)
    with capsys.disabled():
        print(f"\n[gold {doc_key}] gold={r['gold']} extracted={r['extracted']} "
              f"recall={r['recall']:.3f} precision={r['precision']:.3f} "
              f"year_accuracy={r['year_accuracy']:.3f}")
    assert r["recall"] >= 0.95, r["misses"]
    assert r["precision"] >= 0.95, r["extra"]
    assert r["year_accuracy"] >= 0.95


@pytest.mark.seeds
def test_gold_overall():
    totals = [score(k) for k in sorted(GOLD)]
    gold = sum(t["gold"] for t in totals)
    matched = sum(t["matched"] for t in totals)
    extracted = sum(t["extracted"] for t in totals)
    assert matched / gold >= 0.95 and matched / extracted >= 0.95
