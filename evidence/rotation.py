# transitional re-export; removed at the end of the restructuring
from keys.rotation import rotate_all  # noqa: F401
