"""policycheck: figures, growth checks, scenarios and reports for Chinese policy documents.

The data flows one way: documents -> figures -> checks -> scenarios -> reports.
"""
from analysis.exceptions import AnalysisError

__version__ = "0.1.0"
__all__ = ["AnalysisError", "__version__"]
