"""The edition dashboard and the partners' report (PDF, ZIP of CSV files, API JSON).

Importing this package registers its pages on `markets.bp` and its API route on
`markets.api_bp`.
"""

from markets.report import api, jobs, views  # noqa: F401
