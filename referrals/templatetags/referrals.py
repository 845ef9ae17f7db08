from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A dict's value by a variable key ('' when absent)."""
    return (mapping or {}).get(str(key), "")


@register.simple_tag(takes_context=True)
def case_referrals(context, case):
    """For the case page: may this user ask for a review, prepare referrals, and which referrals are there."""
    from cases.selectors import case_perms

    from referrals.selectors import REFERRAL_PERM, referrals_for, review_requests_for

    user = context["request"].user
    held = case_perms(user, case)
    legal = REFERRAL_PERM in held
    return {
        "can_ask_review": "change_case" in held,
        "legal": legal,
        "referrals": list(referrals_for(user, case=case)) if legal else [],
        "reviews": list(review_requests_for(user, case=case)[:3]),
    }
