from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """A dict's value by a variable key ('' when absent)."""
    return (mapping or {}).get(str(key), "")
