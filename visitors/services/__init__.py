"""Visitors' business rules: tickets, scans, tallies and attendance (split by topic)."""

from visitors.services.attendance import attendance_summary, hourly_series, local_today
from visitors.services.scanning import MAX_BATCH_BYTES, MAX_SCANS, TooLarge, record_scans
from visitors.services.tallies import record_tallies
from visitors.services.tickets import (
    MAX_BATCH,
    count_tickets,
    create_ticket,
    create_ticket_batch,
    get_ticket,
)

__all__ = [
    "MAX_BATCH",
    "MAX_BATCH_BYTES",
    "MAX_SCANS",
    "TooLarge",
    "attendance_summary",
    "count_tickets",
    "create_ticket",
    "create_ticket_batch",
    "get_ticket",
    "hourly_series",
    "local_today",
    "record_scans",
    "record_tallies",
]
