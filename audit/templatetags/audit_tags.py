from django import template

from audit.selectors import recent_sign_ins

register = template.Library()


@register.inclusion_tag("audit/_recent_signins.html", takes_context=True)
def recent_signins(context, limit=10):
    """{% load audit_tags %}{% recent_signins %}: the signed-in user's own recent sign-ins."""
    return {"signins": recent_sign_ins(context["request"].user, limit=limit)}


@register.filter
def is_audit_admin(user) -> bool:
    """{% if user|is_audit_admin %}: may this user read the whole audit log?"""
    from audit.selectors import is_audit_admin as check

    return check(user)

