import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, settings) lives as long as the worker: moved out of the cyclic
# collector's sight, so that its full collections scan what requests leave behind, not 150,000 objects that
# never die. Each full collection cost a worker ~80 ms, about 1.3 ms a request (bench/load.py).
gc.collect()
gc.freeze()
