"""``python -m analysis`` is the ``policycheck`` command."""
from analysis.cli import main

raise SystemExit(main())
