# transitional re-export; removed at the end of the restructuring
from keys.ring import *  # noqa: F401,F403
from keys.ring import KeyUnavailable, check_keys, current_kek_id, generate_data_key, reset, rewrap, unwrap, wrap  # noqa: F401
from keys.rotation import register_rewrapper, rewrappers  # noqa: F401
