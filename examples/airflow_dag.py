"""Nightly policycheck reports as an Apache Airflow DAG (Airflow 2.4+ / 3).

Copy into Airflow's ``dags/`` folder and set the three paths.  The task
calls the same command as the cron line in README.md: unchanged documents
are skipped, so the nightly run only rebuilds what changed; exit code 2 (a
document could not be read or built) fails the task, and the log has one
line per document.  For a Dask cluster add ``--scheduler tcp://HOST:8786``.
"""

from __future__ import annotations

import datetime as dt

from airflow import DAG
from airflow.operators.bash import BashOperator

POLICYCHECK = "/srv/policycheck/.venv/bin/policycheck"
DOCUMENTS = "/data/policy-docs"
REPORTS = "/srv/www/policy-reports"

with DAG(
    dag_id="policycheck_nightly_reports",
    schedule="30 2 * * *",
    start_date=dt.datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # one run per output folder (a second would wait for the lock)
    default_args={"retries": 1, "retry_delay": dt.timedelta(minutes=10)},
    tags=["policycheck"],
) as dag:
    report = BashOperator(
        task_id="report",
        bash_command=f"{POLICYCHECK} report {DOCUMENTS} --out {REPORTS} --wait 600",
    )
    inconsistencies = BashOperator(
        task_id="recent_inconsistencies",
        bash_command=(
            f"{POLICYCHECK} query --store {REPORTS}/policycheck.duckdb --format csv "
            "\"SELECT document, rule, arithmetic FROM checks WHERE verdict = 'inconsistent'\""
        ),
    )
    report >> inconsistencies
