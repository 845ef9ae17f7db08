# transitional re-export; removed at the end of the restructuring
from keys.aead import open_text, seal_text  # noqa: F401
from keys.fields import *  # noqa: F401,F403
from keys.store import current_key, forget_keys, key_by_id, rewrap_protection_keys, verify_protection_keys  # noqa: F401
