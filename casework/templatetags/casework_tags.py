from django import template

from casework import reviews

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_review(context, case):
    """The newest peer review of the case the reader may see (through reviews_for), or None."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return None
    return reviews.reviews_for(request.user, case=case).first()
