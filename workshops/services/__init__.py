"""Workshop rules, split by topic; the names other features rely on are re-exported here."""

from workshops.services.attendance import (  # noqa: F401
    DOOR_OPENS_BEFORE,
    add_walk_in,
    attendance_list,
    record_door_scan,
)
from workshops.services.certificates import (  # noqa: F401
    certificate_for,
    certificate_for_registration,
    certificates_for_workshop,
    issuable_certificate,
    verify_certificate,
    withdraw_certificate,
    withdrawals_for_workshop,
)
from workshops.services.feedback import (  # noqa: F401
    feedback_by_topic,
    feedback_for_workshop,
    submit_feedback,
)
from workshops.services.programme import (  # noqa: F401
    create_workshop,
    delete_workshop,
    edition_room,
    get_workshop,
    list_workshops,
    site_rooms,
    update_rooms,
    update_workshop,
)
from workshops.services.registration import (  # noqa: F401
    cancel_registration,
    get_registration,
    mark_message_sent,
    register_member,
    register_visitor,
    registration_refusal,
    seen_promotion,
)
from workshops.services.reports import (  # noqa: F401
    edition_workshop_figures,
    workshop_report_rows,
)
