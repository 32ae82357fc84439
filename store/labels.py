"""The names people read for the store's codes: payments, channels, stock movements, units..."""

from flask_babel import lazy_gettext as _l

UNIT_LABELS = {
    "piece": _l("piece"),
    "jar": _l("jar"),
    "bottle": _l("bottle"),
    "box": _l("box"),
    "bag": _l("bag"),
    "kg": _l("kg"),
    "g": _l("g"),
    "l": _l("litre"),
    "ml": _l("ml"),
}
REASON_LABELS = {
    "breakage": _l("breakage"),
    "count": _l("count correction"),
    "expired": _l("expired"),
    "theft": _l("theft or loss"),
    "other": _l("other"),
}
PAYMENT_LABELS = {
    "cash": _l("Cash"),
    "card": _l("Card"),
    "mobile": _l("Mobile payment"),
    "transfer": _l("Bank transfer"),
    "split": _l("Split payment"),
}
CHANNEL_LABELS = {"store": _l("Store"), "online": _l("Online"), "retail": _l("Supermarkets")}
STATUS_LABELS = {
    "due": _l("due"),
    "due_soon": _l("due soon"),
    "overdue": _l("overdue"),
    "paid": _l("paid"),
}
MOVEMENT_LABELS = {
    "deposit": _l("Deposit"),
    "return": _l("Returned to the cooperative"),
    "adjustment": _l("Adjustment"),
    "sale": _l("Sale"),
    "refund": _l("Refund"),
    "void": _l("Void"),
}
LINE_LABELS = {"sale": _l("Sale"), "refund": _l("Refund"), "void": _l("Void")}
# ONSSA grants plant-product packers an authorisation, animal-product packers an approval.
ONSSA_KIND_LABELS = {
    "authorisation": _l("Sanitary authorisation"),
    "approval": _l("Sanitary approval"),
}
