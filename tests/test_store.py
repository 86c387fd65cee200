"""The figure store: rows per document, replaced on re-run, queryable across documents."""
from __future__ import annotations

from analysis import config
from analysis.documents import load
from analysis.figures import extract
from analysis.store import FigureStore


def test_store_replaces_rows_and_answers_queries(tmp_path):
    paths = sorted(p for p in config.SAMPLES_DIR.iterdir() if p.is_file())
    with FigureStore(tmp_path / "figures.duckdb") as store:
        counts = {}
        for p in paths:
            doc = load(p)
            figs = extract(doc)
            store.add(doc, figs)
            counts[doc.doc_id] = len(figs)
        doc = load(paths[0])
        store.add(doc, extract(doc))                          # re-run: replaced, not doubled
        per_doc = store.query("SELECT document, count(*) AS n FROM figures GROUP BY document")
        assert dict(zip(per_doc.document, per_doc.n)) == counts
        levels = store.indicators_across_documents()
        assert not levels.empty and levels["indicator_canonical"].notna().all()
    with FigureStore(tmp_path / "figures.duckdb") as again:      # persisted on disk
        assert len(again.figures()) == sum(counts.values())
