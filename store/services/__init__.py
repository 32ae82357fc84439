"""Store business rules, by topic; the names other features rely on are re-exported here."""

from store.services.catalogue import (
    block_reason,
    create_product,
    get_product,
    list_products,
    product_for_cooperative_user,
    record_quality_check,
    update_product,
)
from store.services.payouts import (
    compute_payouts,
    cooperative_payouts,
    due_time,
    get_payout,
    list_payouts,
    mark_payout_paid,
    payout_status,
)
from store.services.reports import (
    cooperative_sales,
    edition_sales_figures,
    recent_cooperative_lines,
)
from store.services.sales import (
    get_sale,
    record_sale,
    refund_sale,
    refund_sale_once,
    sales_by_client_id,
    split_amount,
    void_sale,
)
from store.services.stock import (
    adjust_stock,
    deposit_products,
    food_on_sale,
    food_on_sale_query,
    product_stock,
    return_products,
    site_stock,
    site_stock_counts,
    site_stock_query,
)
from store.services.tills import close_till

__all__ = [
    "adjust_stock",
    "food_on_sale",
    "food_on_sale_query",
    "block_reason",
    "close_till",
    "compute_payouts",
    "cooperative_payouts",
    "cooperative_sales",
    "create_product",
    "deposit_products",
    "due_time",
    "edition_sales_figures",
    "get_payout",
    "get_product",
    "get_sale",
    "list_payouts",
    "list_products",
    "mark_payout_paid",
    "payout_status",
    "product_for_cooperative_user",
    "product_stock",
    "recent_cooperative_lines",
    "record_quality_check",
    "record_sale",
    "refund_sale",
    "refund_sale_once",
    "return_products",
    "sales_by_client_id",
    "site_stock",
    "site_stock_counts",
    "site_stock_query",
    "split_amount",
    "update_product",
    "void_sale",
]
