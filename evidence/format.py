# transitional re-export; removed at the end of the restructuring
from keys.stream import *  # noqa: F401,F403
