from django import template

register = template.Library()


@register.filter
def is_audit_admin(user) -> bool:
    """{% if user|is_audit_admin %}: may this user read the whole audit log?"""
    from audit.selectors import is_audit_admin as check

    return check(user)
