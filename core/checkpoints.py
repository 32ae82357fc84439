"""Checkpoints another feature judges: the `workshop:<id>` contract between visitors and workshops.

The visitors feature judges every gate scan. A scan at a checkpoint named `<kind>:<id>` (today
only `workshop:<id>`) is handed to the feature that registered that kind, which records it its
own way; the scanner page lists that feature's doors. Features that sit side by side never import
each other: the workshops feature registers itself here (workshops/__init__.py) and the visitors
feature looks it up. A kind nobody registered is a programming error and fails loudly.
"""

CHECKPOINT_KINDS = {}


def register_checkpoint_kind(kind, *, record_scan, list_doors):
    """record_scan(target_id, site, token, holder, scanned_at) -> the scan's status;
    list_doors(edition) -> {site slug: [[checkpoint, label]]} for the scanner page."""
    CHECKPOINT_KINDS[kind] = {"record_scan": record_scan, "list_doors": list_doors}


def checkpoint_kind(kind):
    return CHECKPOINT_KINDS[kind]
