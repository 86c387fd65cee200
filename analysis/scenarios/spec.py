"""Scenario specs: the YAML schema of ``data/scenarios/*.yaml``, validated on load.

A spec says which target to examine (typed in, or taken from a document), the
base it grows from, the actual values known so far, and the named scenarios
to run.  The schema is documented in ``data/scenarios/README.md``; every
problem raises :class:`~analysis.exceptions.SpecError` whose message names the
file, the key, the problem and the fix::

    data/scenarios/x.yaml: target.year: 2019 is not after base.year 2020 (a target lies after its base; fix one of the two years)

Values stay exact ``Decimal`` here; floats start in :mod:`analysis.scenarios.model`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from analysis import config
from analysis.scenarios.actuals import INLINE, Actuals, looks_inline, parse_actuals, read_actuals
from analysis.scenarios.validate import (
    Ctx,
    as_choice,
    as_int,
    as_mapping,
    as_notes,
    as_number,
    as_numbers,
    as_positive,
    as_text,
    as_year,
    as_year_map,
    check_keys,
    display,
    parse_yaml,
    spec_error,
)

__all__ = [
    "Actuals",
    "ForecastOptions",
    "Scenario",
    "ScenarioSpec",
    "load_spec",
    "parse_actuals",
    "spec_from_dict",
    "spec_from_inline",
]

#: Target qualifiers (same meanings as the figures' ``qualifier``).
QUALIFIERS = ("at_least", "exceeds", "about", "at_most", "below")
#: Qualifiers that bound a target from above: reaching it means staying at or below.
DOWNWARD = ("at_most", "below")
#: Words a scenario may use instead of a number for ``rate`` (resolved by the model).
SYMBOLIC_RATES = ("implied", "stated", "history", "required")

_TOP_KEYS = (
    "name",
    "title",
    "indicator",
    "unit",
    "base",
    "target",
    "actuals",
    "horizon",
    "scenarios",
    "sensitivity",
    "simulation",
    "forecast",
    "notes",
)
_BASE_KEYS = ("year", "value", "source", "note")
_TARGET_KEYS = (
    "year",
    "value",
    "rate",
    "qualifier",
    "stated_rate",
    "stated_rate_qualifier",
    "note",
    "document",
    "indicator",
    "figure",
)
_SCENARIO_KEYS = ("label", "description", "rate", "rates", "shocks", "start")
_SENSITIVITY_KEYS = ("rates", "start_levels", "start_changes_pct")
_SIMULATION_KEYS = ("mean_pct", "sd_pct", "persistence", "n_paths", "seed", "note")
_FORECAST_KEYS = ("methods", "min_obs_ets", "min_obs_arima", "arima_order", "damped")
_METHODS = ("ets", "arima")


# --- the spec ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A named path: growth ``rate`` (percent, or a word in SYMBOLIC_RATES) each year,
    ``rates`` overriding it for given years, ``shocks`` (percent level changes) on top.

    ``start`` is ``"latest"`` (the latest actual at or after the base year, else
    the base) or ``"base"``.
    """

    name: str
    label: str
    rate: Decimal | str | None = None
    rates: Mapping[int, Decimal] = field(default_factory=dict)
    shocks: Mapping[int, Decimal] = field(default_factory=dict)
    start: str = "latest"
    description: str = ""


@dataclass(frozen=True)
class ForecastOptions:
    """Which statistical forecasts to fit on the log levels, and when a series is long enough."""

    methods: tuple[str, ...] = _METHODS
    min_obs_ets: int = 5
    min_obs_arima: int = 8
    arima_order: tuple[int, int, int] = (0, 1, 0)
    damped: bool = False


@dataclass(frozen=True)
class ScenarioSpec:
    """A validated scenario spec.  Build with :func:`load_spec` or :func:`spec_from_inline`.

    ``target_value`` is ``None`` for a target stated only as a growth rate
    (``target_rate``); the model then projects the base at that rate.
    ``base_source`` says where the base came from: ``"spec <file>"``,
    ``"document <path> figure <id>"`` or ``"actuals CSV <path>"``.
    """

    name: str
    path: str
    indicator: str
    unit: str
    base_year: int
    base_value: Decimal
    base_source: str
    target_year: int
    target_value: Decimal | None
    target_source: str
    title: str = ""
    base_note: str = ""
    target_qualifier: str | None = None
    target_rate: Decimal | None = None  # the target itself, when stated as a rate
    stated_rate: Decimal | None = None  # a rate printed beside a level target
    stated_rate_qualifier: str | None = None
    target_note: str = ""
    actuals: Actuals | None = None
    horizon: int | None = None
    scenarios: tuple[Scenario, ...] = ()
    sensitivity_rates: tuple[Decimal, ...] | None = None
    sensitivity_start_levels: tuple[Decimal, ...] | None = None
    sensitivity_start_changes: tuple[Decimal, ...] | None = None
    simulation_mean: Decimal | str | None = None
    simulation_sd: Decimal | None = None
    simulation_note: str = ""
    simulation_persistence: Decimal | None = None
    n_paths: int | None = None
    seed: int | None = None
    forecast: ForecastOptions = ForecastOptions()
    notes: str = ""

    @property
    def direction(self) -> str:
        """``"up"`` when reaching the target means getting to or above it, else ``"down"``."""
        if self.target_qualifier in DOWNWARD:
            return "down"
        if self.target_value is not None and self.target_value < self.base_value:
            return "down"
        if self.target_rate is not None and self.target_rate < 0:
            return "down"
        return "up"


def load_spec(path: str | Path) -> ScenarioSpec:
    """Read and validate a scenario spec YAML file.

    Relative paths inside it (``actuals.csv``, ``target.document``) start from
    the spec's own folder.

    >>> spec = load_spec(config.SCENARIOS_DIR / "jiaojiang_retail_2025.yaml")
    >>> spec.base_year, spec.base_value, spec.target_year, spec.target_value
    (2020, Decimal('290.5'), 2025, Decimal('407'))
    """
    given = Path(path).expanduser()
    candidates = [given] if given.is_absolute() else [given, config.PROJECT_ROOT / given]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise spec_error(
            str(path),
            "(file)",
            "spec file not found",
            f"pass a path to an existing YAML file, e.g. one in {config.SCENARIOS_DIR}",
        )
    text = found.read_text(encoding="utf-8")
    data = parse_yaml(text, str(path))
    return spec_from_dict(
        data, file=str(path), folder=found.resolve().parent, default_name=found.stem
    )


def spec_from_dict(
    data: Any, file: str = INLINE, folder: Path | None = None, default_name: str = "inline"
) -> ScenarioSpec:
    """Validate a spec already parsed into a dict (the YAML schema)."""
    ctx = Ctx(file, folder if folder is not None else Path.cwd())
    if not isinstance(data, dict):
        raise ctx.error(
            "(file)",
            f"expected a mapping of keys, got {type(data).__name__}",
            "start from an example in data/scenarios/",
        )
    check_keys(ctx, "", data, _TOP_KEYS)
    name = _name(ctx, data, default_name)
    target = as_mapping(ctx, "target", data.get("target"), required=True)
    check_keys(ctx, "target.", target, _TARGET_KEYS)
    doc = _document_target(ctx, target) if "document" in target else None
    indicator, unit = _indicator_unit(ctx, data, doc)
    actuals = read_actuals(ctx, data["actuals"]) if data.get("actuals") is not None else None
    tgt = _target_fields(ctx, target, doc)
    base = _base_fields(ctx, data, actuals, doc)
    _check_levels(ctx, tgt, base)
    horizon = as_year(ctx, "horizon", data.get("horizon"))
    if horizon is not None and horizon < tgt["target_year"]:
        raise ctx.error(
            "horizon",
            f"{horizon} is before target.year {tgt['target_year']}",
            "the horizon is the last year shown; make it at least the target year",
        )
    scenarios = _scenarios(ctx, data.get("scenarios"))
    sim = _simulation(ctx, data.get("simulation"))
    has_stated = tgt["stated_rate"] is not None or tgt["target_rate"] is not None
    _check_symbolic_rates(
        ctx,
        [(f"scenarios.{s.name}.rate", s.rate) for s in scenarios]
        + [("simulation.mean_pct", sim["simulation_mean"])],
        has_stated,
        len(actuals.years) if actuals else 0,
    )
    return ScenarioSpec(
        name=name,
        path=file,
        title=as_text(ctx, "title", data.get("title")) or "",
        indicator=indicator,
        unit=unit,
        **base,
        **tgt,
        target_note=as_text(ctx, "target.note", target.get("note")) or "",
        actuals=actuals,
        horizon=horizon,
        scenarios=scenarios,
        **_sensitivity(ctx, data.get("sensitivity")),
        **sim,
        forecast=_forecast(ctx, data.get("forecast")),
        notes=as_notes(ctx, data.get("notes")),
    )


def _name(ctx: Ctx, data: Mapping[str, Any], default_name: str) -> str:
    name = as_text(ctx, "name", data.get("name", default_name)) or default_name
    if not re.fullmatch(r"[\w.\-]+", name):
        raise ctx.error(
            "name",
            f"{name!r} is not usable as a folder name",
            "use letters, digits, '_', '-' or '.'",
        )
    return name


def _indicator_unit(
    ctx: Ctx, data: Mapping[str, Any], doc: Mapping[str, Any] | None
) -> tuple[str, str]:
    indicator = as_text(ctx, "indicator", data.get("indicator")) or (doc or {}).get("indicator", "")
    if not indicator:
        raise ctx.error(
            "indicator", "missing", "name the indicator, e.g. indicator: 社会消费品零售总额"
        )
    unit = as_text(ctx, "unit", data.get("unit")) or (doc or {}).get("unit", "")
    if doc and data.get("unit") and doc.get("unit") and data["unit"] != doc["unit"]:
        raise ctx.error(
            "unit",
            f"{data['unit']!r} differs from the document's unit {doc['unit']!r}",
            "remove unit: or make it match the document",
        )
    return indicator, unit


def _target_fields(
    ctx: Ctx, target: Mapping[str, Any], doc: Mapping[str, Any] | None
) -> dict[str, Any]:
    """target_year/value/rate/qualifier/source and the stated rate: from the spec or a document."""
    if doc:
        out = {
            "target_year": doc["target_year"],
            "target_value": doc["target_value"],
            "target_rate": doc.get("target_rate"),
            "target_qualifier": doc.get("qualifier"),
            "target_source": doc["target_source"],
        }
    else:
        out = {
            "target_year": as_year(ctx, "target.year", target.get("year"), required=True),
            "target_value": as_number(ctx, "target.value", target.get("value")),
            "target_rate": as_number(ctx, "target.rate", target.get("rate")),
            "target_qualifier": as_choice(
                ctx, "target.qualifier", target.get("qualifier"), QUALIFIERS
            ),
            "target_source": f"spec {ctx.file}",
        }
    if out["target_value"] is None and out["target_rate"] is None:
        raise ctx.error(
            "target",
            "has neither value nor rate",
            "give target.value (a level) or target.rate (average annual growth, %)",
        )
    if out["target_value"] is not None and out["target_rate"] is not None:
        raise ctx.error(
            "target",
            "has both value and rate",
            "keep one; a rate printed beside a level goes in target.stated_rate",
        )
    stated = as_number(ctx, "target.stated_rate", target.get("stated_rate"))
    out["stated_rate"] = stated if stated is not None or not doc else doc.get("stated_rate")
    out["stated_rate_qualifier"] = as_choice(
        ctx, "target.stated_rate_qualifier", target.get("stated_rate_qualifier"), QUALIFIERS
    ) or (doc or {}).get("stated_rate_qualifier")
    return out


def _base_fields(
    ctx: Ctx, data: Mapping[str, Any], actuals: Actuals | None, doc: Mapping[str, Any] | None
) -> dict[str, Any]:
    """base_year/value/source/note: the spec's base, else the actuals', else the document's."""
    base = as_mapping(ctx, "base", data["base"]) if data.get("base") is not None else {}
    check_keys(ctx, "base.", base, _BASE_KEYS)
    year = as_year(ctx, "base.year", base.get("year"))
    value = as_number(ctx, "base.value", base.get("value"))
    note = as_text(ctx, "base.note", base.get("note")) or ""
    if value is not None:
        if year is None:
            raise ctx.error("base.year", "missing", "give the year the base value belongs to")
        said = as_text(ctx, "base.source", base.get("source"))
        source = f"spec {ctx.file}" + (f" ({said})" if said else "")
    elif year is not None and actuals is not None and actuals.value(year) is not None:
        value, source = actuals.value(year), actuals.source
    elif year is not None:
        raise ctx.error(
            "base.value",
            f"missing, and the actuals have no value for {year}",
            "give base.value or add that year to actuals",
        )
    elif doc and doc.get("base_year") is not None:
        year, value, source = doc["base_year"], doc["base_value"], doc["base_source"]
    else:
        where = " (the document has no base value for it)" if doc else ""
        raise ctx.error(
            "base",
            f"missing{where}",
            "add base: {year: ..., value: ...}; a target can only be traced from a base",
        )
    return {"base_year": year, "base_value": value, "base_source": source, "base_note": note}


def _check_levels(ctx: Ctx, tgt: Mapping[str, Any], base: Mapping[str, Any]) -> None:
    """The target lies after the base, levels are positive, a rate is above -100 %."""
    if tgt["target_year"] <= base["base_year"]:
        raise ctx.error(
            "target.year",
            f"{tgt['target_year']} is not after base.year {base['base_year']}",
            "a target lies after its base; fix one of the two years",
        )
    if base["base_value"] <= 0:
        raise ctx.error(
            "base.value",
            f"{base['base_value']} is not positive",
            "growth rates need a positive base; check the value and its unit",
        )
    if tgt["target_value"] is not None and tgt["target_value"] <= 0:
        raise ctx.error(
            "target.value",
            f"{tgt['target_value']} is not positive",
            "growth rates need positive levels; check the value and its unit",
        )
    if tgt["target_rate"] is not None and tgt["target_rate"] <= -100:
        raise ctx.error(
            "target.rate",
            f"{tgt['target_rate']}% would make the level vanish",
            "rates are in percent; a rate must be above -100",
        )


def _sensitivity(ctx: Ctx, value: Any) -> dict[str, Any]:
    sens = as_mapping(ctx, "sensitivity", value) if value else {}
    check_keys(ctx, "sensitivity.", sens, _SENSITIVITY_KEYS)
    if "start_levels" in sens and "start_changes_pct" in sens:
        raise ctx.error(
            "sensitivity", "has both start_levels and start_changes_pct", "keep one of the two"
        )
    return {
        "sensitivity_rates": as_numbers(ctx, "sensitivity.rates", sens.get("rates")),
        "sensitivity_start_levels": as_positive(
            ctx,
            "sensitivity.start_levels",
            as_numbers(ctx, "sensitivity.start_levels", sens.get("start_levels")),
        ),
        "sensitivity_start_changes": as_numbers(
            ctx, "sensitivity.start_changes_pct", sens.get("start_changes_pct")
        ),
    }


def _simulation(ctx: Ctx, value: Any) -> dict[str, Any]:
    sim = as_mapping(ctx, "simulation", value) if value else {}
    check_keys(ctx, "simulation.", sim, _SIMULATION_KEYS)
    mean: Decimal | str | None
    if sim.get("mean_pct") in SYMBOLIC_RATES:
        mean = sim["mean_pct"]
    else:
        mean = as_number(ctx, "simulation.mean_pct", sim.get("mean_pct"))
    sd = as_number(ctx, "simulation.sd_pct", sim.get("sd_pct"))
    if sd is not None and sd < 0:
        raise ctx.error("simulation.sd_pct", f"{sd} is negative", "a volatility is >= 0")
    phi = as_number(ctx, "simulation.persistence", sim.get("persistence"))
    if phi is not None and not 0 <= phi < 1:
        raise ctx.error(
            "simulation.persistence",
            f"{phi} is not in [0, 1)",
            "the AR(1) coefficient of yearly growth: 0 (independent years) up to below 1",
        )
    if (mean is not None or sd is not None or phi is not None) and not sim.get("note"):
        raise ctx.error(
            "simulation.note",
            "missing",
            "say where an assumed mean, volatility or persistence comes from",
        )
    return {
        "simulation_mean": mean,
        "simulation_sd": sd,
        "simulation_note": as_text(ctx, "simulation.note", sim.get("note")) or "",
        "simulation_persistence": phi,
        "n_paths": as_int(ctx, "simulation.n_paths", sim.get("n_paths"), minimum=1),
        "seed": as_int(ctx, "simulation.seed", sim.get("seed"), minimum=0),
    }


def _check_symbolic_rates(
    ctx: Ctx, uses: list[tuple[str, Any]], has_stated: bool, n_actuals: int
) -> None:
    """'stated' needs a stated rate, 'history' at least two actuals."""
    for key, rate in uses:
        if rate == "stated" and not has_stated:
            raise ctx.error(
                key,
                "'stated' but the target has no stated rate",
                "add target.stated_rate or give a number",
            )
        if rate == "history" and n_actuals < 2:
            raise ctx.error(
                key,
                f"'history' needs at least two actual values, the spec has {n_actuals}",
                "add actuals or give a number",
            )


def spec_from_inline(
    indicator: str,
    base_year: int,
    base_value: float | str | Decimal | None,
    target_year: int,
    target_value: float | str | Decimal | None = None,
    *,
    unit: str = "",
    target_rate: float | str | Decimal | None = None,
    qualifier: str | None = None,
    stated_rate: float | str | Decimal | None = None,
    actuals: Any = None,
    horizon: int | None = None,
    scenarios: Mapping[str, Mapping[str, Any]] | None = None,
    name: str = "inline",
    allow_gaps: bool = False,
) -> ScenarioSpec:
    """A spec from values typed in (the notebook's inline mode); validated like a file.

    ``actuals`` is ``"2021:300,2022:320"``, a CSV path (columns ``year,value``),
    or a ``{year: value}`` mapping.  ``base_value=None`` takes the base from the
    actuals.

    >>> spec = spec_from_inline("社会消费品零售总额", 2020, "290.5", 2025, 407,
    ...                         actuals="2021:300,2022:320")
    >>> spec.base_source, spec.actuals.years
    ('spec <inline>', (2021, 2022))
    >>> spec_from_inline("x", 2020, 0, 2025, target_rate=10)
    Traceback (most recent call last):
    ...
    analysis.exceptions.SpecError: <inline>: base.value: 0 is not positive (growth rates need a positive base; check the value and its unit)
    """
    target: dict[str, Any] = {"year": target_year}
    if target_value is not None:
        target["value"] = str(target_value) if isinstance(target_value, Decimal) else target_value
    if target_rate is not None:
        target["rate"] = target_rate
    if qualifier:
        target["qualifier"] = qualifier
    if stated_rate is not None:
        target["stated_rate"] = stated_rate
    data: dict[str, Any] = {
        "name": name,
        "indicator": indicator,
        "unit": unit,
        "target": target,
        "base": {"year": base_year},
    }
    if base_value is not None:
        data["base"]["value"] = base_value
    if horizon:
        data["horizon"] = horizon
    if scenarios:
        data["scenarios"] = dict(scenarios)
    if actuals is not None and not (isinstance(actuals, str) and not actuals.strip()):
        if isinstance(actuals, Mapping):
            data["actuals"] = {"values": dict(actuals)}
        elif looks_inline(actuals):
            data["actuals"] = {"values": parse_actuals(str(actuals))}
        else:
            data["actuals"] = {"csv": str(actuals)}
        if allow_gaps:
            data["actuals"]["gaps"] = "allow"
    return spec_from_dict(data, file=INLINE, folder=Path.cwd(), default_name=name)


def _scenarios(ctx: Ctx, value: Any) -> tuple[Scenario, ...]:
    data = as_mapping(ctx, "scenarios", value)
    out = []
    for name, body in data.items():
        key = f"scenarios.{name}"
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][\w\-]*", name):
            raise ctx.error(
                key,
                f"{name!r} is not a usable scenario name",
                "use letters, digits and '_' (it becomes a column name); "
                "put Chinese names in label:",
            )
        body = as_mapping(ctx, key, body, required=True)
        check_keys(ctx, f"{key}.", body, _SCENARIO_KEYS)
        rate: Decimal | str | None
        if isinstance(body.get("rate"), str) and body["rate"].strip() in SYMBOLIC_RATES:
            rate = body["rate"].strip()
        else:
            rate = as_number(ctx, f"{key}.rate", body.get("rate"))
        rates = as_year_map(ctx, f"{key}.rates", body.get("rates"))
        shocks = as_year_map(ctx, f"{key}.shocks", body.get("shocks"))
        if rate is None and not rates:
            raise ctx.error(
                key,
                "has neither rate nor rates",
                f"give rate: (percent, or one of {', '.join(SYMBOLIC_RATES)}) "
                "and/or rates: {year: percent}",
            )
        for k, d in (("rates", rates), ("shocks", shocks)):
            for y, v in d.items():
                if v <= -100:
                    raise ctx.error(
                        f"{key}.{k}.{y}",
                        f"{v}% would make the level vanish",
                        "values are percent; they must be above -100",
                    )
        if isinstance(rate, Decimal) and rate <= -100:
            raise ctx.error(
                f"{key}.rate",
                f"{rate}% would make the level vanish",
                "rates are percent; they must be above -100",
            )
        start = as_choice(ctx, f"{key}.start", body.get("start"), ("latest", "base")) or "latest"
        out.append(
            Scenario(
                name=name,
                label=as_text(ctx, f"{key}.label", body.get("label")) or name,
                rate=rate,
                rates=rates,
                shocks=shocks,
                start=start,
                description=as_text(ctx, f"{key}.description", body.get("description")) or "",
            )
        )
    return tuple(out)


def _forecast(ctx: Ctx, value: Any) -> ForecastOptions:
    data = as_mapping(ctx, "forecast", value)
    check_keys(ctx, "forecast.", data, _FORECAST_KEYS)
    d = ForecastOptions()
    methods = data.get("methods", list(d.methods))
    if not isinstance(methods, list) or any(m not in _METHODS for m in methods):
        raise ctx.error(
            "forecast.methods",
            f"{methods!r} is not a list of {', '.join(_METHODS)}",
            "write e.g. [ets, arima], or [] for none",
        )
    order = data.get("arima_order", list(d.arima_order))
    if (
        not isinstance(order, list)
        or len(order) != 3
        or any(isinstance(o, bool) or not isinstance(o, int) or o < 0 for o in order)
    ):
        raise ctx.error(
            "forecast.arima_order",
            f"{order!r} is not [p, d, q]",
            "write three whole numbers, e.g. [0, 1, 0]",
        )
    damped = data.get("damped", d.damped)
    if not isinstance(damped, bool):
        raise ctx.error("forecast.damped", f"{damped!r} is not true/false", "write true or false")
    return ForecastOptions(
        methods=tuple(methods),
        min_obs_ets=as_int(ctx, "forecast.min_obs_ets", data.get("min_obs_ets"), 4)
        or d.min_obs_ets,
        min_obs_arima=(
            as_int(ctx, "forecast.min_obs_arima", data.get("min_obs_arima"), 4) or d.min_obs_arima
        ),
        arima_order=(order[0], order[1], order[2]),
        damped=damped,
    )


# --- targets from documents ----------------------------------------------------------------


def _document_target(ctx: Ctx, target: Mapping[str, Any]) -> dict[str, Any]:
    """Target, base and stated rate read from a document through the extractor."""
    from analysis.scenarios.sources import target_from_document

    for key in ("value", "rate", "qualifier"):
        if key in target:
            raise ctx.error(
                f"target.{key}",
                "cannot be combined with target.document",
                "the document gives the target; remove the key or the document",
            )
    if ("indicator" in target) == ("figure" in target):
        raise ctx.error(
            "target",
            "a document target needs exactly one of indicator: or figure:",
            "write e.g. indicator: 社会消费品零售总额 or figure: F0012",
        )
    path = ctx.resolve("target.document", target["document"])
    year = as_year(ctx, "target.year", target.get("year"))
    return target_from_document(
        path,
        display=display(path),
        file=ctx.file,
        indicator=as_text(ctx, "target.indicator", target.get("indicator")),
        figure=as_text(ctx, "target.figure", target.get("figure")),
        year=year,
    )
