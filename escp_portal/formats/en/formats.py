# English as it is written in the EU institutions: day before month, weeks from Monday
# (British formats, instead of Django's US ones for "en").
from django.conf.locale.en_GB.formats import *  # noqa: F403
