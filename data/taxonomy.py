"""The corpus vocabulary: labels, industries, topics, tone guidelines.

One place for every closed set of values, so the schemas, the corpus checker and
the training code agree on them.
"""

from __future__ import annotations

URGENCY_LABELS: tuple[str, ...] = ("critical", "high", "normal", "low")
LANGS: tuple[str, ...] = ("es", "en")
CHANNELS: tuple[str, ...] = ("twitter", "facebook", "instagram")
SENTIMENTS: tuple[str, ...] = ("very_negative", "negative", "neutral", "positive")
REGIONS: dict[str, tuple[str, ...]] = {
    "es": ("ES", "MX", "AR", "UY", "CO", "CL", "PE"),
    "en": ("US", "UK", "IE", "AU", "CA", "IN"),
}
HARD_CASES: tuple[str, ...] = (
    "sarcasm", "implicit_urgency", "false_alarm", "typos", "emoji", "hashtag",
    "mixed_language", "url", "noise", "long_rant", "understatement",
)
TONE_CHECKS: tuple[str, ...] = (
    "thanks", "non_defensive", "offers_solution", "human",
    "private_channel", "service_hours", "fits_channel",
)
CHANNEL_LIMITS: dict[str, int] = {"twitter": 280, "facebook": 1000, "instagram": 1000}

COMMON_TOPICS: tuple[str, ...] = ("praise", "general_comment")
INDUSTRY_TOPICS: dict[str, tuple[str, ...]] = {
    "telecom": ("outage", "slow_connection", "billing_error", "installation", "porting",
                "plan_change", "cancellation", "device_issue", "coverage"),
    "bank": ("card_blocked", "fraud", "transfer_issue", "app_access", "fees_charges",
             "loan_mortgage", "atm_cash", "account_opening"),
    "airline": ("flight_cancelled", "flight_delay", "baggage", "booking_change", "refund",
                "checkin_boarding", "overbooking", "special_assistance", "loyalty_points"),
    "ecommerce": ("delivery_delay", "wrong_item", "damaged_item", "return_refund",
                  "payment_issue", "order_status", "product_question", "account_access"),
    "utilities": ("power_outage", "water_outage", "gas_leak", "billing_error",
                  "meter_reading", "new_connection", "payment_plan", "service_cut"),
    "insurance": ("claim_status", "roadside_assistance", "policy_change", "premium_billing",
                  "coverage_question", "claim_denied", "cancellation", "health_authorization"),
    "food_delivery": ("late_order", "missing_items", "wrong_order", "food_safety", "refund",
                      "courier_behavior", "app_error", "promo_code"),
    "streaming": ("playback_error", "account_access", "billing_error", "cancellation",
                  "content_request", "app_bug", "plan_change", "account_hacked"),
}
INDUSTRY_PREFIX: dict[str, str] = {
    "telecom": "tel", "bank": "bank", "airline": "air", "ecommerce": "shop",
    "utilities": "util", "insurance": "ins", "food_delivery": "food", "streaming": "stream",
}


def topics_for(industry: str) -> tuple[str, ...]:
    """Every topic a record of ``industry`` may carry."""
    return INDUSTRY_TOPICS[industry] + COMMON_TOPICS
