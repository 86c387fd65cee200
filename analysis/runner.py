"""Execute notebooks with papermill: one at a time or in batches.

The kernel is the project's own (``config.KERNEL_NAME``, registered by
``make setup``); where it is not registered (a bare ``pip install``) the
notebook runs on ``python3`` of the current environment instead.  Every
failure is re-raised as :class:`~analysis.exceptions.ReportError` whose
message names the document and the notebook cell that failed, in one line.

Parameters are validated before the kernel starts (:func:`validate_parameters`):
types come from the notebook's ``parameters`` cell (``name: type = default  # help``),
unknown names are errors, and some names have value checks (``VALUE_CHECKS``:
the document exists, the language and rules are known, the tolerance is a
number >= 0).  Plain papermill runs get the same checks from the notebook's
first cell after the parameters, :func:`check_parameters`.
"""

from __future__ import annotations

import ast
import functools
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis import config
from analysis.exceptions import AnalysisError, ParameterError, ReportError

__all__ = [
    "CellError", "Run", "check_parameters", "execute", "execute_many", "kernel_name",
    "notebook_parameters", "validate_parameters",
]

log = logging.getLogger(__name__)

#: Kernel used when the project's kernel is not registered.
FALLBACK_KERNEL = "python3"

#: Seconds one cell may run before the notebook is abandoned.
CELL_TIMEOUT = 600


@functools.cache
def kernel_name(preferred: str = config.KERNEL_NAME) -> str:
    """The kernel to execute with: ``preferred`` when registered, else ``python3``.

    >>> kernel_name() in (config.KERNEL_NAME, FALLBACK_KERNEL)
    True
    """
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if preferred in specs:
        return preferred
    log.info("kernel %r is not registered; using %r", preferred, FALLBACK_KERNEL)
    return FALLBACK_KERNEL


class CellError(ReportError):
    """A cell of the notebook raised; ``output`` is the executed notebook with the traceback."""

    def __init__(self, summary: str, output: Path, ename: str = "", evalue: str = ""):
        self.summary = summary
        self.output = output
        self.ename, self.evalue = ename, evalue  # the failing cell's exception
        super().__init__(f"{summary} (see {output})")


@dataclass
class Run:
    """One notebook execution: what ran, for which document, and how it ended."""

    notebook: Path
    output: Path
    parameters: dict[str, Any] = field(default_factory=dict)
    document: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def execute(
    notebook: str | Path,
    output: str | Path,
    parameters: dict[str, Any] | None = None,
    *,
    document: str | Path | None = None,
    kernel: str | None = None,
    cwd: str | Path | None = None,
    timeout: int = CELL_TIMEOUT,
    engine: str | None = None,
) -> Path:
    """Execute ``notebook`` with ``parameters`` into ``output``; return ``output``.

    ``document`` only labels errors (defaults to ``parameters["document"]``).
    ``engine`` names a papermill engine (``policycheck-warm`` reuses one
    kernel per worker; None: papermill's default).
    The executed notebook is written even when a cell fails, so the traceback
    can be read there; the raised :class:`ReportError` names the document,
    the notebook and the exception of the failing cell.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook, output = Path(notebook), Path(output)
    parameters = dict(parameters or {})
    label = str(document if document is not None else parameters.get("document", notebook.name))
    if not notebook.is_file():
        raise ReportError(f"{label}: notebook {notebook} not found (reinstall the package)")
    validate_parameters(notebook, parameters, label=label)
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name=kernel or kernel_name(),
            cwd=str(cwd) if cwd is not None else None,
            execution_timeout=timeout,
            progress_bar=False,
            log_output=False,
            **({"engine_name": engine} if engine else {}),
        )
    except PapermillExecutionError as exc:
        raise CellError(
            f"{label}: {notebook.name} failed at In [{exc.exec_count}]: "
            f"{exc.ename}: {_first_line(exc.evalue)}",
            output,
            exc.ename,
            _first_line(exc.evalue),
        ) from None
    except Exception as exc:  # kernel died, bad parameters, unreadable notebook ...
        raise ReportError(
            f"{label}: {notebook.name} could not run: {type(exc).__name__}: {_first_line(str(exc))}"
        ) from exc
    return output


def execute_many(runs: Iterable[Run], **options: Any) -> list[Run]:
    """Execute each run independently; a failure is recorded in ``run.error``, others go on.

    ``options`` are passed to :func:`execute` (``kernel``, ``cwd``, ``timeout``).
    """
    done = []
    for run in runs:
        try:
            execute(
                run.notebook, run.output, run.parameters, document=run.document or None, **options
            )
        except ReportError as exc:
            run.error = str(exc)
            log.error("%s", exc)
        done.append(run)
    return done


# --- parameters ----------------------------------------------------------------------------

#: Parameter types of ``name: type = default`` that are checked, and the values they accept.
_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "int": (int,), "float": (int, float), "bool": (bool,),
}


@functools.lru_cache(maxsize=16)
def _inspect(notebook: str, mtime: float) -> dict[str, dict[str, Any]]:
    import papermill

    return dict(papermill.inspect_notebook(notebook))


def notebook_parameters(notebook: str | Path) -> dict[str, dict[str, Any]]:
    """The parameters cell of ``notebook``: name -> {inferred_type_name, default, help}.

    >>> params = notebook_parameters(config.NOTEBOOKS_DIR / "check_document.ipynb")
    >>> params["tolerance"]["inferred_type_name"]
    'float'
    """
    path = Path(notebook)
    return _inspect(str(path), path.stat().st_mtime)


def _type_problem(type_name: str, value: Any) -> str | None:
    """Why ``value`` does not fit ``type_name`` ('float', 'Optional[str]' ...), or None.

    >>> _type_problem("float", "abc"), _type_problem("Optional[int]", None)
    ("must be a float, got str 'abc'", None)
    >>> _type_problem("int", True)
    'must be a int, got bool True'
    """
    optional = type_name.startswith("Optional[") and type_name.endswith("]")
    base = type_name[len("Optional["):-1] if optional else type_name
    kinds = _TYPES.get(base)
    if kinds is None or (value is None and optional):
        return None
    if isinstance(value, kinds) and (base == "bool" or not isinstance(value, bool)):
        return None
    hint = " (papermill: -r NAME VALUE passes text as is)" if base == "str" else ""
    return f"must be a {base}, got {type(value).__name__} {_short(value)}{hint}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_document(value: Any) -> str | None:
    from analysis.reports.tables import resolve_document

    try:
        path = resolve_document(value)
    except AnalysisError:
        return "is empty (pass the path of a document)"
    if not path.exists():
        return f"names a file that does not exist: {_short(str(value))}"
    if not path.is_file():
        return f"is not a file: {_short(str(value))}"
    return None


def _check_language(value: Any) -> str | None:
    from analysis.reports.labels import LANGUAGES

    if value in LANGUAGES:
        return None
    return f"must be one of {' | '.join(LANGUAGES)}, got {_short(value)}"


def _check_rules(value: Any) -> str | None:
    from analysis import checks
    from analysis.reports.tables import parse_rules

    unknown = [r for r in parse_rules(value) or [] if r not in checks.registered()]
    if unknown:
        return f"names unknown rules {', '.join(unknown)} (known: {', '.join(checks.registered())})"
    return None


def _check_date(value: Any) -> str | None:
    import datetime as dt

    if not value:
        return None
    try:
        dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return f"must be a date YYYY-MM-DD, got {_short(value)}"
    return None


def _check_tolerance(value: Any) -> str | None:
    return None if math.isfinite(value) and value >= 0 else f"must be a number >= 0, got {value}"


#: Parameter name -> check of a value of the right type (a problem, or None).
VALUE_CHECKS = {
    "document": _check_document,
    "language": _check_language,
    "rules": _check_rules,
    "tolerance": _check_tolerance,
    "date": _check_date,
}


def validate_parameters(
    notebook: str | Path, parameters: dict[str, Any], *, label: str = ""
) -> None:
    """Raise :class:`ParameterError` (one line, every problem) unless ``parameters`` fit the
    parameters cell of ``notebook``: known names, declared types, ``VALUE_CHECKS``.

    >>> nb = config.NOTEBOOKS_DIR / "check_document.ipynb"
    >>> validate_parameters(nb, {"tolerance": "abc", "colour": 1})
    Traceback (most recent call last):
    ...
    analysis.exceptions.ParameterError: check_document.ipynb: unknown parameter 'colour' \
(known: document, language, out_dir, rules, tolerance, date); \
parameter 'tolerance' must be a float, got str 'abc'
    """
    notebook = Path(notebook)
    declared = notebook_parameters(notebook)
    problems = [
        f"unknown parameter {name!r} (known: {', '.join(declared)})"
        for name in parameters if name not in declared
    ]
    for name, value in parameters.items():
        if name not in declared:
            continue
        problem = _type_problem(declared[name]["inferred_type_name"], value)
        if problem is None and name in VALUE_CHECKS:
            problem = VALUE_CHECKS[name](value)
        if problem:
            problems.append(f"parameter {name!r} {problem}")
    if problems:
        where = f"{label}: {notebook.name}" if label else notebook.name
        raise ParameterError(f"{where}: {'; '.join(problems)}")


def _injected_names(history: list[str]) -> list[str]:
    """Names assigned by papermill's injected cell (``# Parameters`` …), the latest one in the
    kernel's input history; [] when the notebook runs without papermill.

    >>> _injected_names(["", "x = 1", "# Parameters\\ndocument = 'a.txt'\\ncolour = 1\\n"])
    ['document', 'colour']
    """
    for source in reversed(history):
        if source.startswith("# Parameters\n"):
            try:
                tree = ast.parse(source)
            except SyntaxError:
                return []
            return [t.id for node in tree.body if isinstance(node, ast.Assign)
                    for t in node.targets if isinstance(t, ast.Name)]
    return []


def check_parameters(notebook: str, namespace: dict[str, Any]) -> None:
    """The notebook-side check for plain papermill runs: validate the parameters of
    ``config.NOTEBOOKS_DIR / notebook`` as the kernel holds them (``globals()``), the names
    papermill injected included; raises :class:`ParameterError`, shown as one line."""
    path = config.NOTEBOOKS_DIR / notebook
    declared = notebook_parameters(path)
    names = list(dict.fromkeys([*declared, *_injected_names(list(namespace.get("In") or []))]))
    validate_parameters(path, {n: namespace[n] for n in names if n in namespace})


def _first_line(text: str) -> str:
    """First non-empty line of ``text`` (errors are one line).

    >>> _first_line("\\nValueError: bad\\nmore")
    'ValueError: bad'
    """
    for line in str(text).splitlines():
        if line.strip():
            return line.strip()
    return ""
