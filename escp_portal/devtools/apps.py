from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Data generators for development and benchmarks: ``load_demo`` (the real partnerships and
    each app's demo) and ``generate_scale`` (synthetic data up to EU scale). They compose every
    domain app, so they live outside them."""

    name = "escp_portal.devtools"
    label = "devtools"
    verbose_name = "Developer tools"
