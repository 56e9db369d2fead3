"""ptkb: an expert-system knowledge base for posterior thigh and buttock pain.

The application shell (CLI, reports, regression runner, lint) over the `kb`, `engine` and
`explain` packages.
"""
__all__ = ["__version__"]
__version__ = "0.1.0"
