"""Pages of brokers and opportunities (``brokers``) and of investor contacts and joint
investment projects (``investment``)."""
