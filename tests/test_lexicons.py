"""Lexicons load, validate, and reject malformed files naming file and key."""
from __future__ import annotations

import pytest

from analysis import lexicons
from analysis.exceptions import LexiconError


def test_shipped_lexicons_validate():
    assert lexicons.units()["亿元" if "亿元" in lexicons.units() else "元"].base == "CNY"
    assert lexicons.scales()["万亿"] == 10 ** 12
    assert lexicons.periods()["plans"]["十四五"] == [2021, 2025]
    assert lexicons.alias_index()["进出口额"] == "外贸进出口总额"
    assert "年均增长" in lexicons.kinds()["avg_growth"]


@pytest.mark.parametrize("text,fragment", [
    ("version: 1\nscales:\n  万: 1e4\n  万: 1e5\n", "duplicate key '万'"),
    ("version: 1\nunits: [\n", "not valid YAML"),
])
def test_malformed_yaml(tmp_path, text, fragment):
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as exc:
        lexicons.load_data("bad.yaml", tmp_path)
    assert "bad.yaml" in str(exc.value) and fragment in str(exc.value)


def test_unknown_field_named():
    with pytest.raises(LexiconError) as exc:
        lexicons.check_fields("units.yaml: units.吨", {"base": "kg", "factr": 1}, ["base", "factor"])
    assert "units.yaml: units.吨" in str(exc.value) and "factr" in str(exc.value)
