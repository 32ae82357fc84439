"""Business rules of the booths: registry, applications, floor plans, allocation, badges.

Each topic lives in its own module; this package re-exports the public verb-noun functions so
callers write ``from booths.services import approve_application``.
"""

from booths.services.allocation import (
    allocate_stalls,
    assign_stall,
    clear_allocation,
    free_stall,
    last_allocation_snapshot,
    plan_allocation,
    restore_allocation,
    set_stall_pinned,
)
from booths.services.applications import (
    acting_cooperative,
    application_refusal,
    apply_for_stall,
    check_may_act_for,
    cooperative_applications,
    decide_application,
    get_application,
    list_applications,
    update_application,
)
from booths.services.badges import (
    badges_pdf,
    cooperative_badges,
    get_badge,
    issue_badges,
    issue_site_badges,
    reissue_badge,
    request_badge_batch,
    revoke_badge,
    site_badges,
    site_badges_query,
)
from booths.services.figures import edition_booth_figures
from booths.services.floorplan import (
    LayoutRule,
    add_stall,
    delete_stall,
    generate_floor_plan,
    get_floor_plan,
    get_stall,
    set_ground_size,
    site_stalls,
    update_stall,
)
from booths.services.imports import import_cooperatives, preview_import
from booths.services.registry import (
    change_agreement_status,
    ensure_cooperative_account,
    get_cooperative,
    register_cooperative,
    search_cooperatives,
    update_cooperative,
)

__all__ = [
    "LayoutRule",
    "add_stall",
    "allocate_stalls",
    "acting_cooperative",
    "apply_for_stall",
    "assign_stall",
    "badges_pdf",
    "change_agreement_status",
    "clear_allocation",
    "application_refusal",
    "cooperative_applications",
    "cooperative_badges",
    "decide_application",
    "delete_stall",
    "edition_booth_figures",
    "ensure_cooperative_account",
    "free_stall",
    "generate_floor_plan",
    "check_may_act_for",
    "get_application",
    "get_badge",
    "get_cooperative",
    "get_floor_plan",
    "get_stall",
    "import_cooperatives",
    "issue_badges",
    "issue_site_badges",
    "last_allocation_snapshot",
    "list_applications",
    "plan_allocation",
    "preview_import",
    "register_cooperative",
    "reissue_badge",
    "restore_allocation",
    "request_badge_batch",
    "revoke_badge",
    "search_cooperatives",
    "set_ground_size",
    "set_stall_pinned",
    "site_badges",
    "site_badges_query",
    "site_stalls",
    "update_application",
    "update_cooperative",
    "update_stall",
]
