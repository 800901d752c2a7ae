"""The app's part of the API: ``serializers`` and ``viewsets`` (registered in
``escp_portal.api.urls``)."""
