from django import template
from django.conf import settings

from audit.selectors import recent_sign_ins

register = template.Library()


@register.inclusion_tag("audit/_recent_signins.html", takes_context=True)
def recent_signins(context, limit=10):
    """{% load audit_tags %}{% recent_signins %}: the signed-in user's own recent sign-ins."""
    return {"signins": recent_sign_ins(context["request"].user, limit=limit)}


@register.inclusion_tag("audit/_denial_alerts.html", takes_context=True)
def denial_alerts(context, person=None):
    """{% denial_alerts %} (every user) or {% denial_alerts person %}: repeated refusals, shown to admins only."""
    from audit.denials import repeated_denials
    from audit.selectors import is_audit_admin as check

    if not check(context["request"].user):
        return {"alerts": []}
    return {"alerts": repeated_denials(person), "minutes": settings.DALIL_DENIAL_ALERT_MINUTES}


@register.filter
def is_audit_admin(user) -> bool:
    """{% if user|is_audit_admin %}: may this user read the whole audit log?"""
    from audit.selectors import is_audit_admin as check

    return check(user)

